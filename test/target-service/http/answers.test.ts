/** Contract tests for every answer of the real service (in-process, real HTTP, real SQLite). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEventGenerator } from '../../../src/events/event-generator.js';
import { METRIC_NAMES } from '../../../contract/metric-names.js';
import { getJson, metricValue, postEvents } from '../../helpers/http.js';
import { countStoredEvents } from '../../helpers/sqlite-count.js';
import { startTestTarget } from '../../helpers/target.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const generator = createEventGenerator({ seed: 21 });
const oneEvent = () => generator.nextEventJson();

describe('target-service answers', () => {
  let service: Awaited<ReturnType<typeof startTestTarget>>;
  before(async () => {
    service = await startTestTarget({ limits: { maxRequestBytes: 64 * 1024 } });
  });
  after(() => service.stop());

  it('202 {accepted:1} for one event', async () => {
    const response = await postEvents(service.url, oneEvent());
    assert.equal(response.status, 202);
    assert.deepEqual(response.body, { accepted: 1 });
  });

  it('202 {accepted:n} for {"batch":[…]} and for a bare array', async () => {
    assert.deepEqual((await postEvents(service.url, generator.nextBatchJson(10))).body, { accepted: 10 });
    const array = `[${oneEvent()},${oneEvent()},${oneEvent()}]`;
    assert.deepEqual((await postEvents(service.url, array)).body, { accepted: 3 });
  });

  it('202 with a charset parameter on the content type', async () => {
    assert.equal((await postEvents(service.url, oneEvent(), { 'content-type': 'application/json; charset=utf-8' })).status, 202);
  });

  it('400 naming index, field and reason; nothing of the batch is accepted', async () => {
    const bad = JSON.parse(oneEvent());
    bad.timestamp = 'not-a-time';
    const response = await postEvents(service.url, { batch: [JSON.parse(oneEvent()), bad] });
    assert.equal(response.status, 400);
    assert.deepEqual(
      { index: response.body.error.index, field: response.body.error.field, reason: response.body.error.reason },
      { index: 1, field: 'timestamp', reason: 'invalid_event' },
    );
    assert.match(response.body.error.message, /timestamp/);
  });

  it('400 for malformed JSON', async () => {
    const response = await postEvents(service.url, '{"event_id": "x"');
    assert.equal(response.status, 400);
    assert.equal(response.body.error.reason, 'malformed_json');
  });

  it('413 over the request size, the per-event size and the batch count', async () => {
    const hugeRequest = await postEvents(service.url, generator.nextBatchJson(400));
    assert.equal(hugeRequest.status, 413);
    const event = JSON.parse(oneEvent());
    event.properties.notes = 'x'.repeat(40 * 1024);
    assert.equal((await postEvents(service.url, event)).status, 413);
  });

  it('413 for more events than the batch limit', async () => {
    const small = await startTestTarget({ limits: { maxBatchEvents: 5 } });
    try {
      const response = await postEvents(small.url, generator.nextBatchJson(6));
      assert.equal(response.status, 413);
      assert.equal(response.body.error.reason, 'too_many_events');
    } finally {
      await small.stop();
    }
  });

  it('415 for a non-JSON or missing content type', async () => {
    assert.equal((await postEvents(service.url, oneEvent(), { 'content-type': 'text/plain' })).status, 415);
    const bare = await fetch(`${service.url}/v1/events`, { method: 'POST', body: new Blob([oneEvent()]) });
    assert.equal(bare.status, 415);
  });

  it('404 for an unknown path, 405 with Allow for a wrong method', async () => {
    assert.equal((await fetch(`${service.url}/v2/events`, { method: 'POST' })).status, 404);
    const wrongMethod = await fetch(`${service.url}/v1/events`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
  });

  it('GET /health: 200 with buffer fill and store status', async () => {
    const health = await getJson(`${service.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.equal(typeof health.body.buffer.fill, 'number');
    assert.equal(health.body.store.state, 'ok');
    assert.match(health.body.store.description, /^sqlite /);
  });

  it('metrics: the named series exist and count what happened', async () => {
    const text = await (await fetch(service.metricsUrl!)).text();
    for (const name of Object.values(METRIC_NAMES)) {
      assert.match(text, new RegExp(`^${name}`, 'm'), `missing ${name}`);
    }
    assert.ok(metricValue(text, 'http_requests_total', '{route="/v1/events",status="202"}') >= 4);
    assert.ok(metricValue(text, 'events_rejected_total', '{reason="invalid_event"}') >= 1);
    assert.equal(metricValue(text, 'http_requests_total', '{route="/v1/events",status="500"}'), 0);
  });
});

describe('target-service backpressure and capacity answers', () => {
  it('429 with Retry-After when the buffer is above its high-water mark', async () => {
    const service = await startTestTarget({ bufferCapacity: 100, highWaterMark: 50, limits: { maxBatchEvents: 10 }, storeDelayMs: 400, flush: { batchSize: 10, concurrency: 1 } });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 10; i++) {
        const response = await postEvents(service.url, generator.nextBatchJson(10));
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get('retry-after');
      }
      assert.ok(statuses.includes(202) && statuses.includes(429), `statuses ${statuses}`);
      assert.equal(retryAfter, '1');
      const health = await getJson(`${service.url}/health`);
      assert.equal(health.status, 200, 'a slow but working store is not an outage');
    } finally {
      await service.stop();
    }
  });

  it('503 over --max-rps', async () => {
    const service = await startTestTarget({ maxRps: 5 });
    try {
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await postEvents(service.url, oneEvent())).status);
      const accepted = statuses.filter((s) => s === 202).length;
      assert.ok(accepted >= 5 && accepted <= 10, `accepted ${accepted} of 12 with a cap of 5/s: ${statuses}`);
      assert.ok(statuses.includes(503));
    } finally {
      await service.stop();
    }
  });

  it('503 while draining, and every accepted event is stored after stop()', async () => {
    const store = makeTempDir('loadctl-drain-');
    const service = await startTestTarget({ store, storeDelayMs: 300, flush: { batchSize: 5, concurrency: 1 } });
    const accepted = (await postEvents(service.url, generator.nextBatchJson(20))).body.accepted as number;
    const stopping = service.stop();
    const during = await postEvents(service.url, oneEvent()).catch(() => ({ status: 'connection closed' }));
    assert.ok(during.status === 503 || during.status === 'connection closed', `got ${during.status}`);
    const result = await stopping;
    assert.deepEqual(result, { complete: true, spilled: 0 });
    assert.equal(accepted, 20);
    assert.equal(countStoredEvents(store), 20, 'rows in the SQLite file');
  });
});
