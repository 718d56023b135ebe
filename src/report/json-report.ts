/**
 * `buildRunReport`: merged results, the verdict and what the orchestrator observed (lost instances,
 * abort, target metrics) → the run report (run-report-types.ts, docs/run-report.md). Pure: times come
 * from the results, the caller writes the file. `verdictInputOfReport` lets `gate` judge a saved report
 * with the same `classifyVerdict`.
 */
import type { MergedResult } from '../merge/merge-results.js';
import type { ConnectionFigures, InstanceResult, LatencySummary, LoadFigures } from '../protocol/instance-result.js';
import { countErrors } from '../protocol/outcomes.js';
import type { TargetMetricsReading } from '../controller/target-metrics.js';
import type { ScenarioPlan } from '../scenario/plan.js';
import { stripeIterationCount } from '../scenario/schedule.js';
import {
  classifyVerdict,
  verdictInputOf,
  type LostInstance,
  type Verdict,
  type VerdictInput,
  type VerdictOptions,
  type VerdictThresholds,
} from '../verdict/classify-verdict.js';
import { targetBacklogOf } from '../verdict/target-backlog.js';
import { tlsFailureOf } from '../verdict/tls-failure.js';
import { instanceTimelineOf } from './instance-timeline.js';
import { arrivalsUntil, firstDueMs, plannedPerSecond } from './planned-load.js';
import { RUN_REPORT_SCHEMA_VERSION, type InstanceFlag, type ReportConnections, type ReportFigures, type ReportInstance, type ReportSecond, type RunReport, type TargetSideCounts } from './run-report-types.js';

export interface BuildRunReportOptions {
  merged: MergedResult;
  thresholds: VerdictThresholds;
  verdictOptions: VerdictOptions;
  /** The plan the instances ran; without it (`loadctl merge`) planned rates and due offsets are unknown. */
  plan?: ScenarioPlan | null;
  /** Instances the runner lost, with why (missing indices without an entry are lost with "no result"). */
  lost?: LostInstance[];
  aborted?: { reason: string; atSecond: number } | null;
  /** Stopped by Ctrl-C / SIGTERM (not by the abort rule). */
  interrupted?: boolean;
  /**
   * ms of the schedule that ran (scheduled start → stop, in the controller's clock) when the run was
   * stopped early; the rates are computed over it. Default: the plan's duration.
   */
  ranMs?: number | null;
  target?: TargetSideCounts | null;
  /** Each instance's runner label by index (`local#0`, `host:port#0`), when a runner started them. */
  runnerLabels?: ReadonlyMap<number, string>;
}

/** Start lag above this marks an instance `late-start` in the table (the skew goal, issue 9). */
const LATE_START_MS = 10;

export function buildRunReport(options: BuildRunReportOptions): RunReport {
  const { merged, plan = null, aborted = null } = options;
  const stoppedEarly = aborted !== null || merged.instances.some((r) => r.status === 'stopped');
  const verdictInput = verdictInputOf(merged, { lost: options.lost ?? [], stoppedEarly });
  const scheduleMs = plan?.durationMs ?? null;
  const ranMs = scheduleMs === null ? null : Math.min(scheduleMs, Math.max(0, options.ranMs ?? scheduleMs));
  const interrupted = options.interrupted === true;
  const verdict = qualifyVerdict(classifyVerdict(verdictInput, options.thresholds, options.verdictOptions), { interrupted, load: { ranMs, plannedDurationMs: scheduleMs } });
  const instances = reportInstances(merged, verdictInput, plan, options.verdictOptions, options.runnerLabels, verdict.limitedInstances ?? []);
  const lags = instances.map((i) => i.startLagMs).filter((lag): lag is number => lag !== null);
  const durationMs = Math.max(0, merged.endedAt - merged.scheduledStartAt);
  const started = merged.overall.iterations - merged.overall.droppedIterations;
  return {
    schemaVersion: RUN_REPORT_SCHEMA_VERSION,
    kind: 'run',
    runId: merged.runId,
    planDigest: merged.planDigest,
    scenario: plan ? { name: plan.name, source: plan.source, targetUrl: plan.targetUrl } : null,
    engine: { ...merged.engine, mixed: merged.mixedEngines },
    startedAt: new Date(merged.scheduledStartAt).toISOString(),
    endedAt: new Date(merged.endedAt).toISOString(),
    durationMs,
    verdict,
    thresholds: options.thresholds,
    verdictOptions: options.verdictOptions,
    generatorLimited: verdict.generatorLimited,
    degraded: verdict.degraded,
    aborted,
    interrupted,
    load: {
      plannedPeakRate: plan?.totalRate ?? null,
      // Over the time that ran, not the planned duration: Ctrl-C at 8 s of 30 s is no "514 of 2,000 req/s".
      plannedMeanRate: plan && ranMs ? iterationsDueWithin(plan, ranMs) / (ranMs / 1000) : null,
      achievedMeanRate: ranMs ? started / (ranMs / 1000) : null,
      ranMs,
      plannedDurationMs: scheduleMs,
      plannedIterations: plan ? plannedIterationsOf(plan) : merged.plannedIterations,
      startedIterations: started,
      droppedIterations: merged.overall.droppedIterations,
      requests: merged.overall.requests,
      events: merged.overall.events,
    },
    startSkew: { maxMs: lags.length > 0 ? Math.max(...lags) - Math.min(...lags) : null, instances: lags.length },
    overall: figuresOf(merged.overall),
    subScenarios: Object.fromEntries(Object.entries(merged.subScenarios).map(([name, figures]) => [name, figuresOf(figures)])),
    instances,
    timeline: timelineOf(merged, plan, options.verdictOptions.errorClasses),
    target: options.target ?? null,
    ...(merged.connections ? { connections: reportConnectionsOf(merged.connections) } : {}),
  };
}

