/** The scraper reads the real service's exposition through the shared names (contract/metric-names.ts), whatever path the load used. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { METRIC_NAMES } from '../../contract/metric-names.js';
import { discoverTargetMetricsUrl, readTargetMetrics, TargetMetricsWatcher } from '../../src/controller/target-metrics.js';
import { freePort } from '../../src/net/free-port.js';
import { createEventGenerator } from '../../src/events/event-generator.js';
import { getJson, postEvents } from '../helpers/http.js';
import { startTestTarget } from '../helpers/target.js';

const generator = createEventGenerator({ seed: 29 });

describe('readTargetMetrics against the real target-service', () => {
  let service: Awaited<ReturnType<typeof startTestTarget>>;
  before(async () => {
    service = await startTestTarget({ basePath: '/ingest' });
  });
  after(() => service.stop());

  it("its /health says where its metrics are, so loadctl asks instead of guessing port 9464", async () => {
    assert.equal(await discoverTargetMetricsUrl(service.url, 'http://guess:1/metrics'), service.metricsUrl);
  });

  it('the service exposes every name of the shared list', async () => {
    const text = await (await fetch(service.metricsUrl!)).text();
    for (const name of Object.values(METRIC_NAMES)) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `missing ${name}`);
  });

  it('counts requests to any path the scenario sent to (not only /v1/events), never /health', async () => {
    assert.equal((await postEvents(`${service.url}/ingest`, generator.nextEventJson())).status, 202);
    assert.equal((await postEvents(`${service.url}/ingest`, generator.nextEventJson())).status, 202);
    // A scenario whose path the service does not serve: the server still saw the request (404).
    assert.equal((await postEvents(`${service.url}/elsewhere`, generator.nextEventJson())).status, 404);
    assert.equal((await getJson(`${service.url}/health`)).status, 200);
    const reading = readTargetMetrics(await (await fetch(service.metricsUrl!)).text(), 0);
    assert.deepEqual(reading.requestsByStatus, { '202': 2, '404': 1 });
    assert.equal(reading.requests, 3);
    assert.equal(reading.eventsAccepted, 2);
    assert.equal(typeof reading.bufferCapacity, 'number');
  });
});

describe('TargetMetricsWatcher: an endpoint that does not answer', () => {
  it("says why in words and names the flag (it said only 'fetch failed')", async () => {
    const watcher = new TargetMetricsWatcher(`http://127.0.0.1:${await freePort()}/metrics`);
    await watcher.start();
    await watcher.stop();
    assert.match(watcher.firstError ?? '', /unavailable: fetch failed \(ECONNREFUSED\); the report has no server-side counts\. Pass --target-metrics URL .* or --target-metrics none/);
  });
});

describe('discoverTargetMetricsUrl: a target that is not the bundled service', () => {
  it('keeps the guess when nothing answers /health', async () => {
    assert.equal(await discoverTargetMetricsUrl(`http://127.0.0.1:${await freePort()}`, 'http://guess:1/metrics'), 'http://guess:1/metrics');
  });
});
