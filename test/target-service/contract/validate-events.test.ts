import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventsBody } from '../../../target-service/src/contract/validate-events.js';
import { DEFAULT_LIMITS, EVENT_TYPES } from '../../../contract/event-schema.js';

const limits = DEFAULT_LIMITS;

/** A minimal valid event of each type. */
const VALID_PROPERTIES: Record<string, Record<string, unknown>> = {
  session_start: {},
  page_view: { url: 'https://shop.example.com/' },
  search: { query: 'shoes' },
  purchase: { amount: 0, currency: 'EUR' },
  add_to_cart: { product_id: 'sku-1', quantity: 1 },
  remove_from_cart: { product_id: 'sku-1', quantity: 2 },
  button_click: { button_id: 'buy' },
  form_submit: { form_id: 'signup' },
  video_play: { video_id: 'v1', position: 0 },
  video_pause: { video_id: 'v1', position: 12.5 },
};

function event(type: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: `e-${type}`,
    event_type: type,
    user_id: 'usr_1',
    session_id: 'ses_1',
    timestamp: '2026-11-27T10:00:00.000Z',
    properties: VALID_PROPERTIES[type],
    ...overrides,
  };
}

describe('parseEventsBody accepts', () => {
  for (const type of EVENT_TYPES) {
    it(`a minimal ${type}`, () => {
      const outcome = parseEventsBody(JSON.stringify(event(type)), limits);
      assert.deepEqual(outcome, { ok: true, events: [event(type)], shape: 'single' });
    });
  }
  const forms: Array<[string, unknown]> = [
    ['a {"batch":[…]}', { batch: [event('search'), event('page_view')] }],
    ['a bare array', [event('search'), event('page_view')]],
  ];
  for (const [name, body] of forms) {
    it(name, () => {
      const outcome = parseEventsBody(JSON.stringify(body), limits);
      assert.equal(outcome.ok && outcome.events.length, 2);
    });
  }
  it('anonymous_id instead of user_id, a +02:00 offset, and unknown extra fields (kept)', () => {
    const input = event('search', { user_id: undefined, anonymous_id: 'anon_1', timestamp: '2026-11-27T12:00:00+02:00', extra: { a: [1, 2] } });
    const outcome = parseEventsBody(JSON.stringify(input), limits);
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.events[0]!.extra, { a: [1, 2] });
  });
});

