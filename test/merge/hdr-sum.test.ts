import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { HdrSum } from '../../src/merge/hdr-sum.js';
import { histogramOf, logNormalSamples } from '../helpers/instance-results.js';

describe('HdrSum', () => {
  it('adds encoded histograms exactly like the library’s decode + add', () => {
    const parts = [logNormalSamples(3000, 5, 1), logNormalSamples(3000, 500, 2), [0, 0.001, 60_000, 3_600_000]];
    const sum = new HdrSum();
    for (const samples of parts) sum.add(encodeIntoCompressedBase64(histogramOf(samples)));
    const union = histogramOf(parts.flat());
    const merged = sum.toHistogram();
    assert.equal(merged.totalCount, union.totalCount);
    for (const p of [0, 0.1, 25, 50, 90, 99, 99.99, 100]) assert.equal(merged.getValueAtPercentile(p), union.getValueAtPercentile(p), `p${p}`);
  });
  it('large counts (beyond 2^31) survive the LEB128 decoding', () => {
    const histogram = build({ numberOfSignificantValueDigits: 3, autoResize: true, bitBucketSize: 64 });
    histogram.recordValueWithCount(1234, 3_000_000_000);
    const sum = new HdrSum();
    sum.add(encodeIntoCompressedBase64(histogram));
    sum.add(encodeIntoCompressedBase64(histogram));
    assert.equal(sum.totalCount, 6_000_000_000);
  });
  it('re-buckets a histogram of another precision instead of misreading it', () => {
    const coarse = build({ numberOfSignificantValueDigits: 2, autoResize: true });
    for (const value of [100, 2000, 30_000]) coarse.recordValue(value);
    const sum = new HdrSum();
    sum.add(encodeIntoCompressedBase64(coarse));
    const merged = sum.toHistogram();
    assert.equal(merged.totalCount, 3);
    assert.ok(Math.abs(merged.getValueAtPercentile(100) - 30_000) / 30_000 < 0.01);
  });
  it('refuses what is not an HDR histogram', () => assert.throws(() => new HdrSum().add(Buffer.from('hello world').toString('base64')), /not an HDR V2/));
});
