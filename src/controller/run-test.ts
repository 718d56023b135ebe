/**
 * `runTest`: one load test over a run's instances, engine- and runner-neutral. Reads as its steps: split the
 * plan, launch and prepare every instance, align clocks, start all at one instant, watch (live view,
 * target metrics, abort rule, Ctrl-C), collect every result or loss. Judging and reporting are the
 * caller's (`buildRunReport`), so `phase` can call this once per step.
 */
import type { TlsMaterial } from '../net/tls-material.js';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PrepareOptions, ProgressSample } from '../protocol/agent-protocol.js';
import type { InstancePlan, ScenarioPlan } from '../scenario/plan.js';
import type { Runner } from '../runners/types.js';
import { DEFAULT_ABORT_RULE, evaluateAbortRule, type AbortRule } from './abort-rule.js';
import { DEFAULT_LAUNCH_TIMEOUTS, LaunchedInstances, type LaunchTimeouts, type InstanceOutcome } from './launched-instances.js';
import { FleetTimeline, type FleetSecond } from './fleet-timeline.js';
import { TargetMetricsWatcher, type TargetMetricsReading } from './target-metrics.js';
import type { LiveState } from '../report/live-view.js';
import { isWholeSecond } from '../report/whole-seconds.js';

export interface RunTestOptions {
  plan: ScenarioPlan;
  /** The split (from `splitPlan`): one InstancePlan per instance, all with the same runId. */
  instancePlans: InstancePlan[];
  runner: Runner;
  /** Worker threads per instance (default: the agent's, one per core). */
  workersPerInstance?: number;
  /** Prometheus endpoint of the target, or null for none. */
  targetMetricsUrl: string | null;
  abortRule?: AbortRule;
  /** Directory for per-instance raw samples (`raw-<index>.jsonl`), oracle mode. */
  rawSamplesDir?: string;
  /** The compiled k6 script, for k6 agents (`loadctl agent --engine k6`). */
  k6Script?: string;
  /** https targets: the CA and client certificate every agent gets in `prepare` (readTlsFiles). */
  tls?: TlsMaterial;
  /** Aborting it (Ctrl-C) stops every instance; the result is partial and says so. */
  signal?: AbortSignal;
  timeouts?: Partial<LaunchTimeouts>;
  /** Called once per combined fleet second. */
  onSecond?: (state: LiveState) => void;
  /** Progress of the steps before the load starts (launching, preparing…). */
  onStep?: (message: string) => void;
}

export interface RunAbort {
  by: 'critical' | 'interrupt';
  reason: string;
  /** Seconds since the start when it happened. */
  atSecond: number;
}

export interface RunTestResult {
  plan: ScenarioPlan;
  instancePlans: InstancePlan[];
  runId: string;
  instances: InstanceOutcome[];
  /** The fleet's live per-second view (the report rebuilds exact per-second figures from results). */
  liveTimeline: FleetSecond[];
  target: { url: string | null; readings: TargetMetricsReading[]; error: string | null };
  aborted: RunAbort | null;
  /** ms of the schedule that ran: the plan's duration, or start → stop when aborted or interrupted. */
  ranMs: number;
  /** Controller epoch ms: the instant every instance was told to start, and when the last result arrived. */
  startAt: number;
  endedAt: number;
}

/** Lead time between the start command and the start instant, so every instance receives it in time. */
const START_LEAD_MS = 500;

export async function runTest(options: RunTestOptions): Promise<RunTestResult> {
  const timeouts = { ...DEFAULT_LAUNCH_TIMEOUTS, ...options.timeouts };
  const step = options.onStep ?? (() => {});
  const count = options.instancePlans.length;
  throwIfInterrupted(options.signal);

  step(`launching ${count} instance${count === 1 ? '' : 's'} (${options.runner.kind})`);
  const instances = await LaunchedInstances.launch(options.runner, count, timeouts);
  const cancelStartup = () => void instances.shutdown(0);
  options.signal?.addEventListener('abort', cancelStartup, { once: true });
  try {
    step(`preparing (payload pools, connections) on the ${instances.engines.join(' and ')} engine`);
    await instances.prepare(options.instancePlans, (index) => prepareOptions(options, index), timeouts);
    step('aligning clocks');
    await instances.syncClocks();
  } finally {
    options.signal?.removeEventListener('abort', cancelStartup);
  }
  throwIfInterrupted(options.signal);

  const watcher = options.targetMetricsUrl ? new TargetMetricsWatcher(options.targetMetricsUrl) : null;
  await watcher?.start();
  const startAt = Date.now() + START_LEAD_MS + instances.maxRttMs();
  const watch = watchRun(instances, options, startAt);
  instances.start(startAt);
  step(`started ${count} instance${count === 1 ? '' : 's'} at ${new Date(startAt).toISOString()}`);

  const outcomes = await watch.untilDone(startAt, options.plan.durationMs, timeouts);
  await watcher?.stop();
  watch.timeline.flushAll();
  return {
    plan: options.plan,
    instancePlans: options.instancePlans,
    runId: options.instancePlans[0]?.runId ?? '',
    instances: outcomes,
    liveTimeline: watch.timeline.seconds,
    target: { url: options.targetMetricsUrl, readings: watcher?.readings ?? [], error: watcher?.firstError ?? null },
    aborted: watch.aborted(),
    ranMs: watch.ranMs(),
    startAt,
    endedAt: Date.now(),
  };
}