function reportConnectionsOf(connections: ConnectionFigures): ReportConnections {
  const bare = ({ distribution: _distribution, ...summary }: LatencySummary) => summary;
  return {
    addresses: connections.addresses,
    opened: connections.opened,
    connectMs: bare(connections.connectMs),
    tls: connections.tls ? { ...connections.tls, handshakeMs: bare(connections.tls.handshakeMs) } : null,
  };
}

/** The verdict's input from a saved report (what `gate` judges). */
export function verdictInputOfReport(report: RunReport): VerdictInput {
  return {
    overall: { ...report.overall, backlog: targetBacklogOf(report.timeline), ...tlsFailureOf(report.connections?.tls ?? null) },
    subScenarios: report.subScenarios,
    instances: report.instances.map((i) => ({
      index: i.index,
      host: i.host,
      status: i.status,
      error: i.error,
      plannedIterations: i.plannedIterations,
      iterations: i.overall?.iterations ?? 0,
      droppedIterations: i.overall?.droppedIterations ?? 0,
      ...(i.overall?.targetBoundDrops !== undefined ? { targetBoundDrops: i.overall.targetBoundDrops } : {}),
      generator: i.generator,
    })),
    stoppedEarly: report.aborted !== null || report.instances.some((i) => i.status === 'stopped'),
  };
}

export function figuresOf(figures: LoadFigures): ReportFigures {
  const { distribution: _distribution, ...latency } = figures.latency;
  return { ...figures, latency };
}

function plannedIterationsOf(plan: ScenarioPlan): number {
  return plan.subScenarios.reduce((sum, sub) => sum + sub.iterations, 0);
}

/** Iterations the plan had due in its first `ranMs` (all of them when the schedule ran to its end). */
function iterationsDueWithin(plan: ScenarioPlan, ranMs: number): number {
  if (ranMs >= plan.durationMs) return plannedIterationsOf(plan);
  return plan.subScenarios.reduce((sum, sub) => sum + arrivalsUntil(sub.schedule, ranMs - sub.startTimeMs), 0);
}

/**
 * An interrupted run's verdict says so in its headline, and how much of the plan it covers (issue 18):
 * `run` and `gate` (which judges again) both pass their verdict through here.
 */
export function qualifyVerdict(verdict: Verdict, report: Pick<RunReport, 'interrupted'> & { load: Pick<RunReport['load'], 'ranMs' | 'plannedDurationMs'> }): Verdict {
  if (report.interrupted !== true) return verdict;
  const { ranMs, plannedDurationMs } = report.load;
  const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
  const covered = ranMs != null && plannedDurationMs != null ? ` after ${seconds(ranMs)} of ${seconds(plannedDurationMs)} planned; this verdict covers only those ${seconds(ranMs)}` : '; this verdict covers only the part that ran';
  return { ...verdict, headline: `interrupted${covered} — ${verdict.headline}` };
}

function reportInstances(
  merged: MergedResult,
  input: VerdictInput,
  plan: ScenarioPlan | null,
  verdictOptions: VerdictOptions,
  runnerLabels: ReadonlyMap<number, string> | undefined,
  limitedInstances: readonly number[],
): ReportInstance[] {
  const byIndex = new Map(merged.instances.map((r) => [r.instance.index, r]));
  return input.instances.map((health) => {
    const result = byIndex.get(health.index);
    const startLagMs = result ? startLagOf(result, plan) : null;
    const runner = runnerLabels?.get(health.index);
    const base: ReportInstance = {
      index: health.index,
      host: health.host,
      ...(runner ? { runner } : {}),
      status: health.status,
      error: health.error,
      engine: result?.engine ?? null,
      plannedIterations: plan && !result ? plannedStripe(plan, health.index, merged.instanceCount) : health.plannedIterations,
      overall: result ? figuresOf(result.overall) : null,
      subScenarios: result ? Object.fromEntries(Object.entries(result.subScenarios).map(([name, f]) => [name, figuresOf(f)])) : {},
      startLagMs,
      generator: result
        ? {
            limited: result.generator.limited,
            reasons: result.generator.reasons,
            scheduleLagP99Ms: result.generator.scheduleLag.p99Ms,
            cpuPercentMean: result.generator.cpuPercentMean,
            cpuPercentMax: result.generator.cpuPercentMax,
            cores: result.generator.cores,
            rssBytesMax: result.generator.rssBytesMax,
          }
        : null,
      flags: [],
      timeline: result ? instanceTimelineOf(result, verdictOptions.errorClasses) : [],
    };
    base.flags = flagsOf(base, verdictOptions, limitedInstances);
    return base;
  });
}

