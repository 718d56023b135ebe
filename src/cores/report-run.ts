/**
 * A finished `runTest` → the run report: merge every delivered InstanceResult, name the lost ones,
 * add the target's own counts, judge. Shared by `run` and every `phase` step, so a step's report is
 * exactly a run's.
 */
import { mergeInstanceResults } from '../merge/merge-results.js';
import { buildRunReport, targetCountsOf } from '../report/json-report.js';
import type { RunReport } from '../report/run-report-types.js';
import type { InstanceResult } from '../protocol/instance-result.js';
import { thresholdsOfPlan, type VerdictOptions } from '../verdict/classify-verdict.js';
import type { ThresholdLevels } from '../verdict/threshold-levels.js';
import type { RunTestResult } from '../controller/run-test.js';

export interface ReportRunOptions {
  /** The config's levels for the fleet-wide figures (sub-scenarios carry their own in the plan). */
  thresholds: ThresholdLevels;
  verdictOptions: VerdictOptions;
}

/** Null when no instance delivered a result: there is nothing to judge (the caller says why). */
export function reportRun(run: RunTestResult, options: ReportRunOptions): RunReport | null {
  const results = run.instances.map((instance) => instance.result).filter((result): result is InstanceResult => result !== null);
  if (results.length === 0) return null;
  const merged = mergeInstanceResults(results);
  const lost = run.instances.filter((instance) => instance.result === null).map((instance) => ({ index: instance.index, host: instance.host, reason: instance.lostReason ?? 'no result' }));
  return buildRunReport({
    merged,
    plan: run.plan,
    thresholds: thresholdsOfPlan(run.plan, options.thresholds),
    verdictOptions: options.verdictOptions,
    lost,
    runnerLabels: new Map(run.instances.map((instance) => [instance.index, instance.label])),
    aborted: run.aborted ? { reason: run.aborted.reason, atSecond: run.aborted.atSecond } : null,
    interrupted: run.aborted?.by === 'interrupt',
    ranMs: run.ranMs,
    target: run.target.url
      ? targetCountsOf(run.target.url, run.target.readings, run.startAt, { requests: merged.overall.requests, events: merged.overall.events }, run.target.error)
      : null,
  });
}
