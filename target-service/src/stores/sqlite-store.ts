/** The default, embedded store: one SQLite file (WAL) written from a worker thread. */
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

export class SqliteStore implements EventStore {
  readonly description: string;
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: number) => void; reject: (error: Error) => void }>();
  private exited: Error | undefined;
  /** Created up front: the worker may exit before close() could attach a listener. */
  private readonly exitedPromise: Promise<unknown>;

  private constructor(readonly file: string) {
    this.description = `sqlite ${file}`;
    this.worker = new Worker(workerEntry(), { workerData: { file } });
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.failAll(error));
    this.exitedPromise = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.on('exit', (code) => this.failAll(new Error(`sqlite worker exited with code ${code}`)));
  }

  /** Opens (creating if needed) `DIR/events.sqlite`; resolves once the schema exists. */
  static async open(directory: string): Promise<SqliteStore> {
    const dir = prepareStoreDirectory(directory);
    const store = new SqliteStore(join(dir, 'events.sqlite'));
    await store.count();
    return store;
  }

  async write(requests: AcceptedRequest[]): Promise<WriteResult> {
    // Raw request texts cross to the worker; SQLite finds the events in them (json_each), so the
    // event loop never re-serialises what it already received as JSON.
    const inserted = await this.call('write', requests.map((request) => [request.json, request.shape] as const));
    return { inserted, duplicates: countEvents(requests) - inserted };
  }

  count(): Promise<number> {
    return this.call('count');
  }

  async close(): Promise<void> {
    if (!this.exited) await this.call('close');
    await this.exitedPromise;
  }

  private call(op: 'write' | 'count' | 'close', items?: ReadonlyArray<readonly [string, string]>): Promise<number> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolvePromise, reject) => {
      this.waiting.set(id, { resolve: resolvePromise, reject });
      this.worker.postMessage({ id, op, items });
    });
  }

  private settle(reply: Reply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value ?? 0);
    else waiter.reject(new Error(`sqlite: ${reply.error}`));
  }

  private failAll(error: Error): void {
    this.exited ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}

/** The worker's compiled file next to this one (tests and the CLI both run the compiled tree). */
function workerEntry(): URL {
  return new URL('./sqlite-worker.js', import.meta.url);
}