describe('parseEventsBody refuses, naming index, field and reason', () => {
  const cases: Array<{ name: string; body: string; status: number; reason: string; index?: number; field?: string; events?: number }> = [
    { name: 'empty body', body: '', status: 400, reason: 'malformed_json' },
    { name: 'truncated JSON', body: '{"event_id":"x",', status: 400, reason: 'malformed_json' },
    { name: 'a number', body: '42', status: 400, reason: 'invalid_event' },
    { name: 'an empty batch', body: '{"batch":[]}', status: 400, reason: 'invalid_event' },
    { name: 'batch not an array', body: '{"batch":{}}', status: 400, reason: 'invalid_event', field: 'batch' },
    { name: 'unknown event_type', body: JSON.stringify(event('search', { event_type: 'click' })), status: 400, reason: 'invalid_event', index: 0, field: 'event_type' },
    { name: 'missing event_id', body: JSON.stringify(event('search', { event_id: undefined })), status: 400, reason: 'invalid_event', index: 0, field: 'event_id' },
    { name: 'neither user_id nor anonymous_id', body: JSON.stringify(event('search', { user_id: undefined })), status: 400, reason: 'invalid_event', index: 0, field: 'user_id' },
    { name: 'a bad timestamp', body: JSON.stringify(event('search', { timestamp: 'yesterday' })), status: 400, reason: 'invalid_event', index: 0, field: 'timestamp' },
    { name: 'a timestamp without offset', body: JSON.stringify(event('search', { timestamp: '2026-11-27T10:00:00' })), status: 400, reason: 'invalid_event', index: 0, field: 'timestamp' },
    { name: 'properties not an object', body: JSON.stringify(event('search', { properties: 'q' })), status: 400, reason: 'invalid_event', index: 0, field: 'properties' },
    { name: 'page_view without url', body: JSON.stringify(event('page_view', { properties: {} })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.url' },
    { name: 'search without query', body: JSON.stringify(event('search', { properties: {} })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.query' },
    { name: 'negative purchase amount', body: JSON.stringify(event('purchase', { properties: { amount: -1, currency: 'EUR' } })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.amount' },
    { name: 'amount as a string', body: JSON.stringify(event('purchase', { properties: { amount: '9.99', currency: 'EUR' } })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.amount' },
    { name: 'a 4-letter currency', body: JSON.stringify(event('purchase', { properties: { amount: 1, currency: 'EURO' } })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.currency' },
    { name: 'quantity 0', body: JSON.stringify(event('add_to_cart', { properties: { product_id: 'p', quantity: 0 } })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.quantity' },
    { name: 'fractional quantity', body: JSON.stringify(event('remove_from_cart', { properties: { product_id: 'p', quantity: 1.5 } })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.quantity' },
    { name: 'button_click without button_id', body: JSON.stringify(event('button_click', { properties: {} })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.button_id' },
    { name: 'form_submit without form_id', body: JSON.stringify(event('form_submit', { properties: {} })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.form_id' },
    { name: 'negative video position', body: JSON.stringify(event('video_pause', { properties: { video_id: 'v', position: -3 } })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.position' },
    { name: 'the third event of a batch', body: JSON.stringify({ batch: [event('search'), event('page_view'), event('video_play', { properties: { video_id: 'v' } })] }), status: 400, reason: 'invalid_event', index: 2, field: 'properties.position', events: 3 },
    { name: 'nesting deeper than the limit', body: JSON.stringify(event('search', { properties: { query: 'q', deep: JSON.parse('['.repeat(40) + ']'.repeat(40)) } })), status: 400, reason: 'invalid_event', index: 0 },
    { name: 'a $-prefixed key (MongoDB refuses them)', body: JSON.stringify(event('search', { properties: { query: 'q', nested: { $where: '1' } } })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.nested.$where' },
    { name: 'a dotted key (MongoDB refuses them)', body: JSON.stringify(event('search', { properties: { query: 'q', 'utm.source': 'x' } })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.utm.source' },
    { name: 'a key containing NUL (BSON refuses it)', body: JSON.stringify(event('search', { properties: { query: 'q', 'a\u0000b': 1 } })), status: 400, reason: 'invalid_event', index: 0, field: 'properties.a\u0000b' },
    { name: 'a number beyond double range (Infinity)', body: JSON.stringify(event('purchase', { properties: { amount: 1, currency: 'EUR' } })).replace('"amount":1', '"amount":1e400'), status: 400, reason: 'invalid_event', index: 0, field: 'properties.amount' },
    { name: 'Infinity in an unconstrained property', body: JSON.stringify(event('search', { properties: { query: 'q', big: 1 } })).replace('"big":1', '"big":1e999'), status: 400, reason: 'invalid_event', index: 0, field: 'properties.big' },
    { name: 'more events than the batch limit', body: JSON.stringify({ batch: Array.from({ length: limits.maxBatchEvents + 1 }, () => event('search')) }), status: 413, reason: 'too_many_events', events: limits.maxBatchEvents + 1 },
    { name: 'one event over the per-event size', body: JSON.stringify({ batch: [event('search'), event('search', { properties: { query: 'x'.repeat(limits.maxEventBytes) } })] }), status: 413, reason: 'too_large', index: 1, events: 2 },
  ];
  for (const { name, body, ...expected } of cases) {
    it(name, () => {
      const outcome = parseEventsBody(body, limits);
      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.equal(outcome.rejection.status, expected.status);
      assert.equal(outcome.rejection.reason, expected.reason);
      if ('index' in expected) assert.equal(outcome.rejection.index, expected.index);
      if (expected.field) assert.equal(outcome.rejection.field, expected.field);
      assert.equal(outcome.rejection.events, expected.events ?? 1, 'every event of a refused batch counts as refused');
      assert.ok(outcome.rejection.message.length > 5, 'a message a person can act on');
    });
  }
});
