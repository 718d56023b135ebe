/**
 * One native-engine instance: W worker threads each running a stripe of this instance's share
 * (worker w of W on instance k of N runs iterations i ≡ k + N·w mod N·W), combined into one
 * InstanceResult — counts add, histograms add. Progress each second: the workers' finished seconds
 * merged, with the process's CPU and memory.
 */
import { availableParallelism, hostname } from 'node:os';
import { Worker } from 'node:worker_threads';
import { appendFile, readFile, rm } from 'node:fs/promises';
import { emptyLatencySummary, mergeLatencySummaries } from '../../merge/merge-latency.js';
import { mergeLoadFigures, mergeTimelines } from '../../merge/merge-figures.js';
import { INSTANCE_RESULT_SCHEMA_VERSION, type InstanceResult, type TimelineSecond } from '../../protocol/instance-result.js';
import type { InstancePlan } from '../../scenario/plan.js';
import { planDigest } from '../../scenario/plan-digest.js';
import { UsageError } from '../../../contract/loadctl-error.js';
import { LOADCTL_VERSION } from '../../version.js';
import type { ProgressSample } from '../../protocol/agent-protocol.js';
import { now } from '../engine-clock.js';
import { fitPoolsToBudget, readConnectionBudget } from './connection-budget.js';
import { mergeConnectionFigures } from '../../merge/merge-connections.js';
import { resolveTargetAddresses, serverNameOf, targetAddressOf } from '../../net/target-address.js';
import type { TlsMaterial } from '../../net/tls-material.js';
import type { LoopTarget } from './load-loop.js';
import type { FromWorker, LoadWorkerData, ToWorker, WorkerSecond } from './load-worker.js';
import { CpuSampler } from './cpu-sampler.js';

export const NATIVE_ENGINE_VERSION = LOADCTL_VERSION;

export interface NativeInstanceOptions {
  /** Worker threads (default: one per core, at most the smallest VU cap so every worker has a VU). */
  workers?: number;
  rawSamplesFile?: string;
  /** The worker script (the agent bundle passes itself). */
  workerScript?: URL;
  /** CA and client certificate for an https target (PEM text from the controller). */
  tls?: TlsMaterial;
  /**
   * Another engine's workers behind the same messages (the rust engine: threads of one child process,
   * src/engines/rust/). Default: worker threads running load-worker.ts.
   */
  startWorkers?: (data: LoadWorkerData[]) => WorkerLike[];
  /** The engine named in the result (default: this one). */
  engine?: InstanceResult['engine'];
  /** Whose CPU and memory the instance reports (default: this process). */
  cpu?: CpuSampler;
}

/** What an instance needs of a worker: a worker thread has it, and so does a rust engine thread's stand-in. */
export interface WorkerLike {
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  once(event: 'message', listener: (message: FromWorker) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  postMessage(message: ToWorker): void;
  terminate(): Promise<number>;
}

interface WorkerHandle {
  worker: WorkerLike;
  result: Extract<FromWorker, { type: 'result' }> | null;
  error: string | null;
  pending: Map<number, WorkerSecond>;
  done: Promise<void>;
}

export class NativeInstance {
  private progressListener: (sample: ProgressSample) => void = () => {};
  private readonly cpu: CpuSampler;
  private startAt = 0;
  private stopped = false;
  private emitted = -1;
  private readonly timeline: TimelineSecond[] = [];

  private constructor(
    private readonly instancePlan: InstancePlan,
    private readonly workers: WorkerHandle[],
    private readonly options: NativeInstanceOptions,
  ) {
    this.cpu = options.cpu ?? new CpuSampler();
  }

  /** Starts the workers and waits until each has built its payloads and opened its connections. */
  static async prepare(instancePlan: InstancePlan, options: NativeInstanceOptions = {}): Promise<NativeInstance> {
    const count = workerCount(instancePlan, options.workers);
    const pools = instancePools(instancePlan);
    const target = await loopTargetOf(instancePlan, options.tls ?? {});
    const data = Array.from({ length: count }, (_, w) => workerDataOf(instancePlan, pools, target, w, count, options));
    const workers = options.startWorkers ? options.startWorkers(data) : data.map((workerData) => new Worker(options.workerScript ?? new URL('./worker-entry.js', import.meta.url), { workerData }));
    const handles = workers.map((worker, w) => handleOf(worker, w));
    const instance = new NativeInstance(instancePlan, handles, options);
    await Promise.all(handles.map((handle, w) => waitReady(handle, w)));
    for (const handle of handles) handle.worker.on('message', (message: FromWorker) => instance.receive(handle, message));
    return instance;
  }

  get workerCount(): number {
    return this.workers.length;
  }

  onProgress(listener: (sample: ProgressSample) => void): void {
    this.progressListener = listener;
  }

  /** Every worker starts its schedule at `startAt` (epoch ms, this machine's clock). */
  start(startAt: number): void {
    this.startAt = startAt;
    this.cpu.start();
    for (const handle of this.workers) handle.worker.postMessage({ type: 'start', startAt });
  }

