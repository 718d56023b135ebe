/**
 * The native engine behind the one agent loop: a NativeInstance (worker threads, raw sockets) per
 * agent, its progress samples and result sent as they come.
 */
import { now } from '../engine-clock.js';
import type { Engine, EngineFailure, EngineInstance, EngineOutput, EngineSettings } from '../engine.js';
import type { PrepareOptions } from '../../protocol/agent-protocol.js';
import type { InstancePlan } from '../../scenario/plan.js';
import { NativeInstance, NATIVE_ENGINE_VERSION, type NativeInstanceOptions } from './native-instance.js';

export function createNativeEngine(settings: EngineSettings, variant?: NativeVariant): Engine {
  const { name, version } = variant ?? { name: 'native' as const, version: NATIVE_ENGINE_VERSION };
  return { name, version, createInstance: (output) => new NativeEngineInstance(settings, output, variant) };
}

/** Another engine on the same instance (the rust engine: its binary's threads as the workers, src/engines/rust/). */
export interface NativeVariant {
  name: Engine['name'];
  version: string;
  /** Options added to every instance (given the agent's log). */
  instanceOptions: (log: (line: string) => void) => Partial<NativeInstanceOptions>;
}

class NativeEngineInstance implements EngineInstance {
  readonly ended: Promise<{ error: EngineFailure | null }>;
  private markEnded!: (outcome: { error: EngineFailure | null }) => void;
  private finished = false;
  private instance: NativeInstance | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly settings: EngineSettings,
    private readonly output: EngineOutput,
    private readonly variant?: NativeVariant,
  ) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  prepare(instancePlan: InstancePlan, options: PrepareOptions): void {
    void this.prepareInstance(instancePlan, options);
  }

  start(startAt: number): void {
    if (!this.instance) return this.fail({ kind: 'usage', message: 'start before prepare' });
    this.running = this.runToResult(this.instance, startAt);
  }

  stop(): void {
    this.instance?.stop();
  }

  fail(failure: EngineFailure): void {
    if (this.finished) return;
    this.finished = true;
    this.output.send({ type: 'error', ...failure });
    this.markEnded({ error: failure });
  }

  /** A running schedule stops and its in-flight requests end before the agent exits. */
  async close(): Promise<void> {
    if (!this.running) return;
    this.instance?.stop();
    await this.running;
  }

  private async prepareInstance(instancePlan: InstancePlan, options: PrepareOptions): Promise<void> {
    const started = now();
    const workers = options.workers ?? this.settings.workers;
    const instanceOptions: NativeInstanceOptions = {
      ...(workers ? { workers } : {}),
      ...(options.rawSamplesFile ? { rawSamplesFile: options.rawSamplesFile } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
      ...(this.settings.workerScript ? { workerScript: this.settings.workerScript } : {}),
      ...this.variant?.instanceOptions((line) => this.output.log(line)),
    };
    try {
      this.instance = await NativeInstance.prepare(instancePlan, instanceOptions);
    } catch (error) {
      return this.fail({ kind: 'internal', message: `prepare failed: ${error instanceof Error ? error.message : String(error)}` });
    }
    this.instance.onProgress((sample) => this.output.send({ type: 'progress', sample }));
    this.output.log(`prepared ${this.instance.workerCount} worker(s) in ${Math.round(now() - started)} ms`);
    this.output.send({ type: 'ready', prepareMs: now() - started });
  }

  private async runToResult(instance: NativeInstance, startAt: number): Promise<void> {
    instance.start(startAt);
    try {
      const result = await instance.result();
      if (this.finished) return;
      this.finished = true;
      this.output.send({ type: 'result', result });
      this.markEnded({ error: null });
    } catch (error) {
      this.fail({ kind: 'internal', message: `the run failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
