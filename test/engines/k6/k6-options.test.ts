import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEnvironment, buildK6Options, classifyK6Response, wholeRates } from '../../../src/engines/k6/k6-options.js';
import { OUTCOME_CLASSES } from '../../../src/protocol/outcomes.js';
import { QUANTILE_GRID_PERCENTS } from '../../../src/engines/k6/quantile-grid.js';
import { buildPlan } from '../../../src/scenario/build-plan.js';
import type { ScenarioDefinition } from '../../../src/scenario/define-scenario.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../../src/verdict/threshold-levels.js';

const definition: ScenarioDefinition = {
  name: 'mix',
  duration: '30s',
  subScenarios: [
    { name: 'single', rate: 1000, timeout: '5s' },
    { name: 'batch100', rate: 3000, batchSize: 100, startTime: '10s', thresholds: { p95Ms: { critical: null } } },
    { name: 'up', executor: 'ramping-arrival-rate', startRate: 0, stages: [{ duration: '1m', target: 500 }] },
  ],
};
const plan = buildPlan(definition, { source: 's.ts', targetUrl: 'http://127.0.0.1:3000', baseThresholds: DEFAULT_THRESHOLD_LEVELS });

describe('buildK6Options', () => {
  const options = buildK6Options(plan);
  it('one arrival-rate scenario per sub-scenario, VUs and start times from the plan', () => {
    assert.deepEqual(options.scenarios.single, {
      executor: 'constant-arrival-rate', rate: 1000, timeUnit: '1s', duration: '30s',
      preAllocatedVUs: 100, maxVUs: 1000, startTime: '0s', gracefulStop: '5s',
    });
    assert.equal(options.scenarios.batch100!.startTime, '10s');
    assert.deepEqual(options.scenarios.up, {
      executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', stages: [{ target: 500, duration: '1m' }],
      preAllocatedVUs: 50, maxVUs: 500, startTime: '0s', gracefulStop: '10s',
    });
  });
  it('discards response bodies and asks for the ~200-point quantile grid', () => {
    assert.equal(options.discardResponseBodies, true);
    assert.equal(QUANTILE_GRID_PERCENTS.length, 205);
    for (const stat of ['p(0.5)', 'p(50)', 'p(95)', 'p(99)', 'p(99.9)', 'p(99.99)', 'min', 'max', 'avg', 'med', 'count']) assert.ok(options.summaryTrendStats.includes(stat), stat);
  });
  it('TLS: insecureSkipTLSVerify only for a plan with tls.insecure (an http or verified plan leaves k6 verifying)', () => {
    assert.equal('insecureSkipTLSVerify' in options, false);
    const https = { ...plan, targetUrl: 'https://api.example.com' };
    assert.equal('insecureSkipTLSVerify' in buildK6Options({ ...https, tls: { insecure: false } }), false);
    assert.equal(buildK6Options({ ...https, tls: { insecure: true } }).insecureSkipTLSVerify, true);
    assert.equal('tlsAuth' in buildK6Options({ ...https, tls: { insecure: true } }), false, 'the client certificate is the script init\'s (k6-tls.ts), never in the plan');
  });
  it('names every sub-metric it needs in a threshold (k6 reports only those)', () => {
    assert.deepEqual(options.thresholds['http_req_duration{scenario:single}'], ['p(95)<1000', 'p(99)<2000']);
    assert.deepEqual(options.thresholds['http_req_duration{scenario:batch100}'], ['p(99)<2000']);
    assert.deepEqual(options.thresholds['http_req_failed{scenario:up}'], ['rate<=0.1']);
    for (const name of ['iterations{scenario:up}', 'dropped_iterations{scenario:batch100}', 'loadctl_requests{lo:single.2xx}', 'loadctl_requests{lo:up.refused}']) {
      assert.deepEqual(options.thresholds[name], ['count>=0'], name);
    }
    // Per sub-scenario: latency, iterations, dropped, errors, and one counter per outcome class (tls too since issue 19).
    assert.equal(Object.keys(options.thresholds).length, 3 * (4 + OUTCOME_CLASSES.length));
  });
});

describe('wholeRates: k6 takes whole rates per timeUnit', () => {
  const cases: Array<[number[], number, string]> = [[[1000], 1, '1s'], [[200.2], 10, '10s'], [[0.5, 3], 10, '10s'], [[0.033, 1], 1000, '1000s'], [[192.308], 1000, '1000s']];
  for (const [rates, factor, timeUnit] of cases) it(`${rates.join(', ')} → ×${factor} per ${timeUnit}`, () => assert.deepEqual(wholeRates(rates), { factor, timeUnit }));
  it('a fractional rate becomes the same rate per longer unit', () => {
    const fractional = buildPlan({ name: 'f', duration: '10s', subScenarios: [{ name: 'a', rate: 200.2 }] }, { source: 'f.ts', targetUrl: 'http://h:1', baseThresholds: DEFAULT_THRESHOLD_LEVELS });
    const scenario = buildK6Options(fractional).scenarios.a!;
    assert.equal(scenario.executor === 'constant-arrival-rate' && scenario.rate, 2002);
    assert.equal(scenario.timeUnit, '10s');
  });
});

describe('applyEnvironment: the seed knobs', () => {
  it('RPS scales the mix exactly, DURATION and API_URL override', () => {
    const scaled = applyEnvironment(plan, { RPS: '450', DURATION: '2m', API_URL: 'http://api:3000/' });
    assert.equal(scaled.targetUrl, 'http://api:3000');
    assert.deepEqual(scaled.subScenarios.map((sub) => sub.schedule.durationMs), [120_000, 120_000, 120_000]);
    assert.equal(scaled.totalRate <= 450.001, true);
  });
  it('DURATION has the grammar of every loadctl duration: a bare number is seconds (it was milliseconds here)', () => {
    const scaled = applyEnvironment(plan, { DURATION: '60' });
    assert.deepEqual(scaled.subScenarios.map((sub) => sub.schedule.durationMs), [60_000, 60_000, 60_000]);
    assert.deepEqual(applyEnvironment(plan, { DURATION: '1m' }), scaled);
  });
  it('RATE is the same knob as RPS; RPS wins', () => {
    assert.deepEqual(applyEnvironment(plan, { RATE: '900' }), applyEnvironment(plan, { RPS: '900' }));
    assert.deepEqual(applyEnvironment(plan, { RPS: '900', RATE: '5' }), applyEnvironment(plan, { RPS: '900' }));
  });
  it('no knobs: the compiled plan as is', () => assert.equal(applyEnvironment(plan, {}), plan));
  it('refuses nonsense', () => {
    assert.throws(() => applyEnvironment(plan, { RPS: 'fast' }), /RPS\/RATE 'fast' must be a number > 0/);
    assert.throws(() => applyEnvironment(plan, { DURATION: '10 minutes' }), /DURATION '10 minutes' is not a duration/);
    assert.throws(() => applyEnvironment(plan, { API_URL: 'localhost' }), /not an http\(s\) URL/);
  });
});

describe('classifyK6Response', () => {
  const cases: Array<[number, number, string]> = [
    [202, 0, '2xx'], [429, 1429, '429'], [503, 1503, '503'], [400, 1400, '4xx'], [500, 1500, '5xx'],
    [0, 1050, 'timeout'], [0, 1211, 'timeout'], [0, 1212, 'refused'], [0, 1220, 'network'], [0, 1101, 'network'],
  ];
  for (const [status, errorCode, outcome] of cases) it(`status ${status}, error_code ${errorCode} → ${outcome}`, () => assert.equal(classifyK6Response(status, errorCode), outcome));
});
