import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEventGenerator } from '../../src/events/event-generator.js';
import { parseEventsBody } from '../../target-service/src/contract/validate-events.js';
import { DEFAULT_LIMITS, EVENT_TYPES } from '../../contract/event-schema.js';

const fixedClock = () => Date.parse('2026-11-27T10:00:00.000Z');

describe('createEventGenerator', () => {
  it('produces every event type, each valid against the target-service contract', () => {
    const generator = createEventGenerator({ seed: 7, now: fixedClock });
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const body = generator.nextBatchJson(20);
      const outcome = parseEventsBody(body, DEFAULT_LIMITS);
      assert.ok(outcome.ok, `batch ${i} invalid: ${JSON.stringify(!outcome.ok && outcome.rejection)}`);
      for (const event of outcome.events) seen.add(event.event_type);
    }
    assert.deepEqual([...seen].sort(), [...EVENT_TYPES].sort());
  });

  const typeSpecific: Record<string, string[]> = {
    purchase: ['order_id', 'amount', 'currency', 'items'],
    search: ['query', 'terms', 'results_count'],
    page_view: ['url', 'referrer', 'title'],
    add_to_cart: ['product_id', 'quantity', 'price'],
    remove_from_cart: ['product_id', 'quantity', 'price'],
    video_play: ['video_id', 'position'],
    video_pause: ['video_id', 'position'],
    form_submit: ['form_id', 'fields'],
    button_click: ['button_id', 'text'],
    session_start: ['device', 'os', 'browser', 'utm_source', 'utm_campaign'],
  };
  for (const [type, fields] of Object.entries(typeSpecific)) {
    it(`gives ${type} its realistic properties (${fields.join(', ')})`, () => {
      const generator = createEventGenerator({ seed: 3, typeWeights: { [type]: 1 } });
      const event = generator.nextEvent();
      assert.equal(event.event_type, type);
      for (const field of fields) assert.ok(field in event.properties, `${type} lacks ${field}`);
    });
  }

  it('is deterministic under a seed and differs across seeds', () => {
    const a = createEventGenerator({ seed: 11, now: fixedClock });
    const b = createEventGenerator({ seed: 11, now: fixedClock });
    const c = createEventGenerator({ seed: 12, now: fixedClock });
    const first = a.nextBatchJson(30);
    assert.equal(first, b.nextBatchJson(30));
    assert.notEqual(first, c.nextBatchJson(30));
  });

  it('gives unique event ids, realistic id cardinality, and ISO-8601 timestamps from the clock', () => {
    const generator = createEventGenerator({ seed: 5, users: 200, sessionsPerUser: 2, now: fixedClock });
    const events = Array.from({ length: 5000 }, () => generator.nextEvent());
    assert.equal(new Set(events.map((e) => e.event_id)).size, events.length);
    const users = new Set(events.map((e) => e.user_id ?? e.anonymous_id));
    const sessions = new Set(events.map((e) => e.session_id));
    assert.ok(users.size > 150 && users.size <= 200, `users ${users.size}`);
    assert.ok(sessions.size > 300 && sessions.size <= 400, `sessions ${sessions.size}`);
    assert.ok(events.some((e) => e.anonymous_id) && events.some((e) => e.user_id), 'both identified and anonymous users');
    assert.ok(events.every((e) => e.timestamp === '2026-11-27T10:00:00.000Z'));
  });

  it('follows type weights', () => {
    const generator = createEventGenerator({ seed: 9, typeWeights: { page_view: 3, purchase: 1 } });
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const type = generator.nextEvent().event_type;
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    assert.deepEqual([...counts.keys()].sort(), ['page_view', 'purchase']);
    const ratio = counts.get('page_view')! / counts.get('purchase')!;
    assert.ok(ratio > 2.6 && ratio < 3.4, `page_view:purchase ${ratio}`);
  });
});
