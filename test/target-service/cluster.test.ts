/** `--workers 2` (node:cluster): one port, metrics aggregated over all workers, a clean drain. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { metricValue } from '../helpers/http.js';
import { sendLoad } from '../helpers/load.js';
import { countStoredEvents } from '../helpers/sqlite-count.js';
import { spawnTargetCli } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';

it('--workers 2: metrics count every worker\'s requests, and SIGTERM drains all of them', { timeout: 60_000 }, async () => {
  const store = makeTempDir('loadctl-cluster-');
  const target = await spawnTargetCli(['--store', store, '--workers', '2']);
  assert.match(target.output(), /2 processes/);
  const load = await sendLoad({ url: target.url, concurrency: 8, batchSize: 5, maxRequests: 2000, maxDurationMs: 20_000, seed: 12 });
  assert.equal(load.statuses.get(202), 2000, `${[...load.statuses]}`);

  const metrics = await (await fetch(target.metricsUrl!)).text();
  // With round-robin over two workers, one worker's view would show about half of these.
  assert.equal(metricValue(metrics, 'http_requests_total', '{route="/v1/events",status="202"}'), 2000);
  assert.equal(metricValue(metrics, 'events_accepted_total'), load.acceptedEvents);
  assert.match(metrics, /^event_buffer_size /m);

  assert.equal(await target.stop('SIGTERM'), 0, target.output());
  assert.equal(countStoredEvents(store), load.acceptedEvents);
});
