/**
 * `--html FILE`: one self-contained HTML page for a run or phase report — the verdict and its table,
 * timeline plots (planned vs achieved rate, p50/p95/p99, errors by class, the target's own counts and
 * buffer fill, generator health, per-instance totals and each instance's seconds), the split over
 * instances, and for a phase its steps
 * (rate vs p95/errors, the breaking point marked) with each step's run. Pure given the assets: report
 * in, HTML out. Every report string is escaped (scenario names are user input).
 */
import { connectionLines, insecureWarning } from './connection-lines.js';
import { errorRateOf, formatMetricValue, formatRegression, labelOfMetric, type Comparison } from '../compare/compare-reports.js';
import { gateExitCodeOf, gateHeadlineOf, gateOutcomeOf } from './gate-outcome.js';
import type { PhaseReport } from '../phases/phase-report-types.js';
import type { FailOn } from '../verdict/classify-verdict.js';
import { formatValue, type MetricVerdict } from '../verdict/judge-metrics.js';
import type { ChartSpec } from './html-report-chart-spec.js';
import { phaseCharts, runCharts } from './html-report-charts.js';
import { escapeHtml as esc, renderHtmlPage, type HtmlAssets } from './html-report-template.js';
import type { RunReport } from './run-report-types.js';

export interface HtmlReportOptions {
  assets: HtmlAssets;
  failOn?: FailOn;
  comparison?: Comparison | null;
}

export function renderHtmlReport(report: RunReport | PhaseReport, options: HtmlReportOptions): string {
  const comparison = options.comparison ?? null;
  const outcome = gateOutcomeOf(report, comparison);
  const exitCode = gateExitCodeOf(report, outcome, options.failOn ?? 'critical');
  const what = report.kind === 'run' ? 'run' : `phase ${report.phase}`;
  const name = report.scenario?.name ?? (report.kind === 'run' ? report.runId : '');
  const charts: ChartSpec[] = [];
  const header = `<header><h1>loadctl ${esc(what)} · ${esc(name)} <span class="badge ${outcome}">${esc(outcome.toUpperCase())}</span></h1>
<div class="headline">${esc(gateHeadlineOf(report, comparison))}</div>
<div class="meta">exit code ${exitCode} · ${esc(metaLine(report))}</div>${insecureBanner(report)}</header>`;
  const body = report.kind === 'run' ? runBody(report, '', charts) : phaseBody(report, charts);
  const compared = comparison ? comparisonSection(comparison) : '';
  return renderHtmlPage({ title: `loadctl ${what}: ${name} — ${outcome}`, body: `${header}\n${compared}\n${body}`, charts }, options.assets);
}

/** An --insecure run says so at the top (a phase: if any step's run did). */
function insecureBanner(report: RunReport | PhaseReport): string {
  const runs = report.kind === 'run' ? [report] : report.steps.flatMap((step) => (step.report ? [step.report] : []));
  const warning = runs.map(insecureWarning).find((line) => line !== null);
  return warning ? `<div class="headline"><strong>⚠ ${esc(warning)}</strong></div>` : '';
}

function metaLine(report: RunReport | PhaseReport): string {
  if (report.kind === 'phase') return `${report.startedAt} → ${report.endedAt} · ${report.steps.length} steps · target ${report.scenario.targetUrl}`;
  const target = report.scenario ? ` · target ${report.scenario.targetUrl}` : '';
  return `run ${report.runId} · ${report.startedAt} · ${(report.durationMs / 1000).toFixed(1)} s · engine ${report.engine.name} ${report.engine.version}${report.engine.mixed ? ' (mixed)' : ''}${target}`;
}

/** A run's sections; `prefix` makes chart ids unique per step of a phase. */
function runBody(report: RunReport, prefix: string, charts: ChartSpec[]): string {
  const specs = runCharts(report, prefix);
  charts.push(...specs);
  return [
    reasonsSection(report),
    `<h2>Timeline</h2><div class="charts">${specs.map((s) => `<div class="chart" id="chart-${esc(s.id)}"></div>`).join('')}</div>`,
    verdictTable(report),
    instanceTable(report),
    loadSection(report),
  ].join('\n');
}

function reasonsSection(report: RunReport): string {
  const v = report.verdict;
  const items = [...v.reasons, ...v.degradedReasons.map((r) => `degraded: ${r}`), ...v.generatorReasons.map((r) => `generator-limited: ${r}`)];
  const aborted = report.aborted ? `<p class="note"><strong>${esc(report.aborted.reason)}</strong> (at second ${report.aborted.atSecond})</p>` : '';
  if (items.length === 0) return aborted;
  return `<h2>Reasons</h2><ul class="reasons">${items.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>${aborted}`;
}

