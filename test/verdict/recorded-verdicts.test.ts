/** classifyVerdict on InstanceResults recorded from real native-engine runs (scripts/record-fixtures.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeInstanceResults } from '../../src/merge/merge-results.js';
import { buildRunReport, verdictInputOfReport } from '../../src/report/json-report.js';
import { DEFAULT_VERDICT_OPTIONS, classifyVerdict, exitCodeOfVerdict, thresholdsOfPlan, verdictInputOf, type VerdictOutcome } from '../../src/verdict/classify-verdict.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../src/verdict/threshold-levels.js';
import { recordedRun, type FixtureName } from '../helpers/fixtures.js';

const judge = (name: FixtureName, keep?: number) => {
  const { plan, results } = recordedRun(name);
  const merged = mergeInstanceResults(keep === undefined ? results : results.slice(0, keep));
  return classifyVerdict(verdictInputOf(merged), thresholdsOfPlan(plan, DEFAULT_THRESHOLD_LEVELS), DEFAULT_VERDICT_OPTIONS);
};

const table: Array<[string, () => ReturnType<typeof judge>, VerdictOutcome, number, RegExp]> = [
  ['a fast target → good', () => judge('good'), 'good', 0, /^good/],
  ['a 1.3-s target → critical on p95', () => judge('slow'), 'critical', 10, /p95 1,\d{3} ms is above the critical limit of 1,000 ms/],
  ['14 % 503s → critical on errors', () => judge('erroring'), 'critical', 10, /error rate 14(\.\d+)? %/],
  ['~7 % 429s → warning', () => judge('backpressure'), 'warning', 0, /error rate [67](\.\d+)? %.*above the warning limit of 5 %/],
  ['too few VUs → generator-limited, not the target', () => judge('dropped'), 'generator-limited', 12, /dropped [\d,]+ iterations/],
  ['an instance missing → degraded', () => judge('good', 2), 'degraded', 13, /instance 2 \(unknown\) was lost/],
];

describe('classifyVerdict on recorded native runs', () => {
  for (const [name, verdictOf, outcome, exitCode, reason] of table) {
    it(name, () => {
      const verdict = verdictOf();
      assert.equal(verdict.outcome, outcome, verdict.headline);
      assert.equal(exitCodeOfVerdict(verdict.outcome, 'critical'), exitCode);
      assert.match([verdict.headline, ...verdict.reasons, ...verdict.generatorReasons, ...verdict.degradedReasons].join('\n'), reason);
    });
  }
  it('gate re-judges the saved report of each run to the same verdict', () => {
    for (const name of ['good', 'slow', 'erroring', 'backpressure', 'dropped'] as const) {
      const { plan, results } = recordedRun(name);
      const report = buildRunReport({ merged: mergeInstanceResults(results), plan, thresholds: thresholdsOfPlan(plan, DEFAULT_THRESHOLD_LEVELS), verdictOptions: DEFAULT_VERDICT_OPTIONS });
      const saved = JSON.parse(JSON.stringify(report)) as typeof report;
      assert.deepEqual(classifyVerdict(verdictInputOfReport(saved), saved.thresholds, saved.verdictOptions), report.verdict, name);
      assert.ok(report.startSkew.maxMs !== null && report.startSkew.instances === results.length, name);
    }
  });
});