/** A fresh run id: makes event ids unique across runs (the target dedups on them). */
export function newRunId(): string {
  return randomUUID().slice(0, 8);
}

/** Wires the live timeline, the abort rule and Ctrl-C to a fleet about to start at `startAt`. */
function watchRun(instances: LaunchedInstances, options: RunTestOptions, startAt: number) {
  const rule = options.abortRule ?? DEFAULT_ABORT_RULE;
  let aborted: RunAbort | null = null;
  let stoppedAt: number | null = null;
  const ranMs = () => Math.min(options.plan.durationMs, stoppedAt === null ? Infinity : Math.max(0, stoppedAt - startAt));
  let alive = instances.connections.length;
  let dropped = 0;
  let stopRequested: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const stopAll = (abort: RunAbort) => {
    if (aborted) return;
    aborted = abort;
    stoppedAt = Date.now();
    instances.stop(abort.reason);
    stopRequested!();
  };
  const timeline = new FleetTimeline(instances.connections.length, (second) => {
    dropped += second.droppedIterations;
    // The live view shows whole seconds only: never the stop's partial second or the stragglers after the end.
    if (isWholeSecond(second.second, ranMs())) options.onSecond?.({ latest: second, recentP95Ms: timeline.recentP95Ms(5), droppedTotal: dropped, instancesAlive: alive });
    const decision = evaluateAbortRule(timeline.seconds, rule);
    if (decision) stopAll({ by: 'critical', reason: `aborted: critical — ${decision.reason}`, atSecond: decision.atSecond });
  });
  instances.onProgress((index: number, sample: ProgressSample) => timeline.add(index, sample));
  instances.onLost((index) => {
    alive--;
    timeline.markLost(index);
  });
  const onInterrupt = () =>
    stopAll({ by: 'interrupt', reason: 'stopped: interrupted (Ctrl-C)', atSecond: timeline.seconds.at(-1)?.second ?? 0 });
  options.signal?.addEventListener('abort', onInterrupt, { once: true });

  return {
    timeline,
    aborted: () => aborted,
    ranMs,
    /** Resolves when every instance delivered a result or was lost; stragglers are killed, never waited on forever. */
    async untilDone(startAt: number, durationMs: number, timeouts: LaunchTimeouts): Promise<InstanceOutcome[]> {
      // The normal deadline is the schedule's end plus a grace for in-flight requests; a stop (abort,
      // Ctrl-C) brings it forward to `stopMs` from the stop (issue 9: every instance stopped within 5 s).
      const deadline = new Promise<void>((resolve) => {
        // unref: once every result is in, a pending deadline must not keep the process alive.
        const normal = setTimeout(resolve, Math.max(0, startAt + durationMs - Date.now()) + timeouts.resultGraceMs).unref();
        void stopped.then(() => {
          clearTimeout(normal);
          setTimeout(resolve, timeouts.stopMs).unref();
        });
      });
      const outcomes = await instances.collect(deadline);
      options.signal?.removeEventListener('abort', onInterrupt);
      return outcomes;
    },
  };
}

function prepareOptions(options: RunTestOptions, index: number): PrepareOptions {
  return {
    ...(options.workersPerInstance ? { workers: options.workersPerInstance } : {}),
    ...(options.rawSamplesDir ? { rawSamplesFile: join(options.rawSamplesDir, `raw-${index}.jsonl`) } : {}),
    ...(options.k6Script ? { k6Script: options.k6Script } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  };
}

/** Ctrl-C before the load started: nothing to report, the caller says so. */
export class RunInterruptedError extends Error {
  constructor() {
    super('interrupted before the load started; no instance was left running');
  }
}

function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunInterruptedError();
}
