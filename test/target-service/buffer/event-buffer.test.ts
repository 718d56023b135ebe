import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventBuffer, type AcceptedRequest } from '../../../target-service/src/buffer/event-buffer.js';
import type { IngestEvent } from '../../../contract/event-schema.js';

let nextId = 0;
/** A request of `n` events (ids e0, e1, … across the whole test file). */
const request = (n: number): AcceptedRequest => {
  const events = Array.from({ length: n }, () => ({ event_id: `e${nextId++}` }) as IngestEvent);
  return { json: JSON.stringify({ batch: events }), shape: 'batch', count: n };
};
const ids = (batch: AcceptedRequest[]) => batch.flatMap((r) => (JSON.parse(r.json) as { batch: IngestEvent[] }).batch.map((event) => event.event_id));

describe('EventBuffer', () => {
  it('admits all of a request or none of it', () => {
    const buffer = new EventBuffer({ capacity: 10, highWaterMark: 10 });
    assert.equal(buffer.admit(request(8)), 'admitted');
    assert.equal(buffer.admit(request(3)), 'over_capacity');
    assert.equal(buffer.size, 8);
    assert.equal(buffer.admit(request(2)), 'admitted');
    assert.equal(buffer.admit(request(1)), 'above_high_water_mark');
  });

  it('refuses above the high-water mark even when the request would fit', () => {
    const buffer = new EventBuffer({ capacity: 100, highWaterMark: 5 });
    buffer.admit(request(5));
    assert.equal(buffer.admit(request(1)), 'above_high_water_mark');
  });

  it('takes whole requests, oldest first, up to the event limit', () => {
    nextId = 0;
    const buffer = new EventBuffer({ capacity: 100, highWaterMark: 100 });
    buffer.admit(request(3));
    buffer.admit(request(3));
    buffer.admit(request(3));
    assert.deepEqual(ids(buffer.take(7)), ['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
    assert.deepEqual(ids(buffer.take(7)), ['e6', 'e7', 'e8']);
    assert.equal(buffer.pendingSize, 0);
    assert.equal(buffer.size, 9, 'in-flight events still count until acknowledged');
  });

  it('takes a request larger than the limit on its own rather than never', () => {
    const buffer = new EventBuffer({ capacity: 100, highWaterMark: 100 });
    buffer.admit(request(12));
    buffer.admit(request(1));
    assert.equal(buffer.take(5).length, 1);
    assert.equal(buffer.pendingSize, 1);
  });

  it('keeps in-flight events counted until acknowledged, and retries a failed batch first', () => {
    nextId = 0;
    const buffer = new EventBuffer({ capacity: 100, highWaterMark: 100 });
    buffer.admit(request(2));
    buffer.admit(request(2));
    const first = buffer.take(2);
    buffer.giveBack(first);
    assert.equal(buffer.size, 4);
    const retried = buffer.take(2);
    assert.deepEqual(ids(retried), ['e0', 'e1']);
    buffer.acknowledge(retried);
    assert.equal(buffer.size, 2);
    assert.deepEqual(buffer.snapshotUnacknowledged().map((event) => event.event_id), ['e2', 'e3']);
    buffer.take(1);
    assert.deepEqual(buffer.snapshotUnacknowledged().map((event) => event.event_id), ['e2', 'e3'], 'a write of unknown outcome is still spilled');
  });

});
