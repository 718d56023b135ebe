import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { instanceOfSegment } from '../../../src/engines/k6/k6-summary.js';

describe('instanceOfSegment', () => {
  const cases: Array<[string | null, { index: number; count: number }]> = [
    [null, { index: 0, count: 1 }],
    ['0:1', { index: 0, count: 1 }],
    ['0:1/3', { index: 0, count: 3 }],
    ['1/3:2/3', { index: 1, count: 3 }],
    ['2/3:1', { index: 2, count: 3 }],
    ['50%:100%', { index: 1, count: 2 }],
    ['0.75:1', { index: 3, count: 4 }],
    ['nonsense', { index: 0, count: 1 }],
  ];
  for (const [segment, expected] of cases) it(`${segment} → instance ${expected.index} of ${expected.count}`, () => assert.deepEqual(instanceOfSegment(segment), expected));
});
