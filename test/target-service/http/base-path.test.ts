/** `--base-path /prefix`: the events route moves under the prefix (a load tool must send a URL's path); /health stays put. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEventGenerator } from '../../../src/events/event-generator.js';
import { getJson, metricValue, postEvents } from '../../helpers/http.js';
import { startTestTarget } from '../../helpers/target.js';

const generator = createEventGenerator({ seed: 23 });

describe('target-service with --base-path /prefix', () => {
  let service: Awaited<ReturnType<typeof startTestTarget>>;
  before(async () => {
    // The trailing slash is dropped: '/prefix/' and '/prefix' are one base path.
    service = await startTestTarget({ basePath: '/prefix/' });
  });
  after(() => service.stop());

  it('accepts events at /prefix/v1/events', async () => {
    assert.equal(service.basePath, '/prefix');
    const response = await postEvents(`${service.url}/prefix`, generator.nextEventJson());
    assert.equal(response.status, 202, JSON.stringify(response.body));
    assert.deepEqual(response.body, { accepted: 1 });
  });

  it('answers 404 at /v1/events, naming the route that works', async () => {
    const response = await postEvents(service.url, generator.nextEventJson());
    assert.equal(response.status, 404);
    assert.match(response.body.error.message, /send events with POST \/prefix\/v1\/events/);
  });

  it('keeps /health at the root and the metrics route label /v1/events', async () => {
    assert.equal((await getJson(`${service.url}/health`)).status, 200);
    const metrics = await (await fetch(service.metricsUrl!)).text();
    assert.equal(metricValue(metrics, 'http_requests_total', '{route="/v1/events",status="202"}'), 1);
  });
});

describe('target-service without --base-path', () => {
  it('serves /v1/events as before', async () => {
    const service = await startTestTarget();
    try {
      assert.equal(service.basePath, '');
      assert.equal((await postEvents(service.url, generator.nextEventJson())).status, 202);
    } finally {
      await service.stop();
    }
  });
});
