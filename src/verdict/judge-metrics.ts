/**
 * Measured value and level of each judged metric (the seed's "Interpreting Results"): a value strictly
 * above a level's limit reaches that level; every level comes with a sentence naming value and limit.
 */
import type { OutcomeClass, OutcomeCounts } from '../protocol/outcomes.js';
import type { TlsFailure } from './tls-failure.js';
import { backlogGrowthOf, type TargetBacklog } from './target-backlog.js';
import { DEFAULT_THRESHOLD_LEVELS, THRESHOLD_NAMES, type Level, type ThresholdLevels, type ThresholdName } from './threshold-levels.js';

export type VerdictLevel = 'good' | 'warning' | 'critical';

export const LEVEL_ORDER: Record<VerdictLevel, number> = { good: 0, warning: 1, critical: 2 };

/** The part of LoadFigures a verdict reads (a saved report carries exactly this). */
export interface JudgedFigures {
  requests: number;
  outcomes: OutcomeCounts;
  latency: { count: number; p95Ms: number; p99Ms: number; maxMs?: number };
  /** Iterations not sent because every VU was waiting on the target: unserved demand (issue 18). */
  targetBoundDrops?: number;
  /** The VU cap those drops ran into. */
  vuCap?: number;
  /** Sent vs answered over the steady seconds (fleet-wide figures only); null or absent: not judged. */
  backlog?: TargetBacklog | null;
  /** Why requests failed TLS (the most frequent cause, fleet-wide figures only), so the reason names the fix. */
  tlsFailure?: TlsFailure;
}

export interface MetricVerdict {
  metric: ThresholdName;
  /** ms for latencies, a fraction (0.05 = 5 %) for rates; null when nothing was measured. */
  value: number | null;
  level: VerdictLevel;
  limits: Level;
  /**
   * False for latency and timeout metrics measured by a saturated generator (CPU, schedule lag): its own
   * delays inflate them, so they are reported but never blamed on the target.
   */
  trusted: boolean;
  reason: string;
}

const LABELS: Record<ThresholdName, string> = {
  p95Ms: 'p95',
  p99Ms: 'p99',
  errorRate: 'error rate',
  timeoutRate: 'timeouts',
  status503Rate: '503 answers',
  refusedRate: 'refused connections',
  backlogGrowth: 'backlog growth',
};

/** Metrics a saturated generator distorts itself: it reads answers late (so they look slow and unanswered). */
const LATENCY_METRICS: ReadonlySet<ThresholdName> = new Set(['p95Ms', 'p99Ms', 'timeoutRate', 'backlogGrowth']);

/** Outcomes a saturated generator can cause itself (it reads answers late, or runs out of sockets). */
const CLIENT_SIDE_CLASSES: ReadonlySet<OutcomeClass> = new Set(['timeout', 'network']);

export interface JudgeOptions {
  /** Outcome classes that count as errors for `errorRate` (default: all but 2xx). */
  errorClasses: readonly OutcomeClass[];
  /** The generator was saturated: latency metrics (and client-side errors) are not trusted. */
  generatorSaturated: boolean;
}

/** One verdict per metric of `THRESHOLD_NAMES`, in that order. */
export function judgeMetrics(figures: JudgedFigures, levels: ThresholdLevels, options: JudgeOptions): MetricVerdict[] {
  return THRESHOLD_NAMES.map((metric) => {
    const measured = measure(figures, metric, options.errorClasses);
    // Levels saved before a metric existed (older plans and reports) judge it at the default levels.
    const limits = levels[metric] ?? DEFAULT_THRESHOLD_LEVELS[metric];
    if (measured === null) return { metric, value: null, level: 'good', limits, trusted: true, reason: `${LABELS[metric]}: not judged, no requests ended` };
    const level = levelOf(measured.value, limits);
    const trusted = !options.generatorSaturated || isTrustedWhenSaturated(figures, metric, level, limits, options.errorClasses);
    const reason = `${LABELS[metric]} ${measured.text} ${comparison(level, limits, metric)}${trusted ? '' : ' — measured by a saturated generator, not blamed on the target'}`;
    return { metric, value: measured.value, level, limits, trusted, reason };
  });
}

/**
 * Under a saturated generator, latencies and timeouts may be the generator's own delay; so may the
 * timeouts and network errors inside the error rate — it stays trusted only if the target's own
 * answers (the other error classes) reach the same level without them.
 */
function isTrustedWhenSaturated(figures: JudgedFigures, metric: ThresholdName, level: VerdictLevel, limits: Level, errorClasses: readonly OutcomeClass[]): boolean {
  if (LATENCY_METRICS.has(metric)) return false;
  if (metric !== 'errorRate') return true;
  const answered = errorClasses.filter((outcome) => !CLIENT_SIDE_CLASSES.has(outcome));
  const unserved = figures.targetBoundDrops ?? 0;
  return levelOf((countOf(figures.outcomes, metric, answered) + unserved) / (figures.requests + unserved), limits) === level;
}

/** Strictly above `critical` → critical, strictly above `warning` → warning; a null limit is off. */
export function levelOf(value: number, limits: Level): VerdictLevel {
  if (limits.critical !== null && value > limits.critical) return 'critical';
  if (limits.warning !== null && value > limits.warning) return 'warning';
  return 'good';
}

