/**
 * The bounded in-memory buffer between "accepted" (202) and "stored". Every accepted event stays
 * counted here until the store acknowledges it, so `size` is exactly the data a crash would lose and
 * the number backpressure is decided on.
 *
 * The unit is the accepted request as raw JSON text plus its event count: a store that ingests JSON
 * (SQLite's json_each) never re-serialises on the event loop, and a full buffer is flat strings, not
 * millions of small objects for the garbage collector to trace (that cost multi-second pauses).
 */
import type { IngestEvent } from '../contract/event-schema.js';
import { eventsInBody, type BodyShape } from '../contract/body-events.js';

export interface AcceptedRequest {
  /** The request body exactly as received (valid JSON: it parsed and validated). */
  json: string;
  shape: BodyShape;
  /** Events in it. */
  count: number;
}

export interface BufferLimits {
  /** Hard capacity in events: an admission that would exceed it is refused (429), never dropped later. */
  capacity: number;
  /** Above this fill level (events) new requests get 429 with Retry-After. */
  highWaterMark: number;
}

export type Admission = 'admitted' | 'above_high_water_mark' | 'over_capacity';

/** Events in a list of requests. */
export function countEvents(requests: readonly AcceptedRequest[]): number {
  let total = 0;
  for (const request of requests) total += request.count;
  return total;
}

export class EventBuffer {
  /** Requests waiting for a flush, oldest first; a batch returned after a failed write goes back to the front. */
  private pending: AcceptedRequest[] = [];
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

  /** Accepts all of the request's events or none of them. */
  admit(request: AcceptedRequest): Admission {
    if (this.isAboveHighWaterMark()) return 'above_high_water_mark';
    if (this.size + request.count > this.limits.capacity) return 'over_capacity';
    this.pending.push(request);
    this.pendingCount += request.count;
    return 'admitted';
  }

  /**
   * Moves the oldest whole requests into flight, up to `maxEvents` events; always at least one
   * request, so a request larger than `maxEvents` still goes out (requests are never split).
   */
  take(maxEvents: number): AcceptedRequest[] {
    const batch: AcceptedRequest[] = [];
    let events = 0;
    while (this.pending.length > 0) {
      const next = this.pending[0]!.count;
      if (batch.length > 0 && events + next > maxEvents) break;
      batch.push(this.pending.shift()!);
      events += next;
    }
    this.pendingCount -= events;
    this.inFlightCount += events;
    return batch;
  }

  /** The store has them: they leave the buffer. */
  acknowledge(batch: AcceptedRequest[]): void {
    this.inFlightCount -= countEvents(batch);
  }

  /** The write failed: the batch goes back to the front, to be retried first. */
  giveBack(batch: AcceptedRequest[]): void {
    const events = countEvents(batch);
    this.inFlightCount -= events;
    this.pendingCount += events;
    this.pending.unshift(...batch);
  }

  /** Every event not yet taken for a write, for a spill file when a drain times out. */
  snapshotPending(): IngestEvent[] {
    return this.pending.flatMap((request) => eventsInBody(request.json, request.shape));
  }
}