  /** Stops sending; in-flight requests end (or time out) and the result follows. */
  stop(): void {
    this.stopped = true;
    for (const handle of this.workers) handle.worker.postMessage({ type: 'stop' });
  }

  /** Waits for every worker's figures and combines them. */
  async result(): Promise<InstanceResult> {
    await Promise.all(this.workers.map((handle) => handle.done));
    this.cpu.stop();
    this.emitSeconds(Infinity);
    await Promise.all(this.workers.map((handle) => handle.worker.terminate()));
    if (this.options.rawSamplesFile) await gatherRawSamples(this.options.rawSamplesFile, this.workers.length);
    return this.combine();
  }

  private receive(handle: WorkerHandle, message: FromWorker): void {
    if (message.type === 'seconds') {
      for (const second of message.seconds) handle.pending.set(second.second, second);
      this.emitSeconds(Math.min(...this.workers.map((h) => (h.result ? Infinity : Math.max(-1, ...h.pending.keys())))));
    } else if (message.type === 'result') {
      for (const second of message.seconds) handle.pending.set(second.second, second);
      handle.result = message;
    }
  }

  /** Merges and emits every second up to `through` that all workers have reported. */
  private emitSeconds(through: number): void {
    const seconds = new Set<number>();
    for (const handle of this.workers) for (const second of handle.pending.keys()) if (second <= through) seconds.add(second);
    for (const second of [...seconds].sort((a, b) => a - b)) {
      const parts = this.workers.flatMap((handle) => {
        const part = handle.pending.get(second);
        handle.pending.delete(second);
        return part ? [part] : [];
      });
      const lagP99 = Math.max(0, ...parts.map((part) => part.scheduleLagP99Ms));
      const cpu = this.cpu.sample();
      const merged: TimelineSecond = { ...mergeTimelines(parts.map((part) => [stripLag(part)]))[0]!, cpuPercent: cpu.cpuPercent, rssBytes: cpu.rssBytes };
      this.timeline.push(merged);
      if (second > this.emitted) {
        this.emitted = second;
        this.progressListener(progressOf(merged, lagP99));
      }
    }
  }

