/** The scraper reads the real service's exposition through the shared names (contract/metric-names.ts), whatever path the load used. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { METRIC_NAMES } from '../../contract/metric-names.js';
import { readTargetMetrics } from '../../src/controller/target-metrics.js';
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
