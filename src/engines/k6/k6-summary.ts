/**
 * k6's end-of-test summary (the `data` handleSummary gets) → an InstanceResult, plus a plain-text
 * summary for the console. Pure and free of k6 and Node imports: bundled into the compiled script and
 * unit-tested in Node. The summary's shape is k6's documented one (results-output/end-of-test/custom-summary):
 * `metrics[name] = { type, contains, values, thresholds? }`, `state.testRunDurationMs`, `setup_data`.
 */
import { INSTANCE_RESULT_SCHEMA_VERSION, type InstanceResult, type LatencySummary, type LoadFigures } from '../../protocol/instance-result.js';
import { OUTCOME_CLASSES, emptyOutcomeCounts, type OutcomeCounts } from '../../protocol/outcomes.js';
import type { ScenarioPlan } from '../../scenario/plan.js';
import { stripeIterationCount } from '../../scenario/schedule.js';
import { OUTCOME_TAG, REQUESTS_METRIC, outcomeTag } from './k6-options.js';
import { QUANTILE_GRID_PERCENTS, percentileStat } from './quantile-grid.js';

export interface K6Metric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface K6SummaryData {
  metrics: Record<string, K6Metric>;
  root_group?: unknown;
  options?: { summaryTrendStats?: string[]; summaryTimeUnit?: string; noColor?: boolean };
  state: { isStdOutTTY?: boolean; isStdErrTTY?: boolean; testRunDurationMs: number };
  setup_data?: unknown;
}

/** What the script's `setup()` returns; k6 hands it to every iteration and to handleSummary. */
export interface SetupData {
  startedAt: number;
  /** Makes event ids unique across runs (`LOADCTL_RUN_ID`, else the start time). */
  runTag: string;
  /** `--execution-segment` as k6 resolved it, if any. */
  executionSegment: string | null;
}

export interface SummaryContext {
  plan: ScenarioPlan;
  planDigest: string;
  setup: SetupData;
  host: string;
  k6Version: string;
  endedAt: number;
}

/** Instance `index` of `count` from an execution segment such as `1/3:2/3` (equal segments, as loadctl splits). */
export function instanceOfSegment(segment: string | null): { index: number; count: number } {
  if (!segment) return { index: 0, count: 1 };
  const [from, to] = segment.split(':').map(parseFraction);
  if (from === undefined || to === undefined || !(to > from)) return { index: 0, count: 1 };
  const count = Math.round(1 / (to - from));
  return { index: Math.round(from * count), count };
}

function parseFraction(text: string): number {
  const trimmed = text.trim();
  if (trimmed.endsWith('%')) return Number(trimmed.slice(0, -1)) / 100;
  const [numerator, denominator] = trimmed.split('/');
  return denominator === undefined ? Number(numerator) : Number(numerator) / Number(denominator);
}

/** The InstanceResult the compiled script writes from k6's summary. */
export function summaryToInstanceResult(data: K6SummaryData, context: SummaryContext): InstanceResult {
  const { plan } = context;
  const instance = instanceOfSegment(context.setup.executionSegment);
  // `vus` counts active VUs (requests in flight, one each); `vus_max` only the allocated ones.
  const maxInFlight = data.metrics.vus?.values.max ?? 0;
  const subScenarios: Record<string, LoadFigures> = {};
  for (const sub of plan.subScenarios) {
    subScenarios[sub.name] = subScenarioFigures(data, sub.name, sub.payload.batchSize, maxInFlight);
  }
  const overall = sumFigures(Object.values(subScenarios), latencyOf(data.metrics.http_req_duration), maxInFlight);
  const dropped = overall.droppedIterations;
  return {
    schemaVersion: INSTANCE_RESULT_SCHEMA_VERSION,
    engine: { name: 'k6', version: context.k6Version },
    host: context.host,
    runId: context.setup.runTag,
    instance,
    planDigest: context.planDigest,
    scheduledStartAt: context.setup.startedAt,
    // k6 does not say when its first request left; the start of setup() is the closest it tells.
    firstSendAt: null,
    endedAt: context.endedAt,
    status: 'completed',
    plannedIterations: plan.subScenarios.reduce((sum, sub) => sum + stripeIterationCount(sub.iterations, instance.index, instance.count), 0),
    overall,
    subScenarios,
    timeline: [],
    generator: {
      workers: 1,
      cpuPercentMean: 0,
      cpuPercentMax: 0,
      cores: 0,
      rssBytesMax: 0,
      scheduleLag: latencyOf(undefined),
      limited: dropped > 0,
      reasons: dropped > 0 ? [`${dropped} iterations dropped: no free VU when they were due (raise maxVUs or add instances)`] : [],
    },
  };
}

