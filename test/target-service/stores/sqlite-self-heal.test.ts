/**
 * The SQLite worker thread dies (an uncaught error in it, or Worker.terminate()) and the store starts a
 * new one: calls fail fast while it is down, the flusher keeps the events buffered and resends them,
 * and after the drain every event answered 202 is in the SQLite file exactly once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteStore } from '../../../target-service/src/stores/sqlite-store.js';
import { createEventGenerator } from '../../../src/events/event-generator.js';
import { getJson, metricValue } from '../../helpers/http.js';
import { sendLoad } from '../../helpers/load.js';
import { countStoredEvents } from '../../helpers/sqlite-count.js';
import { startTestTarget } from '../../helpers/target.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** Retries `write` until it succeeds (the flusher's job, done by hand here). */
async function writeWhenBack(store: SqliteStore, json: string, count: number): Promise<void> {
  for (;;) {
    try {
      await store.write([{ json, shape: 'batch', count }]);
      return;
    } catch {
      await sleep(20);
    }
  }
}

describe('SqliteStore restarts its dead worker', () => {
  const generator = createEventGenerator({ seed: 31 });

  const faults = { throw: 'an uncaught error in the worker', oom: 'the worker running out of heap', terminate: 'Worker.terminate()' } as const;
  for (const kind of ['throw', 'oom', 'terminate'] as const) {
    it(`after ${faults[kind]}: fails fast while down, then reopens the same file`, { timeout: 30_000 }, async () => {
      const dir = makeTempDir();
      const logs: string[] = [];
      const store = await SqliteStore.open(dir, { log: (line) => logs.push(line) });
      const first = generator.nextBatchJson(10);
      await store.write([{ json: first, shape: 'batch', count: 10 }]);

      store.injectFault({ kind, downForMs: 300 });
      while (store.restarts === 0 && (await store.count().then(() => true, () => false))) await sleep(20); // wait for the death
      await assert.rejects(store.write([{ json: generator.nextBatchJson(5), shape: 'batch', count: 5 }]), /sqlite worker exited with code \d+.*restarting it in/);

      const second = generator.nextBatchJson(10);
      await writeWhenBack(store, second, 10);
      // A resend of what landed before the death is stored once.
      assert.deepEqual(await store.write([{ json: first, shape: 'batch', count: 10 }]), { inserted: 0, duplicates: 10 });
      assert.equal(await store.count(), 20);
      assert.equal(store.restarts, 1);
      await store.close();
      assert.equal(countStoredEvents(dir), 20);
      if (kind === 'throw') assert.match(logs.join('\n'), /injected fault: the sqlite worker crashed/);
      if (kind === 'oom') assert.match(logs.join('\n'), /reaching memory limit/);
      assert.match(logs.join('\n'), /sqlite worker restarted \(1 restart so far\)/);
    });
  }
});

describe('target-service: the store worker dies mid-load', () => {
  it('429s while it is down, no 5xx, /health and store_errors_total show the outage, accepted == rows after the drain', { timeout: 60_000 }, async () => {
    const storeDir = makeTempDir('loadctl-self-heal-');
    const service = await startTestTarget({ store: storeDir, bufferCapacity: 2000, flush: { batchSize: 100, concurrency: 2, intervalMs: 10 } });
    assert.ok(service.store instanceof SqliteStore);
    const store = service.store;

    let loadDone = false;
    const load = sendLoad({ url: service.url, concurrency: 8, batchSize: 20, maxRequests: 1_000_000, maxDurationMs: 5000, seed: 13 }).finally(() => (loadDone = true));
    const healthStates = new Set<string>();
    const watchHealth = (async () => {
      while (!loadDone) {
        const health = await getJson(`${service.url}/health`);
        healthStates.add(`${health.status} ${health.body.store.state}`);
        await sleep(25);
      }
    })();

    await sleep(700);
    store.injectFault({ kind: 'throw', downForMs: 1200 });
    await sleep(1800);
    store.injectFault({ kind: 'terminate', downForMs: 800 });
    const result = await load;
    await watchHealth;
    const metrics = await (await fetch(service.metricsUrl!)).text();
    const drained = await service.stop();

    const statuses = Object.fromEntries(result.statuses);
    assert.ok((result.statuses.get(429) ?? 0) > 0, `no 429 while the store was down: ${JSON.stringify(statuses)}`);
    assert.deepEqual([...result.statuses.keys()].filter((status) => status >= 500), [], `no 5xx: ${JSON.stringify(statuses)}`);
    assert.equal(result.networkErrors, 0);
    assert.ok(healthStates.has('200 ok'), [...healthStates].join(', '));
    assert.ok([...healthStates].some((state) => state.endsWith('failing')), `/health never showed the outage: ${[...healthStates].join(', ')}`);
    assert.ok(metricValue(metrics, 'store_errors_total') > 0);
    assert.equal(metricValue(metrics, 'store_restarts_total'), 2);
    assert.equal(drained.complete, true);
    assert.ok(result.acceptedEvents > 1000, `too little load to mean anything: ${result.acceptedEvents}`);
    assert.equal(countStoredEvents(storeDir), result.acceptedEvents, 'every event answered 202 is stored exactly once');
  });
});
