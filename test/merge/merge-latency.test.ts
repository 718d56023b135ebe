import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHistogram, mergeLatencySummaries } from '../../src/merge/merge-latency.js';
import { histogramOf, latencyOf, logNormalSamples, nearestRank } from '../helpers/instance-results.js';

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / expected;

describe('mergeLatencySummaries: HDR histograms add', () => {
  const parts = [logNormalSamples(5000, 20, 1), logNormalSamples(3000, 35, 2), logNormalSamples(2000, 200, 3)];
  const merged = mergeLatencySummaries(parts.map((samples) => latencyOf(samples, 'hdr')));
  const union = histogramOf(parts.flat());

  it('the sum is the histogram of the union, bucket for bucket', () => {
    const sum = decodeHistogram(merged.distribution);
    assert.equal(sum.totalCount, union.totalCount);
    for (const percentile of [1, 10, 50, 90, 95, 99, 99.9, 100]) {
      assert.equal(sum.getValueAtPercentile(percentile), union.getValueAtPercentile(percentile), `p${percentile}`);
    }
  });
  it('percentiles equal the union histogram’s and sit within HDR precision of the exact ones', () => {
    const exact = sorted(parts.flat());
    for (const [q, value] of [[0.5, merged.p50Ms], [0.95, merged.p95Ms], [0.99, merged.p99Ms], [0.999, merged.p999Ms]] as const) {
      assert.equal(value, union.getValueAtPercentile(q * 100) / 1000);
      assert.ok(relativeError(value, nearestRank(exact, q)) < 0.002, `p${q * 100}: ${value} vs ${nearestRank(exact, q)}`);
    }
  });
  it('count, min, max and mean are exact', () => {
    const all = parts.flat();
    assert.equal(merged.count, all.length);
    assert.equal(merged.minMs, Math.min(...all));
    assert.equal(merged.maxMs, Math.max(...all));
    assert.ok(Math.abs(merged.meanMs - all.reduce((a, b) => a + b, 0) / all.length) < 1e-9);
  });
});

describe('mergeLatencySummaries: k6 quantile grids mix (one instance much slower)', () => {
  // Three fast instances and one 10× slower one, with different counts: averaging p95s is far off.
  const parts = [logNormalSamples(20_000, 20, 11), logNormalSamples(15_000, 22, 12), logNormalSamples(25_000, 18, 13), logNormalSamples(10_000, 200, 14, 0.3)];
  const exact = sorted(parts.flat());
  const summaries = parts.map((samples) => latencyOf(samples, 'quantiles'));
  const merged = mergeLatencySummaries(summaries);

  for (const [name, q] of [['p50Ms', 0.5], ['p95Ms', 0.95], ['p99Ms', 0.99]] as const) {
    it(`${name} within 1 % of the exact mixture percentile`, () => {
      const truth = nearestRank(exact, q);
      assert.ok(relativeError(merged[name], truth) < 0.01, `${merged[name]} vs ${truth}`);
    });
  }
  it('the average of the instances’ p95s would fail the same bound (the test can tell)', () => {
    const averaged = summaries.reduce((sum, s) => sum + s.p95Ms, 0) / summaries.length;
    assert.ok(relativeError(averaged, nearestRank(exact, 0.95)) > 0.1);
  });
  it('the merged grid can be merged again (associative within 1 %)', () => {
    const twoStep = mergeLatencySummaries([mergeLatencySummaries(summaries.slice(0, 2)), mergeLatencySummaries(summaries.slice(2))]);
    assert.ok(relativeError(twoStep.p95Ms, merged.p95Ms) < 0.01);
  });
});

describe('mergeLatencySummaries: HDR and grids together', () => {
  const hdrSamples = logNormalSamples(20_000, 30, 21);
  const gridSamples = logNormalSamples(20_000, 90, 22);
  const merged = mergeLatencySummaries([latencyOf(hdrSamples, 'hdr'), latencyOf(gridSamples, 'quantiles')]);
  it('reads the HDR side as a fine grid and mixes: within 1 % of the exact percentiles', () => {
    const exact = sorted([...hdrSamples, ...gridSamples]);
    assert.equal(merged.distribution.kind, 'quantiles');
    for (const [name, q] of [['p50Ms', 0.5], ['p95Ms', 0.95], ['p99Ms', 0.99]] as const) {
      assert.ok(relativeError(merged[name], nearestRank(exact, q)) < 0.01, `${name}: ${merged[name]} vs ${nearestRank(exact, q)}`);
    }
  });
  it('empty parts do not count', () => {
    const withEmpty = mergeLatencySummaries([latencyOf(hdrSamples, 'hdr'), latencyOf([], 'quantiles')]);
    assert.equal(withEmpty.count, hdrSamples.length);
    assert.equal(withEmpty.distribution.kind, 'hdr');
  });
});