function subScenarioFigures(data: K6SummaryData, name: string, batchSize: number, maxInFlight: number): LoadFigures {
  const count = (metric: string) => data.metrics[metric]?.values.count ?? 0;
  const outcomes = emptyOutcomeCounts();
  for (const outcome of OUTCOME_CLASSES) outcomes[outcome] = count(`${REQUESTS_METRIC}{${OUTCOME_TAG}:${outcomeTag(name, outcome)}}`);
  const requests = sumOutcomes(outcomes);
  const dropped = count(`dropped_iterations{scenario:${name}}`);
  return {
    requests,
    events: requests * batchSize,
    iterations: count(`iterations{scenario:${name}}`) + dropped,
    droppedIterations: dropped,
    outcomes,
    latency: latencyOf(data.metrics[`http_req_duration{scenario:${name}}`]),
    // k6 counts busy VUs for the whole instance only: an upper bound for each sub-scenario.
    maxInFlight,
  };
}

function sumFigures(parts: LoadFigures[], latency: LatencySummary, maxInFlight: number): LoadFigures {
  const outcomes = emptyOutcomeCounts();
  for (const part of parts) for (const outcome of OUTCOME_CLASSES) outcomes[outcome] += part.outcomes[outcome];
  const sum = (pick: (part: LoadFigures) => number) => parts.reduce((total, part) => total + pick(part), 0);
  return {
    requests: sum((part) => part.requests),
    events: sum((part) => part.events),
    iterations: sum((part) => part.iterations),
    droppedIterations: sum((part) => part.droppedIterations),
    outcomes,
    latency,
    maxInFlight,
  };
}

function sumOutcomes(outcomes: OutcomeCounts): number {
  return OUTCOME_CLASSES.reduce((sum, outcome) => sum + outcomes[outcome], 0);
}

/** A trend's values → LatencySummary with the quantile grid as `[q, ms]` points, min and max at 0 and 1. */
function latencyOf(metric: K6Metric | undefined): LatencySummary {
  const values = metric?.values ?? {};
  const count = values.count ?? 0;
  if (count === 0) {
    return { count: 0, minMs: 0, maxMs: 0, meanMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0, distribution: { kind: 'quantiles', points: [] } };
  }
  const stat = (percent: number) => values[percentileStat(percent)] ?? Number.NaN;
  const points: Array<[number, number]> = [[0, values.min ?? 0]];
  for (const percent of QUANTILE_GRID_PERCENTS) {
    const value = stat(percent);
    if (Number.isFinite(value)) points.push([percent / 100, value]);
  }
  points.push([1, values.max ?? 0]);
  return {
    count,
    minMs: values.min ?? 0,
    maxMs: values.max ?? 0,
    meanMs: values.avg ?? 0,
    p50Ms: values.med ?? stat(50),
    p95Ms: stat(95),
    p99Ms: stat(99),
    p999Ms: stat(99.9),
    distribution: { kind: 'quantiles', points },
  };
}

/**
 * The console summary. k6 prints no summary of its own once a script exports handleSummary, and its
 * text renderer lives at jslib.k6.io (a network import that fails offline), so the script renders this.
 */
export function renderTextSummary(data: K6SummaryData, result: InstanceResult, resultPath: string): string {
  const seconds = data.state.testRunDurationMs / 1000;
  const lines = [``, `  loadctl k6 script — ${result.instance.index + 1}/${result.instance.count} instance(s), ${seconds.toFixed(1)} s`, ``, `  THRESHOLDS`];
  for (const [name, metric] of Object.entries(data.metrics)) {
    for (const [source, threshold] of Object.entries(metric.thresholds ?? {})) {
      if (source.includes('>=0')) continue; // the "keep this sub-metric" thresholds say nothing
      lines.push(`    ${threshold.ok ? '✓' : '✗'} ${name} ${source}`);
    }
  }
  lines.push(``, `  TOTAL`, figureLine('all', result.overall, seconds));
  for (const [name, figures] of Object.entries(result.subScenarios)) lines.push(figureLine(name, figures, seconds));
  const checks = data.metrics.checks?.values;
  if (checks) lines.push(`    checks: ${((checks.rate ?? 0) * 100).toFixed(2)} % ✓ ${checks.passes ?? 0} ✗ ${checks.fails ?? 0}`);
  lines.push(``, `  InstanceResult written to ${resultPath}`, ``);
  return lines.join('\n');
}

function figureLine(name: string, figures: LoadFigures, seconds: number): string {
  const rate = seconds > 0 ? (figures.requests / seconds).toFixed(1) : '0';
  const outcomes = OUTCOME_CLASSES.filter((outcome) => figures.outcomes[outcome] > 0)
    .map((outcome) => `${outcome}=${figures.outcomes[outcome]}`)
    .join(' ');
  const latency = figures.latency;
  const ms = (value: number) => `${value.toFixed(2)}ms`;
  return `    ${name.padEnd(12)} requests=${figures.requests} (${rate}/s) events=${figures.events} dropped=${figures.droppedIterations} ${outcomes}\n` +
    `    ${''.padEnd(12)} latency avg=${ms(latency.meanMs)} min=${ms(latency.minMs)} med=${ms(latency.p50Ms)} max=${ms(latency.maxMs)} p(95)=${ms(latency.p95Ms)} p(99)=${ms(latency.p99Ms)}`;
}
