/**
 * `--junit FILE`: a run or phase report as JUnit XML for CI test views. One testcase per threshold per
 * scope (the total and every sub-scenario); a failing one carries the measured value, the limit and
 * the level. Generator-limited, degraded and the verdict itself are testcases of their own; baseline
 * regressions (gate --baseline) one per compared metric. Pure: report in, XML out. docs/ci.md.
 *
 * Which testcases fail: a trusted critical metric; a warning only with `--fail-on warning` (otherwise
 * it passes and says so in system-out); a metric measured by a saturated generator is *skipped* (it
 * is not blamed on the target, docs/run-report.md); so is one with nothing to measure.
 */
import { formatMetricValue, formatRegression, labelOfMetric, type Comparison } from '../compare/compare-reports.js';
import { gateExitCodeOf, gateHeadlineOf, gateOutcomeOf } from './gate-outcome.js';
import type { PhaseReport, PhaseStepReport } from '../phases/phase-report-types.js';
import type { FailOn, ScopeVerdict } from '../verdict/classify-verdict.js';
import { formatValue, type MetricVerdict } from '../verdict/judge-metrics.js';
import { renderJunitXml, type JunitCase, type JunitSuite } from './junit-xml.js';
import type { RunReport } from './run-report-types.js';

export interface JunitReportOptions {
  failOn?: FailOn;
  /** Baseline regressions (gate --baseline): one more suite, and folded into the verdict testcase. */
  comparison?: Comparison | null;
}

export function renderJunitReport(report: RunReport | PhaseReport, options: JunitReportOptions = {}): string {
  const failOn = options.failOn ?? 'critical';
  const comparison = options.comparison ?? null;
  const scenario = report.scenario?.name ?? (report.kind === 'run' ? report.runId : 'scenario');
  const name = `loadctl ${report.kind === 'run' ? 'run' : `phase ${report.phase}`}: ${scenario}`;
  const suites = report.kind === 'run' ? runSuites(report, failOn, scenario) : phaseSuites(report, failOn, scenario);
  if (comparison) suites.push(regressionSuite(comparison, failOn, scenario));
  suites.push(verdictSuite(report, failOn, comparison, scenario));
  const time = report.kind === 'run' ? report.durationMs / 1000 : report.steps.reduce((sum, step) => sum + (step.report?.durationMs ?? 0) / 1000, 0);
  return renderJunitXml(name, suites, time);
}

/** One suite per scope with a testcase per threshold, and a `load` suite for the fleet's own health. */
function runSuites(report: RunReport, failOn: FailOn, prefix: string): JunitSuite[] {
  const time = report.durationMs / 1000;
  const scopes = [report.verdict.overall, ...report.verdict.subScenarios];
  const suites: JunitSuite[] = scopes.map((scope) => ({
    name: `${prefix} · ${scopeName(scope)}`,
    time,
    timestamp: report.startedAt,
    properties: { level: scope.level, runId: report.runId },
    cases: scope.metrics.map((metric) => metricCase(metric, `loadctl.${prefix}.${scopeName(scope)}`, failOn)),
  }));
  suites.push({ name: `${prefix} · load`, time, timestamp: report.startedAt, cases: loadCases(report, `loadctl.${prefix}.load`) });
  return suites;
}

function scopeName(scope: ScopeVerdict): string {
  return scope.scope === 'overall' ? 'total' : scope.scope;
}

function metricCase(metric: MetricVerdict, classname: string, failOn: FailOn): JunitCase {
  const base = { name: metric.metric, classname };
  if (metric.value === null) return { ...base, skipped: metric.reason };
  const limits = `warning above ${limitText(metric, metric.limits.warning)}, critical above ${limitText(metric, metric.limits.critical)}`;
  const body = `measured: ${formatValue(metric.metric, metric.value)}\nlimits: ${limits}\nlevel: ${metric.level}\n${metric.reason}`;
  if (metric.level !== 'good' && !metric.trusted) return { ...base, skipped: metric.reason, systemOut: body };
  if (metric.level === 'critical' || (metric.level === 'warning' && failOn === 'warning')) {
    return { ...base, failure: { type: metric.level, message: metric.reason, body } };
  }
  return { ...base, systemOut: body };
}

function limitText(metric: MetricVerdict, limit: number | null): string {
  return limit === null ? 'off' : formatValue(metric.metric, limit);
}

/** generator-limited and degraded: not about the target, so testcases of their own. */
function loadCases(report: RunReport, classname: string): JunitCase[] {
  const v = report.verdict;
  const generator: JunitCase = v.generatorLimited
    ? { name: 'generator-limited', classname, failure: { type: 'generator-limited', message: v.generatorReasons[0] ?? 'generator-limited', body: v.generatorReasons.join('\n') } }
    : { name: 'generator-limited', classname, systemOut: `the fleet produced the planned load: ${report.load.startedIterations} of ${report.load.plannedIterations} iterations started` };
  const degraded: JunitCase = v.degraded
    ? { name: 'degraded', classname, failure: { type: 'degraded', message: v.degradedReasons[0] ?? 'degraded', body: v.degradedReasons.join('\n') } }
    : { name: 'degraded', classname, systemOut: `all ${report.instances.length} instances delivered a result` };
  return [generator, degraded];
}

