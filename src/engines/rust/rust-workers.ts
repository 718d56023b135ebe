/**
 * The rust engine's workers: threads of one `loadctl-engine run` child process, each standing in for a
 * node worker thread (the same messages in and out), so NativeInstance drives both engines — prepare,
 * progress, InstanceResult assembly and health stay in TypeScript. The templates of every payload pool are
 * built here (the event generator is not ported); the binary does the per-request part.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { systemCaBundle, trustedCaPems } from '../../net/tls-material.js';
import { now } from '../engine-clock.js';
import type { LoopTarget } from '../native/load-loop.js';
import type { FromWorker, LoadWorkerData, ToWorker } from '../native/load-worker.js';
import type { WorkerLike } from '../native/native-instance.js';
import { eventIdPrefix, PayloadPool } from '../native/payload-pool.js';
import { RawSecondsReader, type RawMessage } from './raw-seconds.js';

/** One thread of the child, seen as a worker. */
class RustWorker extends EventEmitter implements WorkerLike {
  /** Its result arrived: a later exit of the child is no failure of this worker. */
  done = false;

  constructor(
    private readonly child: RustChild,
    readonly reader: RawSecondsReader,
    readonly bodyBytes: Record<string, { min: number; max: number }>,
  ) {
    super();
  }

  postMessage(message: ToWorker): void {
    this.child.command(message);
  }

  terminate(): Promise<number> {
    return this.child.end();
  }
}

/** The child process and the lines it speaks. */
class RustChild {
  private readonly process: ChildProcess;
  private readonly exited: Promise<number>;
  private startSent = false;
  workers: RustWorker[] = [];

  constructor(binary: string, log: (line: string) => void) {
    this.process = spawn(binary, ['run'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.process.once('close', (code) => resolve(code ?? 1)));
    this.process.once('error', (error) => this.failAll(`loadctl-engine (${binary}) did not start: ${error.message}`));
    this.process.once('close', (code, signal) => this.failAll(`loadctl-engine exited (${signal ?? `code ${code}`}) before its result`));
    // A closed pipe is reported by 'close' above; a write to it must not throw.
    this.process.stdin!.on('error', () => {});
    createInterface({ input: this.process.stderr! }).on('line', (line) => log(`engine: ${line}`));
    createInterface({ input: this.process.stdout! }).on('line', (line) => this.receive(line));
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  write(message: unknown): void {
    this.process.stdin!.write(`${JSON.stringify(message)}\n`);
  }

  /** `start` reaches the binary once (every worker is told; the threads share one start instant). */
  command(message: ToWorker): void {
    if (message.type === 'start') {
      if (this.startSent) return;
      this.startSent = true;
      this.write({ type: 'start', startAt: message.startAt, now: now() });
    } else {
      this.write({ type: 'stop' });
    }
  }

  /** Closing stdin stops the binary; it exits once in-flight requests have ended. */
  end(): Promise<number> {
    this.process.stdin!.end();
    return this.exited;
  }

  private receive(line: string): void {
    let message: RawMessage;
    try {
      message = JSON.parse(line) as RawMessage;
    } catch {
      return this.failAll(`loadctl-engine wrote a line that is not JSON: ${line.slice(0, 200)}`);
    }
    if (message.type === 'error') {
      const targets = message.w === undefined ? this.workers : [this.workers[message.w]].filter((w) => w !== undefined);
      for (const worker of targets) worker.emit('error', new Error(message.message));
      return;
    }
    const worker = this.workers[message.w];
    if (!worker) return;
    const translated: FromWorker = worker.reader.read(message, worker.bodyBytes);
    worker.emit('message', translated);
    if (translated.type === 'result') {
      worker.done = true;
      worker.emit('exit', 0);
    }
  }

  private failAll(reason: string): void {
    for (const worker of this.workers) {
      if (!worker.done && worker.listenerCount('error') > 0) worker.emit('error', new Error(reason));
    }
  }
}

/** Starts the binary for these workers; the prepare line follows once the target's address is known. */
export function startRustWorkers(binary: string, data: readonly LoadWorkerData[], log: (line: string) => void): { workers: RustWorker[]; pid: () => number | undefined } {
  const child = new RustChild(binary, log);
  const prepared = data.map((worker) => prepareWorker(worker));
  child.workers = prepared.map((p) => new RustWorker(child, new RawSecondsReader(p.names), p.bodyBytes));
  // Names were resolved by NativeInstance (a static binary has no NSS): the binary gets addresses.
  child.write({ target: wireTarget(data[0]!.target), workers: prepared.map((p, w) => ({ index: w, ...p.wire })) });
  return { workers: child.workers, pid: () => child.pid };
}

/** The target as the binary reads it: addresses, port, and TLS with the node engine's trust (its roots, the system bundle, --ca). */
function wireTarget(target: LoopTarget) {
  const { tls } = target;
  return {
    addresses: target.addresses,
    port: target.port,
    tls: tls
      ? {
          serverName: tls.servername ?? null,
          insecure: tls.insecure,
          caPem: trustedCaPems(tls.material.ca, systemCaBundle()).join('\n'),
          ...(tls.material.cert && tls.material.key ? { certPem: tls.material.cert, keyPem: tls.material.key } : {}),
        }
      : null,
  };
}

function prepareWorker(data: LoadWorkerData) {
  const { target } = data;
  const subs = data.subScenarios.map((sub, index) => {
    const pool = new PayloadPool({ request: sub.request, payload: sub.payload, host: target.hostHeader, basePath: target.basePath, idPrefix: eventIdPrefix(data.runId, index, data.offset) });
    const templates = pool.templateTable().map((t) => ({ bytes: t.bytes.toString('base64'), idSlots: t.idSlots, timeSlots: t.timeSlots }));
    const vus = data.vus[sub.name] ?? { preAllocated: 0, max: 0 };
    return {
      name: sub.name,
      bodyBytes: pool.bodyBytes,
      wire: {
        name: sub.name,
        startTimeMs: sub.startTimeMs,
        schedule: sub.schedule,
        timeoutMs: sub.request.timeoutMs,
        preAllocated: vus.preAllocated,
        max: vus.max,
        payload: { eventsPerRequest: pool.eventsPerRequest, templates },
      },
    };
  });
  return {
    names: subs.map((sub) => sub.name),
    bodyBytes: Object.fromEntries(subs.map((sub) => [sub.name, sub.bodyBytes])),
    wire: { offset: data.offset, stride: data.stride, subs: subs.map((sub) => sub.wire), ...(data.rawSamplesFile ? { rawSamplesFile: data.rawSamplesFile } : {}) },
  };
}
