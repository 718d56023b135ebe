/**
 * The HTML report's per-instance timelines: requests/s, p95 and generator CPU of each instance by the
 * second (`ReportInstance.timeline`), so one slow or overloaded generator shows *when* it fell behind.
 * Pure: report in, chart specs out (drawn by html-report-template.ts).
 *
 * Host names come from config and end up in series labels as they are: the specs travel as JSON
 * escaped by `jsonInScript` and uPlot writes labels with `textContent`, so a hostile name stays text
 * (HTML-escaping here would show `&lt;` literally instead).
 */
import type { ChartSeries, ChartSpec } from './html-report-chart-spec.js';
import { instanceHost } from './instance-host.js';
import type { ReportInstance, ReportInstanceSecond, RunReport } from './run-report-types.js';

/**
 * At most this many instances get a line of their own. Beyond it (a 64-instance fleet) a chart shows
 * the worst ones by its own measure plus the median of all instances, and says so in its title:
 * 64 lines and a 64-entry legend would hide exactly the outlier the chart is for, while "the worst
 * few against the typical one" is the question a reader asks of a fleet.
 */
export const MAX_INSTANCE_LINES = 8;

/** Distinct hues for up to MAX_INSTANCE_LINES lines, in the order the lines are listed. */
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4d7c0f'];
/** The plan's share grey as in the fleet's rate chart; the fleet median dark, both dashed. */
const PLANNED_COLOR = '#8a8f98';
const MEDIAN_COLOR = '#111827';

type Timed = ReportInstance & { timeline: ReportInstanceSecond[] };

interface InstanceMeasure {
  id: string;
  title: string;
  yLabel: string;
  value: (second: ReportInstanceSecond) => number | null;
  /** Higher is worse: which instances get a line when not all can. */
  badness: (instance: Timed) => number;
  /** What "worst" means, for the title. */
  worstBy: string;
}

const peak = (instance: Timed, pick: (s: ReportInstanceSecond) => number | null) => Math.max(0, ...instance.timeline.map((s) => pick(s) ?? 0));

const MEASURES: InstanceMeasure[] = [
  {
    id: 'instance-rate',
    title: 'Per instance: requests per second',
    yLabel: 'req/s',
    value: (s) => s.requests,
    // Furthest below its own stripe: sent the smallest share of its planned iterations.
    badness: (i) => (i.plannedIterations > 0 ? 1 - i.timeline.reduce((sum, s) => sum + s.requests, 0) / i.plannedIterations : 0),
    worstBy: 'furthest below their planned share',
  },
  { id: 'instance-p95', title: 'Per instance: p95 latency per second', yLabel: 'p95 ms', value: (s) => s.p95Ms, badness: (i) => peak(i, (s) => s.p95Ms), worstBy: 'highest peak p95' },
  { id: 'instance-cpu', title: 'Per instance: generator CPU', yLabel: 'CPU % of one core', value: (s) => s.cpuPercent, badness: (i) => peak(i, (s) => s.cpuPercent), worstBy: 'highest peak CPU' },
];

/** The per-instance timeline charts; none for a report without instance timelines (written before them). */
export function instanceTimelineCharts(report: RunReport, prefix: string): ChartSpec[] {
  const timed = report.instances.filter((i): i is Timed => (i.timeline?.length ?? 0) > 0);
  if (timed.length === 0) return [];
  const x = [...new Set(timed.flatMap((i) => i.timeline.map((s) => s.second)))].sort((a, b) => a - b);
  const missing = report.instances.filter((i) => (i.timeline?.length ?? 0) === 0).map((i) => i.index);
  const charts: ChartSpec[] = [];
  for (const measure of MEASURES) {
    // CPU only when an engine measured it (k6 does not).
    if (!timed.some((i) => i.timeline.some((s) => measure.value(s) !== null))) continue;
    const shown = worstOf(timed, measure);
    const series = shown.map((instance, n): ChartSeries => ({ label: `${instance.index} · ${instanceHost(instance)}`, values: valuesOn(x, instance, measure), color: PALETTE[n % PALETTE.length]!, scale: 'y' }));
    if (shown.length < timed.length) series.push({ label: `median of all ${timed.length} instances`, values: medianOn(x, timed, measure), color: MEDIAN_COLOR, scale: 'y', dash: true });
    if (measure.id === 'instance-rate') series.push(...plannedShare(report, x));
    const notes = [
      shown.length < timed.length ? `the ${shown.length} of ${timed.length} instances ${measure.worstBy} shown` : '',
      missing.length > 0 ? `no timeline for ${listOf(missing)}` : '',
    ].filter((note) => note !== '');
    charts.push({ id: `${prefix}${measure.id}`, title: `${measure.title}${notes.length > 0 ? ` — ${notes.join('; ')}` : ''}`, xLabel: 'second', yLabel: measure.yLabel, x, series });
  }
  return charts;
}

/** "instance 3" / "instances 3, 7, 9 and 4 more": lost instances (or a report from before instance timelines). */
function listOf(indices: readonly number[]): string {
  const named = indices.slice(0, 3).join(', ');
  const more = indices.length > 3 ? ` and ${indices.length - 3} more` : '';
  return `${indices.length === 1 ? 'instance' : 'instances'} ${named}${more}`;
}

/** Every instance when they fit, else the worst by the chart's measure; listed by index either way. */
function worstOf(timed: readonly Timed[], measure: InstanceMeasure): Timed[] {
  if (timed.length <= MAX_INSTANCE_LINES) return [...timed];
  const ranked = [...timed].sort((a, b) => measure.badness(b) - measure.badness(a) || a.index - b.index);
  return ranked.slice(0, MAX_INSTANCE_LINES).sort((a, b) => a.index - b.index);
}

/** The instance's value at each x; null where it has no sample (drawn as a gap, not as 0). */
function valuesOn(x: readonly number[], instance: Timed, measure: InstanceMeasure): Array<number | null> {
  const bySecond = new Map(instance.timeline.map((s) => [s.second, s]));
  return x.map((second) => {
    const sample = bySecond.get(second);
    return sample ? measure.value(sample) : null;
  });
}

/** Per second, the median over the instances that have a sample that second. */
function medianOn(x: readonly number[], timed: readonly Timed[], measure: InstanceMeasure): Array<number | null> {
  const columns = timed.map((instance) => valuesOn(x, instance, measure));
  return x.map((_, at) => {
    const values = columns.map((column) => column[at]).filter((v): v is number => v !== null && v !== undefined).sort((a, b) => a - b);
    if (values.length === 0) return null;
    const middle = Math.floor(values.length / 2);
    return values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
  });
}

/**
 * The plan's rate over the instance count: each stripe holds every N-th iteration, so its share
 * differs from the even one by at most one iteration per sub-scenario over the whole run — exact
 * enough for a reference line, and free (the fleet timeline already has the planned rate).
 */
function plannedShare(report: RunReport, x: readonly number[]): ChartSeries[] {
  if (!report.timeline.some((s) => s.plannedRequests !== null)) return [];
  const planned = new Map(report.timeline.map((s) => [s.second, s.plannedRequests]));
  const count = report.instances.length;
  const values = x.map((second) => {
    const total = planned.get(second);
    return total === null || total === undefined ? null : total / count;
  });
  return [{ label: 'planned req/s per instance', values, color: PLANNED_COLOR, scale: 'y', dash: true }];
}
