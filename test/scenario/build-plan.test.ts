import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan, type BuildPlanOptions } from '../../src/scenario/build-plan.js';
import type { ScenarioDefinition } from '../../src/scenario/define-scenario.js';
import { apportion, totalRateOf } from '../../src/scenario/scale-plan.js';
import { iterationCount } from '../../src/scenario/schedule.js';
import { parseDuration, formatDuration } from '../../src/scenario/duration.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../src/verdict/threshold-levels.js';
import { UsageError } from '../../contract/loadctl-error.js';
import type { ScenarioPlan } from '../../src/scenario/plan.js';
import { fullDefinition } from '../helpers/scenario-definitions.js';

const OPTIONS: BuildPlanOptions = { source: 'scenarios/x.ts', targetUrl: 'http://127.0.0.1:3000', baseThresholds: DEFAULT_THRESHOLD_LEVELS };

const full = fullDefinition();
const ramp: ScenarioDefinition = {
  name: 'ramp',
  subScenarios: [
    { name: 'up', executor: 'ramping-arrival-rate', startRate: 10, stages: [{ duration: '10s', target: 100 }, { duration: '10s', target: 0 }] },
  ],
};

const rates = (plan: ScenarioPlan) => plan.subScenarios.map((sub) => (sub.schedule.executor === 'constant-arrival-rate' ? sub.schedule.rate : Number.NaN));
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('buildPlan: defaults', () => {
  const plan = buildPlan({ name: 'simple', duration: '30s', subScenarios: [{ name: 'single', rate: 10_000 }] }, OPTIONS);
  const sub = plan.subScenarios[0]!;
  it('resolves every default once', () => {
    assert.deepEqual(sub.request, { method: 'POST', path: '/v1/events', headers: {}, timeoutMs: 10_000, expectStatus: [202] });
    assert.equal(sub.payload.batchSize, 1);
    assert.equal(Object.keys(sub.payload.eventTypeWeights).length, 10);
    assert.equal(sub.startTimeMs, 0);
    assert.equal(plan.seed, 1);
    assert.deepEqual(sub.thresholds, DEFAULT_THRESHOLD_LEVELS);
  });
  it('counts iterations exactly (10K RPS × 30 s = 300,000)', () => {
    assert.equal(sub.iterations, 300_000);
    assert.equal(sub.iterations, iterationCount(sub.schedule));
  });
  it('derives VUs from the rate: 10K RPS × 50 ms × 2 = 1000 opened (the seed\'s "1000 VUs"), growing to 10K RPS × 500 ms × 2', () => {
    assert.deepEqual(sub.vus, { preAllocated: 1000, max: 10_000, derivation: { from: 'rate', peakRate: 10_000, expectedLatencyMs: 50, headroom: 2, slowLatencyMs: 500 } });
  });
  it('is plain JSON (survives a round trip unchanged)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
  });
});

describe('buildPlan: VU sizing', () => {
  const cases: Array<[string, Partial<ScenarioDefinition['subScenarios'][number]>, { preAllocated: number; max: number; from: string }]> = [
    ['derived, rounded up (333 req/s → 34 opened, up to 333)', { rate: 333 }, { preAllocated: 34, max: 333, from: 'rate' }],
    ['derived, at least 1 (1 req/s)', { rate: 1 }, { preAllocated: 1, max: 1, from: 'rate' }],
    ['both given', { rate: 100, preAllocatedVUs: 5, maxVUs: 50 }, { preAllocated: 5, max: 50, from: 'definition' }],
    ['only maxVUs: pre-allocate it all', { rate: 100, maxVUs: 7 }, { preAllocated: 7, max: 7, from: 'definition' }],
    ['only preAllocatedVUs: max = pre-allocated (k6)', { rate: 100, preAllocatedVUs: 9 }, { preAllocated: 9, max: 9, from: 'definition' }],
  ];
  for (const [name, sub, expected] of cases) {
    it(name, () => {
      const vus = buildPlan({ name: 'v', duration: '1s', subScenarios: [{ name: 's', ...sub }] }, OPTIONS).subScenarios[0]!.vus;
      assert.deepEqual({ preAllocated: vus.preAllocated, max: vus.max, from: vus.derivation.from }, expected);
    });
  }
  it('derived VUs follow --rate; given VUs stay', () => {
    const plan = buildPlan({ name: 'v', duration: '1s', subScenarios: [{ name: 'a', rate: 100 }, { name: 'b', rate: 100, maxVUs: 3 }] }, { ...OPTIONS, rate: 20_000 });
    assert.deepEqual(plan.subScenarios.map((sub) => sub.vus.max), [10_000, 3]);
  });
});

