/**
 * The bounded in-memory buffer between "accepted" (202) and "stored". Every accepted event stays
 * counted here until the store acknowledges it, so `size` is exactly the data a crash would lose and
 * the number backpressure is decided on.
 */
import type { IngestEvent } from '../contract/event-schema.js';

export interface BufferLimits {
  /** Hard capacity: an admission that would exceed it is refused (429), never dropped later. */
  capacity: number;
  /** Above this fill level new requests get 429 with Retry-After. */
  highWaterMark: number;
}

export type Admission = 'admitted' | 'above_high_water_mark' | 'over_capacity';

export class EventBuffer {
  /** Events waiting for a flush, oldest first; batches returned after a failed write go back to the front. */
  private pending: IngestEvent[][] = [];
  private pendingCount = 0;
  private inFlightCount = 0;

  constructor(readonly limits: BufferLimits) {}

  /** Accepted events not yet acknowledged by the store (pending + being written). */
  get size(): number {
    return this.pendingCount + this.inFlightCount;
  }

  get pendingSize(): number {
    return this.pendingCount;
  }

  get fill(): number {
    return this.size / this.limits.capacity;
  }

  isAboveHighWaterMark(): boolean {
    return this.size >= this.limits.highWaterMark;
  }

  /** Accepts all of `events` or none of them. */
  admit(events: IngestEvent[]): Admission {
    if (this.isAboveHighWaterMark()) return 'above_high_water_mark';
    if (this.size + events.length > this.limits.capacity) return 'over_capacity';
    this.pending.push(events);
    this.pendingCount += events.length;
    return 'admitted';
  }

  /** Moves up to `max` of the oldest pending events into flight. */
  take(max: number): IngestEvent[] {
    const batch: IngestEvent[] = [];
    while (batch.length < max && this.pending.length > 0) {
      const head = this.pending[0]!;
      const room = max - batch.length;
      if (head.length <= room) {
        this.pending.shift();
        for (const event of head) batch.push(event);
      } else {
        // Split without mutating: the admitted array still belongs to the request that brought it.
        for (let i = 0; i < room; i++) batch.push(head[i]!);
        this.pending[0] = head.slice(room);
      }
    }
    this.pendingCount -= batch.length;
    this.inFlightCount += batch.length;
    return batch;
  }

  /** The store has them: they leave the buffer. */
  acknowledge(batch: IngestEvent[]): void {
    this.inFlightCount -= batch.length;
  }

  /** The write failed: the batch goes back to the front, to be retried first. */
  giveBack(batch: IngestEvent[]): void {
    this.inFlightCount -= batch.length;
    this.pendingCount += batch.length;
    this.pending.unshift(batch);
  }

  /** Everything still unacknowledged, for a spill file when a drain times out. */
  snapshotPending(): IngestEvent[] {
    return this.pending.flat();
  }
}
