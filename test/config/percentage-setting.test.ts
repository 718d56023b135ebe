/** The one percentage grammar of flags and config file: `10%` always; a bare number only when it is 0. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePercentageSetting, type PercentageRange } from '../../src/config/percentage-setting.js';

const ANY: PercentageRange = { min: 0 };
const WHOLE: PercentageRange = { min: 0, max: 1 };
const OPEN: PercentageRange = { min: 0, max: 1, exclusive: true };

describe('parsePercentageSetting', () => {
  const table: Array<[string | number, PercentageRange, number | RegExp]> = [
    ['10%', ANY, 0.1],
    ['0.1%', ANY, 0.001],
    ['12.5%', ANY, 0.125],
    [' 7 % ', ANY, 0.07],
    ['250%', ANY, 2.5],
    ['0%', WHOLE, 0],
    ['100%', WHOLE, 1],
    ['0', WHOLE, 0], // the same in both readings
    [0, WHOLE, 0],
    ['0.1', ANY, /^is ambiguous: write 10% or 0\.1%$/],
    [0.05, WHOLE, /^is ambiguous: write 5% or 0\.05%$/],
    ['10', ANY, /^is ambiguous: write 1000% or 10%$/],
    [1, WHOLE, /^is ambiguous: write 100% or 1%$/],
    ['ten', ANY, /^is not a percentage: write a number with the % sign, e.g\. 10% or 0\.5%$/],
    ['-5%', ANY, /^is not a percentage/],
    ['%', ANY, /^is not a percentage/],
    ['5%%', ANY, /^is not a percentage/],
    ['', ANY, /^is not a percentage/],
    ['150%', WHOLE, /^is out of range: give at least 0% and at most 100%$/],
    ['0%', OPEN, /^is out of range: give more than 0% and less than 100%$/],
    ['100%', OPEN, /^is out of range: give more than 0% and less than 100%$/],
    ['50%', OPEN, 0.5],
  ];
  for (const [value, range, expected] of table) {
    it(`${JSON.stringify(value)} → ${expected}`, () => {
      const result = parsePercentageSetting(value, range);
      if (typeof expected === 'number') assert.deepEqual(result, { fraction: expected });
      else assert.ok('problem' in result && expected.test(result.problem), JSON.stringify(result));
    });
  }
});
