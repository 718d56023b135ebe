import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rebaseThresholds, rejudgePhaseReport, rejudgeRunReport } from '../../src/gate/rejudge-report.js';
import { DEFAULT_THRESHOLD_LEVELS, type ThresholdLevels } from '../../src/verdict/threshold-levels.js';
import { breakpointPhaseOf, REPORT_CASES, runReportOf, validatePhaseOf } from './report-fixtures.js';

const strict: ThresholdLevels = { ...DEFAULT_THRESHOLD_LEVELS, p95Ms: { warning: 10, critical: 20 } };

describe('rejudgeRunReport', () => {
  for (const kind of REPORT_CASES) {
    it(`${kind}: the report's own levels give the run's own verdict`, () => {
      const report = JSON.parse(JSON.stringify(runReportOf(kind)));
      assert.deepEqual(rejudgeRunReport(report, {}).verdict, report.verdict);
    });
  }
  it("a config's levels replace them (and are stored with the new verdict)", () => {
    const rejudged = rejudgeRunReport(runReportOf('good'), { levels: strict });
    assert.equal(rejudged.verdict.outcome, 'critical');
    assert.deepEqual(rejudged.thresholds.overall.p95Ms, { warning: 10, critical: 20 });
  });
});

describe('rebaseThresholds keeps the scenario’s own per-sub-scenario overrides', () => {
  it('a sub-scenario level equal to the overall one follows the config; a different one is kept', () => {
    const stored = { overall: DEFAULT_THRESHOLD_LEVELS, subScenarios: { single: DEFAULT_THRESHOLD_LEVELS, batch10: { ...DEFAULT_THRESHOLD_LEVELS, p95Ms: { warning: 800, critical: 1000 } } } };
    const rebased = rebaseThresholds(stored, strict);
    assert.deepEqual(rebased.overall, strict);
    assert.deepEqual(rebased.subScenarios.single, strict);
    assert.deepEqual(rebased.subScenarios.batch10!.p95Ms, { warning: 800, critical: 20 });
  });
});

describe('rejudgePhaseReport', () => {
  it('a single-step phase takes its step’s new verdict', () => {
    const rejudged = rejudgePhaseReport(validatePhaseOf('good'), { levels: strict });
    assert.equal(rejudged.outcome, 'critical');
    assert.equal(rejudged.steps[0]!.judgement.kind, 'critical');
    assert.equal(rejudged.steps[0]!.limitedBy, 'target');
  });
  it('a breakpoint search keeps its conclusion and its steps’ judgements', () => {
    const rejudged = rejudgePhaseReport(breakpointPhaseOf(), { levels: strict });
    assert.equal(rejudged.outcome, 'good');
    assert.equal(rejudged.breakingPoint, 70);
    assert.deepEqual(rejudged.steps.map((s) => s.judgement.kind), ['held', 'critical', 'held']);
    assert.equal(rejudged.steps[0]!.report!.verdict.outcome, 'critical', 'each step report is judged again');
  });
});
