/** What the flusher needs from a durable store; implemented by the SQLite and MongoDB stores. */
import type { AcceptedRequest } from '../buffer/event-buffer.js';

export interface WriteResult {
  /** Events newly written. */
  inserted: number;
  /** Events whose event_id the store already held (a retry or a client resend): stored once. */
  duplicates: number;
}

export interface EventStore {
  /** Human-readable location, for the start-up log line. */
  readonly description: string;
  /** Times the store replaced a dead part of itself (the SQLite worker thread); absent where that cannot happen. */
  readonly restarts?: number;
  /** Writes every event of these requests. Idempotent per event_id: writing the same batch twice stores each event once. */
  write(requests: AcceptedRequest[]): Promise<WriteResult>;
  /** Distinct events held, for tests and drain checks. */
  count(): Promise<number>;
  close(): Promise<void>;
}
