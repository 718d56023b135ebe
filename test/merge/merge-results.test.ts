import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MergeError, mergeInstanceResults } from '../../src/merge/merge-results.js';
import { OUTCOME_CLASSES, emptyOutcomeCounts } from '../../src/protocol/outcomes.js';
import type { TimelineSecond } from '../../src/protocol/instance-result.js';
import { histogramOf, instanceResultOf, latencyOf, logNormalSamples } from '../helpers/instance-results.js';
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';

const instance = (index: number, count = 3, extra: Partial<Parameters<typeof instanceResultOf>[0]> = {}) =>
  instanceResultOf({
    index,
    count,
    subScenarios: {
      single: { latenciesMs: logNormalSamples(1000 + index, 20, index + 1), errors: { '503': index, timeout: 1 }, droppedIterations: index },
      batch10: { latenciesMs: logNormalSamples(500, 40, index + 100), batchSize: 10, errors: { refused: 2 } },
    },
    ...extra,
  });

describe('mergeInstanceResults: counts add exactly', () => {
  const results = [instance(2), instance(0), instance(1)];
  const merged = mergeInstanceResults(results);
  it('overall and per sub-scenario, every outcome class', () => {
    for (const key of ['requests', 'events', 'iterations', 'droppedIterations'] as const) {
      assert.equal(merged.overall[key], results.reduce((sum, r) => sum + r.overall[key], 0), key);
      assert.equal(merged.subScenarios.batch10![key], results.reduce((sum, r) => sum + r.subScenarios.batch10![key], 0), `batch10 ${key}`);
    }
    for (const outcome of OUTCOME_CLASSES) {
      assert.equal(merged.overall.outcomes[outcome], results.reduce((sum, r) => sum + r.overall.outcomes[outcome], 0), outcome);
    }
    assert.equal(merged.overall.latency.count, results.reduce((sum, r) => sum + r.overall.latency.count, 0));
    assert.equal(merged.plannedIterations, results.reduce((sum, r) => sum + r.plannedIterations, 0));
  });
  it('orders instances by index and finds none missing', () => {
    assert.deepEqual(merged.instances.map((r) => r.instance.index), [0, 1, 2]);
    assert.deepEqual(merged.missingInstances, []);
    assert.equal(merged.runId, 'run-1');
  });
  it('names the indices that sent no result', () => {
    assert.deepEqual(mergeInstanceResults([instance(1, 4)]).missingInstances, [0, 2, 3]);
  });
});

describe('mergeInstanceResults: per-second timeline', () => {
  const second = (n: number, samples: number[], withHistogram: boolean): TimelineSecond => {
    const summary = latencyOf(samples, 'hdr');
    return {
      second: n,
      requests: samples.length,
      outcomes: { ...emptyOutcomeCounts(), '2xx': samples.length },
      droppedIterations: 1,
      p50Ms: summary.p50Ms,
      p95Ms: summary.p95Ms,
      p99Ms: summary.p99Ms,
      cpuPercent: 10,
      ...(withHistogram ? { latency: { kind: 'hdr', unit: 'us', encoded: encodeIntoCompressedBase64(histogramOf(samples)) } as const } : {}),
    };
  };
  const a0 = logNormalSamples(300, 10, 1);
  const a1 = logNormalSamples(300, 12, 2);
  const b0 = logNormalSamples(300, 100, 3);
  const merged = mergeInstanceResults([
    instance(0, 2, { timeline: [second(0, a0, true), second(1, a1, true)] }),
    instance(1, 2, { timeline: [second(0, b0, true)] }),
  ]);
  it('adds the seconds that line up and keeps the others', () => {
    assert.deepEqual(merged.timeline.map((s) => [s.second, s.requests, s.droppedIterations, s.cpuPercent]), [[0, 600, 2, 20], [1, 300, 1, 10]]);
  });
  it('per-second percentiles come from the added histograms', () => {
    const union = histogramOf([...a0, ...b0]);
    assert.equal(merged.timeline[0]!.p95Ms, union.getValueAtPercentile(95) / 1000);
    assert.equal(merged.timeline[0]!.latency?.kind, 'hdr');
  });
  it('without per-second histograms, a coarse mixture still lands between the instances, never their mean', () => {
    const coarse = mergeInstanceResults([instance(0, 2, { timeline: [second(0, a0, false)] }), instance(1, 2, { timeline: [second(0, b0, false)] })]);
    const s = coarse.timeline[0]!;
    assert.equal(s.latency, undefined);
    assert.ok(s.p50Ms > latencyOf(a0, 'hdr').p95Ms * 0.9 && s.p50Ms < latencyOf(b0, 'hdr').p50Ms);
  });
});

describe('mergeInstanceResults: refuses results of different runs or plans', () => {
  const table: Array<[string, () => unknown, RegExp]> = [
    ['no results', () => mergeInstanceResults([]), /no instance results/],
    ['another run', () => mergeInstanceResults([instance(0), instance(1, 3, { runId: 'run-2' })]), /run 'run-2'.*run 'run-1'/],
    ['another plan', () => mergeInstanceResults([instance(0), instance(1, 3, { planDigest: 'b'.repeat(64) })]), /different plan/],
    ['another fleet size', () => mergeInstanceResults([instance(0), instance(1, 4)]), /4 instances/],
    ['the same instance twice', () => mergeInstanceResults([instance(1), instance(1)]), /instance 1 appears twice/],
    ['an index out of range', () => mergeInstanceResults([instance(3, 3)]), /outside 0…2/],
  ];
  for (const [name, call, message] of table) {
    it(name, () => assert.throws(call, (error: unknown) => error instanceof MergeError && message.test(error.message) && error.exitCode === 2 && !!error.hint));
  }
});
