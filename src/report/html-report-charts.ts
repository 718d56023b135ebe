/**
 * The plots of the HTML report as data: which charts a report has and their series, computed here
 * (pure, testable) and drawn in the page by uPlot (html-report-template.ts). A chart appears only
 * when the report has its data: target-side counts only when scraped, generator health only when
 * the instances sent it, per-instance timelines only when the report has them.
 */
import { errorRateOf } from '../compare/compare-reports.js';
import type { PhaseReport } from '../phases/phase-report-types.js';
import { OUTCOME_CLASSES } from '../protocol/outcomes.js';
import type { ChartSeries, ChartSpec } from './html-report-chart-spec.js';
import { instanceTimelineCharts } from './html-report-instance-charts.js';
import type { RunReport } from './run-report-types.js';
import { wholeSecondsOfReport } from './whole-seconds.js';

const COLORS = { planned: '#8a8f98', achieved: '#2563eb', p50: '#16a34a', p95: '#d97706', p99: '#dc2626', warning: '#eab308', critical: '#b91c1c', server: '#7c3aed', buffer: '#0891b2' };
const CLASS_COLORS: Record<string, string> = { '429': '#f59e0b', '503': '#ef4444', '4xx': '#a855f7', '5xx': '#b91c1c', timeout: '#0ea5e9', refused: '#111827', tls: '#db2777', network: '#64748b' };

/** The charts of one run report; `prefix` keeps ids unique when a phase shows several runs. */
export function runCharts(fullReport: RunReport, prefix = ''): ChartSpec[] {
  // Per-second charts plot whole seconds only: a partial last second is no full one (whole-seconds.ts).
  const report = wholeSecondsOfReport(fullReport);
  const charts = [rateChart(report, prefix), latencyChart(report, prefix), errorChart(report, prefix)];
  const target = targetChart(report, prefix);
  if (target) charts.push(target);
  const generator = generatorChart(report, prefix);
  if (generator) charts.push(generator);
  // The per-instance timelines go under the per-instance bars: totals first, then when.
  if (report.instances.length > 0) charts.push(...instanceCharts(report, prefix), ...instanceTimelineCharts(report, prefix));
  return charts.filter((chart) => chart.x.length > 0);
}

function seconds(report: RunReport): number[] {
  return report.timeline.map((s) => s.second);
}

function rateChart(report: RunReport, prefix: string): ChartSpec {
  const series: ChartSeries[] = [];
  if (report.timeline.some((s) => s.plannedRequests !== null)) series.push({ label: 'planned req/s', values: report.timeline.map((s) => s.plannedRequests), color: COLORS.planned, scale: 'y', dash: true });
  series.push({ label: 'achieved req/s', values: report.timeline.map((s) => s.requests), color: COLORS.achieved, scale: 'y' });
  if (report.timeline.some((s) => s.droppedIterations > 0)) series.push({ label: 'dropped iterations/s', values: report.timeline.map((s) => s.droppedIterations), color: COLORS.p99, scale: 'y' });
  return { id: `${prefix}rate`, title: 'Requests per second: planned vs achieved (all instances)', xLabel: 'second', yLabel: 'req/s', x: seconds(report), series };
}