function plannedStripe(plan: ScenarioPlan, index: number, count: number): number {
  return plan.subScenarios.reduce((sum, sub) => sum + stripeIterationCount(sub.iterations, index, count), 0);
}

/** First send − (scheduled start + this stripe's first due time): the instance's own start error. */
function startLagOf(result: InstanceResult, plan: ScenarioPlan | null): number | null {
  if (result.firstSendAt === null) return null;
  const due = plan ? firstDueMs(plan, result.instance.index, result.instance.count) : 0;
  return result.firstSendAt - (result.scheduledStartAt + (due ?? 0));
}

function flagsOf(instance: ReportInstance, verdictOptions: VerdictOptions, limitedInstances: readonly number[]): InstanceFlag[] {
  const flags: InstanceFlag[] = [];
  if (instance.status === 'lost' || instance.status === 'failed' || instance.status === 'stopped') flags.push(instance.status);
  if (instance.generator?.limited || limitedInstances.includes(instance.index)) flags.push('generator-limited');
  if ((instance.overall?.droppedIterations ?? 0) > 0) flags.push('dropped');
  if ((instance.generator?.scheduleLagP99Ms ?? 0) > verdictOptions.generator.scheduleLagP99Ms) flags.push('lagging');
  if (instance.startLagMs !== null && Math.abs(instance.startLagMs) > LATE_START_MS) flags.push('late-start');
  return flags;
}

function timelineOf(merged: MergedResult, plan: ScenarioPlan | null, errorClasses: VerdictOptions['errorClasses']): ReportSecond[] {
  return merged.timeline.map((second) => ({
    second: second.second,
    requests: second.requests,
    plannedRequests: plan ? plannedPerSecond(plan, second.second) : null,
    errors: countErrors(second.outcomes, errorClasses),
    outcomes: second.outcomes,
    droppedIterations: second.droppedIterations,
    ...(second.targetBoundDrops !== undefined ? { targetBoundDrops: second.targetBoundDrops } : {}),
    ...(second.started !== undefined ? { started: second.started } : {}),
    ...(second.bytesSent !== undefined ? { bytesSent: second.bytesSent } : {}),
    ...(second.bytesReceived !== undefined ? { bytesReceived: second.bytesReceived } : {}),
    p50Ms: second.p50Ms,
    p95Ms: second.p95Ms,
    p99Ms: second.p99Ms,
    cpuPercent: second.cpuPercent ?? null,
    inFlight: second.inFlight ?? null,
  }));
}

/**
 * The target-side view from the orchestrator's Prometheus scrapes: counts are the last reading minus
 * the first (the baseline taken before the start), per second likewise between consecutive readings.
 */
export function targetCountsOf(
  metricsUrl: string,
  readings: readonly TargetMetricsReading[],
  startAt: number,
  client: { requests: number; events: number },
  error: string | null,
): TargetSideCounts {
  const first = readings[0];
  const last = readings[readings.length - 1];
  const enough = first !== undefined && last !== undefined && readings.length >= 2;
  const requestsByStatus: Record<string, number> = {};
  if (enough) for (const [status, count] of Object.entries(last.requestsByStatus)) requestsByStatus[status] = count - (first.requestsByStatus[status] ?? 0);
  const timeline = readings.slice(1).map((reading, i) => ({
    second: Math.floor((reading.at - startAt) / 1000),
    requests: reading.requests - readings[i]!.requests,
    eventsAccepted: reading.eventsAccepted - readings[i]!.eventsAccepted,
    bufferSize: reading.bufferSize,
    bufferCapacity: reading.bufferCapacity,
  }));
  return {
    metricsUrl,
    error: error ?? (enough ? null : 'fewer than two scrapes: no counts'),
    requests: enough ? last.requests - first.requests : null,
    requestsByStatus,
    eventsAccepted: enough ? last.eventsAccepted - first.eventsAccepted : null,
    eventsStored: enough && last.eventsStored !== null && first.eventsStored !== null ? last.eventsStored - first.eventsStored : null,
    clientRequests: client.requests,
    clientEvents: client.events,
    timeline,
  };
}
