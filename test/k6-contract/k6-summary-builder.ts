// Test double, NOT k6: builds the end-of-test summary object k6 hands to handleSummary, from the samples the k6 stand-ins recorded.
/**
 * Shape per k6's documentation (results-output/end-of-test/custom-summary) and its summary code:
 * `{ root_group, options: { summaryTrendStats, summaryTimeUnit, noColor }, state: { isStdOutTTY,
 * isStdErrTTY, testRunDurationMs }, metrics: { [name]: { type, contains, values, thresholds? } },
 * setup_data }`. Sub-metrics (`name{tag:value}`) appear only when a threshold names them, as in k6.
 * Trend percentiles interpolate linearly between ranks like k6's TrendSink.
 */
import type { K6Metric, K6SummaryData } from '../../src/engines/k6/k6-summary.js';
import type { Sample } from './k6-standins.js';

export interface SummaryInput {
  samples: Sample[];
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  testRunDurationMs: number;
  checks: Map<string, { passes: number; fails: number }>;
  setupData: unknown;
}

const CONTAINS: Record<string, string> = { http_req_duration: 'time', iteration_duration: 'time' };

export function buildK6Summary(input: SummaryInput): K6SummaryData {
  const metrics: Record<string, K6Metric> = {};
  for (const name of new Set(input.samples.map((sample) => sample.metric))) {
    metrics[name] = summarise(input.samples.filter((sample) => sample.metric === name), name, input);
  }
  for (const [key, sources] of Object.entries(input.thresholds)) {
    const match = /^([a-z_]+)(?:\{([a-z_]+):([^}]+)\})?$/.exec(key);
    if (!match) throw new Error(`threshold key ${key} is not metric{tag:value}`);
    const [, name, tag, value] = match;
    const selected = input.samples.filter((sample) => sample.metric === name && (tag === undefined || sample.tags[tag] === value));
    // k6 knows its built-in metrics even without samples (e.g. dropped_iterations when none were dropped).
    const type = input.samples.find((sample) => sample.metric === name)?.type ?? 'counter';
    const metric = metrics[key] ?? summarise(selected, name!, input, type);
    metric.thresholds = Object.fromEntries(sources.map((source) => [source, { ok: evaluate(source, metric.values) }]));
    metrics[key] = metric;
  }
  return {
    root_group: {
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      groups: [],
      checks: [...input.checks].map(([name, counts]) => ({ name, path: `::${name}`, id: name, ...counts })),
    },
    options: { summaryTrendStats: input.summaryTrendStats, summaryTimeUnit: '', noColor: true },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: input.testRunDurationMs },
    metrics,
    setup_data: input.setupData,
  };
}

function summarise(samples: Sample[], name: string, input: SummaryInput, type = samples[0]?.type ?? 'counter'): K6Metric {
  const values = samples.map((sample) => sample.value);
  const seconds = input.testRunDurationMs / 1000;
  const contains = CONTAINS[name] ?? 'default';
  if (type === 'counter') {
    const count = values.reduce((sum, value) => sum + value, 0);
    return { type, contains, values: { count, rate: count / seconds } };
  }
  if (type === 'rate') {
    const passes = values.filter((value) => value !== 0).length;
    return { type, contains, values: { rate: values.length === 0 ? 0 : passes / values.length, passes, fails: values.length - passes } };
  }
  if (type === 'gauge') return { type, contains, values: { value: values.at(-1) ?? 0, min: Math.min(...values), max: Math.max(...values) } };
  return { type, contains, values: trendValues(values, input.summaryTrendStats) };
}

function trendValues(values: number[], stats: string[]): Record<string, number> {
  const sorted = [...values].sort((a, b) => a - b);
  const percentile = (pct: number): number => {
    if (sorted.length === 0) return 0;
    const i = pct * (sorted.length - 1);
    const low = sorted[Math.floor(i)]!;
    return low + (sorted[Math.ceil(i)]! - low) * (i - Math.floor(i));
  };
  const result: Record<string, number> = {};
  for (const stat of stats) {
    const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
    if (p) result[stat] = percentile(Number(p[1]) / 100);
    else if (stat === 'avg') result[stat] = sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length;
    else if (stat === 'min') result[stat] = sorted[0] ?? 0;
    else if (stat === 'max') result[stat] = sorted.at(-1) ?? 0;
    else if (stat === 'med') result[stat] = percentile(0.5);
    else if (stat === 'count') result[stat] = sorted.length;
  }
  return result;
}

/** `p(95)<1000`, `count>=0`, `rate<=0.1` — k6's threshold expressions. */
function evaluate(source: string, values: Record<string, number>): boolean {
  const match = /^\s*([a-z]+|p\(\d+(?:\.\d+)?\))\s*(<=|>=|<|>|===|==|!=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(source);
  if (!match) throw new Error(`threshold '${source}' is not an expression k6 accepts`);
  const actual = values[match[1]!];
  if (actual === undefined) throw new Error(`threshold '${source}' names a stat the metric does not have`);
  const limit = Number(match[3]);
  switch (match[2]) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '!=':
      return actual !== limit;
    default:
      return actual === limit;
  }
}