/**
 * Phases: a single-step phase is its step's run (suites named after the step); a breakpoint search has
 * one testcase per step that only records it — its critical steps are what it looks for, not failures.
 */
function phaseSuites(report: PhaseReport, failOn: FailOn, scenario: string): JunitSuite[] {
  if (report.phase !== 'breakpoint') {
    return report.steps.flatMap((step) => (step.report ? runSuites(step.report, failOn, `${scenario} · ${report.phase} step ${step.step}`) : [lostStepSuite(step, scenario)]));
  }
  const classname = `loadctl.${scenario}.breakpoint`;
  const cases: JunitCase[] = report.steps.map((step) => ({
    name: `step ${step.step} · ${rate(step.rate)}`,
    classname,
    time: (step.report?.durationMs ?? 0) / 1000,
    systemOut: stepSummary(step),
  }));
  const bp = report.breakpoint;
  cases.push({
    name: 'breaking point',
    classname,
    systemOut: `${report.breakingPoint === null ? 'no breaking point' : `breaking point ≈ ${rate(report.breakingPoint)}`}; last good ${bp?.lastGoodRate == null ? '—' : rate(bp.lastGoodRate)}, first critical ${bp?.firstCriticalRate == null ? '—' : rate(bp.firstCriticalRate)}\n${bp?.reason ?? report.headline}`,
  });
  const time = report.steps.reduce((sum, step) => sum + (step.report?.durationMs ?? 0) / 1000, 0);
  return [{ name: `${scenario} · breakpoint`, time, timestamp: report.startedAt, cases }];
}

function lostStepSuite(step: PhaseStepReport, scenario: string): JunitSuite {
  const classname = `loadctl.${scenario}.step${step.step}`;
  return { name: `${scenario} · step ${step.step}`, time: 0, cases: [{ name: 'degraded', classname, failure: { type: 'degraded', message: 'no instance delivered a result', body: `step ${step.step} at ${rate(step.rate)}: no instance delivered a result` } }] };
}

function stepSummary(step: PhaseStepReport): string {
  const report = step.report;
  const judged = step.judgement.kind === 'held' ? 'held' : `${step.judgement.kind}: ${step.judgement.reason}`;
  if (!report) return `planned ${rate(step.rate)}: no result (${judged})`;
  const o = report.overall;
  return `planned ${rate(step.rate)}, achieved ${report.load.achievedMeanRate === null ? '—' : rate(report.load.achievedMeanRate)}, p95 ${formatValue('p95Ms', o.latency.p95Ms)}, p99 ${formatValue('p99Ms', o.latency.p99Ms)}, verdict ${report.verdict.outcome}; ${judged}`;
}

function regressionSuite(comparison: Comparison, failOn: FailOn, scenario: string): JunitSuite {
  const classname = `loadctl.${scenario}.regression`;
  const cases = comparison.metrics.map((m): JunitCase => {
    const name = `${m.scope === 'overall' ? 'total' : m.scope} ${labelOfMetric(m.metric)}`;
    const body = `baseline: ${formatMetricValue(m.metric, m.baseline)}\ncurrent: ${formatMetricValue(m.metric, m.current)}\nchange (worse +): ${formatRegression(m.regression)}\nlimits: warning above +${pct(comparison.limits.warning)}, critical above +${pct(comparison.limits.critical)}\nlevel: ${m.level}`;
    if (!m.judged) return { name, classname, skipped: m.regression === null ? 'missing on one side' : 'shown, not judged', systemOut: body };
    const fails = m.level === 'critical' || (m.level === 'warning' && failOn === 'warning');
    if (fails && !comparison.trusted) return { name, classname, skipped: comparison.notes[0] ?? 'load not trusted', systemOut: body };
    if (fails) return { name, classname, failure: { type: `${m.level} regression`, message: `${labelOfMetric(m.metric)} ${formatRegression(m.regression)} worse than the baseline`, body } };
    return { name, classname, systemOut: body };
  });
  return { name: `${scenario} · regressions`, time: 0, cases };
}

/** The gate's own answer: fails exactly when `loadctl gate` would exit non-zero. */
function verdictSuite(report: RunReport | PhaseReport, failOn: FailOn, comparison: Comparison | null, scenario: string): JunitSuite {
  const outcome = gateOutcomeOf(report, comparison);
  const headline = gateHeadlineOf(report, comparison);
  const exitCode = gateExitCodeOf(report, outcome, failOn);
  const testcase: JunitCase = { name: 'verdict', classname: `loadctl.${scenario}.verdict`, systemOut: `outcome: ${outcome} (exit ${exitCode})\n${headline}` };
  if (exitCode !== 0) testcase.failure = { type: outcome, message: headline, body: `outcome: ${outcome} (exit ${exitCode}, --fail-on ${failOn})\n${headline}` };
  return { name: `${scenario} · verdict`, time: 0, properties: { outcome, exitCode: String(exitCode), failOn }, cases: [testcase] };
}

function rate(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} req/s`;
}

function pct(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))} %`;
}
