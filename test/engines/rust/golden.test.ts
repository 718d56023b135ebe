/**
 * Golden cross-language tests (STYLE.md §12): the TypeScript modules are the reference; the pieces the
 * rust engine ports are run on cases generated from them (`loadctl-engine golden <kind>`) and must
 * agree exactly — due times bit for bit, request bytes byte for byte, scanner results at every chunk
 * split, and histograms decoded by hdr-histogram-js and merge/hdr-sum.ts with equal buckets.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { build, decodeFromCompressedBase64, type Histogram, type JsHistogram } from 'hdr-histogram-js';
import { findRustEngine } from '../../../src/engines/rust/engine-binary.js';
import { summaryOfRaw, type RawLatency } from '../../../src/engines/rust/raw-seconds.js';
import { PayloadPool } from '../../../src/engines/native/payload-pool.js';
import { ResponseScanner } from '../../../src/engines/native/response-scanner.js';
import { HdrSum } from '../../../src/merge/hdr-sum.js';
import { iterationCount, stripeDueTimes, stripeIterationCount } from '../../../src/scenario/schedule.js';
import type { Schedule } from '../../../src/scenario/plan.js';
import { planOf } from '../../helpers/native-plan.js';

function golden<T>(kind: string, input: unknown): T {
  const binary = findRustEngine();
  assert.ok(binary, 'no loadctl-engine: run `npm run build:engine`');
  return JSON.parse(execFileSync(binary, ['golden', kind], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as T;
}

describe('rust engine: golden cases from the TypeScript reference', () => {
  it('schedules: every stripe\'s due times are bit-identical to schedule.ts', () => {
    const schedules: Schedule[] = [
      { executor: 'constant-arrival-rate', rate: 200.2, durationMs: 30_000 },
      { executor: 'constant-arrival-rate', rate: 1 / 3, durationMs: 60_000 },
      { executor: 'constant-arrival-rate', rate: 98_765.4321, durationMs: 1_500 },
      { executor: 'ramping-arrival-rate', startRate: 0, stages: [{ target: 1000, durationMs: 2000 }, { target: 1000, durationMs: 1000 }, { target: 10, durationMs: 3000 }], durationMs: 6000 },
      { executor: 'ramping-arrival-rate', startRate: 37.3, stages: [{ target: 0, durationMs: 0 }, { target: 512.7, durationMs: 1234 }, { target: 0, durationMs: 777 }], durationMs: 2011 },
      { executor: 'ramping-arrival-rate', startRate: 5, stages: [{ target: 5, durationMs: 10_000 }, { target: 20_000.5, durationMs: 3_000 }], durationMs: 13_000 },
    ];
    const stripes = [[0, 1], [1, 3], [2, 3], [5, 8], [0, 7]] as const;
    const cases = schedules.flatMap((schedule) => stripes.map(([offset, stride]) => ({ schedule, offset, stride, limit: 50_000 })));
    const rust = golden<Array<{ total: number; stripe: number; due: number[] }>>('schedule', cases);
    cases.forEach((c, i) => {
      const total = iterationCount(c.schedule);
      const expected: number[] = [];
      for (const due of stripeDueTimes(c.schedule, c.offset, c.stride)) {
        if (expected.length >= c.limit) break;
        expected.push(due);
      }
      const where = `${JSON.stringify(c.schedule)} stripe ${c.offset}/${c.stride}`;
      assert.equal(rust[i]!.total, total, where);
      assert.equal(rust[i]!.stripe, stripeIterationCount(total, c.offset, c.stride), where);
      assert.equal(rust[i]!.due.length, expected.length, where);
      const differs = expected.findIndex((due, k) => !Object.is(due, rust[i]!.due[k]));
      assert.equal(differs, -1, `${where}: iteration ${differs} TS ${expected[differs]} rust ${rust[i]!.due[differs]}`);
    });
  });

  it('payloads: the same request bytes as PayloadPool.next, request after request', () => {
    for (const batchSize of [1, 10]) {
      const [sub] = planOf('http://127.0.0.1:1', [{ name: 'a', rate: 10, duration: '1s', batchSize, headers: { authorization: 'Bearer x' } }]).subScenarios;
      const options = { request: sub!.request, payload: sub!.payload, host: 'example.test:8080', idPrefix: 'runA0s1', templates: 5 };
      const reference = new PayloadPool(options);
      const templates = new PayloadPool(options).templateTable().map((t) => ({ bytes: t.bytes.toString('base64'), idSlots: t.idSlots, timeSlots: t.timeSlots }));
      // Seconds crossing, a leap day, year boundaries, and a counter past 36^3 so several digits roll.
      const times = Array.from({ length: 2000 }, (_, i) => Date.UTC(2028, 1, 28, 23, 59, 58) + i * 7.3 + (i > 1500 ? 1e10 : 0));
      const rust = golden<string[]>('payload', { payload: { eventsPerRequest: reference.eventsPerRequest, templates }, times });
      times.forEach((t, i) => assert.equal(rust[i], reference.next(t).toString('base64'), `batch ${batchSize}, request ${i}`));
    }
  });

  it('scanner: the same responses, errors and stream ends as response-scanner.ts at every chunk split', () => {
    const OK = 'HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 14\r\nConnection: keep-alive\r\n\r\n{"accepted":1}';
    const texts = [
      OK,
      OK + OK,
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\nConnection: Close\r\n\r\n{}',
      'HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx',
      'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx',
      'HTTP/1.1 500 Oops\r\n\r\nsome body\r\nmore',
      'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n' + OK,
      'HTTP/1.1 100 Continue\r\n\r\n' + OK,
      'HTTP/1.1 429\nContent-Length: 2\n\n{}',
      'HTTP/1.1 200 OK\r\nCONTENT-LENGTH:   3  \r\n\r\nabc',
      '\r\n' + OK,
      'SSH-2.0-OpenSSH_9.6\r\n',
      'HTTP/1.1 2x2 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\nbroken\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc',
      'HTTP/1.1 200 OK\r\nContent-Le',
      // The reference compares header names byte | 0x20: CR (0x0d) then matches '-' (0x2d). Ported as is.
      'HTTP/1.1 200 OK\r\nContent\rLength: 3\r\n\r\nabc',
      'HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1fffffffffff\r\n',
      `HTTP/1.1 200 OK\r\nSet-Cookie: ${'c'.repeat(70_000)}\r\nContent-Length: 2\r\n\r\nok`,
    ];
    const cases = texts.map((text) => Buffer.from(text, 'latin1'));
    const rust = golden<Array<Array<{ responses: Array<[number, boolean]>; ok: boolean; finished: boolean }>>>('scanner', { cases: cases.map((b) => b.toString('base64')) });
    cases.forEach((bytes, c) => {
      // Every split of the long-header case would be 70K scans: every 997th there.
      const step = bytes.length > 10_000 ? 997 : 1;
      for (let k = 0; k <= bytes.length; k += step) {
        const responses: Array<[number, boolean]> = [];
        const scanner = new ResponseScanner((status, keepAlive) => responses.push([status, keepAlive]));
        const ok = scanner.execute(bytes, 0, k) && scanner.execute(bytes, k, bytes.length);
        const finished = ok && scanner.finish();
        assert.deepEqual(rust[c]![k], { responses, ok, finished }, `case ${c} (${texts[c]!.slice(0, 40)}…) split at ${k}`);
      }
    });
  });

  it('histograms: the V2 deflate encoding decodes in hdr-histogram-js and hdr-sum.ts with the buckets of the same values recorded in JS', () => {
    const values = [0.0004, 0.001, 0.0015, 0.25, 1, 1.0005, 3.14159, 44, 999.999, 1000, 1001, 65_535, 300_000, 3_600_000];
    for (let i = 0; i < 5000; i++) values.push(((i * 7919) % 10_007) / 13.7);
    const raw = golden<RawLatency>('hdr', { values });
    const reference = build({ numberOfSignificantValueDigits: 3, autoResize: true });
    for (const ms of values) reference.recordValue(Math.max(1, Math.round(ms * 1000)));
    const sum = new HdrSum();
    sum.add(raw.hdr);
    for (const decoded of [decodeFromCompressedBase64(raw.hdr), sum.toHistogram()]) {
      assert.deepEqual(bucketsOf(decoded), bucketsOf(reference));
      assert.equal(decoded.totalCount, values.length);
    }
    assert.equal(raw.count, values.length);
    assert.equal(raw.minMs, Math.min(...values));
    assert.equal(raw.maxMs, Math.max(...values));
    assert.equal(raw.sumMs, values.reduce((a, b) => a + b, 0));
    const summary = summaryOfRaw(raw);
    assert.equal(summary.p99Ms, reference.getValueAtPercentile(99) / 1000);
    assert.equal(summary.p50Ms, reference.getValueAtPercentile(50) / 1000);
  });
});

/** Non-empty buckets as [value, count] (lowest equivalent value of each). */
function bucketsOf(histogram: Histogram): Array<[number, number]> {
  const buckets: Array<[number, number]> = [];
  const iterator = (histogram as JsHistogram).recordedValuesIterator;
  iterator.reset();
  while (iterator.hasNext()) {
    const value = iterator.next();
    buckets.push([value.valueIteratedTo, value.countAtValueIteratedTo]);
  }
  return buckets;
}
