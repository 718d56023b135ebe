import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAbortRule, type SecondCounts } from '../../src/controller/abort-rule.js';

const seconds = (errorShares: number[]): SecondCounts[] => errorShares.map((share, second) => ({ second, requests: 1000, errors: Math.round(share * 1000) }));

describe('evaluateAbortRule', () => {
  const rule = { errorRate: 0.1, windowSeconds: 3 };
  const cases: Array<[string, SecondCounts[], number | null]> = [
    ['too few seconds yet', seconds([0.5, 0.5]), null],
    ['critical for the whole window', seconds([0, 0.5, 0.2, 0.11]), 3],
    ['one second at exactly the limit breaks the streak', seconds([0.5, 0.1, 0.5]), null],
    ['an earlier bad window does not count once it recovered', seconds([0.5, 0.5, 0.5, 0.01]), null],
    ['a second without requests breaks the streak', [...seconds([0.5, 0.5]), { second: 2, requests: 0, errors: 0 }], null],
  ];
  for (const [name, input, atSecond] of cases) {
    it(name, () => assert.equal(evaluateAbortRule(input, rule)?.atSecond ?? null, atSecond));
  }
  it('the reason names the limit, the window and the measured share', () => {
    const decision = evaluateAbortRule(seconds([0.5, 0.5, 0.5]), rule);
    assert.match(decision!.reason, /errors above 10 % for 3 s \(50\.0 % of 3000 requests in seconds 0–2\)/);
  });
  it('a window of 0 switches the rule off', () => assert.equal(evaluateAbortRule(seconds([1, 1, 1]), { errorRate: 0.1, windowSeconds: 0 }), null));
});
