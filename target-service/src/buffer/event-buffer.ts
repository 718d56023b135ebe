/**
 * The bounded in-memory buffer between "accepted" (202) and "stored". Every accepted event stays
 * counted here until the store acknowledges it, so `size` is exactly the data a crash would lose and
 * the number backpressure is decided on.
 *
 * The unit is the accepted request as raw JSON text plus its event count: the event loop never
 * re-serialises events for a store (the SQLite worker re-reads the text off the loop), and a full
 * buffer is flat strings, not millions of small objects for the garbage collector to trace (that
 * cost multi-second pauses).
 */
import type { IngestEvent } from '../../../contract/event-schema.js';
import { eventsInBody, type BodyShape } from '../contract/body-events.js';

export interface AcceptedRequest {
  /** The request body exactly as received (valid JSON: it parsed and validated). */
  json: string;
  shape: BodyShape;
  /** Events in it. */
  count: number;
  /** Failed single-request writes so far (the flusher's poison detection). */
  failedAttempts?: number;
  firstFailedAt?: number;
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
  /** Requests handed to the store and not yet acknowledged or given back. */
  private readonly inFlight = new Set<AcceptedRequest>();

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
      const request = this.pending.shift()!;
      batch.push(request);
      this.inFlight.add(request);
      events += next;
    }
    this.pendingCount -= events;
    this.inFlightCount += events;
    return batch;
  }

  /** The store has them: they leave the buffer. */
  acknowledge(batch: AcceptedRequest[]): void {
    this.inFlightCount -= countEvents(batch);
    for (const request of batch) this.inFlight.delete(request);
  }

  /** The write failed: the batch goes back to the front, to be retried first. */
  giveBack(batch: AcceptedRequest[]): void {
    this.returnFromFlight(batch);
    this.pending.unshift(...batch);
  }

  /** The write failed and others may succeed: the batch goes to the back, behind the rest. */
  requeueAtBack(batch: AcceptedRequest[]): void {
    this.returnFromFlight(batch);
    this.pending.push(...batch);
  }

  private returnFromFlight(batch: AcceptedRequest[]): void {
    const events = countEvents(batch);
    this.inFlightCount -= events;
    this.pendingCount += events;
    for (const request of batch) this.inFlight.delete(request);
  }

  /**
   * Every event the store has not acknowledged — waiting, or in a write whose outcome is unknown —
   * for a spill file when a drain times out (resending an event the store did get is harmless:
   * event_id dedups).
   */
  snapshotUnacknowledged(): IngestEvent[] {
    return [...this.inFlight, ...this.pending].flatMap((request) => eventsInBody(request.json, request.shape));
  }
}
