/**
 * The console summary of a run report: the verdict, a table of the total and every sub-scenario with
 * each metric's level, the reasons, and one row per instance with its flags. Returns a string; the
 * command prints it. `color: false` gives plain text (CI logs, tests).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { VerdictOutcome } from '../verdict/classify-verdict.js';
import type { VerdictLevel } from '../verdict/judge-metrics.js';
import type { ThresholdName } from '../verdict/threshold-levels.js';
import type { InstanceShare } from '../split/split-plan.js';
import type { ReportFigures, RunReport } from './run-report-types.js';
import { instanceHost } from './instance-host.js';
import { connectionLines, formatBytes, insecureWarning } from './connection-lines.js';

export interface SummaryTableOptions {
  color: boolean;
}

export function renderSummaryTable(report: RunReport, options: SummaryTableOptions): string {
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const insecure = insecureWarning(report);
  const sections = [
    ...(insecure ? [paint.bold.yellow(insecure)] : []),
    verdictLine(report, paint),
    scopeTable(report, paint),
    reasonsOf(report),
    instanceTable(report, paint),
    loadLines(report),
  ];
  return sections.filter((section) => section.length > 0).join('\n\n');
}

const OUTCOME_COLOR: Record<VerdictOutcome, keyof ChalkInstance & ('green' | 'yellow' | 'red' | 'magenta' | 'cyan')> = {
  good: 'green',
  warning: 'yellow',
  critical: 'red',
  'generator-limited': 'magenta',
  degraded: 'cyan',
};

function verdictLine(report: RunReport, paint: ChalkInstance): string {
  const outcome = report.verdict.outcome;
  // An interrupted run is never shown as plainly GOOD: the headline says what the verdict covers.
  const label = report.interrupted === true ? paint.bold.yellow(`VERDICT ${outcome.toUpperCase()} (INTERRUPTED)`) : paint.bold[OUTCOME_COLOR[outcome]](`VERDICT ${outcome.toUpperCase()}`);
  const aborted = report.aborted ? `\n${paint.red(`${report.aborted.reason} (at second ${report.aborted.atSecond})`)}` : '';
  return `${label}  ${report.verdict.headline}${aborted}`;
}

function levelCell(level: VerdictLevel | undefined, text: string, paint: ChalkInstance): string {
  if (level === 'critical') return paint.red(`${text} ✗`);
  if (level === 'warning') return paint.yellow(`${text} !`);
  return text;
}

function scopeTable(report: RunReport, paint: ChalkInstance): string {
  const table = new Table({
    head: ['', 'requests', 'events', 'p50', 'p95', 'p99', 'errors', '503', 'timeouts', 'refused', 'dropped', 'level'],
    style: { head: options(paint), border: [], compact: true },
  });
  const scopes = [report.verdict.overall, ...report.verdict.subScenarios];
  const figuresOf = (scope: string): ReportFigures | undefined => (scope === 'overall' ? report.overall : report.subScenarios[scope]);
  for (const scope of scopes) {
    const figures = figuresOf(scope.scope);
    if (!figures) continue;
    const level = (metric: ThresholdName) => scope.metrics.find((m) => m.metric === metric)?.level;
    const rate = (count: number) => percent(count, figures.requests);
    table.push([
      scope.scope === 'overall' ? paint.bold('total') : scope.scope,
      count(figures.requests),
      count(figures.events),
      ms(figures.latency.p50Ms),
      levelCell(level('p95Ms'), ms(figures.latency.p95Ms), paint),
      levelCell(level('p99Ms'), ms(figures.latency.p99Ms), paint),
      levelCell(level('errorRate'), rate(errorsOf(figures, report)), paint),
      levelCell(level('status503Rate'), rate(figures.outcomes['503']), paint),
      levelCell(level('timeoutRate'), rate(figures.outcomes.timeout), paint),
      levelCell(level('refusedRate'), rate(figures.outcomes.refused), paint),
      count(figures.droppedIterations),
      levelCell(scope.level, scope.level, paint),
    ]);
  }
  return table.toString();
}

function reasonsOf(report: RunReport): string {
  const lines = [
    ...report.verdict.reasons.map((reason) => `  • ${reason}`),
    ...report.verdict.degradedReasons.map((reason) => `  • degraded: ${reason}`),
    ...report.verdict.generatorReasons.map((reason) => `  • generator-limited: ${reason}`),
  ];
  return lines.length === 0 ? '' : `Reasons:\n${lines.join('\n')}`;
}

function instanceTable(report: RunReport, paint: ChalkInstance): string {
  const table = new Table({
    head: ['instance', 'host', 'status', 'requests', 'p95', 'errors', 'dropped', 'start lag', 'CPU mean', 'flags'],
    style: { head: options(paint), border: [], compact: true },
  });
  for (const instance of report.instances) {
    const figures = instance.overall;
    const flagged = instance.flags.length > 0;
    table.push([
      String(instance.index),
      instanceHost(instance),
      instance.status === 'completed' ? instance.status : paint.yellow(instance.status),
      figures ? count(figures.requests) : '—',
      figures ? ms(figures.latency.p95Ms) : '—',
      figures ? percent(errorsOf(figures, report), figures.requests) : '—',
      figures ? count(figures.droppedIterations) : '—',
      instance.startLagMs === null ? '—' : `${instance.startLagMs.toFixed(1)} ms`,
      instance.generator ? `${Math.round(instance.generator.cpuPercentMean)} %` : '—',
      flagged ? paint.yellow(`⚑ ${instance.flags.join(', ')}`) : '',
    ]);
  }
  return table.toString();
}

function loadLines(report: RunReport): string {
  const { load } = report;
  const lines = [
    `load: ${count(load.startedIterations)} of ${count(load.plannedIterations)} planned iterations started` +
      (load.plannedMeanRate !== null && load.achievedMeanRate !== null ? `, ${rate(load.achievedMeanRate)} of ${rate(load.plannedMeanRate)} req/s planned${ranPart(report)}` : '') +
      `, ${count(load.droppedIterations)} dropped`,
    `start skew: ${report.startSkew.maxMs === null ? '—' : `${report.startSkew.maxMs.toFixed(1)} ms over ${report.startSkew.instances} instances`}`,
    `engine: ${report.engine.name} ${report.engine.version}${report.engine.mixed ? ' (instances differ)' : ''}`,
    ...connectionLines(report),
  ];
  const target = report.target;
  if (target) {
    lines.push(
      target.requests === null
        ? `target: ${target.error ?? 'no counts'}`
        : `target (${target.metricsUrl}): server counted ${count(target.requests)} requests / ${count(target.eventsAccepted ?? 0)} events, client ${count(target.clientRequests)} / ${count(target.clientEvents)}`,
    );
  }
  return lines.join('\n');
}

/** ` over the 8.3 s that ran` when the run stopped before its schedule's end (rates are over that time). */
function ranPart(report: RunReport): string {
  const { ranMs, plannedDurationMs } = report.load;
  if (ranMs == null || plannedDurationMs == null || ranMs >= plannedDurationMs) return '';
  return ` over the ${Number((ranMs / 1000).toFixed(1))} s that ran (of ${Number((plannedDurationMs / 1000).toFixed(1))} s)`;
}