const METRIC_HEADS: Array<[MetricVerdict['metric'], string]> = [
  ['p95Ms', 'p95'],
  ['p99Ms', 'p99'],
  ['errorRate', 'errors'],
  ['timeoutRate', 'timeouts'],
  ['status503Rate', '503'],
  ['refusedRate', 'refused'],
];

function verdictTable(report: RunReport): string {
  const head = `<tr><th class="l">scope</th><th>requests</th>${METRIC_HEADS.map(([, label]) => `<th>${label}</th>`).join('')}<th class="l">level</th></tr>`;
  const rows = [report.verdict.overall, ...report.verdict.subScenarios].map((scope) => {
    const figures = scope.scope === 'overall' ? report.overall : report.subScenarios[scope.scope];
    const cells = METRIC_HEADS.map(([metric]) => metricCell(scope.metrics.find((m) => m.metric === metric))).join('');
    return `<tr><td class="l">${scope.scope === 'overall' ? '<strong>total</strong>' : esc(scope.scope)}</td><td>${figures ? count(figures.requests) : '—'}</td>${cells}<td class="l lv-${scope.level}">${scope.level}</td></tr>`;
  });
  return `<h2>Verdict by metric</h2><table>${head}${rows.join('')}</table><p class="note">Hover a cell for its reason. Limits: a value strictly above the warning / critical limit reaches that level.</p>`;
}

function metricCell(metric: MetricVerdict | undefined): string {
  if (!metric) return '<td>—</td>';
  if (metric.value === null) return `<td title="${esc(metric.reason)}">—</td>`;
  const limit = (value: number | null) => (value === null ? 'off' : formatValue(metric.metric, value));
  const css = metric.trusted ? `lv-${metric.level}` : 'untrusted';
  return `<td class="${css}" title="${esc(metric.reason)}">${esc(formatValue(metric.metric, metric.value))}<br><small>${esc(`≤ ${limit(metric.limits.warning)} / ${limit(metric.limits.critical)}`)}</small></td>`;
}

function instanceTable(report: RunReport): string {
  const planned = report.instances.reduce((sum, i) => sum + i.plannedIterations, 0);
  const head = '<tr><th>instance</th><th class="l">host</th><th class="l">status</th><th>planned iterations (share)</th><th>requests</th><th>p95</th><th>errors</th><th>dropped</th><th>start lag</th><th>CPU mean</th><th class="l">flags</th></tr>';
  const rows = report.instances.map((i) => {
    const o = i.overall;
    const share = planned > 0 ? ` (${((100 * i.plannedIterations) / planned).toFixed(1)} %)` : '';
    const errors = o ? formatMetricValue('errorRate', errorRateOf(o, report)) : '—';
    return `<tr><td>${i.index}</td><td class="l">${esc(i.host)}</td><td class="l">${esc(i.status)}${i.error ? `: ${esc(i.error)}` : ''}</td><td>${count(i.plannedIterations)}${share}</td><td>${o ? count(o.requests) : '—'}</td><td>${o ? esc(formatValue('p95Ms', o.latency.p95Ms)) : '—'}</td><td>${errors}</td><td>${o ? count(o.droppedIterations) : '—'}</td><td>${i.startLagMs === null ? '—' : `${i.startLagMs.toFixed(1)} ms`}</td><td>${i.generator ? `${Math.round(i.generator.cpuPercentMean)} % of ${i.generator.cores} cores` : '—'}</td><td class="l">${esc(i.flags.join(', '))}</td></tr>`;
  });
  const skew = report.startSkew.maxMs === null ? '' : `<p class="note">start skew ${report.startSkew.maxMs.toFixed(1)} ms over ${report.startSkew.instances} instances</p>`;
  return `<h2>Split over instances</h2><table>${head}${rows.join('')}</table>${skew}`;
}

