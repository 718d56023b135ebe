/** A bounded load loop for tests: N concurrent senders, stopped by request count or time. */
import { createEventGenerator } from '../../src/events/event-generator.js';

export interface LoadOptions {
  url: string;
  concurrency: number;
  /** Events per request (1 sends a single event object). */
  batchSize: number;
  /** Stop after this many requests in total… */
  maxRequests: number;
  /** …or after this long, whichever comes first. */
  maxDurationMs: number;
  seed?: number;
  /** Stop early when this returns true (checked between requests). */
  until?: () => boolean;
}

export interface LoadResult {
  requests: number;
  statuses: Map<number, number>;
  /** Events the service answered 202 for (from its `accepted` counts). */
  acceptedEvents: number;
  networkErrors: number;
}

export async function sendLoad(options: LoadOptions): Promise<LoadResult> {
  const generator = createEventGenerator({ seed: options.seed ?? 1 });
  const deadline = Date.now() + options.maxDurationMs;
  const result: LoadResult = { requests: 0, statuses: new Map(), acceptedEvents: 0, networkErrors: 0 };
  let started = 0;
  const sender = async () => {
    while (started < options.maxRequests && Date.now() < deadline && !options.until?.()) {
      started++;
      const body = options.batchSize === 1 ? generator.nextEventJson() : generator.nextBatchJson(options.batchSize);
      try {
        const response = await fetch(`${options.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await response.text();
        result.statuses.set(response.status, (result.statuses.get(response.status) ?? 0) + 1);
        if (response.status === 202) result.acceptedEvents += (JSON.parse(text) as { accepted: number }).accepted;
      } catch {
        result.networkErrors++;
      }
      result.requests++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, sender));
  return result;
}
