/** Adds the figures of several instances: counts exactly, latencies through `mergeLatencySummaries`. */
import type { LatencySummary, LoadFigures, TimelineSecond } from '../protocol/instance-result.js';
import { emptyOutcomeCounts, OUTCOME_CLASSES, type OutcomeCounts } from '../protocol/outcomes.js';
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { HdrSum } from './hdr-sum.js';
import { decodeHistogram, encodedOf, mergeLatencySummaries } from './merge-latency.js';

export function addOutcomeCounts(parts: readonly OutcomeCounts[]): OutcomeCounts {
  const sum = emptyOutcomeCounts();
  for (const part of parts) for (const outcome of OUTCOME_CLASSES) sum[outcome] += part[outcome] ?? 0;
  return sum;
}

/**
 * Fleet figures. `maxInFlight` adds the instances' maxima: an upper bound of the fleet's concurrency
 * (the instances' peaks need not coincide), which is what VU sizing needs.
 */
export function mergeLoadFigures(parts: readonly LoadFigures[]): LoadFigures {
  const total = (pick: (f: LoadFigures) => number) => parts.reduce((sum, part) => sum + pick(part), 0);
  return {
    requests: total((f) => f.requests),
    events: total((f) => f.events),
    iterations: total((f) => f.iterations),
    droppedIterations: total((f) => f.droppedIterations),
    ...present('targetBoundDrops', optionalSum(parts, (f) => f.targetBoundDrops)),
    ...present('vuCap', optionalSum(parts, (f) => f.vuCap)),
    ...present('bytesSent', optionalSum(parts, (f) => f.bytesSent)),
    ...present('bytesReceived', optionalSum(parts, (f) => f.bytesReceived)),
    outcomes: addOutcomeCounts(parts.map((f) => f.outcomes)),
    latency: mergeLatencySummaries(parts.map((f) => f.latency)),
    maxInFlight: total((f) => f.maxInFlight),
  };
}

/**
 * The fleet's timeline: second s of every instance added (instances share one start instant, so their
 * seconds line up). Percentiles come from the added per-second distributions when every instance sent
 * one; otherwise (k6 gives none) from the instances' own p50/p95/p99 read as a coarse grid — a mixture
 * still, never an average, but only as good as three points allow.
 */
export function mergeTimelines(timelines: readonly (readonly TimelineSecond[])[]): TimelineSecond[] {
  const bySecond = new Map<number, TimelineSecond[]>();
  for (const timeline of timelines) {
    for (const second of timeline) {
      const list = bySecond.get(second.second);
      if (list) list.push(second);
      else bySecond.set(second.second, [second]);
    }
  }
  return [...bySecond.keys()].sort((a, b) => a - b).map((second) => mergeSecond(second, bySecond.get(second)!));
}

function mergeSecond(second: number, parts: readonly TimelineSecond[]): TimelineSecond {
  const latency = mergeSecondLatency(parts);
  const merged: TimelineSecond = {
    second,
    requests: parts.reduce((sum, part) => sum + part.requests, 0),
    outcomes: addOutcomeCounts(parts.map((part) => part.outcomes)),
    droppedIterations: parts.reduce((sum, part) => sum + part.droppedIterations, 0),
    ...latency,
  };
  const cpu = optionalSum(parts, (part) => part.cpuPercent);
  const rss = optionalSum(parts, (part) => part.rssBytes);
  const inFlight = optionalSum(parts, (part) => part.inFlight);
  const targetBoundDrops = optionalSum(parts, (part) => part.targetBoundDrops);
  const started = optionalSum(parts, (part) => part.started);
  const bytesSent = optionalSum(parts, (part) => part.bytesSent);
  const bytesReceived = optionalSum(parts, (part) => part.bytesReceived);
  if (bytesSent !== undefined) merged.bytesSent = bytesSent;
  if (bytesReceived !== undefined) merged.bytesReceived = bytesReceived;
  if (targetBoundDrops !== undefined) merged.targetBoundDrops = targetBoundDrops;
  if (started !== undefined) merged.started = started;
  if (cpu !== undefined) merged.cpuPercent = cpu;
  if (rss !== undefined) merged.rssBytes = rss;
  if (inFlight !== undefined) merged.inFlight = inFlight;
  return merged;
}

type SecondLatency = Pick<TimelineSecond, 'p50Ms' | 'p95Ms' | 'p99Ms' | 'latency'>;

function mergeSecondLatency(parts: readonly TimelineSecond[]): SecondLatency {
  if (parts.every((part) => part.latency?.kind === 'hdr')) {
    // The common (native) case, and the hot loop of a large merge: decode once, add, read.
    const adder = new HdrSum();
    for (const part of parts) adder.add(encodedOf(part.latency!));
    const sum = adder.toHistogram();
    const at = (q: number) => sum.getValueAtPercentile(q) / 1000;
    return { p50Ms: at(50), p95Ms: at(95), p99Ms: at(99), latency: { kind: 'hdr', unit: 'us', encoded: encodeIntoCompressedBase64(sum) } };
  }
  const merged = mergeLatencySummaries(parts.map(latencyOfSecond));
  return { p50Ms: merged.p50Ms, p95Ms: merged.p95Ms, p99Ms: merged.p99Ms };
}

/** A second's latency as a summary, for the mixed case: an HDR second as itself, else a coarse grid. */
function latencyOfSecond(part: TimelineSecond): LatencySummary {
  const summary = { meanMs: part.p50Ms, p50Ms: part.p50Ms, p95Ms: part.p95Ms, p99Ms: part.p99Ms, p999Ms: part.p99Ms };
  if (part.latency?.kind === 'hdr') {
    const histogram = decodeHistogram(part.latency);
    const minMs = histogram.totalCount === 0 ? 0 : histogram.minNonZeroValue / 1000;
    return { ...summary, count: histogram.totalCount, minMs, maxMs: histogram.maxValue / 1000, distribution: part.latency };
  }
  const minMs = Math.min(part.p50Ms, part.p95Ms, part.p99Ms);
  const points: Array<[number, number]> = [[0, minMs], [0.5, part.p50Ms], [0.95, part.p95Ms], [0.99, part.p99Ms], [1, part.p99Ms]];
  return { ...summary, count: part.requests, minMs, maxMs: part.p99Ms, distribution: part.latency ?? { kind: 'quantiles', points } };
}

/** `{ [key]: value }` when the value is known, else `{}`: optional fields stay absent rather than become 0. */
function present<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, number>>);
}

/** Sum of a field the instances may omit; undefined when none gave it. */
function optionalSum<T>(parts: readonly T[], pick: (part: T) => number | undefined): number | undefined {
  let sum: number | undefined;
  for (const part of parts) {
    const value = pick(part);
    if (value !== undefined) sum = (sum ?? 0) + value;
  }
  return sum;
}
