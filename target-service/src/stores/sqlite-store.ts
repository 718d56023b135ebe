/**
 * The default, embedded store: one SQLite file (WAL) written from a worker thread. If that thread
 * dies (a crash, an out-of-memory error, an uncaught throw) the store starts a new one with backoff;
 * meanwhile every call fails fast, so the flusher keeps the events buffered and retries them, and
 * UNIQUE event_id makes a retry of a write that did land before the death store nothing twice.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { countEvents, type AcceptedRequest } from '../buffer/event-buffer.js';
import type { EventStore, WriteResult } from './event-store.js';
import { prepareStoreDirectory } from './store-directory.js';

interface Reply {
  id: number;
  ok: boolean;
  value?: number;
  error?: string;
}

type Op = 'write' | 'count' | 'close' | 'fault';

/** First delay before a dead worker is replaced; doubles per death without a success between, up to the max. */
export const RESTART_MIN_MS = 100;
export const RESTART_MAX_MS = 5000;

export interface SqliteStoreOptions {
  log?: (line: string) => void;
}

/**
 * The worker's heap limit: far above what a write needs (a 1,000-event batch of 32 KB events is ~200 MB
 * parsed), low enough that a runaway worker dies alone (ERR_WORKER_OUT_OF_MEMORY, then a restart)
 * before it takes the process's memory.
 */
const WORKER_HEAP_MB = 1024;

/** Test hook: how to kill the worker: an uncaught error in it, running out of heap, or Worker.terminate(). */
export interface WorkerFault {
  kind: 'throw' | 'oom' | 'terminate';
  /** Keep it down at least this long (a worker slow to come back), so a test can see the outage. */
  downForMs?: number;
}

export class SqliteStore implements EventStore {
  readonly description: string;
  /** Workers started after a death (not counting the first). */
  restarts = 0;
  private worker: Worker | undefined;
  private workerExit: Promise<void> = Promise.resolve();
  private lastWorkerError: Error | undefined;
  /** Why no worker is running, while one is being replaced. */
  private outage: Error | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartDelayMs = RESTART_MIN_MS;
  private notBefore = 0;
  /** Only a store that opened once restarts its worker: a database that cannot open fails the start instead. */
  private opened = false;
  private closing = false;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: number) => void; reject: (error: Error) => void }>();
  private readonly log: (line: string) => void;

  private constructor(
    readonly file: string,
    options: SqliteStoreOptions,
  ) {
    this.description = `sqlite ${file}`;
    this.log = options.log ?? (() => {});
    this.startWorker();
  }

  /** Opens (creating if needed) `DIR/events.sqlite`; resolves once the schema exists. */
  static async open(directory: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    const dir = prepareStoreDirectory(directory);
    const store = new SqliteStore(join(dir, 'events.sqlite'), options);
    try {
      await store.count();
    } catch (error) {
      await store.close();
      throw error;
    }
    store.opened = true;
    return store;
  }

  async write(requests: AcceptedRequest[]): Promise<WriteResult> {
    // Raw request texts cross to the worker; it re-reads them there, off the event loop.
    const inserted = await this.call('write', requests.map((request) => [request.json, request.shape] as const));
    return { inserted, duplicates: countEvents(requests) - inserted };
  }

  count(): Promise<number> {
    return this.call('count');
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.restartTimer);
    if (this.worker) await this.call('close').catch(() => {});
    await this.workerExit;
  }

  /** Test hook: kills the worker the way a crash would. */
  injectFault(fault: WorkerFault): void {
    this.notBefore = Date.now() + (fault.downForMs ?? 0);
    if (fault.kind === 'terminate') void this.worker?.terminate();
    else this.worker?.postMessage({ id: 0, op: 'fault', fault: fault.kind });
  }

  private startWorker(): void {
    const worker = new Worker(workerEntry(), { workerData: { file: this.file }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    this.worker = worker;
    this.outage = undefined;
    this.lastWorkerError = undefined;
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (error) => (this.lastWorkerError = error));
    this.workerExit = new Promise((resolve) => worker.once('exit', (code) => resolve(this.onExit(worker, code))));
  }

  private onExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    const reason = this.lastWorkerError ? `: ${this.lastWorkerError.message}` : '';
    const error = new Error(`sqlite worker exited with code ${code}${reason}`);
    this.failAll(error);
    if (this.closing || !this.opened) {
      this.outage = new Error('sqlite store closed');
      return;
    }
    const delay = Math.max(this.restartDelayMs, this.notBefore - Date.now());
    this.outage = new Error(`${error.message}; restarting it in ${delay} ms`);
    this.log(`${this.outage.message} (events stay buffered and are retried)`);
    this.restartDelayMs = Math.min(RESTART_MAX_MS, this.restartDelayMs * 2);
    this.restartTimer = setTimeout(() => this.restart(), delay);
    this.restartTimer.unref();
  }

  private restart(): void {
    if (this.closing) return;
    this.restarts++;
    this.log(`sqlite worker restarted (${this.restarts} restart${this.restarts > 1 ? 's' : ''} so far); reopening ${this.file}`);
    this.startWorker();
  }

  private call(op: Op, items?: ReadonlyArray<readonly [string, string]>): Promise<number> {
    const worker = this.worker;
    if (!worker) return Promise.reject(this.outage ?? new Error('sqlite store closed'));
    const id = this.nextId++;
    return new Promise((resolvePromise, reject) => {
      this.waiting.set(id, { resolve: resolvePromise, reject });
      worker.postMessage({ id, op, items });
    });
  }

  private settle(reply: Reply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (reply.ok) {
      this.restartDelayMs = RESTART_MIN_MS; // this worker works: the next death starts the backoff afresh
      waiter.resolve(reply.value ?? 0);
    } else waiter.reject(new Error(`sqlite: ${reply.error}`));
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}

/** The worker's compiled file next to this one (tests and the CLI both run the compiled tree). */
function workerEntry(): URL {
  return new URL('./sqlite-worker.js', import.meta.url);
}