function loadSection(report: RunReport): string {
  const l = report.load;
  const rate = (v: number | null) => (v === null ? '—' : `${Math.round(v).toLocaleString('en-US')} req/s`);
  const rows: Array<[string, string]> = [
    ['planned peak / mean rate', `${rate(l.plannedPeakRate)} / ${rate(l.plannedMeanRate)}`],
    ['achieved mean rate', rate(l.achievedMeanRate)],
    ['iterations planned / started / dropped', `${count(l.plannedIterations)} / ${count(l.startedIterations)} / ${count(l.droppedIterations)}`],
    ['requests / events', `${count(l.requests)} / ${count(l.events)}`],
    ...connectionLines(report).map((line): [string, string] => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
  ];
  const t = report.target;
  if (t) {
    rows.push(['target metrics', t.metricsUrl]);
    rows.push(['server requests / events accepted / stored', t.requests === null ? (t.error ?? 'no counts') : `${count(t.requests)} / ${count(t.eventsAccepted ?? 0)} / ${t.eventsStored === null ? '—' : count(t.eventsStored)}`]);
    rows.push(['client requests / events', `${count(t.clientRequests)} / ${count(t.clientEvents)}`]);
  }
  return `<h2>Load</h2><table>${rows.map(([k, v]) => `<tr><th class="l">${esc(k)}</th><td class="l">${esc(v)}</td></tr>`).join('')}</table>`;
}

function phaseBody(report: PhaseReport, charts: ChartSpec[]): string {
  const steps = phaseCharts(report);
  charts.push(...steps);
  const head = '<tr><th>step</th><th>planned</th><th>achieved</th><th>p95</th><th>p99</th><th>errors</th><th class="l">verdict</th><th class="l">judgement</th><th class="l">limited by</th></tr>';
  const rows = report.steps.map((s) => {
    const r = s.report;
    const errors = r ? formatMetricValue('errorRate', errorRateOf(r.overall, r)) : '—';
    const achieved = r?.load.achievedMeanRate == null ? '—' : count(Math.round(r.load.achievedMeanRate));
    return `<tr><td>${s.step}</td><td>${count(s.rate)}</td><td>${achieved}</td><td>${r ? esc(formatValue('p95Ms', r.overall.latency.p95Ms)) : '—'}</td><td>${r ? esc(formatValue('p99Ms', r.overall.latency.p99Ms)) : '—'}</td><td>${errors}</td><td class="l lv-${r?.verdict.outcome ?? 'degraded'}">${esc(r?.verdict.outcome ?? 'no result')}</td><td class="l">${esc(s.judgement.kind)}</td><td class="l">${esc(s.limitedBy ?? '')}</td></tr>`;
  });
  const bp = report.breakpoint;
  const result = bp
    ? `<p><strong>${report.breakingPoint === null ? 'No breaking point' : `Breaking point ≈ ${count(report.breakingPoint)} req/s`}</strong> · last good ${bp.lastGoodRate === null ? '—' : count(bp.lastGoodRate)} req/s · first critical ${bp.firstCriticalRate === null ? '—' : count(bp.firstCriticalRate)} req/s — ${esc(bp.reason)}</p>`
    : '';
  const details = report.steps
    .filter((s) => s.report)
    // A single step is the phase's whole story: shown open.
    .map((s) => `<details${report.steps.length === 1 ? ' open' : ''}><summary>step ${s.step} · ${count(s.rate)} req/s · ${esc(s.report!.verdict.outcome)}</summary>${runBody(s.report!, `step${s.step}-`, charts)}</details>`);
  return [
    `<h2>Steps</h2><table>${head}${rows.join('')}</table>${result}`,
    `<div class="charts">${steps.map((s) => `<div class="chart" id="chart-${esc(s.id)}"></div>`).join('')}</div>`,
    `<h2>Each step's run</h2>${details.join('\n')}`,
  ].join('\n');
}

function comparisonSection(comparison: Comparison): string {
  const head = `<tr><th class="l">scope</th><th class="l">metric</th><th>${esc(comparison.baseline.label)}</th><th>${esc(comparison.current.label)}</th><th>change (worse +)</th><th class="l">level</th></tr>`;
  const rows = comparison.metrics.map(
    (m) =>
      `<tr><td class="l">${m.scope === 'overall' ? 'total' : esc(m.scope)}</td><td class="l">${esc(labelOfMetric(m.metric))}</td><td>${esc(formatMetricValue(m.metric, m.baseline))}</td><td>${esc(formatMetricValue(m.metric, m.current))}</td><td>${esc(formatRegression(m.regression))}</td><td class="l ${m.judged ? `lv-${m.level}` : ''}">${m.judged ? m.level : 'not judged'}</td></tr>`,
  );
  const limits = `warning above +${(comparison.limits.warning * 100).toPrecision(3)} %, critical above +${(comparison.limits.critical * 100).toPrecision(3)} %`;
  const notes = comparison.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('');
  return `<h2>Compared with the baseline</h2><p class="note">${esc(limits)}</p><table>${head}${rows.join('')}</table>${notes}`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
