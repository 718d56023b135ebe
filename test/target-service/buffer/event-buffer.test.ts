import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventBuffer } from '../../../target-service/src/buffer/event-buffer.js';
import type { IngestEvent } from '../../../target-service/src/contract/event-schema.js';

const events = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ event_id: `e${from + i}` }) as IngestEvent);
const ids = (batch: IngestEvent[]) => batch.map((event) => event.event_id);

describe('EventBuffer', () => {
  it('admits all of a request or none of it', () => {
    const buffer = new EventBuffer({ capacity: 10, highWaterMark: 10 });
    assert.equal(buffer.admit(events(8)), 'admitted');
    assert.equal(buffer.admit(events(3)), 'over_capacity');
    assert.equal(buffer.size, 8);
    assert.equal(buffer.admit(events(2)), 'admitted');
    assert.equal(buffer.admit(events(1)), 'above_high_water_mark');
  });

  it('refuses above the high-water mark even when the request would fit', () => {
    const buffer = new EventBuffer({ capacity: 100, highWaterMark: 5 });
    buffer.admit(events(5));
    assert.equal(buffer.admit(events(1)), 'above_high_water_mark');
  });

  it('takes oldest first across requests, splitting a request when needed', () => {
    const buffer = new EventBuffer({ capacity: 100, highWaterMark: 100 });
    buffer.admit(events(3, 0));
    buffer.admit(events(3, 3));
    assert.deepEqual(ids(buffer.take(4)), ['e0', 'e1', 'e2', 'e3']);
    assert.deepEqual(ids(buffer.take(4)), ['e4', 'e5']);
    assert.equal(buffer.pendingSize, 0);
    assert.equal(buffer.size, 6, 'in-flight events still count until acknowledged');
  });

  it('never mutates the arrays it admitted', () => {
    const buffer = new EventBuffer({ capacity: 100, highWaterMark: 100 });
    const request = events(5);
    buffer.admit(request);
    buffer.take(2);
    assert.equal(request.length, 5);
  });

  it('keeps in-flight events counted until acknowledged, and retries a failed batch first', () => {
    const buffer = new EventBuffer({ capacity: 100, highWaterMark: 100 });
    buffer.admit(events(4));
    const first = buffer.take(2);
    buffer.giveBack(first);
    assert.equal(buffer.size, 4);
    const retried = buffer.take(2);
    assert.deepEqual(ids(retried), ['e0', 'e1']);
    buffer.acknowledge(retried);
    assert.equal(buffer.size, 2);
    assert.deepEqual(ids(buffer.snapshotPending()), ['e2', 'e3']);
  });
});
