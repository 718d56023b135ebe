/**
 * `--markdown FILE`: a compact summary for a pull request or GitHub's job summary
 * (`$GITHUB_STEP_SUMMARY`): the verdict, one table of the total and sub-scenarios, the reasons, the
 * load, flagged instances, a phase's steps and baseline regressions. Pure: report in, Markdown out.
 * Every report string is escaped: scenario and sub-scenario names are user input, and GitHub renders
 * HTML inside Markdown.
 */
import { connectionLines, insecureWarning } from './connection-lines.js';
import { errorRateOf, formatMetricValue, formatRegression, labelOfMetric, type Comparison } from '../compare/compare-reports.js';
import { gateExitCodeOf, gateHeadlineOf, gateLabelOf, gateOutcomeOf } from './gate-outcome.js';
import type { PhaseReport } from '../phases/phase-report-types.js';
import type { FailOn, VerdictOutcome } from '../verdict/classify-verdict.js';
import { formatValue, type VerdictLevel } from '../verdict/judge-metrics.js';
import type { ThresholdName } from '../verdict/threshold-levels.js';
import type { RunReport } from './run-report-types.js';
import { instanceHost } from './instance-host.js';

export interface MarkdownReportOptions {
  failOn?: FailOn;
  comparison?: Comparison | null;
}

const OUTCOME_ICON: Record<VerdictOutcome, string> = { good: '✅', warning: '⚠️', critical: '❌', 'generator-limited': '🟪', degraded: '🟦' };

export function renderMarkdownReport(report: RunReport | PhaseReport, options: MarkdownReportOptions = {}): string {
  const comparison = options.comparison ?? null;
  const outcome = gateOutcomeOf(report, comparison);
  const exitCode = gateExitCodeOf(report, outcome, options.failOn ?? 'critical');
  const what = report.kind === 'run' ? 'run' : `phase ${report.phase}`;
  const sections = [
    `### loadctl ${what} · ${inline(report.scenario?.name ?? (report.kind === 'run' ? report.runId : ''))} — ${OUTCOME_ICON[outcome]} ${gateLabelOf(outcome, exitCode)} (exit ${exitCode})`,
    `> ${inline(gateHeadlineOf(report, comparison))}`,
    ...(report.kind === 'run' ? runSections(report) : phaseSections(report)),
  ];
  if (comparison) sections.push(comparisonSection(comparison));
  return `${sections.filter((s) => s.length > 0).join('\n\n')}\n`;
}

function runSections(report: RunReport): string[] {
  const insecure = insecureWarning(report);
  const connections = connectionLines(report).map((line) => `- ${inline(line)}`).join('\n');
  return [...(insecure ? [`**⚠️ ${inline(insecure)}**`] : []), scopeTable(report), reasonList(report), loadLine(report), connections, instanceLine(report)];
}

function scopeTable(report: RunReport): string {
  const rows = [['', 'requests', 'p95', 'p99', 'errors', '503', 'timeouts', 'level'].join(' | '), '---|---:|---:|---:|---:|---:|---:|---'];
  for (const scope of [report.verdict.overall, ...report.verdict.subScenarios]) {
    const figures = scope.scope === 'overall' ? report.overall : report.subScenarios[scope.scope];
    if (!figures) continue;
    const level = (metric: ThresholdName) => scope.metrics.find((m) => m.metric === metric)?.level ?? 'good';
    rows.push(
      [
        scope.scope === 'overall' ? '**total**' : inline(scope.scope),
        count(figures.requests),
        marked(formatValue('p95Ms', figures.latency.p95Ms), level('p95Ms')),
        marked(formatValue('p99Ms', figures.latency.p99Ms), level('p99Ms')),
        marked(formatMetricValue('errorRate', errorRateOf(figures, report)), level('errorRate')),
        marked(percent(figures.outcomes['503'], figures.requests), level('status503Rate')),
        marked(percent(figures.outcomes.timeout, figures.requests), level('timeoutRate')),
        scope.level,
      ].join(' | '),
    );
  }
  return rows.map((row) => `| ${row} |`).join('\n');
}

function reasonList(report: RunReport): string {
  const v = report.verdict;
  const lines = [...v.reasons, ...v.degradedReasons.map((r) => `degraded: ${r}`), ...v.generatorReasons.map((r) => `generator-limited: ${r}`)];
  if (lines.length === 0) return '';
  const shown = lines.slice(0, 10).map((line) => `- ${inline(line)}`);
  if (lines.length > 10) shown.push(`- … and ${lines.length - 10} more (see the JSON report)`);
  return `**Reasons**\n\n${shown.join('\n')}`;
}