  private combine(): InstanceResult {
    const results = this.workers.map((handle) => handle.result).filter((r): r is NonNullable<WorkerHandle['result']> => r !== null);
    const error = this.workers.find((handle) => handle.error)?.error;
    const names = this.instancePlan.plan.subScenarios.map((sub) => sub.name);
    const firstSends = results.map((r) => r.firstSendAt).filter((t): t is number => t !== null);
    const overall = mergeLoadFigures(results.map((r) => r.overall));
    const scheduleLag = mergeLatencySummaries(results.map((r) => r.scheduleLag));
    const timeline = [...this.timeline].sort((a, b) => a.second - b.second);
    const cpu = this.cpu.summary();
    const plannedIterations = results.reduce((sum, r) => sum + r.plannedIterations, 0);
    const connections = mergeConnectionFigures(results.map((r) => r.connections));
    return {
      schemaVersion: INSTANCE_RESULT_SCHEMA_VERSION,
      engine: this.options.engine ?? { name: 'native', version: NATIVE_ENGINE_VERSION },
      host: hostname(),
      runId: this.instancePlan.runId,
      instance: this.instancePlan.instance,
      planDigest: planDigest(this.instancePlan.plan),
      scheduledStartAt: this.startAt,
      firstSendAt: firstSends.length > 0 ? Math.min(...firstSends) : null,
      endedAt: now(),
      status: error ? 'failed' : this.stopped ? 'stopped' : 'completed',
      ...(error ? { error } : {}),
      plannedIterations,
      overall,
      subScenarios: Object.fromEntries(names.map((name) => [name, mergeLoadFigures(results.map((r) => r.subScenarios[name]!).filter(Boolean))])),
      timeline,
      generator: {
        workers: this.workers.length,
        cpuPercentMean: cpu.mean,
        cpuPercentMax: cpu.max,
        cores: availableParallelism(),
        rssBytesMax: cpu.rssMax,
        scheduleLag,
        // The engine reports facts; the verdict alone judges them, with the configured limits (issue 18).
        limited: false,
        reasons: [],
      },
      ...(connections ? { connections } : {}),
    };
  }
}

/** One per core, but never more than the smallest per-instance VU cap (each worker needs ≥ 1 VU of every sub-scenario). */
function workerCount(instancePlan: InstancePlan, requested: number | undefined): number {
  const smallestCap = Math.min(...Object.values(instancePlan.maxVus));
  if (!Number.isFinite(smallestCap) || smallestCap < 1) {
    throw new UsageError(`instance ${instancePlan.instance.index} has no VUs for some sub-scenario`, { hint: 'raise maxVUs or lower --instances' });
  }
  return Math.max(1, Math.min(requested ?? availableParallelism(), smallestCap));
}

/** VUs opened at prepare and the cap per sub-scenario for this instance: the plan's, derived pools fitted to the host's connection budget. */
function instancePools(instancePlan: InstancePlan): Record<string, { preAllocated: number; max: number }> {
  const pools = instancePlan.plan.subScenarios.map((sub) => {
    const max = instancePlan.maxVus[sub.name] ?? 0;
    return { name: sub.name, max, preAllocated: Math.min(max, instancePlan.preAllocatedVus?.[sub.name] ?? max), derived: sub.vus.derivation.from === 'rate' };
  });
  const caps = fitPoolsToBudget(pools, readConnectionBudget().connections);
  return Object.fromEntries(pools.map((pool) => [pool.name, { preAllocated: Math.min(pool.preAllocated, caps[pool.name]!), max: caps[pool.name]! }]));
}

/** The target as this host sees it: its name resolved once, here, to every address it has (DNS spread). */
async function loopTargetOf(instancePlan: InstancePlan, material: TlsMaterial): Promise<LoopTarget> {
  const { plan } = instancePlan;
  const address = targetAddressOf(plan.targetUrl);
  let addresses: string[];
  try {
    addresses = await resolveTargetAddresses(address.hostname);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new UsageError(`the target host ${address.hostname} does not resolve on ${hostname()} (${code})`, { hint: "check --target and this host's DNS" });
  }
  return {
    addresses,
    port: address.port,
    hostHeader: address.hostHeader,
    basePath: address.basePath,
    tls: address.tls ? { servername: serverNameOf(address.hostname), insecure: plan.tls?.insecure === true, material } : null,
  };
}

function workerDataOf(
  instancePlan: InstancePlan,
  pools: Record<string, { preAllocated: number; max: number }>,
  target: LoopTarget,
  w: number,
  count: number,
  options: NativeInstanceOptions,
): LoadWorkerData {
  const { plan, instance } = instancePlan;
  const data: LoadWorkerData = {
    subScenarios: plan.subScenarios,
    target,
    offset: instance.index + instance.count * w,
    stride: instance.count * count,
    vus: Object.fromEntries(
      Object.entries(pools).map(([name, pool]) => {
        const max = shareOf(pool.max, w, count);
        return [name, { max, preAllocated: Math.min(max, Math.max(1, shareOf(pool.preAllocated, w, count))) }];
      }),
    ),
    runId: instancePlan.runId,
    ...(options.rawSamplesFile ? { rawSamplesFile: `${options.rawSamplesFile}.worker-${w}` } : {}),
  };
  return data;
}

function handleOf(worker: WorkerLike, w: number): WorkerHandle {
  const handle: WorkerHandle = { worker, result: null, error: null, pending: new Map(), done: Promise.resolve() };
  handle.done = new Promise((resolve) => {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'result') resolve();
    });
    worker.on('error', (error) => {
      handle.error = `worker ${w} failed: ${error.message}`;
      resolve();
    });
    worker.on('exit', () => resolve());
  });
  return handle;
}

function waitReady(handle: WorkerHandle, w: number): Promise<void> {
  return new Promise((resolve, reject) => {
    handle.worker.once('message', (message: FromWorker) => (message.type === 'ready' ? resolve() : reject(new Error(`worker ${w} sent ${message.type} before ready`))));
    handle.worker.once('error', (error) => reject(new Error(`worker ${w} failed while preparing: ${error.message}`)));
  });
}

/** Worker w's share of n by largest remainder: the shares add up to n. */
function shareOf(n: number, w: number, count: number): number {
  return Math.floor(n / count) + (w < n % count ? 1 : 0);
}

function stripLag(second: WorkerSecond): TimelineSecond {
  const { scheduleLagP99Ms: _lag, ...rest } = second;
  return rest;
}

function progressOf(second: TimelineSecond, lagP99: number): ProgressSample {
  return {
    second: second.second,
    requests: second.requests,
    outcomes: second.outcomes,
    droppedIterations: second.droppedIterations,
    latency: second.latency ?? emptyLatencySummary().distribution,
    p95Ms: second.p95Ms,
    scheduleLagP99Ms: lagP99,
    inFlight: second.inFlight ?? 0,
    cpuPercent: second.cpuPercent ?? 0,
    rssBytes: second.rssBytes ?? 0,
    ...(second.bytesSent !== undefined ? { bytesSent: second.bytesSent } : {}),
    ...(second.bytesReceived !== undefined ? { bytesReceived: second.bytesReceived } : {}),
  };
}

/** Concatenates the workers' raw-sample files into the one the user asked for. */
async function gatherRawSamples(file: string, workers: number): Promise<void> {
  await rm(file, { force: true });
  for (let w = 0; w < workers; w++) {
    const part = `${file}.worker-${w}`;
    await appendFile(file, await readFile(part));
    await rm(part, { force: true });
  }
}
