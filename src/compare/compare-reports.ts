/**
 * `compareReports`: per-metric deltas between a baseline and a current report, each judged as a
 * regression with the verdict's levels (good / warning / critical). Pure. Documented in docs/ci.md
 * ("Baselines and regressions").
 *
 * A regression is measured as a *relative* change in the bad direction (0.1 = 10 % worse):
 *   p95, p99        (current − baseline) / baseline   (baseline floored at 1 ms)
 *   error rate      (current − baseline) / max(baseline, 1 %): from 0 % to 0.05 % is not "infinitely
 *                   worse", but 2 % → 3 % is a 50 % regression
 *   achieved rate   (baseline − current) / baseline   (less throughput is worse)
 *   breaking point  (baseline − current) / baseline   (breakpoint phase reports)
 * p50 is shown, not judged.
 */
import type { RunReport } from '../report/run-report-types.js';
import { EXIT_CODES, LoadctlError } from '../../contract/loadctl-error.js';
import type { VerdictOutcome } from '../verdict/classify-verdict.js';
import { levelOf, worstLevel, type VerdictLevel } from '../verdict/judge-metrics.js';
import type { LoadReport } from '../report/read-report.js';

/** Two reports that cannot be compared (a run report against a breakpoint search…). */
export class CompareError extends LoadctlError {
  override readonly code = 'COMPARE';
  override readonly exitCode = EXIT_CODES.usage;
}

/** Relative regression that reaches each level (0.1 = 10 % worse). */
export interface RegressionLimits {
  warning: number;
  critical: number;
}

export type ComparedMetric = 'p50Ms' | 'p95Ms' | 'p99Ms' | 'errorRate' | 'achievedRate' | 'breakingPoint';

export interface MetricDelta {
  scope: string;
  metric: ComparedMetric;
  baseline: number | null;
  current: number | null;
  /** Relative change in the bad direction (positive = worse); null when either side is missing. */
  regression: number | null;
  /** False for metrics shown but not judged (p50), or missing on one side. */
  judged: boolean;
  level: VerdictLevel;
}

export interface Comparison {
  baseline: { label: string; outcome: VerdictOutcome };
  current: { label: string; outcome: VerdictOutcome };
  limits: RegressionLimits;
  metrics: MetricDelta[];
  /** The worst judged level. */
  level: VerdictLevel;
  /** Every non-good metric as a sentence, critical first. */
  regressions: string[];
  /** False when either load cannot be trusted (degraded / generator-limited): regressions are shown, not counted. */
  trusted: boolean;
  notes: string[];
}

type Side = { kind: 'run'; run: RunReport; label: string; outcome: VerdictOutcome } | { kind: 'breakpoint'; breakingPoint: number | null; label: string; outcome: VerdictOutcome };

const ERROR_RATE_FLOOR = 0.01;
const LATENCY_FLOOR_MS = 1;

export function compareReports(baseline: LoadReport, current: LoadReport, limits: RegressionLimits): Comparison {
  const before = sideOf(baseline, 'baseline');
  const after = sideOf(current, 'current');
  if (before.kind !== after.kind) {
    throw new CompareError(`cannot compare a ${describeKind(before)} with a ${describeKind(after)}`, { hint: 'compare run reports (or single-step phase reports) with each other, and breakpoint phase reports with each other' });
  }
  const metrics =
    before.kind === 'run' && after.kind === 'run'
      ? runDeltas(before.run, after.run, limits)
      : [delta('phase', 'breakingPoint', before.kind === 'breakpoint' ? before.breakingPoint : null, after.kind === 'breakpoint' ? after.breakingPoint : null, limits, true)];
  const judged = metrics.filter((m) => m.judged);
  const untrusted = [before, after].filter((side) => side.outcome === 'degraded' || side.outcome === 'generator-limited');
  const notes = [
    ...untrusted.map((side) => `the ${side.label} report is ${side.outcome}: its load was not the planned one, so regressions are shown but not counted`),
    ...plannedLoadNotes(before, after),
  ];
  return {
    baseline: { label: before.label, outcome: before.outcome },
    current: { label: after.label, outcome: after.outcome },
    limits,
    metrics,
    level: worstLevel(judged.map((m) => m.level)),
    regressions: judged
      .filter((m) => m.level !== 'good')
      .sort((a, b) => (a.level === b.level ? 0 : a.level === 'critical' ? -1 : 1))
      .map(describeRegression),
    trusted: untrusted.length === 0,
    notes,
  };
}

/**
 * The gate's outcome with regressions folded into the levels: a trusted critical regression makes a
 * good or warning run critical (exit 10), a warning one makes a good run a warning (exit 11 with
 * `--fail-on warning`). Critical, degraded and generator-limited outcomes stand as they are.
 */
export function foldRegressions(outcome: VerdictOutcome, comparison: Comparison | null): VerdictOutcome {
  if (!comparison || !comparison.trusted || (outcome !== 'good' && outcome !== 'warning')) return outcome;
  return worstLevel([outcome, comparison.level]);
}

function sideOf(report: LoadReport, label: string): Side {
  if (report.kind === 'run') return { kind: 'run', run: report, label, outcome: report.verdict.outcome };
  if (report.phase === 'breakpoint') return { kind: 'breakpoint', breakingPoint: report.breakingPoint, label, outcome: report.outcome };
  const run = report.steps.at(-1)?.report;
  if (!run) throw new CompareError(`the ${label} phase report (${report.phase}) has no step report to compare`, { hint: 'its step delivered no result; run the phase again' });
  return { kind: 'run', run, label, outcome: run.verdict.outcome };
}

