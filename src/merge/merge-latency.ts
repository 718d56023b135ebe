/**
 * Merges latency summaries of several instances. HDR histograms add bucket by bucket, so the fleet's
 * percentiles are exact to the histogram's precision; quantile grids (k6) merge as a count-weighted
 * mixture of CDFs; when both kinds meet, each HDR histogram is read as a fine grid first. Percentiles
 * are never averaged.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencyDistribution, LatencySummary } from '../protocol/instance-result.js';
import { HdrSum } from './hdr-sum.js';
import { mergeQuantileGrids, type GridComponent, type QuantilePoints } from './quantile-mixture.js';

/** The percentiles every summary carries, as quantiles. */
const SUMMARY_QUANTILES = { p50Ms: 0.5, p95Ms: 0.95, p99Ms: 0.99, p999Ms: 0.999 } as const;

/**
 * How an HDR histogram is read as a grid: every 0.1 % plus a tail every 0.01 % and p99.999 — finer than
 * k6's 205-point grid, so the HDR side adds no error of its own to a mixed merge.
 */
const HDR_GRID_QUANTILES: readonly number[] = [
  ...Array.from({ length: 1000 }, (_, i) => i / 1000),
  ...Array.from({ length: 9 }, (_, i) => 0.999 + (i + 1) / 10_000),
  0.99999,
  1,
];

/** HDR histograms as the engines build them (native engine, fleet timeline): µs, 3 significant digits. */
export function newLatencyHistogram(): Histogram {
  return build({ numberOfSignificantValueDigits: 3, autoResize: true });
}

export function emptyLatencySummary(kind: LatencyDistribution['kind'] = 'hdr'): LatencySummary {
  const distribution: LatencyDistribution =
    kind === 'hdr' ? { kind: 'hdr', unit: 'us', encoded: encodeIntoCompressedBase64(newLatencyHistogram()) } : { kind: 'quantiles', points: [] };
  return { count: 0, minMs: 0, maxMs: 0, meanMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0, distribution };
}

/** One summary for the union of the requests the parts describe. */
export function mergeLatencySummaries(parts: readonly LatencySummary[]): LatencySummary {
  const live = parts.filter((part) => part.count > 0);
  if (live.length === 0) return emptyLatencySummary(parts[0]?.distribution.kind ?? 'hdr');
  const count = live.reduce((sum, part) => sum + part.count, 0);
  const exact = {
    count,
    minMs: Math.min(...live.map((part) => part.minMs)),
    maxMs: Math.max(...live.map((part) => part.maxMs)),
    meanMs: live.reduce((sum, part) => sum + part.meanMs * part.count, 0) / count,
  };
  const allHdr = live.every((part) => part.distribution.kind === 'hdr');
  return { ...exact, ...(allHdr ? addHistograms(live) : mixGrids(live)) };
}

type MergedShape = Pick<LatencySummary, 'p50Ms' | 'p95Ms' | 'p99Ms' | 'p999Ms' | 'distribution'>;

function addHistograms(parts: readonly LatencySummary[]): MergedShape {
  const adder = new HdrSum();
  for (const part of parts) adder.add(encodedOf(part.distribution));
  const sum = adder.toHistogram();
  const at = (q: number) => sum.getValueAtPercentile(q * 100) / 1000;
  return {
    p50Ms: at(SUMMARY_QUANTILES.p50Ms),
    p95Ms: at(SUMMARY_QUANTILES.p95Ms),
    p99Ms: at(SUMMARY_QUANTILES.p99Ms),
    p999Ms: at(SUMMARY_QUANTILES.p999Ms),
    distribution: { kind: 'hdr', unit: 'us', encoded: encodeIntoCompressedBase64(sum) },
  };
}

function mixGrids(parts: readonly LatencySummary[]): MergedShape {
  const components: GridComponent[] = parts.map((part) => ({ count: part.count, points: gridOf(part) }));
  const outputQuantiles = unionOfQuantiles(components.map((c) => c.points), Object.values(SUMMARY_QUANTILES));
  const points = mergeQuantileGrids(components, outputQuantiles);
  const at = (q: number) => points.find((point) => point[0] === q)![1];
  return {
    p50Ms: at(SUMMARY_QUANTILES.p50Ms),
    p95Ms: at(SUMMARY_QUANTILES.p95Ms),
    p99Ms: at(SUMMARY_QUANTILES.p99Ms),
    p999Ms: at(SUMMARY_QUANTILES.p999Ms),
    distribution: { kind: 'quantiles', points },
  };
}

/** A part's distribution as `[q, ms]` points, pinned to its exact min and max at q = 0 and 1. */
function gridOf(part: LatencySummary): QuantilePoints {
  if (part.distribution.kind === 'quantiles') return part.distribution.points;
  const histogram = decodeHistogram(part.distribution);
  const points: Array<[number, number]> = HDR_GRID_QUANTILES.map((q) => [q, histogram.getValueAtPercentile(q * 100) / 1000]);
  points[0] = [0, part.minMs];
  points[points.length - 1] = [1, part.maxMs];
  // HDR reports a bucket's highest equivalent value; keep the grid inside [min, max] and non-decreasing.
  for (let i = 1; i < points.length; i++) points[i]![1] = Math.min(part.maxMs, Math.max(points[i - 1]![1], points[i]![1]));
  return points;
}

function unionOfQuantiles(grids: readonly QuantilePoints[], extra: readonly number[]): number[] {
  const qs = new Set<number>(extra);
  for (const grid of grids) for (const point of grid) qs.add(point[0]);
  return [...qs].sort((a, b) => a - b);
}

export function encodedOf(distribution: LatencyDistribution): string {
  if (distribution.kind !== 'hdr') throw new TypeError('not an HDR distribution');
  return distribution.encoded;
}

export function decodeHistogram(distribution: LatencyDistribution): Histogram {
  if (distribution.kind !== 'hdr') throw new TypeError('not an HDR distribution');
  return decodeFromCompressedBase64(distribution.encoded);
}
