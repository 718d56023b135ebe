/**
 * ScenarioPlan: everything an engine needs to run a scenario, as plain JSON (no functions), so it
 * can travel to an agent over stdio or SSH and be embedded in a compiled k6 script. Produced by the
 * pure `buildPlan(definition, overrides)`; engines only read it. Documented in docs/scenario-plan.md.
 *
 * Versioning: `schemaVersion` changes whenever a field changes meaning or a required field is added;
 * an engine refuses a plan whose version it does not know.
 */
import type { EventType } from '../../contract/event-schema.js';
import type { ThresholdLevels } from '../verdict/threshold-levels.js';

export const PLAN_SCHEMA_VERSION = 1;

export type ExecutorName = 'constant-arrival-rate' | 'ramping-arrival-rate';

/** One linear ramp of a ramping-arrival-rate schedule: from the previous rate to `target` over `durationMs`. */
export interface RampStage {
  /** Requests per second at the end of the stage. */
  target: number;
  durationMs: number;
}

/**
 * The arrival schedule of one sub-scenario (k6's semantics). Iteration i (i = 0, 1, …) is due at the
 * time t where the integral of the rate from 0 to t equals i; the schedule has every i whose due time
 * is before `durationMs`. See `schedule.ts`.
 */
export type Schedule =
  | { executor: 'constant-arrival-rate'; rate: number; durationMs: number }
  | { executor: 'ramping-arrival-rate'; startRate: number; stages: RampStage[]; durationMs: number };

export interface RequestTemplate {
  method: 'POST' | 'PUT';
  /** Path on the target, e.g. `/v1/events`. */
  path: string;
  /** Extra headers; `content-type: application/json` is always sent. */
  headers: Record<string, string>;
  timeoutMs: number;
  /** Statuses that count as success for checks (the seed expects 202); classification is by class regardless. */
  expectStatus: number[];
}

export interface PayloadSpec {
  /** 1 = one event object per request; N > 1 = `{"batch":[…N events]}`. */
  batchSize: number;
  /** Relative weights of the event types (missing = 0). */
  eventTypeWeights: Partial<Record<EventType, number>>;
  /** Seed of the event generator; engines derive per-worker seeds from it and the stripe. */
  seed: number;
}

/** VU sizing: at most `max` requests of this sub-scenario in flight (per whole fleet, before the split). */
export interface VuSizing {
  preAllocated: number;
  max: number;
  /** How `max` was derived when the definition did not give it (printed by --dry-run). */
  derivation: { from: 'definition' } | { from: 'rate'; peakRate: number; expectedLatencyMs: number; headroom: number; slowLatencyMs?: number };
}

export interface SubScenarioPlan {
  /** Unique within the plan; `[a-z][a-z0-9_]*` so it is a valid k6 scenario and tag name. */
  name: string;
  /** Delay before this sub-scenario starts, relative to the run's start. */
  startTimeMs: number;
  schedule: Schedule;
  /** Total iterations of `schedule` over the whole fleet (exactly `iterationCount(schedule)`). */
  iterations: number;
  request: RequestTemplate;
  payload: PayloadSpec;
  vus: VuSizing;
  /** Config levels with this sub-scenario's overrides applied. */
  thresholds: ThresholdLevels;
}

export interface ScenarioPlan {
  schemaVersion: typeof PLAN_SCHEMA_VERSION;
  /** The scenario's name (from the definition). */
  name: string;
  /** Where the definition came from, for messages; not used by engines. */
  source: string;
  /**
   * Base URL of the target, no trailing slash: `http://127.0.0.1:3000`, `https://api.example.com/v2`.
   * Honoured whole: the scheme (TLS, default port), the host (Host header, TLS name) and a base path.
   */
  targetUrl: string;
  /**
   * `insecure`: certificates are not verified (`--insecure`, k6's insecureSkipTLSVerify). Absent means
   * verified. The CA and client certificate themselves travel in the agent's `prepare`, never in a plan.
   */
  tls?: { insecure: boolean };
  /** Peak of the summed request rate of all sub-scenarios (req/s); `--rate R` scales this to R. */
  totalRate: number;
  /** When the last sub-scenario's schedule ends (startTimeMs + durationMs), ms. */
  durationMs: number;
  seed: number;
  subScenarios: SubScenarioPlan[];
}

/**
 * One instance's share of a run: the plan plus this instance's stripe of every schedule. Instance
 * `index` of `count` runs the global iterations i with i ≡ index (mod count); its W workers split that
 * share the same way (worker w runs i ≡ index + count·w (mod count·W)).
 */
export interface InstancePlan {
  plan: ScenarioPlan;
  /** Same for every instance of one run; makes event ids unique across runs (the target dedups on them). */
  runId: string;
  instance: { index: number; count: number };
  /** This instance's VU caps per sub-scenario name (from the split; ≥ 1 each). */
  maxVus: Record<string, number>;
  /**
   * VUs (connections) opened at prepare, per sub-scenario; the pool grows on demand up to `maxVus`
   * (k6's preAllocatedVUs → maxVUs). Absent from plans of older controllers: all of `maxVus` up front.
   */
  preAllocatedVus?: Record<string, number>;
}
