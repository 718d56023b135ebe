/**
 * Builders of InstanceResults from known latency samples, for merge / verdict / report tests until
 * (and beside) the fixtures recorded from real native-engine runs. Latencies in ms; `kind` chooses an
 * HDR histogram (native) or a k6-shaped quantile grid computed the way k6 computes p(N).
 */
import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { QUANTILE_GRID_PERCENTS } from '../../src/engines/k6/quantile-grid.js';
import { createRandom } from '../../src/events/random.js';
import type { InstanceResult, LatencyDistribution, LatencySummary, LoadFigures, TimelineSecond } from '../../src/protocol/instance-result.js';
import { emptyOutcomeCounts, type OutcomeCounts } from '../../src/protocol/outcomes.js';

export type DistributionKind = 'hdr' | 'quantiles';

/** k6's percentile: linear interpolation between the sorted samples at rank q·(n−1). */
export function k6Percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** Nearest-rank percentile: the exact answer an HDR histogram approximates. */
export function nearestRank(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

export function histogramOf(samplesMs: readonly number[]) {
  const histogram = build({ numberOfSignificantValueDigits: 3, autoResize: true });
  for (const ms of samplesMs) histogram.recordValue(Math.round(ms * 1000));
  return histogram;
}

export function latencyOf(samplesMs: readonly number[], kind: DistributionKind): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const n = sorted.length;
  let distribution: LatencyDistribution;
  let at: (q: number) => number;
  if (kind === 'hdr') {
    const histogram = histogramOf(sorted);
    distribution = { kind: 'hdr', unit: 'us', encoded: encodeIntoCompressedBase64(histogram) };
    at = (q) => (n === 0 ? 0 : histogram.getValueAtPercentile(q * 100) / 1000);
  } else {
    const points: Array<[number, number]> = [[0, sorted[0] ?? 0]];
    for (const percent of QUANTILE_GRID_PERCENTS) points.push([percent / 100, k6Percentile(sorted, percent / 100)]);
    points.push([1, sorted[n - 1] ?? 0]);
    distribution = { kind: 'quantiles', points: n === 0 ? [] : points };
    at = (q) => k6Percentile(sorted, q);
  }
  return {
    count: n,
    minMs: sorted[0] ?? 0,
    maxMs: sorted[n - 1] ?? 0,
    meanMs: n === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / n,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    p999Ms: at(0.999),
    distribution,
  };
}

/** Log-normal samples with median `medianMs` (sigma 0.5): a plausible latency shape. */
export function logNormalSamples(count: number, medianMs: number, seed: number, sigma = 0.5): number[] {
  const random = createRandom(seed);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    // Box–Muller.
    const u = Math.max(random.next(), 1e-12);
    const v = random.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    samples.push(medianMs * Math.exp(sigma * z));
  }
  return samples;
}

export interface FiguresSpec {
  latenciesMs: readonly number[];
  kind?: DistributionKind;
  /** Outcome counts beyond 2xx; 2xx = latencies − (these, except refused/network which have no latency). */
  errors?: Partial<OutcomeCounts>;
  batchSize?: number;
  droppedIterations?: number;
  /** Of the drops, target-bound ones (absent: not attributed, as in older results). */
  targetBoundDrops?: number;
  vuCap?: number;
  maxInFlight?: number;
}

export function figuresOf(spec: FiguresSpec): LoadFigures {
  const outcomes = { ...emptyOutcomeCounts(), ...spec.errors };
  const answered = spec.latenciesMs.length;
  const withLatency = outcomes['429'] + outcomes['503'] + outcomes['4xx'] + outcomes['5xx'] + outcomes.timeout;
  outcomes['2xx'] = Math.max(0, answered - withLatency);
  const requests = answered + outcomes.refused + outcomes.network;
  const dropped = spec.droppedIterations ?? 0;
  return {
    requests,
    events: requests * (spec.batchSize ?? 1),
    iterations: requests + dropped,
    droppedIterations: dropped,
    ...(spec.targetBoundDrops !== undefined ? { targetBoundDrops: spec.targetBoundDrops } : {}),
    ...(spec.vuCap !== undefined ? { vuCap: spec.vuCap } : {}),
    outcomes,
    latency: latencyOf(spec.latenciesMs, spec.kind ?? 'hdr'),
    maxInFlight: spec.maxInFlight ?? 10,
  };
}

