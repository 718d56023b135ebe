/** The one duration grammar of flags, environment and config file: what it accepts and what it refuses. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDurationSetting } from '../../src/scenario/duration-setting.js';

describe('parseDurationSetting', () => {
  const accepted: Array<[string | number, number]> = [
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5s', 1_500],
    [' 45s ', 45_000],
    ['60', 60_000], // text, as from DURATION=60 or --duration 60: seconds
    ['0.5', 500],
    [60, 60_000], // a YAML number: seconds too (it was ms before issue 17)
    [0.25, 250],
  ];
  for (const [value, ms] of accepted) it(`${JSON.stringify(value)} is ${ms} ms`, () => assert.equal(parseDurationSetting(value), ms));

  const refused: Array<string | number> = ['1 minute', '', '30x', '1d', '-5s', '0s', '0', 0, -1, 's', '2m-', '1e3', 'soon', Number.NaN, Number.POSITIVE_INFINITY];
  for (const value of refused) it(`${JSON.stringify(value)} is refused`, () => assert.equal(parseDurationSetting(value), null));
});
