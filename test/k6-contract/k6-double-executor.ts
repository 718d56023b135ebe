// Test double, NOT k6: runs a compiled script's arrival-rate scenarios over the k6 stand-ins, one iteration at a time; never used to claim k6 was run.
/**
 * What the double needs of k6's executors: the due times of this execution segment's iterations of
 * every scenario in `options.scenarios` (constant- and ramping-arrival-rate, rates per `timeUnit`,
 * `startTime`), run in due order against the stand-ins. Unlike k6 it has one VU and never drops an
 * iteration: it is a contract double for the agent, not a load generator.
 */
import type { K6Scenario } from '../../src/engines/k6/k6-options.js';
import { instanceOfSegment } from '../../src/engines/k6/k6-summary.js';
import { parseDuration } from '../../src/scenario/duration.js';
import type { Schedule } from '../../src/scenario/plan.js';
import { stripeDueTimes } from '../../src/scenario/schedule.js';
import type { CompiledScriptModule } from './load-compiled-script.js';
import { standinState } from './k6-standins.js';

export interface DoubleIteration {
  /** ms after the run started. */
  dueMs: number;
  scenario: string;
}

/** Every iteration this segment runs, in due order (k6 stripes equal segments the same way). */
export function planDoubleIterations(scenarios: Record<string, K6Scenario>, executionSegment: string | null): DoubleIteration[] {
  const { index, count } = instanceOfSegment(executionSegment);
  const iterations: DoubleIteration[] = [];
  for (const [name, scenario] of Object.entries(scenarios)) {
    const startMs = durationMs(scenario.startTime);
    for (const due of stripeDueTimes(scheduleOf(scenario), index, count)) iterations.push({ dueMs: startMs + due, scenario: name });
  }
  return iterations.sort((a, b) => a.dueMs - b.dueMs);
}

/** Runs the iterations on schedule (late ones at once) until done or `shouldStop()`; yields between them so the REST API answers. */
export async function runDoubleIterations(script: CompiledScriptModule, setupData: unknown, iterations: DoubleIteration[], shouldStop: () => boolean): Promise<void> {
  const state = standinState();
  const startedAt = performance.now();
  for (const [i, iteration] of iterations.entries()) {
    while (!shouldStop() && performance.now() - startedAt < iteration.dueMs) {
      await delay(Math.min(20, iteration.dueMs - (performance.now() - startedAt)));
    }
    if (shouldStop()) return;
    state.exec.scenario.name = iteration.scenario;
    state.exec.vu.idInTest = 1;
    state.samples.push({ metric: 'vus', type: 'gauge', value: 1, tags: {} });
    script.default(setupData);
    state.samples.push({ metric: 'iterations', type: 'counter', value: 1, tags: { scenario: iteration.scenario } });
    state.exec.instance.iterationsCompleted = i + 1;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function scheduleOf(scenario: K6Scenario): Schedule {
  const perSecond = 1 / (durationMs(scenario.timeUnit) / 1000);
  if (scenario.executor === 'constant-arrival-rate') {
    return { executor: 'constant-arrival-rate', rate: scenario.rate * perSecond, durationMs: durationMs(scenario.duration) };
  }
  const stages = scenario.stages.map((stage) => ({ target: stage.target * perSecond, durationMs: durationMs(stage.duration) }));
  return { executor: 'ramping-arrival-rate', startRate: scenario.startRate * perSecond, stages, durationMs: stages.reduce((sum, stage) => sum + stage.durationMs, 0) };
}

function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new Error(`'${text}' is not a duration k6 accepts`);
  return ms;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
