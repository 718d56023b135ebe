/**
 * k6's cumulative REST metrics (`GET /v1/metrics`) → one `progress` sample per second for the live
 * view. Pure: tests feed it recorded metric lists.
 *
 * Counts are exact per-second deltas of cumulative counters. Outcome classes come from the compiled
 * script's tagged counter (`loadctl_requests{lo:<sub-scenario>.<class>}`, kept as sub-metrics by its
 * thresholds); without it, 2xx vs failed from `http_reqs` and `http_req_failed`, failures counted as 5xx.
 * Latency is approximate and for the live view only: k6's REST API gives a trend's cumulative
 * min/med/p(90)/p(95)/max since the start (its TrendSink ignores summaryTrendStats there), not the last
 * second's distribution. The InstanceResult's latency comes from handleSummary's fine grid instead.
 */
import type { ProgressSample } from '../../protocol/agent-protocol.js';
import { OUTCOME_CLASSES, emptyOutcomeCounts, type OutcomeCounts } from '../../protocol/outcomes.js';
import { OUTCOME_TAG, REQUESTS_METRIC, outcomeTag } from './k6-options.js';
import type { K6RestMetrics } from './k6-rest.js';

/** Cumulative counts at one reading; the next sample is the difference. */
export interface CumulativeCounts {
  outcomes: OutcomeCounts;
  droppedIterations: number;
}

export interface ProgressInput {
  /** Seconds since the scheduled start. */
  second: number;
  /** The plan's sub-scenario names (the tagged counter has one sub-metric per name and class). */
  subScenarios: string[];
  cpuPercent: number;
  rssBytes: number;
}

export function emptyCumulativeCounts(): CumulativeCounts {
  return { outcomes: emptyOutcomeCounts(), droppedIterations: 0 };
}

export function readCumulativeCounts(metrics: K6RestMetrics, subScenarios: string[]): CumulativeCounts {
  return { outcomes: readOutcomes(metrics, subScenarios), droppedIterations: metrics.dropped_iterations?.sample.count ?? 0 };
}

/** The sample for `input.second` and the counts it was measured against (the next call's `previous`). */
export function buildProgressSample(previous: CumulativeCounts, metrics: K6RestMetrics, input: ProgressInput): { sample: ProgressSample; counts: CumulativeCounts } {
  const counts = readCumulativeCounts(metrics, input.subScenarios);
  const outcomes = emptyOutcomeCounts();
  // Never negative: a class can only grow (a reading taken mid-update is corrected by the next one).
  for (const outcome of OUTCOME_CLASSES) outcomes[outcome] = Math.max(0, counts.outcomes[outcome] - previous.outcomes[outcome]);
  const requests = OUTCOME_CLASSES.reduce((sum, outcome) => sum + outcomes[outcome], 0);
  const trend = metrics.http_req_duration?.sample ?? {};
  const sample: ProgressSample = {
    second: input.second,
    requests,
    outcomes,
    droppedIterations: Math.max(0, counts.droppedIterations - previous.droppedIterations),
    latency: { kind: 'quantiles', points: trendPoints(trend) },
    p95Ms: trend['p(95)'] ?? 0,
    // k6 does not say when an iteration was due, only that it was dropped.
    scheduleLagP99Ms: 0,
    inFlight: metrics.vus?.sample.value ?? 0,
    cpuPercent: input.cpuPercent,
    rssBytes: input.rssBytes,
  };
  return { sample, counts };
}

function readOutcomes(metrics: K6RestMetrics, subScenarios: string[]): OutcomeCounts {
  const outcomes = emptyOutcomeCounts();
  let tagged = false;
  for (const sub of subScenarios) {
    for (const outcome of OUTCOME_CLASSES) {
      const metric = metrics[`${REQUESTS_METRIC}{${OUTCOME_TAG}:${outcomeTag(sub, outcome)}}`];
      if (!metric) continue;
      tagged = true;
      outcomes[outcome] += metric.sample.count ?? 0;
    }
  }
  if (tagged) return outcomes;
  const total = metrics.http_reqs?.sample.count ?? 0;
  const failed = Math.round((metrics.http_req_failed?.sample.rate ?? 0) * total);
  outcomes['2xx'] = total - failed;
  outcomes['5xx'] = failed;
  return outcomes;
}

/** `[quantile, ms]` ascending from what the REST trend holds: min, med, p(90), p(95), max. */
function trendPoints(trend: Record<string, number>): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (const [quantile, key] of [[0, 'min'], [0.5, 'med'], [0.9, 'p(90)'], [0.95, 'p(95)'], [1, 'max']] as const) {
    const value = trend[key];
    if (typeof value === 'number' && Number.isFinite(value)) points.push([quantile, value]);
  }
  return points;
}
