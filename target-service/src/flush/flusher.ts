/**
 * Moves events from the buffer to the store: up to `concurrency` batches in flight, a partial batch
 * after `intervalMs`, and on a store error the batch goes back to the buffer and writes pause with
 * exponential backoff. An accepted event leaves the buffer only when the store has acknowledged it.
 */
import { countEvents, type AcceptedRequest, type EventBuffer } from '../buffer/event-buffer.js';
import type { EventStore } from '../stores/event-store.js';
import type { ServiceMetrics } from '../metrics.js';

export interface FlushOptions {
  batchSize: number;
  concurrency: number;
  intervalMs: number;
  /** First retry delay after a failed write; doubles per consecutive failure up to `maxBackoffMs`. */
  minBackoffMs: number;
  maxBackoffMs: number;
}

/** Failed single-request writes, with other writes succeeding meanwhile, before a request is dead-lettered. */
export const POISON_ATTEMPTS = 3;

export interface StoreHealth {
  state: 'ok' | 'failing';
  /** When the current run of failures began (epoch ms), if failing. */
  failingSince?: number;
  lastError?: string;
}

export class Flusher {
  private inFlight = 0;
  private consecutiveFailures = 0;
  private retryAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private settledWaiters: Array<() => void> = [];
  private stopped = false;
  private health: StoreHealth = { state: 'ok' };
  /** When draining, partial batches go out at once instead of waiting for the interval. */
  private urgent = false;
  /** After a multi-request batch fails, this many writes go one request at a time to find the culprit. */
  private isolateNext = 0;
  private lastSuccessAt = 0;

  constructor(
    private readonly buffer: EventBuffer,
    private readonly store: EventStore,
    private readonly metrics: ServiceMetrics,
    private readonly options: FlushOptions,
    private readonly log: (line: string) => void,
    /** Takes a request the store refuses while it stores others (see POISON_ATTEMPTS). */
    private readonly deadLetter: (request: AcceptedRequest, error: Error) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.pump(true), this.options.intervalMs);
    this.timer.unref();
  }

  /** Called after each admission: flushes full batches without waiting for the interval. */
  notify(): void {
    if (this.buffer.pendingSize >= this.options.batchSize) this.pump(false);
  }

  get storeHealth(): StoreHealth {
    return this.health;
  }

  /** Flushes everything; resolves when the buffer is empty (it may never, if the store stays down). */
  drain(): Promise<void> {
    this.urgent = true;
    this.pump(true);
    if (this.buffer.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** No new writes from now on; writes in flight finish (see `settled`). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Resolves when no write is in flight: every batch is either acknowledged or back in the buffer. */
  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private pump(allowPartial: boolean): void {
    if (this.stopped) return;
    const partialOk = allowPartial || this.urgent;
    while (this.inFlight < this.options.concurrency && Date.now() >= this.retryAt) {
      // While the store is failing, one probe at a time: no stampede on a recovering server.
      if (this.consecutiveFailures > 0 && this.inFlight > 0) break;
      const pending = this.buffer.pendingSize;
      if (pending === 0 || (!partialOk && pending < this.options.batchSize)) break;
      const isolating = this.isolateNext > 0;
      if (isolating) this.isolateNext--;
      void this.writeBatch(this.buffer.take(isolating ? 1 : this.options.batchSize));
    }
  }

  private async writeBatch(batch: AcceptedRequest[]): Promise<void> {
    this.inFlight++;
    const started = performance.now();
    try {
      const result = await this.store.write(batch);
      this.buffer.acknowledge(batch);
      this.metrics.eventsStored += countEvents(batch);
      this.metrics.eventsDuplicate += result.duplicates;
      this.metrics.flushDuration.observe((performance.now() - started) / 1000);
      this.recordSuccess();
    } catch (error) {
      this.recordFailure(error as Error);
      this.handleFailedBatch(batch, error as Error);
    } finally {
      this.inFlight--;
    }
    if (this.inFlight === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
    this.afterWrite();
  }

  /**
   * A failed batch goes back to the buffer. A store outage fails everything, and retrying is right;
   * but one request the store always refuses (a poison) would otherwise block every write behind it.
   * So a failed multi-request batch is retried one request at a time, a failed single request goes
   * to the back of the queue, and a request that failed POISON_ATTEMPTS times while other writes
   * succeeded is dead-lettered: out of the buffer, into a file, loudly — never dropped silently.
   */
  private handleFailedBatch(batch: AcceptedRequest[], error: Error): void {
    if (batch.length > 1) {
      this.buffer.giveBack(batch);
      this.isolateNext = Math.max(this.isolateNext, batch.length);
      return;
    }
    const request = batch[0]!;
    request.failedAttempts = (request.failedAttempts ?? 0) + 1;
    request.firstFailedAt ??= Date.now();
    if (request.failedAttempts >= POISON_ATTEMPTS && this.lastSuccessAt > request.firstFailedAt) {
      this.buffer.acknowledge(batch);
      this.metrics.eventsDeadLettered += request.count;
      this.deadLetter(request, error);
      return;
    }
    this.buffer.requeueAtBack(batch);
  }

  private recordSuccess(): void {
    this.lastSuccessAt = Date.now();
    if (this.consecutiveFailures > 0) this.log(`store recovered after ${this.consecutiveFailures} failed writes`);
    this.consecutiveFailures = 0;
    this.retryAt = 0;
    this.health = { state: 'ok' };
  }

  private recordFailure(error: Error): void {
    this.metrics.storeErrors++;
    this.consecutiveFailures++;
    const backoff = Math.min(this.options.maxBackoffMs, this.options.minBackoffMs * 2 ** (this.consecutiveFailures - 1));
    // Jitter spreads the retries of several workers sharing one store.
    this.retryAt = Date.now() + backoff * (0.5 + Math.random() / 2);
    if (this.health.state === 'ok') {
      this.health = { state: 'failing', failingSince: Date.now(), lastError: error.message };
      this.log(`store write failed, retrying with backoff (events stay buffered): ${error.message}`);
    } else {
      this.health = { ...this.health, lastError: error.message };
    }
    setTimeout(() => this.pump(true), this.retryAt - Date.now() + 1).unref();
  }

  private afterWrite(): void {
    if (this.buffer.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    this.pump(this.urgent);
  }
}
