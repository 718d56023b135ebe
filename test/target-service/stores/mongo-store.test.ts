/** The MongoDB store against a real MongoDB-wire server (FerretDB), including an outage mid-load. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MongoStore } from '../../../target-service/src/stores/mongo-store.js';
import { createEventGenerator } from '../../../src/events/event-generator.js';
import { startFerretDb, type FerretDb } from '../../helpers/ferretdb.js';
import { getJson } from '../../helpers/http.js';
import { sendLoad } from '../../helpers/load.js';
import { startTestTarget } from '../../helpers/target.js';

describe('MongoStore on FerretDB', () => {
  let ferret: FerretDb;
  before(async () => {
    ferret = await startFerretDb();
  });
  after(() => ferret.kill());

  it('stores each event_id once, however often it is written (idempotent retries)', async () => {
    const store = await MongoStore.open(ferret.uri.replace('/loadctl', '/idempotence'));
    try {
      const generator = createEventGenerator({ seed: 4 });
      const events = Array.from({ length: 50 }, () => generator.nextEvent());
      const asRequest = (batch: typeof events) => [{ json: JSON.stringify({ batch }), shape: 'batch' as const, count: batch.length }];
      assert.deepEqual(await store.write(asRequest(events.slice(0, 30))), { inserted: 30, duplicates: 0 });
      assert.deepEqual(await store.write(asRequest(events)), { inserted: 20, duplicates: 30 });
      assert.equal(await store.count(), 50);
    } finally {
      await store.close();
    }
  });

  it('stores the odd keys the service accepts (constructor, __proto__-like, unicode)', async () => {
    const store = await MongoStore.open(ferret.uri.replace('/loadctl', '/oddkeys'));
    try {
      const event = createEventGenerator({ seed: 8 }).nextEvent();
      event.properties = { ...event.properties, prototype: 2, constructor: { prototype: { x: 1 } }, 'ключ\u{1f600}': '\u202e' };
      const result = await store.write([{ json: JSON.stringify(event), shape: 'single', count: 1 }]).catch((error: Error) => error);
      assert.ok(!(result instanceof Error), `the store refused an event the service accepted: ${result}`);
    } finally {
      await store.close();
    }
  });

  it('outage mid-load: 429s while the server is down, nothing accepted is lost', { timeout: 90_000 }, async () => {
    const service = await startTestTarget({
      store: ferret.uri,
      bufferCapacity: 3000,
      highWaterMark: 2000,
      flush: { batchSize: 200, concurrency: 2, minBackoffMs: 50, maxBackoffMs: 500 },
    });
    let sawUnhealthy = false;
    try {
      const load = sendLoad({ url: service.url, concurrency: 4, batchSize: 20, maxRequests: 4000, maxDurationMs: 9000, seed: 31 });
      await sleep(2000);
      await ferret.kill();
      const outageEnds = Date.now() + 3500;
      while (Date.now() < outageEnds) {
        const health = await getJson(`${service.url}/health`);
        if (health.status === 503 && health.body.store.state === 'failing') sawUnhealthy = true;
        await sleep(250);
      }
      await ferret.restart();
      const result = await load;
      const drained = await service.stop();
      assert.deepEqual(drained, { complete: true, spilled: 0 });
      assert.ok((result.statuses.get(429) ?? 0) > 0, `expected 429s during the outage: ${[...result.statuses]}`);
      assert.ok(sawUnhealthy, '/health answered 503 while the store was down and the buffer full');
      assert.ok(service.metrics.storeErrors > 0);
      const check = await MongoStore.open(ferret.uri);
      try {
        assert.equal(await check.count(), result.acceptedEvents, 'every event answered 202 is in the store');
      } finally {
        await check.close();
      }
      assert.ok(result.acceptedEvents > 1000, `load too small to mean anything: ${result.acceptedEvents}`);
    } finally {
      await service.stop();
    }
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
