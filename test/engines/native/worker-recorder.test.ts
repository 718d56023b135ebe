import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerRecorder } from '../../../src/engines/native/worker-recorder.js';

describe('WorkerRecorder seconds', () => {
  it('a drop noticed after its due second was reported counts in the next open second, never a second copy', () => {
    const recorder = new WorkerRecorder(['flood']);
    recorder.startAt = 10_000;
    recorder.dropped('flood', 10_500, 'generator');
    const first = recorder.takeSeconds(1);
    recorder.dropped('flood', 10_900, 'generator'); // due in second 0, noticed in second 1 under overload
    recorder.dropped('flood', 11_200, 'target');
    const rest = recorder.takeSeconds(Infinity);
    assert.deepEqual([...first, ...rest].map((s) => [s.second, s.droppedIterations, s.targetBoundDrops]), [[0, 1, 0], [1, 2, 1]]);
    assert.equal(recorder.overall.figures().droppedIterations, 3);
  });

  it('drops are counted by cause per sub-scenario, overall and per second; sends per second', () => {
    const recorder = new WorkerRecorder(['a', 'b']);
    recorder.startAt = 10_000;
    recorder.setVuCap('a', 3);
    recorder.setVuCap('b', 2);
    recorder.sent('a', 10_100, 10_100, 1, 1);
    recorder.sent('b', 11_100, 11_101, 1, 2);
    recorder.dropped('a', 10_200, 'target');
    recorder.dropped('a', 10_300, 'generator');
    recorder.dropped('b', 11_300, 'target');
    const seconds = recorder.takeSeconds(Infinity);
    assert.deepEqual(seconds.map((s) => [s.second, s.started, s.droppedIterations, s.targetBoundDrops]), [[0, 1, 2, 1], [1, 1, 1, 1]]);
    const { a, b } = recorder.subScenarioFigures();
    assert.deepEqual([a!.droppedIterations, a!.targetBoundDrops, a!.vuCap, a!.iterations], [2, 1, 3, 3]);
    assert.deepEqual([b!.droppedIterations, b!.targetBoundDrops, b!.vuCap], [1, 1, 2]);
    const overall = recorder.overall.figures();
    assert.deepEqual([overall.droppedIterations, overall.targetBoundDrops, overall.vuCap], [3, 2, 5]);
  });

  it('sub-scenario and overall latency are the sums of the seconds taken, exactly', () => {
    const recorder = new WorkerRecorder(['a', 'b']);
    recorder.startAt = 10_000;
    const ends: Array<[sub: string, endedAt: number, latencyMs: number]> = [
      ['a', 10_100, 2],
      ['b', 10_200, 30],
      ['a', 11_100, 5],
      ['a', 11_900, 1],
    ];
    for (const [sub, endedAt, latencyMs] of ends) {
      recorder.sent(sub, endedAt - latencyMs - 1, endedAt - latencyMs, 1, 1);
      recorder.ended(sub, '2xx', endedAt, latencyMs, 1, { sent: 100, received: 50 });
    }
    recorder.ended('b', 'network', 11_500, null, 1, { sent: 100, received: 50 });
    const seconds = recorder.takeSeconds(Infinity);
    assert.deepEqual(seconds.map((s) => [s.second, s.requests, Math.round(s.p99Ms)]), [[0, 2, 30], [1, 3, 5]]);
    const { a, b } = recorder.subScenarioFigures();
    assert.deepEqual([a!.latency.count, a!.latency.minMs, a!.latency.maxMs, a!.latency.meanMs], [3, 1, 5, 8 / 3]);
    assert.deepEqual([b!.requests, b!.latency.count, b!.latency.maxMs, b!.outcomes.network], [2, 1, 30, 1]);
    const overall = recorder.overall.figures();
    assert.deepEqual([overall.requests, overall.latency.count, overall.latency.minMs, overall.latency.maxMs], [5, 4, 1, 30]);
    // Bytes: 5 endings of 100 written and 50 read; per second they add up to the same.
    assert.deepEqual([overall.bytesSent, overall.bytesReceived, a!.bytesSent, b!.bytesReceived], [500, 250, 300, 100]);
    assert.deepEqual([seconds.reduce((sum, s) => sum + s.bytesSent!, 0), seconds.reduce((sum, s) => sum + s.bytesReceived!, 0)], [500, 250]);
    assert.equal(recorder.scheduleLag.summary().count, 4);
    assert.equal(recorder.scheduleLag.summary().maxMs, 1);
  });

  it("'count' instrumentation keeps every count and class but records no histogram", () => {
    const recorder = new WorkerRecorder(['a'], 'count');
    recorder.startAt = 10_000;
    recorder.sent('a', 10_000, 10_001, 1, 1);
    recorder.ended('a', '503', 10_005, 4, 3, { sent: 100, received: 50 });
    recorder.dropped('a', 10_010, 'generator');
    const [second] = recorder.takeSeconds(Infinity);
    assert.deepEqual([second!.requests, second!.outcomes['503'], second!.droppedIterations], [1, 1, 1]);
    const overall = recorder.overall.figures();
    assert.deepEqual([overall.requests, overall.events, overall.iterations, overall.latency.count], [1, 3, 2, 0]);
  });
});
