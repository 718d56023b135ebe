/**
 * One k6 instance driven through the agent protocol's steps (DESIGN.md, "Instance lifecycle", mapped
 * onto k6's own mechanisms per its k6 facts): prepare = start `k6 run --paused` and wait for status 4;
 * start = wait for the agreed instant, then PATCH paused:false; progress = REST metrics each second;
 * stop = PATCH stopped:true; k6's exit = the result file handleSummary wrote. Exactly one of `result`
 * or `error` ends the session. TLS material from prepare reaches k6 as private files (k6-tls-files.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsMaterial } from '../../net/tls-material.js';
import type { PrepareOptions } from '../../protocol/agent-protocol.js';
import { now } from '../engine-clock.js';
import type { EngineFailure, EngineInstance, EngineMessage } from '../engine.js';
import { freePort } from '../../net/free-port.js';
import type { InstancePlan } from '../../scenario/plan.js';
import { addUsage, completeK6Result, emptyUsageStats, readK6ResultFile } from './k6-agent-result.js';
import { K6_SCRIPT_ENV, buildK6RunArgs } from './k6-process-args.js';
import { describeK6Failure, type K6Exit } from './k6-process-exit.js';
import { createUsageReader } from './k6-process-usage.js';
import { startK6Process, type K6Process } from './k6-process.js';
import { buildProgressSample, emptyCumulativeCounts } from './k6-rest-progress.js';
import { createK6RestClient, waitForPausedBeforeRun, type K6RestClient } from './k6-rest.js';
import { k6TlsProblem, writeK6TlsFiles } from './k6-tls-files.js';

export interface K6SessionOptions {
  k6Path: string;
  /** As `k6 version` printed it, e.g. `v1.4.0`: goes into the InstanceResult. */
  k6Version: string;
  /** How long k6 may take to initialise its VUs (status 4). */
  readyTimeoutMs: number;
  /** After a stop: how long k6 gets to exit by itself before SIGTERM, and again before SIGKILL. */
  stopGraceMs: number;
  send(message: EngineMessage): void;
  log(line: string): void;
}

type Phase = 'idle' | 'preparing' | 'ready' | 'starting' | 'running' | 'ended';

interface Running {
  k6: K6Process;
  rest: K6RestClient;
  resultPath: string;
  subScenarios: string[];
}

export class K6Session implements EngineInstance {
  /** Settles once `result` or `error` was sent: the session has nothing more to say. */
  readonly ended: Promise<{ error: EngineFailure | null }>;
  private phase: Phase = 'idle';
  private running: Running | null = null;
  private dir: string | null = null;
  private stopRequested = false;
  /** `result` or `error` was sent. */
  private finished = false;
  /** The agent's input closed: nothing new may start. */
  private closed = false;
  private launching: Promise<Running> | null = null;
  private scheduledStartAt: number | null = null;
  private resumedAt: number | null = null;
  private progressTimer: NodeJS.Timeout | undefined;
  private readonly usage = emptyUsageStats();
  private markEnded!: (outcome: { error: EngineFailure | null }) => void;

  constructor(private readonly options: K6SessionOptions) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  async prepare(instancePlan: InstancePlan, prepareOptions: PrepareOptions): Promise<void> {
    if (this.phase !== 'idle') return this.fail({ kind: 'usage', message: `prepare arrived while the instance is ${this.phase}: one prepare per agent` });
    if (!prepareOptions.k6Script) {
      return this.fail({ kind: 'usage', message: 'prepare has no options.k6Script: with --engine k6 the controller compiles the plan once (compileK6Script) and sends the script' });
    }
    const tlsProblem = k6TlsProblem(prepareOptions.tls, process.platform);
    if (tlsProblem) return this.fail({ kind: 'usage', message: tlsProblem });
    this.phase = 'preparing';
    const began = performance.now();
    let running: Running;
    try {
      this.launching = this.launch(instancePlan, prepareOptions.k6Script, prepareOptions.tls);
      running = await this.launching;
    } catch (error) {
      return this.fail({ kind: 'internal', message: `could not start k6: ${(error as Error).message}` });
    }
    if (this.closed) return; // the input closed while k6 was being started: close() ends it
    void running.k6.exited.then((exit) => this.onK6Exit(exit));
    try {
      const paused = await waitForPausedBeforeRun(running.rest, { timeoutMs: this.options.readyTimeoutMs, exited: running.k6.exited });
      if (!paused) return; // k6 exited: onK6Exit reports why
    } catch (error) {
      this.fail({ kind: 'internal', message: `${(error as Error).message}\n${running.k6.outputTail().trim().split('\n').slice(-4).join('\n')}` });
      await running.k6.terminate(this.options.stopGraceMs);
      return;
    }
    if (this.phase !== 'preparing') return;
    this.phase = 'ready';
    this.options.send({ type: 'ready', prepareMs: Math.round(performance.now() - began) });
  }

  /** Releases k6 at `startAt` on this host's clock (the controller's instant, translated by the agent loop). */
  async start(startAt: number): Promise<void> {
    if (this.phase !== 'ready' || !this.running) return this.fail({ kind: 'usage', message: `start arrived while the instance is ${this.phase}: send start after ready` });
    this.phase = 'starting';
    this.scheduledStartAt = startAt;
    await sleepUntil(startAt);
    if (this.stopRequested || this.phase !== 'starting') return;
    try {
      await this.running.rest.resume();
    } catch (error) {
      this.fail({ kind: 'internal', message: `could not start k6: ${(error as Error).message}` });
      await this.running.k6.terminate(this.options.stopGraceMs);
      return;
    }
    this.resumedAt = now();
    this.phase = 'running';
    this.scheduleProgress(startAt, 0, emptyCumulativeCounts(), createUsageReader(this.running.k6.pid));
  }

