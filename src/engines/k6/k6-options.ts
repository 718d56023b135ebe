/**
 * ScenarioPlan → k6 `options` (scenarios, thresholds, summary stats, TLS verification), and the seed's environment knobs
 * applied to the plan. Pure and free of k6 and Node imports: the compiled script runs it at init time,
 * unit tests run it in Node; `k6-entry.ts` checks the result against `@types/k6`'s `Options`.
 */
import type { ScenarioPlan, SubScenarioPlan } from '../../scenario/plan.js';
import { OUTCOME_CLASSES, classifyStatus, type OutcomeClass } from '../../protocol/outcomes.js';
import { formatDuration } from '../../scenario/duration.js';
import { DURATION_FORMS, parseDurationSetting } from '../../scenario/duration-setting.js';
import { scalePlan, type PlanOverrides } from '../../scenario/scale-plan.js';
import { UsageError } from '../../../contract/loadctl-error.js';
import { summaryTrendStats } from './quantile-grid.js';

/** The outcome counter: one sample per request, tagged `lo: <sub-scenario>.<class>` (one tag → one sub-metric). */
export const REQUESTS_METRIC = 'loadctl_requests';
export const OUTCOME_TAG = 'lo';

interface ArrivalRateBase {
  timeUnit: string;
  preAllocatedVUs: number;
  maxVUs: number;
  startTime: string;
  gracefulStop: string;
}
export type K6Scenario =
  | (ArrivalRateBase & { executor: 'constant-arrival-rate'; rate: number; duration: string })
  | (ArrivalRateBase & { executor: 'ramping-arrival-rate'; startRate: number; stages: Array<{ target: number; duration: string }> });

/** The subset of k6 options a compiled script sets. */
export interface K6Options {
  discardResponseBodies: boolean;
  scenarios: Record<string, K6Scenario>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  /** Only for a plan with `tls.insecure` (`--insecure`): k6 then verifies no certificate. */
  insecureSkipTLSVerify?: boolean;
  /**
   * The client certificate (mTLS), PEM read by the script's init from files the k6 agent wrote
   * (k6-tls.ts). No `domains`: k6 then presents it to any server that asks (it warns that `domains`
   * may go, following Go's deprecated NameToCertificate; k6 js/runner.go).
   */
  tlsAuth?: Array<{ cert: string; key: string }>;
}

/** The seed's knobs: `RPS` (or `RATE`) scales the total rate, `DURATION` every sub-scenario, `API_URL` the target. */
export function applyEnvironment(plan: ScenarioPlan, env: Record<string, string | undefined>): ScenarioPlan {
  const overrides: PlanOverrides = {};
  const rate = env.RPS || env.RATE;
  if (rate) {
    overrides.rate = Number(rate);
    if (!(overrides.rate > 0)) throw new UsageError(`RPS/RATE '${rate}' must be a number > 0`, { hint: 'e.g. k6 run -e RPS=1000 script.js' });
  }
  if (env.DURATION) {
    // The grammar of loadctl's flags, DURATION and config file: a bare number is seconds here too.
    const ms = parseDurationSetting(env.DURATION);
    if (ms === null) throw new UsageError(`DURATION '${env.DURATION}' is not a duration > 0`, { hint: `write ${DURATION_FORMS}, e.g. k6 run -e DURATION=2m script.js` });
    overrides.durationMs = ms;
  }
  if (env.API_URL) overrides.targetUrl = env.API_URL;
  return Object.keys(overrides).length === 0 ? plan : scalePlan(plan, overrides);
}

export function buildK6Options(plan: ScenarioPlan): K6Options {
  const scenarios: Record<string, K6Scenario> = {};
  const thresholds: Record<string, string[]> = {};
  for (const sub of plan.subScenarios) {
    scenarios[sub.name] = k6Scenario(sub);
    Object.assign(thresholds, subScenarioThresholds(sub));
  }
  return {
    discardResponseBodies: true,
    scenarios,
    thresholds,
    summaryTrendStats: summaryTrendStats(),
    ...(plan.tls?.insecure ? { insecureSkipTLSVerify: true } : {}),
  };
}