export function worstLevel(levels: Iterable<VerdictLevel>): VerdictLevel {
  let worst: VerdictLevel = 'good';
  for (const level of levels) if (LEVEL_ORDER[level] > LEVEL_ORDER[worst]) worst = level;
  return worst;
}

function measure(figures: JudgedFigures, metric: ThresholdName, errorClasses: readonly OutcomeClass[]): { value: number; text: string } | null {
  if (metric === 'p95Ms' || metric === 'p99Ms') {
    if (figures.latency.count === 0) return null;
    const value = metric === 'p95Ms' ? figures.latency.p95Ms : figures.latency.p99Ms;
    return { value, text: formatValue(metric, value) };
  }
  if (metric === 'backlogGrowth') return measureBacklog(figures.backlog ?? null);
  if (metric === 'errorRate') return measureErrorBudget(figures, errorClasses);
  if (figures.requests === 0) return null;
  const count = countOf(figures.outcomes, metric, errorClasses);
  const value = count / figures.requests;
  return { value, text: `${formatValue(metric, value)} (${count.toLocaleString('en-US')} of ${figures.requests.toLocaleString('en-US')} requests)` };
}

/**
 * The error budget: error answers plus unserved demand — iterations not sent because every VU was
 * waiting on the target (target-bound drops) — over all the demand that came due for the target.
 */
function measureErrorBudget(figures: JudgedFigures, errorClasses: readonly OutcomeClass[]): { value: number; text: string } | null {
  const unserved = figures.targetBoundDrops ?? 0;
  const demand = figures.requests + unserved;
  if (demand === 0) return null;
  const errors = countOf(figures.outcomes, 'errorRate', errorClasses);
  const value = (errors + unserved) / demand;
  const n = (count: number) => count.toLocaleString('en-US');
  const tls = figures.tlsFailure && figures.outcomes.tls > 0 ? `; ${n(figures.outcomes.tls)} failed TLS: ${figures.tlsFailure.cause} → ${figures.tlsFailure.fix}` : '';
  if (unserved === 0) return { value, text: `${formatValue('errorRate', value)} (${n(errors)} of ${n(figures.requests)} requests${tls})` };
  const vus = figures.vuCap ? `all ${n(figures.vuCap)} VUs (connections)` : 'every VU';
  const slowest = figures.latency.maxMs !== undefined && figures.latency.count > 0 ? `, answers up to ${formatSeconds(figures.latency.maxMs)}` : '';
  return {
    value,
    text:
      `${formatValue('errorRate', value)} (${n(errors)} error answers + ${n(unserved)} iterations (${formatValue('errorRate', unserved / demand)}) ` +
      `not sent: ${vus} were waiting on the target${slowest}; of ${n(demand)} due${tls})`,
  };
}

function measureBacklog(backlog: TargetBacklog | null): { value: number; text: string } | null {
  if (backlog === null) return null;
  const value = backlogGrowthOf(backlog);
  const perSecond = (count: number) => Math.round(count / backlog.seconds).toLocaleString('en-US');
  const climb = value > 0 ? `; median latency ${formatSeconds(backlog.firstP50Ms)} → ${formatSeconds(backlog.lastP50Ms)}` : '';
  return { value, text: `${formatValue('backlogGrowth', value)} (the target answered ${perSecond(backlog.answered)}/s of the ${perSecond(backlog.sent)}/s sent${climb})` };
}

/** `2.0 s` above a second, `340 ms` below: how a person reads how long answers took. */
function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms >= 100 ? Math.round(ms) : Number(ms.toPrecision(2))} ms`;
}

function countOf(outcomes: OutcomeCounts, metric: ThresholdName, errorClasses: readonly OutcomeClass[]): number {
  if (metric === 'timeoutRate') return outcomes.timeout;
  if (metric === 'status503Rate') return outcomes['503'];
  if (metric === 'refusedRate') return outcomes.refused;
  return errorClasses.reduce((sum, outcome) => sum + outcomes[outcome], 0);
}

function comparison(level: VerdictLevel, limits: Level, metric: ThresholdName): string {
  if (level === 'critical') return `is above the critical limit of ${formatValue(metric, limits.critical!)}`;
  if (level === 'warning') {
    const critical = limits.critical === null ? '' : ` (critical above ${formatValue(metric, limits.critical)})`;
    return `is above the warning limit of ${formatValue(metric, limits.warning!)}${critical}`;
  }
  const limit = limits.warning ?? limits.critical;
  return limit === null ? 'is not judged (no limits set)' : `is within the ${limits.warning === null ? 'critical' : 'warning'} limit of ${formatValue(metric, limit)}`;
}

/** `1,240 ms`, `12.4 %`: what a person reads in a reason. */
export function formatValue(metric: ThresholdName, value: number): string {
  if (metric === 'p95Ms' || metric === 'p99Ms') return `${value >= 100 ? Math.round(value).toLocaleString('en-US') : Number(value.toPrecision(3))} ms`;
  const percent = value * 100;
  return `${percent === 0 ? 0 : Number(percent.toPrecision(3))} %`;
}
