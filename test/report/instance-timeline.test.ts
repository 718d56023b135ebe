/**
 * `ReportInstance.timeline` from runs recorded with the real native engine (test/fixtures/): each
 * instance's seconds as its engine reported them, errors counted as the fleet timeline counts them,
 * and the instances' seconds adding up to the fleet's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeInstanceResults } from '../../src/merge/merge-results.js';
import { buildRunReport } from '../../src/report/json-report.js';
import { instanceTimelineOf } from '../../src/report/instance-timeline.js';
import type { RunReport } from '../../src/report/run-report-types.js';
import type { InstanceResult } from '../../src/protocol/instance-result.js';
import { DEFAULT_VERDICT_OPTIONS, thresholdsOfPlan, type VerdictOptions } from '../../src/verdict/classify-verdict.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../src/verdict/threshold-levels.js';
import { recordedRun, type FixtureName } from '../helpers/fixtures.js';
import { recordedReportOf } from '../gate/report-fixtures.js';

const CASES: FixtureName[] = ['good', 'slow', 'erroring', 'backpressure', 'dropped'];

function reportOf(results: InstanceResult[], name: FixtureName, verdictOptions: VerdictOptions = DEFAULT_VERDICT_OPTIONS): RunReport {
  const { plan } = recordedRun(name);
  return buildRunReport({ merged: mergeInstanceResults(results), plan, thresholds: thresholdsOfPlan(plan, DEFAULT_THRESHOLD_LEVELS), verdictOptions });
}

describe('ReportInstance.timeline (recorded native runs)', () => {
  for (const name of CASES) {
    it(`${name}: every instance's seconds as recorded, and they add up to the fleet timeline`, () => {
      const { results } = recordedRun(name);
      const report = reportOf(results, name);
      for (const instance of report.instances) {
        const recorded = results.find((r) => r.instance.index === instance.index)!.timeline;
        assert.deepEqual(instance.timeline!.map((s) => [s.second, s.requests, s.droppedIterations, s.inFlight]), recorded.map((s) => [s.second, s.requests, s.droppedIterations, s.inFlight]));
        instance.timeline!.forEach((s, i) => {
          assert.ok(Math.abs(s.p95Ms - recorded[i]!.p95Ms) <= 0.0005, `p95 to the µs (${s.p95Ms} vs ${recorded[i]!.p95Ms})`);
          assert.ok(Math.abs(s.cpuPercent! - recorded[i]!.cpuPercent!) <= 0.05, `CPU to 0.1 % (${s.cpuPercent} vs ${recorded[i]!.cpuPercent})`);
        });
      }
      for (const fleet of report.timeline) {
        const parts = report.instances.flatMap((i) => i.timeline!.filter((s) => s.second === fleet.second));
        const sum = (pick: (s: (typeof parts)[number]) => number) => parts.reduce((total, s) => total + pick(s), 0);
        assert.deepEqual([sum((s) => s.requests), sum((s) => s.errors), sum((s) => s.droppedIterations)], [fleet.requests, fleet.errors, fleet.droppedIterations], `second ${fleet.second}`);
      }
    });
  }

  it('backpressure: the one instance that got the 429s shows them second by second', () => {
    const report = reportOf(recordedRun('backpressure').results, 'backpressure');
    const errors = report.instances.map((i) => i.timeline!.map((s) => s.errors));
    assert.deepEqual(errors, [[0, 1, 0, 0], [14, 13, 14, 15]]);
  });

  it("errors follow the report's error classes, as the fleet timeline's do", () => {
    const { results } = recordedRun('erroring');
    const without503 = { ...DEFAULT_VERDICT_OPTIONS, errorClasses: DEFAULT_VERDICT_OPTIONS.errorClasses.filter((c) => c !== '503') };
    const report = reportOf(results, 'erroring', without503);
    assert.ok(report.instances.every((i) => i.timeline!.every((s) => s.errors === 0)));
    assert.ok(reportOf(results, 'erroring').instances.every((i) => i.timeline!.slice(0, 4).every((s) => s.errors >= 13)));
  });

  it('an engine without CPU or in-flight samples (k6) gives null, not 0', () => {
    const { results } = recordedRun('good');
    const k6Like: InstanceResult = { ...results[0]!, timeline: results[0]!.timeline.map(({ cpuPercent: _cpu, inFlight: _inFlight, rssBytes: _rss, latency: _latency, ...rest }) => rest) };
    const timeline = instanceTimelineOf(k6Like, DEFAULT_VERDICT_OPTIONS.errorClasses);
    assert.equal(timeline.length, 4);
    assert.ok(timeline.every((s) => s.cpuPercent === null && s.inFlight === null && s.requests === 100));
  });

  it('a lost instance has an empty timeline', () => {
    const report = recordedReportOf('degraded');
    assert.deepEqual(report.instances.map((i) => [i.status, i.timeline!.length]), [['completed', 4], ['completed', 4], ['lost', 0]]);
  });

  it('stays compact: no histograms or outcome breakdown per instance and second', () => {
    const report = reportOf(recordedRun('good').results, 'good');
    const keys = new Set(report.instances.flatMap((i) => i.timeline!.flatMap((s) => Object.keys(s))));
    assert.deepEqual([...keys].sort(), ['cpuPercent', 'droppedIterations', 'errors', 'inFlight', 'p95Ms', 'requests', 'second']);
    assert.equal(JSON.stringify(report).includes('"distribution"'), false);
  });
});