function latencyChart(report: RunReport, prefix: string): ChartSpec {
  const constant = (value: number | null) => report.timeline.map(() => value);
  const levels = report.thresholds.overall.p95Ms;
  const series: ChartSeries[] = [
    { label: 'p50 ms', values: report.timeline.map((s) => s.p50Ms), color: COLORS.p50, scale: 'y' },
    { label: 'p95 ms', values: report.timeline.map((s) => s.p95Ms), color: COLORS.p95, scale: 'y' },
    { label: 'p99 ms', values: report.timeline.map((s) => s.p99Ms), color: COLORS.p99, scale: 'y' },
  ];
  // A limit far above every measured value would flatten the data to the axis: draw a limit line
  // only when the data reaches half of it, and name the others in the title.
  const highest = Math.max(0, ...report.timeline.map((s) => s.p99Ms));
  const offScale: string[] = [];
  for (const [name, limit, color] of [['warning', levels.warning, COLORS.warning], ['critical', levels.critical, COLORS.critical]] as const) {
    if (limit === null) continue;
    if (highest >= limit / 2) series.push({ label: `p95 ${name} limit`, values: constant(limit), color, scale: 'y', dash: true });
    else offScale.push(`${name} ${Math.round(limit).toLocaleString('en-US')} ms`);
  }
  const note = offScale.length > 0 ? ` — p95 limits off the scale: ${offScale.join(', ')}` : '';
  return { id: `${prefix}latency`, title: `Latency per second (p50 / p95 / p99)${note}`, xLabel: 'second', yLabel: 'ms', x: seconds(report), series };
}

/** One line per error class that occurred, plus the total the verdict counts. */
function errorChart(report: RunReport, prefix: string): ChartSpec {
  const classes = OUTCOME_CLASSES.filter((outcome) => outcome !== '2xx' && report.timeline.some((s) => s.outcomes[outcome] > 0));
  const series: ChartSeries[] = [{ label: 'errors/s (verdict)', values: report.timeline.map((s) => s.errors), color: '#111827', scale: 'y' }];
  for (const outcome of classes) series.push({ label: `${outcome}/s`, values: report.timeline.map((s) => s.outcomes[outcome]), color: CLASS_COLORS[outcome] ?? '#64748b', scale: 'y', dash: true });
  return { id: `${prefix}errors`, title: 'Errors per second by class', xLabel: 'second', yLabel: 'requests/s', x: seconds(report), series };
}

/** The target's own counts beside the client's, and its buffer fill, by the second. */
function targetChart(report: RunReport, prefix: string): ChartSpec | null {
  const timeline = report.target?.timeline ?? [];
  if (timeline.length === 0) return null;
  const x = [...new Set([...timeline.map((t) => t.second), ...seconds(report)])].sort((a, b) => a - b);
  const server = new Map(timeline.map((t) => [t.second, t]));
  const client = new Map(report.timeline.map((s) => [s.second, s.requests]));
  const series: ChartSeries[] = [
    { label: 'server req/s', values: x.map((s) => server.get(s)?.requests ?? null), color: COLORS.server, scale: 'y' },
    { label: 'client req/s', values: x.map((s) => client.get(s) ?? null), color: COLORS.achieved, scale: 'y', dash: true },
    { label: 'server events accepted/s', values: x.map((s) => server.get(s)?.eventsAccepted ?? null), color: COLORS.p50, scale: 'y' },
  ];
  const hasBuffer = timeline.some((t) => t.bufferSize !== null && t.bufferCapacity);
  if (hasBuffer) {
    const fill = (s: number) => {
      const t = server.get(s);
      return t && t.bufferSize !== null && t.bufferCapacity ? (100 * t.bufferSize) / t.bufferCapacity : null;
    };
    series.push({ label: 'buffer fill %', values: x.map(fill), color: COLORS.buffer, scale: 'y2' });
  }
  return { id: `${prefix}target`, title: 'Target (server-side counts from its metrics endpoint)', xLabel: 'second', yLabel: 'per second', ...(hasBuffer ? { y2Label: 'buffer fill %' } : {}), x, series };
}

function generatorChart(report: RunReport, prefix: string): ChartSpec | null {
  const cpu = report.timeline.some((s) => s.cpuPercent !== null);
  const inFlight = report.timeline.some((s) => s.inFlight !== null);
  if (!cpu && !inFlight) return null;
  const series: ChartSeries[] = [];
  if (cpu) series.push({ label: 'generator CPU % (sum over instances)', values: report.timeline.map((s) => s.cpuPercent), color: COLORS.server, scale: 'y' });
  if (inFlight) series.push({ label: 'requests in flight', values: report.timeline.map((s) => s.inFlight), color: COLORS.achieved, scale: 'y2' });
  return { id: `${prefix}generator`, title: 'Generator health', xLabel: 'second', yLabel: cpu ? 'CPU %' : 'in flight', ...(cpu && inFlight ? { y2Label: 'in flight' } : {}), x: seconds(report), series };
}

