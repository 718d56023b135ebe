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

  constructor(
    private readonly buffer: EventBuffer,
    private readonly store: EventStore,
    private readonly metrics: ServiceMetrics,
    private readonly options: FlushOptions,
    private readonly log: (line: string) => void,
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
      void this.writeBatch(this.buffer.take(this.options.batchSize));
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
      this.buffer.giveBack(batch);
      this.recordFailure(error as Error);
    } finally {
      this.inFlight--;
    }
    if (this.inFlight === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
    this.afterWrite();
  }

  private recordSuccess(): void {
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
