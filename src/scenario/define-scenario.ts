/**
 * The scenario DSL: what a user writes in `scenarios/*.ts`. Field names follow k6 (`executor`, `rate`,
 * `duration`, `stages`, `preAllocatedVUs`, `maxVUs`, `startTime`) so a k6 user reads it at sight. Every
 * field but the names and the rates is optional; `buildPlan` resolves the defaults (DEFAULTS below) and
 * `validateDefinition` checks what tsc cannot (a scenario file is evaluated, not type-checked, at run time).
 *
 * Import it as `import { defineScenario } from 'loadctl'` (loadScenario maps the name) or, inside this
 * repository, from `../src/scenario/define-scenario.js` so tsc checks the file too.
 */
import { EVENTS_PATH, type EventType } from '../../contract/event-schema.js';
import type { ExecutorName } from './plan.js';
import type { ThresholdOverrides } from '../verdict/threshold-levels.js';

export type { EventType, ExecutorName, ThresholdOverrides };

/** k6 syntax (`'30s'`, `'2m'`, `'1m30s'`, `'500ms'`) or milliseconds. */
export type DurationInput = string | number;

/** One ramp of a `ramping-arrival-rate` sub-scenario: reach `target` req/s over `duration`. */
export interface StageDefinition {
  duration: DurationInput;
  target: number;
}

export interface SubScenarioDefinition {
  /** `[a-z][a-z0-9_]*`, unique in the scenario: it becomes the k6 scenario name and metric tag. */
  name: string;
  /** Default `constant-arrival-rate`. */
  executor?: ExecutorName;
  /** Requests per second (constant-arrival-rate). */
  rate?: number;
  /** Requests per second at the start of the first stage (ramping-arrival-rate; default 0). */
  startRate?: number;
  /** The ramps (ramping-arrival-rate); their durations add up to the sub-scenario's duration. */
  stages?: StageDefinition[];
  /** How long the constant rate is held; default: the scenario's `duration`. */
  duration?: DurationInput;
  /** Delay after the run's start before this sub-scenario begins (default 0). */
  startTime?: DurationInput;
  /** 1 (default) = one event per request; N > 1 = `{"batch":[…N events]}`. */
  batchSize?: number;
  /** Relative weights of the event types; default: all ten equally. Missing types get weight 0. */
  eventTypes?: Partial<Record<EventType, number>>;
  /** Default `/v1/events`. */
  path?: string;
  /** Default `POST`. */
  method?: 'POST' | 'PUT';
  /** Extra headers; `content-type: application/json` is always sent. */
  headers?: Record<string, string>;
  /** Request timeout (default `'10s'`); a request that takes longer counts as a timeout. */
  timeout?: DurationInput;
  /** Statuses that pass the script's check (default 202, what the target-service answers). */
  expectStatus?: number | number[];
  /** VUs started before the run (default: `maxVUs`). */
  preAllocatedVUs?: number;
  /** The most requests in flight; default: derived from the peak rate (see docs/scenario-plan.md). */
  maxVUs?: number;
  /** Event generator seed; default: the scenario's seed + the sub-scenario's index. */
  seed?: number;
  /** Overrides of the config's good / warning / critical levels for this sub-scenario only. */
  thresholds?: ThresholdOverrides;
}

export interface ScenarioDefinition {
  /** Names the scenario in reports. */
  name: string;
  description?: string;
  /** Default duration of every sub-scenario that does not give its own. */
  duration?: DurationInput;
  /** Default 1. */
  seed?: number;
  /** Overrides of the config's levels for every sub-scenario (a sub-scenario's own win). */
  thresholds?: ThresholdOverrides;
  subScenarios: SubScenarioDefinition[];
}

/** Defaults `buildPlan` applies to what a definition leaves out. */
export const SCENARIO_DEFAULTS = {
  executor: 'constant-arrival-rate',
  batchSize: 1,
  path: EVENTS_PATH,
  method: 'POST',
  timeoutMs: 10_000,
  expectStatus: [202],
  seed: 1,
  startRate: 0,
} as const;

/** Typed identity: gives a scenario file completion and type errors; validation happens at load time. */
export function defineScenario<const T extends ScenarioDefinition>(definition: T): T {
  return definition;
}