function loadLine(report: RunReport): string {
  const l = report.load;
  const planned = l.plannedMeanRate === null ? '' : `planned ${rate(l.plannedMeanRate)}, `;
  const achieved = l.achievedMeanRate === null ? '' : `achieved ${rate(l.achievedMeanRate)}, `;
  const aborted = report.aborted ? ` **${inline(report.aborted.reason)}** (second ${report.aborted.atSecond}).` : '';
  return `**Load**: ${planned}${achieved}${count(l.requests)} requests, ${count(l.events)} events, ${count(l.droppedIterations)} dropped iterations over ${(report.durationMs / 1000).toFixed(1)} s; engine ${inline(report.engine.name)} ${inline(report.engine.version)}.${aborted}`;
}

function instanceLine(report: RunReport): string {
  const flagged = report.instances.filter((i) => i.flags.length > 0);
  const head = `**Instances**: ${report.instances.length}${report.startSkew.maxMs === null ? '' : `, start skew ${report.startSkew.maxMs.toFixed(1)} ms`}`;
  if (flagged.length === 0) return `${head}, none flagged.`;
  return `${head}; flagged:\n\n${flagged.map((i) => `- instance ${i.index} (${inline(instanceHost(i))}): ${i.flags.join(', ')}${i.error ? ` — ${inline(i.error)}` : ''}`).join('\n')}`;
}

function phaseSections(report: PhaseReport): string[] {
  const rows = ['step | planned | achieved | p95 | p99 | errors | verdict | limited by', '---:|---:|---:|---:|---:|---:|---|---'];
  for (const step of report.steps) {
    const r = step.report;
    const errors = r ? formatMetricValue('errorRate', errorRateOf(r.overall, r)) : '—';
    rows.push(
      [
        String(step.step),
        rate(step.rate),
        r?.load.achievedMeanRate == null ? '—' : rate(r.load.achievedMeanRate),
        r ? formatValue('p95Ms', r.overall.latency.p95Ms) : '—',
        r ? formatValue('p99Ms', r.overall.latency.p99Ms) : '—',
        errors,
        r ? r.verdict.outcome : 'no result',
        step.limitedBy ?? '',
      ].join(' | '),
    );
  }
  const sections = [rows.map((row) => `| ${row} |`).join('\n')];
  if (report.phase === 'breakpoint') {
    const bp = report.breakpoint;
    const found = report.breakingPoint === null ? 'no breaking point' : `breaking point ≈ **${rate(report.breakingPoint)}**`;
    sections.push(`**Result**: ${found}; last good ${bp?.lastGoodRate == null ? '—' : rate(bp.lastGoodRate)}, first critical ${bp?.firstCriticalRate == null ? '—' : rate(bp.firstCriticalRate)}. ${inline(bp?.reason ?? '')}`);
  } else {
    const last = report.steps.at(-1)?.report;
    if (last) sections.push(reasonList(last));
  }
  return sections;
}

function comparisonSection(comparison: Comparison): string {
  const rows = ['scope | metric | baseline | current | change (worse +) | level', '---|---|---:|---:|---:|---'];
  for (const m of comparison.metrics) {
    rows.push([m.scope === 'overall' ? 'total' : inline(m.scope), labelOfMetric(m.metric), formatMetricValue(m.metric, m.baseline), formatMetricValue(m.metric, m.current), formatRegression(m.regression), m.judged ? marked(m.level, m.level) : 'not judged'].join(' | '));
  }
  const notes = comparison.notes.map((note) => `> ${inline(note)}`).join('\n');
  return [`**Compared with the baseline** (warning above +${pct(comparison.limits.warning)}, critical above +${pct(comparison.limits.critical)})`, rows.map((row) => `| ${row} |`).join('\n'), notes].filter((s) => s).join('\n\n');
}

function marked(text: string, level: VerdictLevel): string {
  return level === 'critical' ? `**${text}** ❌` : level === 'warning' ? `${text} ⚠️` : text;
}

/** Text in a line: HTML and Markdown syntax neutralised, one line. */
function inline(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1');
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function rate(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} req/s`;
}

function percent(part: number, whole: number): string {
  if (whole === 0) return '—';
  const value = (part / whole) * 100;
  return value === 0 ? '0 %' : `${Number(value.toPrecision(2))} %`;
}

function pct(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))} %`;
}
