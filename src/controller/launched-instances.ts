/**
 * The instances of one run, launched and driven through the agent protocol: hello → prepare → ready → clock
 * probes → start{at} → progress → result. Every wait is bounded and names the instance it waited
 * for; an instance that dies is recorded as lost and the others carry on (the run is then degraded).
 */
import type { PrepareOptions, ProgressSample } from '../protocol/agent-protocol.js';
import type { InstancePlan } from '../scenario/plan.js';
import type { InstanceResult } from '../protocol/instance-result.js';
import type { Runner } from '../runners/types.js';
import { AgentConnection, InstanceLostError } from './agent-connection.js';
import { measureClockOffset, type ClockEstimate } from './clock-offset.js';

export interface LaunchTimeouts {
  helloMs: number;
  readyMs: number;
  /** After the schedule ends: how long to wait for results (in-flight requests finish within their timeout). */
  resultGraceMs: number;
  /** After `stop`: how long instances get to send a result before they are killed (issue 9: 5 s). */
  stopMs: number;
}

/** How long an instance gets to exit by itself once its input is closed. */
const EXIT_GRACE_MS = 2000;

export const DEFAULT_LAUNCH_TIMEOUTS: LaunchTimeouts = { helloMs: 15_000, readyMs: 60_000, resultGraceMs: 15_000, stopMs: 4_000 };

/** What became of one instance. */
export interface InstanceOutcome {
  label: string;
  host: string;
  index: number;
  result: InstanceResult | null;
  /** Set when the instance was lost before it delivered a result. */
  lostReason: string | null;
  clock: ClockEstimate | null;
}

/** The instances could not get going; nothing was started (every launched instance is stopped). */
export class LaunchError extends Error {}

export class LaunchedInstances {
  private readonly results = new Map<number, InstanceResult>();
  private readonly clocks = new Map<number, ClockEstimate>();
  /** The engines the instances said hello with (`rust 0.1.0`), distinct, in instance order. */
  engines: string[] = [];

  private constructor(readonly connections: AgentConnection[]) {}

  /** Starts `count` agents and waits for each one's hello. */
  static async launch(runner: Runner, count: number, timeouts: LaunchTimeouts): Promise<LaunchedInstances> {
    const instances = new LaunchedInstances((await runner.launch(count)).map((process) => new AgentConnection(process)));
    const hellos = await instances.all('starting', (c) => c.next('hello', timeouts.helloMs, 'hello (is `loadctl agent` runnable there?)'));
    instances.engines = [...new Set(hellos.flatMap((hello) => (hello.type === 'hello' ? [`${hello.engine.name} ${hello.engine.version}`] : [])))];
    for (const [index, connection] of instances.connections.entries()) {
      connection.onMessage((message) => {
        if (message.type === 'result') instances.results.set(index, message.result);
      });
    }
    return instances;
  }

  /** Sends each instance its plan and waits until every one is ready (payloads built, connections open). */
  async prepare(instancePlans: InstancePlan[], optionsFor: (index: number) => PrepareOptions, timeouts: LaunchTimeouts): Promise<void> {
    const ready = this.all('preparing', (connection, index) => {
      const reply = connection.next('ready', timeouts.readyMs, '"ready"');
      connection.send({ type: 'prepare', protocol: 1, instancePlan: instancePlans[index]!, options: optionsFor(index) });
      return reply;
    });
    await ready;
  }

  /** Measures every instance's clock offset (used to align `start{at}` across hosts). */
  async syncClocks(): Promise<void> {
    await this.all('measuring clocks', async (connection, index) => this.clocks.set(index, await measureClockOffset(connection)));
  }

  /** The slowest round trip seen while measuring clocks: the start instant must leave at least this much time. */
  maxRttMs(): number {
    return Math.max(0, ...[...this.clocks.values()].map((clock) => clock.rttMs));
  }

  /** Tells every instance to start at controller time `at` (epoch ms). */
  start(at: number): void {
    for (const [index, connection] of this.connections.entries()) {
      connection.send({ type: 'start', at, clockOffsetMs: this.clocks.get(index)?.offsetMs ?? 0 });
    }
  }

  onProgress(listener: (index: number, sample: ProgressSample) => void): void {
    for (const [index, connection] of this.connections.entries()) {
      connection.onMessage((message) => {
        if (message.type === 'progress') listener(index, message.sample);
      });
    }
  }

  /** Calls `listener` when an instance is lost before delivering its result. */
  onLost(listener: (index: number, reason: string) => void): void {
    for (const [index, connection] of this.connections.entries()) {
      void connection.lost.then((error) => {
        if (!this.results.has(index)) listener(index, error.reason);
      });
    }
  }

  stop(reason: string): void {
    for (const connection of this.connections) connection.send({ type: 'stop', reason });
  }

  /**
   * Waits for every instance's result or loss, or until `deadline` settles; then ends every process
   * (stragglers are killed). Always leaves no process behind.
   */
  async collect(deadline: Promise<void>): Promise<InstanceOutcome[]> {
    const delivered = Promise.all(this.connections.map((connection, index) => this.resultOrLoss(connection, index)));
    await Promise.race([delivered, deadline]);
    await this.shutdown(EXIT_GRACE_MS);
    return this.connections.map((connection, index) => ({
      label: connection.label,
      host: connection.host,
      index,
      result: this.results.get(index) ?? null,
      lostReason: this.results.has(index) ? null : (connection.lostReason ?? 'lost before it delivered a result'),
      clock: this.clocks.get(index) ?? null,
    }));
  }

  /**
   * Closes every instance's input (a well-behaved agent exits), kills what is still running after
   * `graceMs`, and resolves once every process is gone: no run leaves an orphan.
   */
  async shutdown(graceMs: number): Promise<void> {
    for (const connection of this.connections) connection.closeInput();
    const allExited = Promise.all(this.connections.map((connection) => connection.exited()));
    const timer = setTimeout(() => {
      for (const connection of this.connections) connection.kill('did not exit after its input closed');
    }, graceMs);
    await allExited;
    clearTimeout(timer);
  }

  private async resultOrLoss(connection: AgentConnection, index: number): Promise<void> {
    if (this.results.has(index)) return;
    await connection.next('result', 2 ** 31 - 1).catch(() => undefined);
  }

  /** Runs one step on every instance; if any fails, stops them all and throws naming each failure. */
  private async all<T>(step: string, action: (connection: AgentConnection, index: number) => Promise<T>): Promise<T[]> {
    const settled = await Promise.allSettled(this.connections.map(action));
    const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [describeFailure(outcome.reason)] : []));
    if (failures.length === 0) return settled.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
    await this.shutdown(0);
    throw new LaunchError(`the fleet could not start (${step}): ${failures.join('; ')}`);
  }
}

function describeFailure(reason: unknown): string {
  return reason instanceof InstanceLostError ? reason.message : reason instanceof Error ? reason.message : String(reason);
}