function describeKind(side: Side): string {
  return side.kind === 'run' ? 'run report' : 'breakpoint phase report';
}

function runDeltas(before: RunReport, after: RunReport, limits: RegressionLimits): MetricDelta[] {
  const scopes = ['overall', ...Object.keys(after.subScenarios).filter((name) => name in before.subScenarios)];
  const deltas: MetricDelta[] = [];
  for (const scope of scopes) {
    const a = scope === 'overall' ? before.overall : before.subScenarios[scope]!;
    const b = scope === 'overall' ? after.overall : after.subScenarios[scope]!;
    const latency = (figures: typeof a, key: 'p50Ms' | 'p95Ms' | 'p99Ms') => (figures.latency.count > 0 ? figures.latency[key] : null);
    deltas.push(delta(scope, 'p50Ms', latency(a, 'p50Ms'), latency(b, 'p50Ms'), limits, false));
    deltas.push(delta(scope, 'p95Ms', latency(a, 'p95Ms'), latency(b, 'p95Ms'), limits, true));
    deltas.push(delta(scope, 'p99Ms', latency(a, 'p99Ms'), latency(b, 'p99Ms'), limits, true));
    deltas.push(delta(scope, 'errorRate', errorRateOf(a, before), errorRateOf(b, after), limits, true));
    if (scope === 'overall') deltas.push(delta(scope, 'achievedRate', achievedRateOf(before), achievedRateOf(after), limits, true));
  }
  return deltas;
}

function delta(scope: string, metric: ComparedMetric, baseline: number | null, current: number | null, limits: RegressionLimits, judge: boolean): MetricDelta {
  const regression = baseline === null || current === null ? null : regressionOf(metric, baseline, current);
  const judged = judge && regression !== null;
  const level = judged ? levelOf(regression!, limits) : 'good';
  return { scope, metric, baseline, current, regression, judged, level };
}

/** Positive = worse, as a fraction of the (floored) baseline. */
export function regressionOf(metric: ComparedMetric, baseline: number, current: number): number {
  switch (metric) {
    case 'errorRate':
      return (current - baseline) / Math.max(baseline, ERROR_RATE_FLOOR);
    case 'achievedRate':
    case 'breakingPoint':
      return baseline > 0 ? (baseline - current) / baseline : 0;
    default:
      return (current - baseline) / Math.max(baseline, LATENCY_FLOOR_MS);
  }
}

/** Errors (the report's error classes) over requests; null with no requests. Shared by the renderers. */
export function errorRateOf(figures: RunReport['overall'], report: Pick<RunReport, 'verdictOptions'>): number | null {
  if (figures.requests === 0) return null;
  return report.verdictOptions.errorClasses.reduce((sum, outcome) => sum + figures.outcomes[outcome], 0) / figures.requests;
}

/** req/s over the scheduled duration; without the plan, requests over the report's duration. */
function achievedRateOf(report: RunReport): number | null {
  if (report.load.achievedMeanRate !== null && report.load.achievedMeanRate !== undefined) return report.load.achievedMeanRate;
  return report.durationMs > 0 ? report.load.requests / (report.durationMs / 1000) : null;
}

function plannedLoadNotes(before: Side, after: Side): string[] {
  if (before.kind !== 'run' || after.kind !== 'run') return [];
  const a = before.run.load.plannedPeakRate;
  const b = after.run.load.plannedPeakRate;
  const notes: string[] = [];
  if (a !== null && b !== null && Math.abs(a - b) > 1e-9 * Math.max(a, b)) notes.push(`the reports planned different loads (${a} vs ${b} req/s): the deltas compare unlike runs`);
  const nameA = before.run.scenario?.name;
  const nameB = after.run.scenario?.name;
  if (nameA && nameB && nameA !== nameB) notes.push(`the reports ran different scenarios ('${nameA}' vs '${nameB}')`);
  return notes;
}

const LABELS: Record<ComparedMetric, string> = { p50Ms: 'p50', p95Ms: 'p95', p99Ms: 'p99', errorRate: 'error rate', achievedRate: 'achieved rate', breakingPoint: 'breaking point' };

/** `p95 240 ms → 310 ms` etc.: one value of a metric as people read it. */
export function formatMetricValue(metric: ComparedMetric, value: number | null): string {
  if (value === null) return '—';
  if (metric === 'errorRate') return `${Number((value * 100).toPrecision(3))} %`;
  if (metric === 'achievedRate' || metric === 'breakingPoint') return `${Math.round(value).toLocaleString('en-US')} req/s`;
  return value >= 100 ? `${Math.round(value).toLocaleString('en-US')} ms` : `${Number(value.toPrecision(3))} ms`;
}

export function formatRegression(regression: number | null): string {
  if (regression === null) return '—';
  const percent = Number((regression * 100).toPrecision(3));
  return `${percent > 0 ? '+' : ''}${percent} %`;
}

export function labelOfMetric(metric: ComparedMetric): string {
  return LABELS[metric];
}

function describeRegression(m: MetricDelta): string {
  const limit = m.level === 'critical' ? 'critical' : 'warning';
  return `${m.scope === 'overall' ? 'total' : m.scope}: ${LABELS[m.metric]} ${formatMetricValue(m.metric, m.baseline)} → ${formatMetricValue(m.metric, m.current)} (${formatRegression(m.regression)} worse) is a ${limit} regression`;
}
