// Runs a compiled k6 script with stand-ins for k6's modules (test/k6-contract), NOT with k6: k6 is never run in this project.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileK6Script } from '../../src/engines/k6/compile-k6-script.js';
import type { InstanceResult } from '../../src/protocol/instance-result.js';
import { planScenarioFile } from '../../src/scenario/plan-scenario-file.js';
import { stripeIterationCount } from '../../src/scenario/schedule.js';
import { parseEventsBody } from '../../target-service/src/contract/validate-events.js';
import { DEFAULT_LIMITS, EVENT_TYPES } from '../../contract/event-schema.js';
import { repoRoot } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildK6Summary } from './k6-summary-builder.js';
import { standinState } from './k6-standins.js';
import { loadCompiledScript, startServiceThread, type CompiledScriptModule, type ServiceThread } from './load-compiled-script.js';

/** Iterations per sub-scenario the harness runs (k6 would run them on schedule; the harness runs them back to back). */
const ITERATIONS = 100;
const VUS = 4;

describe('compiled k6 script (scenarios/full.ts) under the k6 stand-ins, against the real target-service', () => {
  let service: ServiceThread;
  let script: CompiledScriptModule;
  let planDigest: string;
  let result: InstanceResult;
  let output: Record<string, string>;
  const resultPath = `${makeTempDir()}/result.json`;

  before(async () => {
    service = await startServiceThread();
    // Compiled for 5M RPS at a dead address; the seed's knobs in the environment bring it here at 1000 RPS.
    const plan = await planScenarioFile({ file: 'scenarios/full.ts', cwd: repoRoot(), target: 'http://127.0.0.1:9' });
    const compiled = await compileK6Script(plan);
    planDigest = compiled.planDigest;
    script = await loadCompiledScript(compiled.code, { RPS: '1000', API_URL: service.url, LOADCTL_RESULT: resultPath, LOADCTL_RUN_ID: 'contract' });
    const state = standinState();
    state.exec.test.options = { ...script.options, executionSegment: '1/3:2/3' };
    const setupData = script.setup();
    const started = Date.now();
    for (const name of Object.keys(script.options.scenarios)) {
      state.exec.scenario.name = name;
      for (let i = 0; i < ITERATIONS; i++) {
        state.exec.vu.idInTest = 1 + (i % VUS);
        script.default(setupData);
        state.samples.push({ metric: 'iterations', type: 'counter', value: 1, tags: { scenario: name } });
        state.samples.push({ metric: 'vus', type: 'gauge', value: VUS, tags: {} });
      }
    }
    // Two iterations k6 would have dropped (no free VU), to check they reach the result.
    for (let i = 0; i < 2; i++) state.samples.push({ metric: 'dropped_iterations', type: 'counter', value: 1, tags: { scenario: 'batch100' } });
    const summary = buildK6Summary({
      samples: state.samples,
      thresholds: script.options.thresholds,
      summaryTrendStats: script.options.summaryTrendStats,
      testRunDurationMs: Math.max(1, Date.now() - started),
      checks: state.checks,
      setupData,
    });
    output = script.handleSummary(summary);
    result = JSON.parse(output[resultPath]!) as InstanceResult;
  });
  after(async () => service?.stop());

  it('RPS=1000 scales the compiled 5M RPS mix to exactly 200/200/600', () => {
    const rates = Object.values(script.options.scenarios).map((scenario) => (scenario.executor === 'constant-arrival-rate' ? scenario.rate : 0));
    assert.deepEqual(rates, [200, 200, 600]);
  });

  it('every request went to API_URL and was accepted (202)', () => {
    const { requests } = standinState();
    assert.equal(requests.length, 3 * ITERATIONS);
    assert.ok(requests.every((request) => request.url === `${service.url}/v1/events`));
    assert.deepEqual([...new Set(requests.map((request) => request.status))], [202]);
    assert.deepEqual([...standinState().checks], [['status is 202', { passes: 300, fails: 0 }]]);
  });

  it('every body is valid against the target-service contract, all ten types, batches as planned', () => {
    const types = new Set<string>();
    const sizes = new Set<number>();
    for (const request of standinState().requests) {
      const parsed = parseEventsBody(request.body, DEFAULT_LIMITS);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.rejection));
      sizes.add(parsed.events.length);
      for (const event of parsed.events) types.add(event.event_type);
    }
    assert.deepEqual([...types].sort(), [...EVENT_TYPES].sort());
    assert.deepEqual([...sizes].sort((a, b) => a - b), [1, 10, 100]);
  });

  it('the service saw all ten types, as many events as were sent', async () => {
    const text = await (await fetch(service.metricsUrl)).text();
    const accepted = new Map([...text.matchAll(/^events_accepted_total\{event_type="(\w+)"\} (\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
    assert.deepEqual([...accepted.keys()].sort(), [...EVENT_TYPES].sort());
    assert.equal([...accepted.values()].reduce((a, b) => a + b, 0), ITERATIONS * (1 + 10 + 100));
  });

  it('handleSummary writes an InstanceResult: engine, instance from the execution segment, digest, counts', () => {
    assert.equal(result.schemaVersion, 1);
    assert.deepEqual(result.engine, { name: 'k6', version: 'unknown' });
    assert.deepEqual(result.instance, { index: 1, count: 3 });
    assert.equal(result.planDigest, planDigest);
    assert.equal(result.runId, 'contract');
    assert.equal(result.overall.requests, 3 * ITERATIONS);
    assert.equal(result.overall.outcomes['2xx'], 3 * ITERATIONS);
    assert.equal(result.overall.events, ITERATIONS * 111);
    assert.deepEqual(Object.keys(result.subScenarios), ['single', 'batch10', 'batch100']);
    assert.equal(result.subScenarios.batch100!.droppedIterations, 2);
    assert.equal(result.subScenarios.batch100!.iterations, ITERATIONS + 2);
    assert.equal(result.generator.limited, true);
    assert.equal(result.overall.maxInFlight, VUS);
    // The stripe of instance 2 of 3 of the RPS=1000 plan (60 s: 12,000 + 12,000 + 36,000 iterations).
    assert.equal(result.plannedIterations, [12_000, 12_000, 36_000].reduce((sum, total) => sum + stripeIterationCount(total, 1, 3), 0));
  });

  it('latency per sub-scenario is the ~200-point quantile grid of its own sub-metric', () => {
    const single = result.subScenarios.single!.latency;
    assert.equal(single.count, ITERATIONS);
    assert.equal(single.distribution.kind, 'quantiles');
    if (single.distribution.kind !== 'quantiles') return;
    const points = single.distribution.points;
    assert.equal(points.length, 207);
    assert.deepEqual([points[0]![0], points.at(-1)![0]], [0, 1]);
    for (let i = 1; i < points.length; i++) {
      assert.ok(points[i]![0] > points[i - 1]![0] && points[i]![1] >= points[i - 1]![1], `grid not ascending at ${i}`);
    }
    const requestDurations = standinState().samples.filter((s) => s.metric === 'http_req_duration' && s.tags.scenario === 'single').map((s) => s.value);
    assert.equal(single.maxMs, Math.max(...requestDurations));
    assert.equal(result.overall.latency.count, 3 * ITERATIONS);
  });

  it('prints a text summary naming the thresholds', () => {
    assert.match(output.stdout!, /THRESHOLDS/);
    assert.match(output.stdout!, /✓ http_req_duration\{scenario:batch100\} p\(95\)<1500/);
    assert.match(output.stdout!, /single\s+requests=100/);
    assert.match(output.stdout!, new RegExp(`InstanceResult written to ${resultPath}`));
  });
});
