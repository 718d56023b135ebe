import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { instanceOfSegment, renderTextSummary, summaryToInstanceResult, type K6Metric, type K6SummaryData, type SetupData } from '../../../src/engines/k6/k6-summary.js';
import { QUANTILE_GRID_PERCENTS, percentileStat } from '../../../src/engines/k6/quantile-grid.js';
import { emptyOutcomeCounts } from '../../../src/protocol/outcomes.js';
import { buildPlan } from '../../../src/scenario/build-plan.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../../src/verdict/threshold-levels.js';

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

describe('summaryToInstanceResult', () => {
  const plan = buildPlan(
    { name: 't', duration: '10s', subScenarios: [{ name: 'a', rate: 10 }, { name: 'b', rate: 30, batchSize: 10 }] },
    { source: 't.ts', targetUrl: 'http://h:1', baseThresholds: DEFAULT_THRESHOLD_LEVELS },
  );
  const counter = (count: number): K6Metric => ({ type: 'counter', contains: 'default', values: { count, rate: count / 10 } });
  const trend = (scale: number): K6Metric => ({
    type: 'trend',
    contains: 'time',
    values: Object.fromEntries([
      ['count', 40], ['min', scale * 0.5], ['max', scale * 200], ['avg', scale * 20], ['med', scale * 50],
      ...QUANTILE_GRID_PERCENTS.map((p) => [percentileStat(p), scale * p]),
    ]),
    thresholds: { 'p(95)<1000': { ok: scale * 95 < 1000 } },
  });
  const data: K6SummaryData = {
    state: { testRunDurationMs: 10_000 },
    setup_data: { startedAt: 1_000, runTag: 'run1', executionSegment: '0:1/2' },
    metrics: {
      http_req_duration: trend(1),
      'http_req_duration{scenario:a}': trend(1),
      'http_req_duration{scenario:b}': trend(20),
      'loadctl_requests{lo:a.2xx}': counter(90),
      'loadctl_requests{lo:a.429}': counter(7),
      'loadctl_requests{lo:a.timeout}': counter(3),
      'loadctl_requests{lo:b.503}': counter(300),
      'loadctl_requests{lo:b.refused}': counter(0),
      'iterations{scenario:a}': counter(100),
      'iterations{scenario:b}': counter(295),
      'dropped_iterations{scenario:b}': counter(5),
      vus: { type: 'gauge', contains: 'default', values: { value: 0, min: 0, max: 42 } },
      checks: { type: 'rate', contains: 'default', values: { rate: 0.225, passes: 90, fails: 310 } },
    },
  };
  const result = summaryToInstanceResult(data, { plan, planDigest: 'abc', setup: data.setup_data as SetupData, host: 'gen-1', k6Version: 'v1.2.3', endedAt: 12_000 });

  it('counts every outcome class of every sub-scenario', () => {
    assert.deepEqual(result.subScenarios.a!.outcomes, { ...emptyOutcomeCounts(), '2xx': 90, '429': 7, timeout: 3 });
    assert.deepEqual(result.subScenarios.b!.outcomes, { ...emptyOutcomeCounts(), '503': 300 });
    assert.equal(result.overall.requests, 400);
    assert.equal(result.overall.events, 100 + 300 * 10);
  });
  it('iterations are started + dropped; dropped makes the generator limited', () => {
    assert.equal(result.subScenarios.b!.iterations, 300);
    assert.equal(result.overall.droppedIterations, 5);
    assert.equal(result.generator.limited, true);
    assert.match(result.generator.reasons[0]!, /5 iterations dropped/);
  });
  it('latency from each sub-metric, the grid as [q, ms] points from min (q 0) to max (q 1)', () => {
    const b = result.subScenarios.b!.latency;
    assert.deepEqual([b.p50Ms, b.p95Ms, b.p99Ms, b.p999Ms, b.minMs, b.maxMs, b.meanMs], [1000, 1900, 1980, 1998, 10, 4000, 400]);
    assert.equal(b.distribution.kind === 'quantiles' && b.distribution.points.length, 207);
    assert.deepEqual(b.distribution.kind === 'quantiles' && b.distribution.points[1], [0.005, 10]);
  });
  it('identity: instance from the segment, run tag, digest, planned iterations of this stripe', () => {
    assert.deepEqual(result.instance, { index: 0, count: 2 });
    assert.deepEqual([result.runId, result.planDigest, result.host, result.engine.version, result.scheduledStartAt, result.endedAt], ['run1', 'abc', 'gen-1', 'v1.2.3', 1_000, 12_000]);
    assert.equal(result.plannedIterations, 50 + 150);
    assert.equal(result.overall.maxInFlight, 42);
  });
  it('the text summary marks failed thresholds and leaves out the bookkeeping ones', () => {
    const text = renderTextSummary(data, result, 'r.json');
    assert.match(text, /✓ http_req_duration\{scenario:a\} p\(95\)<1000/);
    assert.match(text, /✗ http_req_duration\{scenario:b\} p\(95\)<1000/);
    assert.doesNotMatch(text, />=0/);
    assert.match(text, /checks: 22\.50 % ✓ 90 ✗ 310/);
  });
});
