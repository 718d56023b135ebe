/**
 * The bad-input corpus against the real CLI process: nothing a client sends may produce a 5xx or
 * crash the service. The process must still answer 202 afterwards and drain cleanly (exit 0).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createEventGenerator } from '../../../src/events/event-generator.js';
import { metricValue, postEvents } from '../../helpers/http.js';
import { spawnTargetCli, type TargetProcess } from '../../helpers/target.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const generator = createEventGenerator({ seed: 99 });
const valid = () => JSON.parse(generator.nextEventJson()) as Record<string, unknown>;
const withFields = (fields: Record<string, unknown>) => JSON.stringify({ ...valid(), ...fields });
const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

const BODIES: Array<[string, string | Buffer]> = [
  ['empty body', ''],
  ['whitespace', '   \n'],
  ['null', 'null'],
  ['a string', '"event"'],
  ['truncated JSON', '{"event_id":"a","event_type":"sea'],
  ['trailing garbage', `${JSON.stringify(valid())}xyz`],
  ['a BOM before the JSON', `\ufeff${JSON.stringify(valid())}`],
  ['missing every field', '{}'],
  ['event_id a number', withFields({ event_id: 42 })],
  ['event_id empty', withFields({ event_id: '' })],
  ['event_type null', withFields({ event_type: null })],
  ['properties an array', withFields({ properties: [1, 2] })],
  ['properties null', withFields({ properties: null })],
  ['timestamp a number', withFields({ timestamp: 1_790_000_000 })],
  ['timestamp out of range', withFields({ timestamp: '2026-13-45T99:99:99Z' })],
  ['timestamp date only', withFields({ timestamp: '2026-11-27' })],
  ['timestamp empty', withFields({ timestamp: '' })],
  ['batch of strings', '{"batch":["a","b"]}'],
  ['batch of nulls', '{"batch":[null]}'],
  ['batch nested in batch', `{"batch":[{"batch":[${JSON.stringify(valid())}]}]}`],
  ['a 10,000-event batch', generator.nextBatchJson(10_000)],
  ['a 300 KB string in an event', withFields({ properties: { query: 'q', blob: 'x'.repeat(300_000) } })],
  ['a 1 MB body', 'x'.repeat(1024 * 1024)],
  ['deep object nesting (5,000)', withFields({ properties: { query: 'q', deep: '__DEEP__' } }).replace('"__DEEP__"', nested(5000))],
  ['deep array nesting (100,000)', '['.repeat(100_000) + ']'.repeat(100_000)],
  ['lone surrogates and NUL', withFields({ user_id: '\ud800\udfff\ud800', properties: { query: '\u0000\u202e\u{1f600}' } })],
  ['invalid UTF-8 bytes', Buffer.concat([Buffer.from('{"event_id":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])],
  ['__proto__ at the top', `{"__proto__":{"polluted":true},${JSON.stringify(valid()).slice(1)}`],
  ['constructor.prototype in properties', withFields({ properties: { query: 'q', constructor: { prototype: { polluted: true } } } })],
  ['$-prefixed and dotted keys', withFields({ properties: { query: 'q', $where: '1', 'a.b': 1 } })],
  ['numbers out of double range', withFields({ properties: { query: 'q', big: '__BIG__' } }).replace('"__BIG__"', '1e400')],
];

describe('bad-input corpus never gets a 5xx and never crashes the service', { timeout: 120_000 }, () => {
  let target: TargetProcess;
  before(async () => {
    target = await spawnTargetCli(['--store', makeTempDir('loadctl-badinput-')]);
  });
  after(() => target.child.kill('SIGKILL'));

  for (const [name, body] of BODIES) {
    it(name, async () => {
      const response = await fetch(`${target.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.text();
      assert.ok(response.status < 500, `${name}: ${response.status}`);
    });
  }

  const methodsAndPaths: Array<[string, string]> = [
    ['GET', '/v1/events'],
    ['PUT', '/v1/events'],
    ['DELETE', '/v1/events'],
    ['POST', '/v1/event'],
    ['POST', '/'],
    ['POST', '/health'],
    ['GET', '/v1/events/../../etc/passwd'],
  ];
  for (const [method, path] of methodsAndPaths) {
    it(`${method} ${path}`, async () => {
      const response = await fetch(`${target.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
      await response.text();
      assert.ok([404, 405].includes(response.status), `${method} ${path}: ${response.status}`);
    });
  }

  const rawRequests: Array<[string, string]> = [
    ['a garbage request line', 'HELLO\r\n\r\n'],
    ['a non-numeric Content-Length', 'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}'],
    ['a body shorter than Content-Length, then EOF', 'POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"event_id":'],
    ['an oversized chunked body', `POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${'80000\r\n' + 'x'.repeat(0x80000) + '\r\n'}0\r\n\r\n`],
    ['a huge header', `POST /v1/events HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(100_000)}\r\n\r\n`],
  ];
  for (const [name, raw] of rawRequests) {
    it(`raw HTTP: ${name}`, async () => {
      const reply = await sendRaw(target.url, raw);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
      assert.ok(status === 0 || status < 500, `${name}: ${reply.slice(0, 80)}`);
    });
  }

  it('still answers 202 afterwards, counted no 5xx, and drains with exit 0', async () => {
    assert.equal((await postEvents(target.url, generator.nextEventJson())).status, 202);
    const metrics = await (await fetch(target.metricsUrl!)).text();
    const fiveHundreds = metrics.split('\n').filter((line) => /^http_requests_total\{.*status="5\d\d"\}/.test(line) && !line.endsWith(' 0'));
    assert.deepEqual(fiveHundreds, []);
    assert.ok(metricValue(metrics, 'events_rejected_total') >= 20);
    assert.equal(await target.stop('SIGTERM'), 0, target.output());
    assert.doesNotMatch(target.output(), /bug:|Error:/);
  });
});

it('JSON with __proto__ keys does not pollute Object.prototype', async () => {
  const { parseEventsBody } = await import('../../../target-service/src/contract/validate-events.js');
  const { DEFAULT_LIMITS } = await import('../../../contract/event-schema.js');
  parseEventsBody(`{"__proto__":{"polluted":true},${JSON.stringify(valid()).slice(1)}`, DEFAULT_LIMITS);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

/** Writes raw bytes to the service and returns whatever it answers before closing (or after 2 s). */
function sendRaw(url: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect(Number(port), hostname, () => socket.end(raw));
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('error', () => resolve(reply));
    socket.on('close', () => resolve(reply));
    setTimeout(() => {
      socket.destroy();
      resolve(reply);
    }, 2000).unref();
  });
}