  /** Stops k6 through its REST API (it still writes its summary, then exits 103); forces it after a grace. */
  async stop(reason: string): Promise<void> {
    if (this.stopRequested) return;
    this.stopRequested = true;
    const running = this.running;
    if (!running || !running.k6.running) return;
    this.options.log(`stopping k6 (${reason})`);
    const forced = setTimeout(() => void running.k6.terminate(this.options.stopGraceMs), this.options.stopGraceMs);
    void running.k6.exited.then(() => clearTimeout(forced));
    await running.rest.stop().catch((error: Error) => {
      this.options.log(`k6 did not take the REST stop (${error.message}): terminating it`);
      void running.k6.terminate(this.options.stopGraceMs);
    });
  }

  /** The agent's input closed: k6 must not outlive it (SIGTERM, then SIGKILL), and its files go. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopRequested = true;
    clearTimeout(this.progressTimer);
    // A k6 being started right now must be ended too: wait until it exists.
    await this.launching?.catch(() => undefined);
    if (this.running) await this.running.k6.terminate(this.options.stopGraceMs);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  private async launch(instancePlan: InstancePlan, script: string, tlsMaterial: TlsMaterial | undefined): Promise<Running> {
    // mkdtemp makes it 0700: the TLS files in it are private to this user, and go when it is removed (shutdown).
    const dir = await mkdtemp(join(tmpdir(), 'loadctl-k6-'));
    this.dir = dir;
    const scriptPath = join(dir, 'script.js');
    const resultPath = join(dir, 'result.json');
    await writeFile(scriptPath, script);
    const tls = await writeK6TlsFiles(dir, tlsMaterial);
    // k6 cannot be told to pick its REST API port and say which, so one is chosen for it.
    const address = `127.0.0.1:${await freePort()}`;
    const args = buildK6RunArgs({
      scriptPath,
      address,
      instance: instancePlan.instance,
      env: {
        [K6_SCRIPT_ENV.resultFile]: resultPath,
        [K6_SCRIPT_ENV.runId]: instancePlan.runId,
        [K6_SCRIPT_ENV.host]: hostname(),
        [K6_SCRIPT_ENV.k6Version]: this.options.k6Version,
        ...tls.scriptEnv,
      },
    });
    const processEnv = Object.entries(tls.processEnv).map(([key, value]) => `${key}=${value} `).join('');
    this.options.log(`starting ${processEnv}${this.options.k6Path} ${args.join(' ')}`);
    const k6 = startK6Process(this.options.k6Path, args, { cwd: dir, env: tls.processEnv });
    this.running = { k6, rest: createK6RestClient(address), resultPath, subScenarios: instancePlan.plan.subScenarios.map((sub) => sub.name) };
    return this.running;
  }

  private scheduleProgress(startAt: number, second: number, previous: ReturnType<typeof emptyCumulativeCounts>, usage: ReturnType<typeof createUsageReader>): void {
    const due = startAt + (second + 1) * 1000;
    this.progressTimer = setTimeout(() => void this.reportProgress(startAt, second, previous, usage), Math.max(0, due - now()));
  }

  private async reportProgress(startAt: number, second: number, previous: ReturnType<typeof emptyCumulativeCounts>, usage: ReturnType<typeof createUsageReader>): Promise<void> {
    if (!this.running || this.phase !== 'running') return;
    const metrics = await this.running.rest.getMetrics().catch(() => null);
    if (this.phase !== 'running') return;
    if (!metrics) return this.scheduleProgress(startAt, second + 1, previous, usage);
    const { cpuPercent, rssBytes } = usage.read();
    addUsage(this.usage, cpuPercent, rssBytes);
    const { sample, counts } = buildProgressSample(previous, metrics, { second, subScenarios: this.running.subScenarios, cpuPercent, rssBytes });
    this.options.send({ type: 'progress', sample });
    this.scheduleProgress(startAt, second + 1, counts, usage);
  }

  private async onK6Exit(exit: K6Exit): Promise<void> {
    clearTimeout(this.progressTimer);
    const before = this.phase;
    if (before === 'ended' || !this.running) return;
    this.phase = 'ended';
    if (before === 'preparing') return this.fail({ kind: 'internal', message: describeK6Failure(exit, 'before its VUs were ready') });
    const read = await readK6ResultFile(this.running.resultPath);
    const when = before === 'running' ? 'during the run' : 'before the start';
    if ('missing' in read) return this.fail({ kind: 'internal', message: describeK6Failure(exit, `${when} and ${read.missing}`) });
    const result = completeK6Result(read.result, {
      exit,
      stopRequested: this.stopRequested,
      scheduledStartAt: this.scheduledStartAt,
      resumedAt: this.resumedAt,
      usage: this.usage,
      cores: availableParallelism(),
    });
    if (this.finished) return;
    this.finished = true;
    this.options.send({ type: 'result', result });
    this.markEnded({ error: null });
  }

  /** Ends the session with a fatal `error` (the agent exits after it). */
  fail(failure: EngineFailure): void {
    if (this.finished) return;
    this.finished = true;
    this.phase = 'ended';
    clearTimeout(this.progressTimer);
    this.options.send({ type: 'error', ...failure });
    this.markEnded({ error: failure });
  }
}

function sleepUntil(epochMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - now())));
}