describe('buildPlan: --rate scales full exactly (largest remainder, no drift)', () => {
  const cases: Array<[number, number[]]> = [
    [1000, [200, 200, 600]],
    [1001, [200, 200, 601]],
    [1002, [201, 200, 601]],
    [1003, [201, 200, 602]],
    [5, [1, 1, 3]],
    [4, [1, 1, 2]],
    [10_000, [2000, 2000, 6000]],
    [5_000_000, [1_000_000, 1_000_000, 3_000_000]],
  ];
  for (const [rate, expected] of cases) {
    it(`--rate ${rate} → ${expected.join('/')}`, () => {
      const plan = buildPlan(full, { ...OPTIONS, rate });
      assert.deepEqual(rates(plan), expected);
      assert.equal(plan.totalRate, rate);
    });
  }
  it('sums to exactly R for every R from 4 to 3000', () => {
    for (let rate = 4; rate <= 3000; rate++) {
      const plan = buildPlan(full, { ...OPTIONS, rate });
      assert.equal(sum(rates(plan)), rate, `--rate ${rate}`);
      assert.ok(rates(plan).every((r) => r >= 1), `--rate ${rate} starves a sub-scenario`);
    }
  });
  it('refuses a rate that gives a sub-scenario 0, naming the minimum', () => {
    assert.throws(() => buildPlan(full, { ...OPTIONS, rate: 3 }), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /rate 3 req\/s leaves sub-scenario 'batch10' with 0 req\/s/);
      assert.match(error.hint ?? '', /at least 4 req\/s/);
      return true;
    });
  });
  it('refuses rate 0 and negative rates', () => {
    assert.throws(() => buildPlan(full, { ...OPTIONS, rate: 0 }), /rate 0 must be > 0/);
    assert.throws(() => buildPlan(full, { ...OPTIONS, rate: -5 }), /rate -5 must be > 0/);
  });
});

describe('buildPlan: ramps and start times', () => {
  it('a ramp scales by R / peak: its peak becomes R', () => {
    const plan = buildPlan(ramp, { ...OPTIONS, rate: 50 });
    const schedule = plan.subScenarios[0]!.schedule;
    assert.equal(schedule.executor, 'ramping-arrival-rate');
    if (schedule.executor !== 'ramping-arrival-rate') return;
    assert.equal(schedule.startRate, 5);
    assert.deepEqual(schedule.stages.map((stage) => stage.target), [50, 0]);
    assert.equal(plan.totalRate, 50);
    assert.equal(plan.subScenarios[0]!.iterations, iterationCount(schedule));
  });
  it('scaled ramp targets keep 3 decimals (k6 can express them with a timeUnit)', () => {
    const plan = buildPlan(ramp, { ...OPTIONS, rate: 1 / 3 });
    const schedule = plan.subScenarios[0]!.schedule;
    if (schedule.executor !== 'ramping-arrival-rate') assert.fail('not a ramp');
    assert.equal(schedule.startRate, 0.033);
  });
  it('total rate is the peak of the summed rates, start times included', () => {
    const definition: ScenarioDefinition = {
      name: 't',
      subScenarios: [
        { name: 'a', rate: 100, duration: '10s' },
        { name: 'b', rate: 50, duration: '10s', startTime: '10s' },
        { name: 'c', executor: 'ramping-arrival-rate', stages: [{ duration: '20s', target: 80 }] },
      ],
    };
    const plan = buildPlan(definition, OPTIONS);
    // Just before 10 s: a = 100 and the ramp ≈ 40 → 140; from 10 s: b 50 + ramp 40…80 → at most 130.
    assert.equal(plan.totalRate, 140);
    assert.equal(plan.durationMs, 20_000);
    assert.equal(totalRateOf(plan.subScenarios), 140);
  });
  it('--duration sets constant durations and stretches ramps so the stages add up exactly', () => {
    const plan = buildPlan(ramp, { ...OPTIONS, durationMs: 7001 });
    const schedule = plan.subScenarios[0]!.schedule;
    if (schedule.executor !== 'ramping-arrival-rate') assert.fail('not a ramp');
    assert.deepEqual(schedule.stages.map((stage) => stage.durationMs), [3500, 3501]);
    assert.equal(schedule.durationMs, 7001);
    const constant = buildPlan(full, { ...OPTIONS, durationMs: 5000, rate: 1000 });
    assert.deepEqual(constant.subScenarios.map((sub) => sub.iterations), [1000, 1000, 3000]);
    assert.equal(constant.durationMs, 5000);
  });
});

