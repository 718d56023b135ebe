/**
 * Which per-second samples are whole seconds of load (issue 18). A second is whole when it ends within
 * the time that ran: the schedule, or scheduled start → stop for an interrupted or aborted run.
 *
 * Partial seconds are dropped from per-second views (the live view, the HTML charts), not scaled by
 * their length: the trailing one mostly holds in-flight stragglers that were *sent* in the second
 * before (after a stop, or after the schedule's end), so dividing its count by its length is no rate
 * either, and its p99 is the slowest stragglers'. Totals and the JSON timeline still count every request.
 */
import type { ReportInstance, RunReport } from './run-report-types.js';

/** Second `second` (0-based, since the scheduled start) lies wholly within the first `ranMs`. */
export function isWholeSecond(second: number, ranMs: number): boolean {
  return (second + 1) * 1000 <= ranMs;
}

/**
 * The report with only whole seconds in its fleet and instance timelines, for plotting. Reports without
 * `load.ranMs` (written before it, or merged without the plan) are returned as they are.
 */
export function wholeSecondsOfReport(report: RunReport): RunReport {
  const ranMs = report.load.ranMs;
  if (ranMs === undefined || ranMs === null) return report;
  const keep = (s: { second: number }) => isWholeSecond(s.second, ranMs);
  const instances = report.instances.map((instance): ReportInstance => (instance.timeline ? { ...instance, timeline: instance.timeline.filter(keep) } : instance));
  return { ...report, timeline: report.timeline.filter(keep), instances };
}