/** `--dry-run`: what each instance will do (from `describeSplit`), one row per instance and sub-scenario. */
export function renderSplitTable(shares: readonly InstanceShare[], options: SummaryTableOptions & { requestBytes?: Record<string, number> }): string {
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  // Bandwidth at the peak rate: at a million requests/s it is the first limit a real fleet meets (issue 19).
  const bytes = options.requestBytes;
  const bandwidth = (sub: { name: string; peakRate: number }) => (bytes?.[sub.name] === undefined ? 0 : sub.peakRate * bytes[sub.name]!);
  const perSecond = (value: number) => `${formatBytes(value)}/s`;
  const table = new Table({
    head: ['instance', 'sub-scenario', 'peak rate', 'iterations', 'max VUs', ...(bytes ? ['request size', 'peak bandwidth out'] : []), 'expected memory'],
    style: { head: options.color ? ['cyan'] : [], border: [], compact: true },
  });
  for (const share of shares) {
    for (const [i, sub] of share.subScenarios.entries()) {
      const data = bytes ? [formatBytes(Math.round(bytes[sub.name] ?? 0)), perSecond(bandwidth(sub))] : [];
      table.push([i === 0 ? String(share.index) : '', sub.name, `${rate(sub.peakRate)}/s`, count(sub.iterations), count(sub.maxVus), ...data, i === 0 ? mib(share.expectedMemoryBytes) : '']);
    }
  }
  const total = (pick: (share: InstanceShare) => number) => shares.reduce((sum, share) => sum + pick(share), 0);
  const totalData = bytes ? ['', perSecond(total((share) => share.subScenarios.reduce((sum, sub) => sum + bandwidth(sub), 0)))] : [];
  table.push([paint.bold('total'), '', `${rate(total((s) => s.peakRate))}/s`, count(total((s) => s.iterations)), count(total((s) => s.maxVus)), ...totalData, mib(total((s) => s.expectedMemoryBytes))]);
  return table.toString();
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

/** Errors as the verdict counts them (the configured outcome classes). */
function errorsOf(figures: ReportFigures, report: RunReport): number {
  return report.verdictOptions.errorClasses.reduce((sum, outcome) => sum + figures.outcomes[outcome], 0);
}

function options(paint: ChalkInstance): string[] {
  return paint.level > 0 ? ['cyan'] : [];
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function ms(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${Number(value.toPrecision(3))} ms`;
}

function percent(part: number, whole: number): string {
  if (whole === 0) return '—';
  const value = (part / whole) * 100;
  return value === 0 ? '0 %' : `${Number(value.toPrecision(2))} %`;
}

function rate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
