/** mergeInstanceResults on InstanceResults recorded from real native-engine runs (scripts/record-fixtures.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { build, decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { mergeInstanceResults } from '../../src/merge/merge-results.js';
import { decodeHistogram } from '../../src/merge/merge-latency.js';
import { OUTCOME_CLASSES } from '../../src/protocol/outcomes.js';
import { recordedRun } from '../helpers/fixtures.js';

describe('mergeInstanceResults on recorded native runs', () => {
  for (const name of ['good', 'erroring', 'dropped'] as const) {
    const { plan, results } = recordedRun(name);
    const merged = mergeInstanceResults(results);
    it(`${name}: counts add exactly, overall and per second`, () => {
      assert.equal(merged.overall.requests, results.reduce((sum, r) => sum + r.overall.requests, 0));
      for (const outcome of OUTCOME_CLASSES) assert.equal(merged.overall.outcomes[outcome], results.reduce((sum, r) => sum + r.overall.outcomes[outcome], 0));
      assert.equal(merged.timeline.reduce((sum, s) => sum + s.requests, 0), results.reduce((sum, r) => sum + r.timeline.reduce((n, s) => n + s.requests, 0), 0));
      assert.equal(merged.plannedIterations, plan.subScenarios.reduce((sum, sub) => sum + sub.iterations, 0));
    });
    it(`${name}: the merged histogram is the library's sum of the instances' histograms`, () => {
      const oracle = build({ numberOfSignificantValueDigits: 3, autoResize: true });
      for (const result of results) oracle.add(decodeHistogram(result.overall.latency.distribution));
      const sum = decodeFromCompressedBase64((merged.overall.latency.distribution as { encoded: string }).encoded);
      assert.equal(sum.totalCount, oracle.totalCount);
      for (const p of [50, 95, 99, 99.9]) assert.equal(sum.getValueAtPercentile(p), oracle.getValueAtPercentile(p), `p${p}`);
      assert.equal(merged.overall.latency.p95Ms, oracle.getValueAtPercentile(95) / 1000);
    });
  }
});