/** The tag value that names one sub-scenario's outcome class. */
export function outcomeTag(subScenario: string, outcome: OutcomeClass): string {
  return `${subScenario}.${outcome}`;
}

/** k6's outcome of a request: its status, or for status 0 its error code (k6 lib/netext/httpext/error_codes.go). */
export function classifyK6Response(status: number, errorCode: number): OutcomeClass {
  if (status > 0) return classifyStatus(status);
  if (errorCode === 1050 || errorCode === 1211) return 'timeout'; // request timeout, dial timeout
  if (errorCode === 1212) return 'refused'; // dial: connection refused
  if (errorCode >= 1300 && errorCode < 1400) return 'tls'; // TLS handshake, x509 authority, x509 host name
  return 'network';
}

/**
 * k6 takes whole rates per `timeUnit`: 200.2 req/s becomes 2002 per 10 s. Rates in a plan have at most
 * three decimals (scalePlan rounds them), so a unit of at most 1000 s is exact.
 */
export function wholeRates(rates: number[]): { factor: number; timeUnit: string } {
  for (const factor of [1, 10, 100, 1000]) {
    if (rates.every((rate) => Math.abs(rate * factor - Math.round(rate * factor)) < 1e-6)) return { factor, timeUnit: `${factor}s` };
  }
  return { factor: 1000, timeUnit: '1000s' };
}

function k6Scenario(sub: SubScenarioPlan): K6Scenario {
  const base = {
    preAllocatedVUs: sub.vus.preAllocated,
    maxVUs: sub.vus.max,
    startTime: formatDuration(sub.startTimeMs),
    // A request in flight at the end can take at most its timeout; k6's default (30 s) may cut it short.
    gracefulStop: formatDuration(sub.request.timeoutMs),
  };
  const schedule = sub.schedule;
  if (schedule.executor === 'constant-arrival-rate') {
    const { factor, timeUnit } = wholeRates([schedule.rate]);
    return { executor: 'constant-arrival-rate', rate: Math.round(schedule.rate * factor), timeUnit, duration: formatDuration(schedule.durationMs), ...base };
  }
  const { factor, timeUnit } = wholeRates([schedule.startRate, ...schedule.stages.map((stage) => stage.target)]);
  return {
    executor: 'ramping-arrival-rate',
    startRate: Math.round(schedule.startRate * factor),
    timeUnit,
    stages: schedule.stages.map((stage) => ({ target: Math.round(stage.target * factor), duration: formatDuration(stage.durationMs) })),
    ...base,
  };
}

/**
 * Thresholds that make k6 keep each sub-scenario's sub-metrics in its summary (k6 reports a sub-metric
 * only when a threshold names it). Latency and error thresholds use the critical levels, so k6's own
 * exit code (99) means "critical"; the rest (`count>=0`) only ask for the numbers.
 */
function subScenarioThresholds(sub: SubScenarioPlan): Record<string, string[]> {
  const selector = `{scenario:${sub.name}}`;
  const levels = sub.thresholds;
  const latency = [
    ...(levels.p95Ms.critical === null ? [] : [`p(95)<${levels.p95Ms.critical}`]),
    ...(levels.p99Ms.critical === null ? [] : [`p(99)<${levels.p99Ms.critical}`]),
  ];
  const thresholds: Record<string, string[]> = {
    [`http_req_duration${selector}`]: latency.length > 0 ? latency : ['max>=0'],
    [`iterations${selector}`]: ['count>=0'],
    [`dropped_iterations${selector}`]: ['count>=0'],
  };
  if (levels.errorRate.critical !== null) thresholds[`http_req_failed${selector}`] = [`rate<=${levels.errorRate.critical}`];
  for (const outcome of OUTCOME_CLASSES) thresholds[`${REQUESTS_METRIC}{${OUTCOME_TAG}:${outcomeTag(sub.name, outcome)}}`] = ['count>=0'];
  return thresholds;
}
