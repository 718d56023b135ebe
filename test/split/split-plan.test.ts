import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan, type BuildPlanOptions } from '../../src/scenario/build-plan.js';
import type { ScenarioDefinition } from '../../src/scenario/define-scenario.js';
import { iterationCount, stripeDueTimes } from '../../src/scenario/schedule.js';
import { describeSplit, estimateMemoryBytes, splitPlan } from '../../src/split/split-plan.js';
import { UsageError } from '../../contract/loadctl-error.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../src/verdict/threshold-levels.js';

const OPTIONS: BuildPlanOptions = { source: 'test', targetUrl: 'http://127.0.0.1:3000', baseThresholds: DEFAULT_THRESHOLD_LEVELS };

const definition = (rate: number, duration: string, maxVUs?: number): ScenarioDefinition => ({
  name: 'awkward',
  duration,
  subScenarios: [
    { name: 'single', rate, ...(maxVUs ? { maxVUs } : {}) },
    { name: 'batch10', rate: rate / 3, batchSize: 10, ...(maxVUs ? { maxVUs } : {}) },
    { name: 'ramp', executor: 'ramping-arrival-rate', startRate: 1, stages: [{ duration: '3s', target: rate }, { duration: '2s', target: 0.5 }], ...(maxVUs ? { maxVUs } : {}) },
  ],
});

describe('splitPlan: the fleet runs exactly the single-generator schedule', () => {
  const table: Array<[number, string, number]> = [
    [7, '3s', 3],
    [200.2, '30s', 7],
    [1000, '1s', 9],
    [33.3, '10s', 4],
    [1, '5s', 6],
    [10_000, '2s', 10],
  ];
  for (const [rate, duration, instances] of table) {
    it(`rate ${rate} for ${duration} over ${instances} instances`, () => {
      const plan = buildPlan(definition(rate, duration, 64), OPTIONS);
      const split = splitPlan(plan, instances, 'r1');
      const shares = describeSplit(split);
      for (const [s, sub] of plan.subScenarios.entries()) {
        const fleetIterations = shares.reduce((sum, share) => sum + share.subScenarios[s]!.iterations, 0);
        assert.equal(fleetIterations, iterationCount(sub.schedule), sub.name);
        assert.equal(fleetIterations, sub.iterations, sub.name);
        assert.equal(split.reduce((sum, p) => sum + p.maxVus[sub.name]!, 0), sub.vus.max, `${sub.name} VUs`);
        assert.ok(split.every((p) => p.maxVus[sub.name]! >= 1));
      }
    });
  }
  it('the union of the stripes’ due times is the single-generator schedule, time for time', () => {
    const plan = buildPlan(definition(33.3, '4s', 64), OPTIONS);
    for (const sub of plan.subScenarios) {
      const single = [...stripeDueTimes(sub.schedule, 0, 1)];
      const fleet = [0, 1, 2, 3, 4].flatMap((index) => [...stripeDueTimes(sub.schedule, index, 5)]).sort((a, b) => a - b);
      assert.deepEqual(fleet, single);
    }
  });
  it('every instance plan carries the run id, its stripe and the same plan', () => {
    const plan = buildPlan(definition(100, '2s', 10), OPTIONS);
    const split = splitPlan(plan, 3, 'run-x');
    assert.deepEqual(split.map((p) => [p.runId, p.instance.index, p.instance.count, p.plan === plan]), [['run-x', 0, 3, true], ['run-x', 1, 3, true], ['run-x', 2, 3, true]]);
  });
});

describe('splitPlan: VUs by largest remainder', () => {
  const table: Array<[number, number, number[]]> = [
    [10, 3, [4, 3, 3]],
    [10, 4, [3, 3, 2, 2]],
    [5, 5, [1, 1, 1, 1, 1]],
    [64, 1, [64]],
  ];
  for (const [maxVUs, instances, expected] of table) {
    it(`maxVUs ${maxVUs} over ${instances} → ${expected.join(' + ')}`, () => {
      const plan = buildPlan({ name: 'x', duration: '10s', subScenarios: [{ name: 'single', rate: 1000, maxVUs }] }, OPTIONS);
      assert.deepEqual(splitPlan(plan, instances, 'r').map((p) => p.maxVus.single), expected);
    });
  }
});

describe('splitPlan: refuses a split it cannot make', () => {
  it('an instance would get 0 VUs of a sub-scenario: says how to fix it', () => {
    const plan = buildPlan({ name: 'x', duration: '10s', subScenarios: [{ name: 'batch100', rate: 10, maxVUs: 3 }] }, OPTIONS);
    assert.throws(
      () => splitPlan(plan, 5, 'r'),
      (error: unknown) =>
        error instanceof UsageError &&
        /'batch100' has maxVUs 3, too few for 5 instances/.test(error.message) &&
        error.hint === "lower --instances to ≤ 3 or raise maxVUs of 'batch100' to ≥ 5",
    );
  });
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    it(`--instances ${bad}`, () => assert.throws(() => splitPlan(buildPlan(definition(10, '1s'), OPTIONS), bad, 'r'), UsageError));
  }
});

describe('describeSplit: per instance rate, iterations, VUs and memory for --dry-run', () => {
  const plan = buildPlan({ name: 'x', duration: '10s', subScenarios: [{ name: 'single', rate: 1000, maxVUs: 100 }, { name: 'batch100', rate: 30, batchSize: 100, maxVUs: 10 }] }, OPTIONS);
  const shares = describeSplit(splitPlan(plan, 4, 'r'));
  it('rates and iterations add up to the plan', () => {
    assert.ok(Math.abs(shares.reduce((sum, s) => sum + s.peakRate, 0) - 1030) < 1e-9);
    assert.deepEqual(shares.map((s) => s.iterations), [2500 + 75, 2500 + 75, 2500 + 75, 2500 + 75]);
    assert.deepEqual(shares.map((s) => s.maxVus), [25 + 3, 25 + 3, 25 + 2, 25 + 2]);
  });
  it('memory grows with VUs and batch size', () => {
    const [first, last] = [splitPlan(plan, 4, 'r')[0]!, splitPlan(plan, 4, 'r')[3]!];
    assert.ok(estimateMemoryBytes(first) > estimateMemoryBytes(last));
    assert.ok(shares[0]!.expectedMemoryBytes > 64 * 2 ** 20 && shares[0]!.expectedMemoryBytes < 256 * 2 ** 20);
  });
});
