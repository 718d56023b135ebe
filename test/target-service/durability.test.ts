/**
 * Overload and shutdown against the real CLI process: accepted == stored, counted in the SQLite file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { metricValue } from '../helpers/http.js';
import { sendLoad } from '../helpers/load.js';
import { countStoredEvents } from '../helpers/sqlite-count.js';
import { spawnTargetCli, startTestTarget } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('target-service durability', () => {
  it('overload past what the store absorbs: 429s appear, and after the drain accepted == stored exactly', { timeout: 60_000 }, async () => {
    const store = makeTempDir('loadctl-overload-');
    // The store absorbs about 50 events per 100 ms; the load offers far more.
    const target = await spawnTargetCli(['--store', store, '--store-delay-ms', '100', '--flush-batch-size', '50', '--flush-concurrency', '1', '--buffer-capacity', '2000']);
    const load = await sendLoad({ url: target.url, concurrency: 8, batchSize: 20, maxRequests: 3000, maxDurationMs: 4000, seed: 5 });
    const metrics = await (await fetch(target.metricsUrl!)).text();
    assert.equal(await target.stop('SIGTERM'), 0, target.output());

    assert.ok((load.statuses.get(429) ?? 0) > 0, `no 429 under overload: ${[...load.statuses]}`);
    assert.equal(metricValue(metrics, 'backpressure_responses_total'), load.statuses.get(429));
    assert.equal(metricValue(metrics, 'events_accepted_total'), load.acceptedEvents);
    assert.equal(countStoredEvents(store), load.acceptedEvents);
    assert.equal(load.networkErrors, 0);
  });

  it('SIGTERM during load drains to zero loss and exits 0', { timeout: 60_000 }, async () => {
    const store = makeTempDir('loadctl-sigterm-');
    const target = await spawnTargetCli(['--store', store, '--store-delay-ms', '20']);
    // Bounded by time, not count: the senders must still be running when SIGTERM arrives.
    const load = sendLoad({ url: target.url, concurrency: 6, batchSize: 10, maxRequests: 1_000_000, maxDurationMs: 6000, seed: 6 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const exitCode = await target.stop('SIGTERM');
    const result = await load;

    assert.equal(exitCode, 0, target.output());
    assert.match(target.output(), /drained: every accepted event is stored/);
    assert.ok(result.acceptedEvents > 500, `too little load to mean anything: ${result.acceptedEvents}`);
    assert.equal(countStoredEvents(store), result.acceptedEvents);
    const refusedAfterStop = (result.statuses.get(503) ?? 0) + result.networkErrors;
    assert.ok(refusedAfterStop > 0, 'senders still running after SIGTERM were refused, not silently accepted');
  });
});

describe('target-service drain timeout', () => {
  it('spills what the store could not take to a file next to the store: nothing accepted is lost', { timeout: 60_000 }, async () => {
    const store = makeTempDir('loadctl-spill-');
    // Each write takes 1.5 s, one at a time, 10 events each; the drain may take only 300 ms.
    const service = await startTestTarget({ store, storeDelayMs: 1500, drainTimeoutMs: 300, flush: { batchSize: 10, concurrency: 1, intervalMs: 10 } });
    const load = await sendLoad({ url: service.url, concurrency: 2, batchSize: 10, maxRequests: 10, maxDurationMs: 5000, seed: 77 });
    assert.equal(load.acceptedEvents, 100);
    const result = await service.stop();

    assert.equal(result.complete, false);
    assert.ok(result.spilled > 0 && result.spillFile, JSON.stringify(result));
    const spilled = readFileSync(result.spillFile!, 'utf8').trim().split('\n').map((line) => JSON.parse(line).event_id as string);
    assert.equal(spilled.length, result.spilled);
    assert.equal(new Set(spilled).size, spilled.length);
    assert.equal(countStoredEvents(store) + result.spilled, load.acceptedEvents, 'stored + spilled == accepted');
    assert.match(service.logs.join('\n'), /written to .*unflushed-.*\.jsonl/);
  });
});
