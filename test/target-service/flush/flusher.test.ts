/**
 * The flusher's decisions — retry, probe one at a time, isolate and dead-letter a poison request —
 * driven by an in-memory store whose failures the test controls (the real stores are tested in
 * stores/ and durability tests; here only the flusher's logic is under test).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventBuffer, type AcceptedRequest } from '../../../target-service/src/buffer/event-buffer.js';
import { Flusher } from '../../../target-service/src/flush/flusher.js';
import { ServiceMetrics } from '../../../target-service/src/metrics.js';
import type { EventStore, WriteResult } from '../../../target-service/src/stores/event-store.js';

class ControlledStore implements EventStore {
  readonly description = 'in-memory';
  readonly stored: string[] = [];
  down = false;
  inFlight = 0;
  failures = 0;
  /** Most writes in flight at once among those started after the first failure. */
  maxInFlightAfterFailure = 0;
  async write(requests: AcceptedRequest[]): Promise<WriteResult> {
    this.inFlight++;
    if (this.failures > 0) this.maxInFlightAfterFailure = Math.max(this.maxInFlightAfterFailure, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight--;
    if (this.down) {
      this.failures++;
      throw new Error('store unreachable');
    }
    if (requests.some((request) => request.json.includes('POISON'))) throw new Error('document refused');
    for (const request of requests) this.stored.push(request.json);
    return { inserted: requests.length, duplicates: 0 };
  }
  async count(): Promise<number> {
    return this.stored.length;
  }
  async close(): Promise<void> {}
}

const request = (json: string): AcceptedRequest => ({ json, shape: 'single', count: 1 });

function setup(store: ControlledStore) {
  const buffer = new EventBuffer({ capacity: 10_000, highWaterMark: 10_000 });
  const metrics = new ServiceMetrics({ bufferSize: () => buffer.size, bufferCapacity: () => 10_000 });
  const deadLettered: AcceptedRequest[] = [];
  const flusher = new Flusher(buffer, store, metrics, { batchSize: 5, concurrency: 4, intervalMs: 5, minBackoffMs: 5, maxBackoffMs: 20 }, () => {}, (r) => deadLettered.push(r));
  return { buffer, metrics, flusher, deadLettered };
}

describe('Flusher', () => {
  // The flusher's timers are unref'd (the service's server keeps the process alive); here, this does.
  let keepAlive: NodeJS.Timeout;
  before(() => (keepAlive = setInterval(() => {}, 1000)));
  after(() => clearInterval(keepAlive));

  it('dead-letters a request the store always refuses, and stores everything else', async () => {
    const store = new ControlledStore();
    const { buffer, metrics, flusher, deadLettered } = setup(store);
    for (let i = 0; i < 12; i++) buffer.admit(request(`good-${i}`));
    buffer.admit(request('POISON'));
    for (let i = 12; i < 24; i++) buffer.admit(request(`good-${i}`));
    flusher.start();
    await flusher.drain();
    flusher.stop();
    assert.equal(store.stored.length, 24);
    assert.deepEqual(deadLettered.map((r) => r.json), ['POISON']);
    assert.equal(metrics.eventsDeadLettered, 1);
    assert.equal(buffer.size, 0);
  });

  it('never dead-letters during an outage: everything is stored once the store is back', async () => {
    const store = new ControlledStore();
    const { buffer, flusher, deadLettered } = setup(store);
    store.down = true;
    for (let i = 0; i < 30; i++) buffer.admit(request(`e-${i}`));
    flusher.start();
    await new Promise((resolve) => setTimeout(resolve, 300)); // many failed attempts
    assert.ok(store.failures > 5, `retried during the outage (${store.failures} failures)`);
    assert.equal(store.maxInFlightAfterFailure, 1, 'one probe at a time while the store fails');
    store.down = false;
    await flusher.drain();
    flusher.stop();
    assert.equal(store.stored.length, 30);
    assert.deepEqual(deadLettered, []);
  });
});