/** The split: what each instance was given and what it did (lost instances show as gaps). */
function instanceCharts(report: RunReport, prefix: string): ChartSpec[] {
  const x = report.instances.map((i) => i.index);
  const load: ChartSpec = {
    id: `${prefix}instances`,
    title: 'Per instance: planned iterations vs requests sent',
    xLabel: 'instance',
    yLabel: 'count',
    x,
    series: [
      { label: 'planned iterations', values: report.instances.map((i) => i.plannedIterations), color: COLORS.planned, scale: 'y', bars: -1 },
      { label: 'requests', values: report.instances.map((i) => i.overall?.requests ?? null), color: COLORS.achieved, scale: 'y', bars: 1 },
    ],
  };
  const errors = (i: RunReport['instances'][number]) => percentOf(i.overall ? errorRateOf(i.overall, report) : null);
  const quality: ChartSpec = {
    id: `${prefix}instance-latency`,
    title: 'Per instance: p95 and error rate',
    xLabel: 'instance',
    yLabel: 'p95 ms',
    y2Label: 'errors %',
    x,
    series: [
      { label: 'p95 ms', values: report.instances.map((i) => (i.overall && i.overall.latency.count > 0 ? i.overall.latency.p95Ms : null)), color: COLORS.p95, scale: 'y', bars: -1 },
      { label: 'errors %', values: report.instances.map(errors), color: COLORS.p99, scale: 'y2', bars: 1 },
    ],
  };
  return [load, quality];
}

/** Phase steps by planned rate: latency and errors against load, the breaking point marked. */
export function phaseCharts(report: PhaseReport): ChartSpec[] {
  const steps = [...report.steps].filter((s) => s.report).sort((a, b) => a.rate - b.rate);
  // One step is one point: its own run's charts say more (a single-step phase shows them open).
  if (steps.length < 2) return [];
  const x = steps.map((s) => s.rate);
  const marker = report.breakingPoint === null ? {} : { marker: { x: report.breakingPoint, label: `breaking point ≈ ${Math.round(report.breakingPoint).toLocaleString('en-US')} req/s` } };
  const errorPercent = (r: RunReport) => percentOf(errorRateOf(r.overall, r));
  const latency: ChartSpec = {
    id: 'steps-latency',
    title: 'Steps: planned rate vs p95 / p99 and errors',
    xLabel: 'step rate (req/s)',
    yLabel: 'ms',
    y2Label: 'errors %',
    x,
    series: [
      { label: 'p95 ms', values: steps.map((s) => s.report!.overall.latency.p95Ms), color: COLORS.p95, scale: 'y' },
      { label: 'p99 ms', values: steps.map((s) => s.report!.overall.latency.p99Ms), color: COLORS.p99, scale: 'y' },
      { label: 'errors %', values: steps.map((s) => errorPercent(s.report!)), color: '#111827', scale: 'y2', dash: true },
    ],
    ...marker,
  };
  const rate: ChartSpec = {
    id: 'steps-rate',
    title: 'Steps: planned vs achieved rate',
    xLabel: 'step rate (req/s)',
    yLabel: 'req/s',
    x,
    series: [
      { label: 'planned req/s', values: x, color: COLORS.planned, scale: 'y', dash: true },
      { label: 'achieved req/s', values: steps.map((s) => s.report!.load.achievedMeanRate), color: COLORS.achieved, scale: 'y' },
    ],
    ...marker,
  };
  return [latency, rate];
}

function percentOf(fraction: number | null): number | null {
  return fraction === null ? null : 100 * fraction;
}