export interface InstanceSpec {
  index: number;
  count: number;
  /** Figures per sub-scenario name; `overall` is their merge-free sum built from the same samples. */
  subScenarios: Record<string, FiguresSpec>;
  runId?: string;
  planDigest?: string;
  status?: InstanceResult['status'];
  plannedIterations?: number;
  limited?: boolean;
  scheduleLagP99Ms?: number;
  cpuPercentMean?: number;
  scheduledStartAt?: number;
  firstSendLagMs?: number;
  timeline?: TimelineSecond[];
  engine?: InstanceResult['engine'];
}

export function instanceResultOf(spec: InstanceSpec): InstanceResult {
  const subScenarios: Record<string, LoadFigures> = {};
  for (const [name, figures] of Object.entries(spec.subScenarios)) subScenarios[name] = figuresOf(figures);
  const all = Object.values(spec.subScenarios);
  const kind = all[0]?.kind ?? 'hdr';
  const overall = figuresOf({
    latenciesMs: all.flatMap((f) => f.latenciesMs),
    kind,
    errors: sumErrors(all.map((f) => f.errors ?? {})),
    droppedIterations: all.reduce((sum, f) => sum + (f.droppedIterations ?? 0), 0),
    ...(all.some((f) => f.targetBoundDrops !== undefined) ? { targetBoundDrops: all.reduce((sum, f) => sum + (f.targetBoundDrops ?? 0), 0) } : {}),
    ...(all.some((f) => f.vuCap !== undefined) ? { vuCap: all.reduce((sum, f) => sum + (f.vuCap ?? 0), 0) } : {}),
    maxInFlight: all.reduce((sum, f) => sum + (f.maxInFlight ?? 10), 0),
  });
  overall.events = Object.values(subScenarios).reduce((sum, f) => sum + f.events, 0);
  const start = spec.scheduledStartAt ?? 1_800_000_000_000;
  const lag = spec.scheduleLagP99Ms ?? 1;
  return {
    schemaVersion: 1,
    engine: spec.engine ?? { name: kind === 'hdr' ? 'native' : 'k6', version: '0.1.0' },
    host: `127.0.0.${spec.index + 1}`,
    runId: spec.runId ?? 'run-1',
    instance: { index: spec.index, count: spec.count },
    planDigest: spec.planDigest ?? 'a'.repeat(64),
    scheduledStartAt: start,
    firstSendAt: start + (spec.firstSendLagMs ?? 1),
    endedAt: start + 30_000,
    status: spec.status ?? 'completed',
    plannedIterations: spec.plannedIterations ?? overall.iterations,
    overall,
    subScenarios,
    timeline: spec.timeline ?? [],
    generator: {
      workers: 1,
      cpuPercentMean: spec.cpuPercentMean ?? 20,
      cpuPercentMax: (spec.cpuPercentMean ?? 20) * 1.5,
      cores: 2,
      rssBytesMax: 80e6,
      scheduleLag: { ...latencyOf([lag / 2, lag], 'hdr'), p99Ms: lag },
      limited: spec.limited ?? false,
      reasons: spec.limited ? ['limited (test)'] : [],
    },
  };
}

function sumErrors(parts: Array<Partial<OutcomeCounts>>): Partial<OutcomeCounts> {
  const sum: Partial<OutcomeCounts> = {};
  for (const part of parts) for (const [key, value] of Object.entries(part)) sum[key as keyof OutcomeCounts] = (sum[key as keyof OutcomeCounts] ?? 0) + (value ?? 0);
  return sum;
}
