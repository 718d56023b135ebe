import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PayloadPool, writeCounter } from '../../../src/engines/native/payload-pool.js';
import { planOf } from '../../helpers/native-plan.js';

describe('PayloadPool', () => {
  it('writes counters as 8 base-36 digits, as toString(36) would', () => {
    for (const counter of [0, 1, 35, 36, 1295, 1296, 123_456_789, 36 ** 8 - 1]) {
      const bytes = Buffer.alloc(10, '-');
      writeCounter(bytes, 1, counter);
      assert.equal(bytes.toString('latin1'), `-${counter.toString(36).padStart(8, '0')}-`);
    }
  });

  it('every request is one complete HTTP request with unique event ids and the current second', () => {
    for (const batchSize of [1, 5]) {
      const [sub] = planOf('http://127.0.0.1:1', [{ name: 'a', rate: 10, duration: '1s', batchSize }]).subScenarios;
      const pool = new PayloadPool({ request: sub!.request, payload: sub!.payload, host: 'h:1', idPrefix: 'run0s0', templates: 3 });
      const ids = new Set<string>();
      for (let i = 0; i < 10; i++) {
        const text = pool.next(Date.UTC(2026, 10, 29, 1, 2, 3, 456)).toString('utf8');
        const [head, body] = text.split('\r\n\r\n') as [string, string];
        assert.equal(Number(/Content-Length: (\d+)/.exec(head)![1]), Buffer.byteLength(body));
        const parsed = JSON.parse(body) as { event_id: string; timestamp: string } | { batch: Array<{ event_id: string; timestamp: string }> };
        const events = 'batch' in parsed ? parsed.batch : [parsed];
        assert.equal(events.length, batchSize);
        for (const event of events) {
          assert.match(event.event_id, /^run0s0-[0-9a-z]{8}$/);
          assert.equal(event.timestamp, '2026-11-29T01:02:03.000Z');
          ids.add(event.event_id);
        }
      }
      assert.equal(ids.size, 10 * batchSize);
    }
  });
});