describe('buildPlan: thresholds, target, seeds', () => {
  it('config levels < scenario overrides < sub-scenario overrides', () => {
    const plan = buildPlan(
      {
        name: 't',
        duration: '1s',
        thresholds: { p95Ms: { warning: 300 }, errorRate: { critical: 0.2 } },
        subScenarios: [{ name: 'a', rate: 1, thresholds: { p95Ms: { critical: 700 } } }, { name: 'b', rate: 1 }],
      },
      OPTIONS,
    );
    assert.deepEqual(plan.subScenarios[0]!.thresholds.p95Ms, { warning: 300, critical: 700 });
    assert.deepEqual(plan.subScenarios[1]!.thresholds.p95Ms, { warning: 300, critical: 1000 });
    assert.deepEqual(plan.subScenarios[1]!.thresholds.errorRate, { warning: 0.05, critical: 0.2 });
  });
  it('normalises the target URL and refuses what is not one', () => {
    assert.equal(buildPlan(full, { ...OPTIONS, targetUrl: 'https://api.example.com:8443/' }).targetUrl, 'https://api.example.com:8443');
    assert.throws(() => buildPlan(full, { ...OPTIONS, targetUrl: 'api.example.com' }), /target URL 'api.example.com' is not an http\(s\) URL/);
  });
  it('gives every sub-scenario its own default seed', () => {
    const plan = buildPlan({ ...full, seed: 40 }, OPTIONS);
    assert.deepEqual(plan.subScenarios.map((sub) => sub.payload.seed), [40, 41, 42]);
  });
});

describe('apportion', () => {
  const cases: Array<[number[], number[]]> = [
    [[200.2, 200.2, 600.6], [200, 200, 601]],
    [[0.6, 0.6, 1.8], [1, 0, 2]],
    [[1 / 3, 1 / 3, 1 / 3], [1, 0, 0]],
    [[0, 2.5, 2.5], [0, 3, 2]],
    [[7, 0, 3], [7, 0, 3]],
  ];
  for (const [quotas, expected] of cases) it(`${quotas.map((q) => q.toFixed(2)).join(', ')} → ${expected.join(', ')}`, () => assert.deepEqual(apportion(quotas), expected));
});

describe('durations', () => {
  const cases: Array<[unknown, number | null]> = [['30s', 30_000], ['2m', 120_000], ['1m30s', 90_000], ['500ms', 500], ['1h', 3_600_000], ['1.5s', 1500], [250, 250], ['30', null], ['', null], ['-1s', null], [Number.NaN, null], [{}, null]];
  for (const [input, expected] of cases) it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(parseDuration(input), expected));
  it('formats whole units where exact', () => {
    assert.deepEqual([30_000, 120_000, 3_600_000, 1500, 0].map(formatDuration), ['30s', '2m', '1h', '1500ms', '0s']);
  });
});
