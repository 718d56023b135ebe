import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dueTimeMs, iterationCount, peakRate, stripeDueTimes, stripeIterationCount } from '../../src/scenario/schedule.js';
import type { Schedule } from '../../src/scenario/plan.js';

const constant = (rate: number, durationMs: number): Schedule => ({ executor: 'constant-arrival-rate', rate, durationMs });
const ramp = (startRate: number, stages: Array<[number, number]>): Schedule => ({
  executor: 'ramping-arrival-rate',
  startRate,
  stages: stages.map(([target, durationMs]) => ({ target, durationMs })),
  durationMs: stages.reduce((sum, [, ms]) => sum + ms, 0),
});

describe('iterationCount', () => {
  const cases: Array<[string, Schedule, number]> = [
    ['10K RPS for 30 s', constant(10_000, 30_000), 300_000],
    ['7 RPS for 1.5 s (fractional arrivals round up: i = 0..10 are due before 1.5 s)', constant(7, 1500), 11],
    ['fractional rate without float drift (200.2 × 30 s)', constant(200.2, 30_000), 6006],
    ['a ramp 0 → 100 over 10 s is a triangle of 500', ramp(0, [[100, 10_000]]), 500],
    ['ramp up, hold, ramp down', ramp(0, [[100, 2000], [100, 3000], [0, 2000]]), 100 + 300 + 100],
    ['a drop to 0 and a pause add nothing', ramp(10, [[10, 1000], [0, 0], [0, 1000]]), 10],
    ['zero duration', constant(1000, 0), 0],
  ];
  for (const [name, schedule, expected] of cases) {
    it(name, () => assert.equal(iterationCount(schedule), expected));
  }
});

describe('stripes', () => {
  const cases: Array<[number, number]> = [
    [1, 1],
    [3, 1],
    [4, 2],
    [7, 3],
    [10, 8],
  ];
  for (const [instances, workers] of cases) {
    it(`${instances} instances × ${workers} workers cover the schedule exactly once`, () => {
      const schedule = ramp(50, [[333, 1700], [20, 900]]);
      const total = iterationCount(schedule);
      const stride = instances * workers;
      const seen: number[] = [];
      let counted = 0;
      for (let instance = 0; instance < instances; instance++) {
        for (let worker = 0; worker < workers; worker++) {
          const offset = instance + instances * worker;
          const times = [...stripeDueTimes(schedule, offset, stride)];
          assert.equal(times.length, stripeIterationCount(total, offset, stride));
          counted += times.length;
          seen.push(...times);
        }
      }
      assert.equal(counted, total);
      const single = [...stripeDueTimes(schedule, 0, 1)];
      assert.deepEqual(seen.sort((a, b) => a - b), single);
    });
  }
});

describe('due times', () => {
  it('a constant rate spaces iterations evenly from 0', () => {
    assert.deepEqual([...stripeDueTimes(constant(4, 1000), 0, 1)], [0, 250, 500, 750]);
  });
  it('a linear ramp puts arrival i where the area under the rate equals i', () => {
    // rate(t) = 100·t/10 → area(t) = 5·t², so arrival 125 is due at t = 5 s.
    assert.ok(Math.abs(dueTimeMs(ramp(0, [[100, 10_000]]), 125) - 5000) < 1e-6);
  });
  it('a ramp from 0 has its first arrival at 0 (not 0/0), on every stripe that holds it', () => {
    assert.equal(dueTimeMs(ramp(0, [[1000, 2000]]), 0), 0);
    assert.deepEqual([...stripeDueTimes(ramp(0, [[0, 1000], [100, 1000]]), 0, 1)].slice(0, 1), [1000]);
  });
  it('due times never decrease and stay inside the schedule', () => {
    const schedule = ramp(5, [[400, 1000], [400, 500], [1, 1000]]);
    const times = [...stripeDueTimes(schedule, 0, 1)];
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! >= times[i - 1]!, `time ${i} went back`);
    assert.ok(times.at(-1)! < schedule.durationMs);
  });
  it('peak rate of a ramp is its highest stage target', () => assert.equal(peakRate(ramp(5, [[400, 1000], [20, 1000]])), 400));
});
