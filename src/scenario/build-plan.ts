/**
 * `buildPlan`: a validated scenario definition + overrides → the ScenarioPlan every engine runs. Pure
 * (no clock, no files): defaults are resolved here, once, so engines never need `?? default`.
 */
import { EVENT_TYPES, type EventType } from '../../contract/event-schema.js';
import { applyThresholdOverrides, type ThresholdLevels } from '../verdict/threshold-levels.js';
import { SCENARIO_DEFAULTS, type ScenarioDefinition, type SubScenarioDefinition } from './define-scenario.js';
import { parseDuration } from './duration.js';
import { PLAN_SCHEMA_VERSION, type Schedule, type ScenarioPlan, type SubScenarioPlan, type VuSizing } from './plan.js';
import { deriveVus, normaliseTargetUrl, scalePlan, totalRateOf } from './scale-plan.js';
import { iterationCount, peakRate } from './schedule.js';

export interface BuildPlanOptions {
  /** Where the definition came from (`scenarios/full.ts`), for messages. */
  source: string;
  /** Base URL of the target (`--target`, else `API_URL`, else the default). */
  targetUrl: string;
  /** The config's good / warning / critical levels; the scenario's overrides apply on top. */
  baseThresholds: ThresholdLevels;
  /** `--rate`: scale the peak total rate to this, keeping the mix. */
  rate?: number;
  /** `--duration`: every sub-scenario runs this long (ramps stretched). */
  durationMs?: number;
}

/** The plan of a definition that `validateDefinition` accepted. */
export function buildPlan(definition: ScenarioDefinition, options: BuildPlanOptions): ScenarioPlan {
  const seed = definition.seed ?? SCENARIO_DEFAULTS.seed;
  const subScenarios = definition.subScenarios.map((sub, index) => resolveSubScenario(sub, index, definition, options.baseThresholds));
  const plan: ScenarioPlan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    name: definition.name,
    source: options.source,
    targetUrl: normaliseTargetUrl(options.targetUrl),
    totalRate: totalRateOf(subScenarios),
    durationMs: Math.max(...subScenarios.map((sub) => sub.startTimeMs + sub.schedule.durationMs)),
    seed,
    subScenarios,
  };
  return scalePlan(plan, { rate: options.rate, durationMs: options.durationMs });
}

function resolveSubScenario(sub: SubScenarioDefinition, index: number, definition: ScenarioDefinition, base: ThresholdLevels): SubScenarioPlan {
  const schedule = resolveSchedule(sub, definition);
  const expect = sub.expectStatus ?? SCENARIO_DEFAULTS.expectStatus;
  return {
    name: sub.name,
    startTimeMs: msOf(sub.startTime) ?? 0,
    schedule,
    iterations: iterationCount(schedule),
    request: {
      method: sub.method ?? SCENARIO_DEFAULTS.method,
      path: sub.path ?? SCENARIO_DEFAULTS.path,
      headers: { ...sub.headers },
      timeoutMs: msOf(sub.timeout) ?? SCENARIO_DEFAULTS.timeoutMs,
      expectStatus: Array.isArray(expect) ? [...expect] : [expect as number],
    },
    payload: {
      batchSize: sub.batchSize ?? SCENARIO_DEFAULTS.batchSize,
      eventTypeWeights: resolveWeights(sub.eventTypes),
      // Distinct default seeds per sub-scenario, so two sub-scenarios never send the same event stream.
      seed: sub.seed ?? (definition.seed ?? SCENARIO_DEFAULTS.seed) + index,
    },
    vus: resolveVus(sub, peakRate(schedule)),
    thresholds: applyThresholdOverrides(applyThresholdOverrides(base, definition.thresholds), sub.thresholds),
  };
}

function resolveSchedule(sub: SubScenarioDefinition, definition: ScenarioDefinition): Schedule {
  if (sub.executor === 'ramping-arrival-rate') {
    const stages = (sub.stages ?? []).map((stage) => ({ target: stage.target, durationMs: msOf(stage.duration)! }));
    return {
      executor: 'ramping-arrival-rate',
      startRate: sub.startRate ?? SCENARIO_DEFAULTS.startRate,
      stages,
      durationMs: stages.reduce((sum, stage) => sum + stage.durationMs, 0),
    };
  }
  return { executor: 'constant-arrival-rate', rate: sub.rate!, durationMs: msOf(sub.duration ?? definition.duration)! };
}

/** Given VUs win; a missing `preAllocatedVUs` / `maxVUs` takes the other's value (k6's rule for maxVUs). */
function resolveVus(sub: SubScenarioDefinition, peak: number): VuSizing {
  if (sub.preAllocatedVUs === undefined && sub.maxVUs === undefined) return deriveVus(peak);
  const max = sub.maxVUs ?? sub.preAllocatedVUs!;
  return { preAllocated: sub.preAllocatedVUs ?? max, max, derivation: { from: 'definition' } };
}

/** All ten types equally unless the definition weighs them; zero weights are left out. */
function resolveWeights(weights: SubScenarioDefinition['eventTypes']): Partial<Record<EventType, number>> {
  const result: Partial<Record<EventType, number>> = {};
  for (const type of EVENT_TYPES) {
    const weight = weights === undefined ? 1 : (weights[type] ?? 0);
    if (weight > 0) result[type] = weight;
  }
  return result;
}

function msOf(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : (parseDuration(value) ?? undefined);
}
