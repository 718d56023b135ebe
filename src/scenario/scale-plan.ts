/**
 * Overrides applied to a built plan: `--rate R` (the seed's `RPS` / `RATE`), `--duration D`
 * (`DURATION`) and `--target URL` (`API_URL`). Pure and free of Node APIs: `buildPlan` calls it, and the
 * compiled k6 script calls the very same function at init time for its environment knobs.
 */
import { UsageError } from '../../contract/loadctl-error.js';
import type { Schedule, ScenarioPlan, SubScenarioPlan, VuSizing } from './plan.js';
import { iterationCount, peakRate } from './schedule.js';

export interface PlanOverrides {
  /** New peak total rate, req/s: every sub-scenario scales in proportion. */
  rate?: number;
  /** New duration of every sub-scenario (ramps are stretched to it). */
  durationMs?: number;
  targetUrl?: string;
}

/**
 * Derived VU pools (when a scenario gives neither preAllocatedVUs nor maxVUs). Seed P95 was 44 ms: 50 ms
 * per request in flight, doubled for headroom, sizes the connections opened at prepare. The pool then
 * grows on demand up to the rate × 500 ms (the guide's warning p95) × 2, so a target that slows down to
 * the warning latency is measured as latency rather than as drops (issue 18); only a target slower than
 * that holds every VU, and then the drops are target-bound, counted against it.
 */
export const VU_DERIVATION = { expectedLatencyMs: 50, headroom: 2, slowLatencyMs: 500 } as const;

/** Ramp targets scaled by `--rate` are kept to 1/1000 req/s, so k6 can express them with a timeUnit. */
const RATE_DECIMALS = 1000;

/** The plan with the overrides applied; throws UsageError when one cannot be honoured. */
export function scalePlan(plan: ScenarioPlan, overrides: PlanOverrides): ScenarioPlan {
  let subScenarios = plan.subScenarios;
  if (overrides.durationMs !== undefined) subScenarios = subScenarios.map((sub) => withSchedule(sub, stretchSchedule(sub.schedule, overrides.durationMs!)));
  if (overrides.rate !== undefined) subScenarios = scaleRates(subScenarios, totalRateOf(subScenarios), overrides.rate);
  return {
    ...plan,
    targetUrl: overrides.targetUrl === undefined ? plan.targetUrl : normaliseTargetUrl(overrides.targetUrl),
    totalRate: totalRateOf(subScenarios),
    durationMs: Math.max(...subScenarios.map((sub) => sub.startTimeMs + sub.schedule.durationMs)),
    subScenarios,
  };
}

/**
 * `http://host:3000/` → `http://host:3000`. The URL is honoured whole (issue 19): its scheme picks
 * TLS and the default port, a base path (`https://host/api`) prefixes every request path. What loadctl
 * would not send as written is refused rather than dropped: another scheme, credentials, a query or a
 * fragment. Written without the URL class: the compiled k6 script runs this too, and k6 has none.
 */
export function normaliseTargetUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  const refuse = (what: string, hint: string) => new UsageError(`target URL '${url}' ${what}`, { hint });
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(trimmed)?.[1];
  if (scheme === undefined) throw refuse('is not an http(s) URL', 'pass the base URL of the service, e.g. --target http://127.0.0.1:3000 or https://api.example.com');
  if (!/^https?$/i.test(scheme)) throw refuse(`has the scheme '${scheme}'; loadctl speaks http:// and https://`, 'pass the base URL of the service, e.g. --target https://api.example.com');
  const authority = /^[^:]+:\/\/([^/?#]*)/.exec(trimmed)![1]!;
  if (authority.includes('@')) throw refuse('carries credentials, which would not be sent', "put an Authorization header in the scenario's request headers instead");
  if (/[?#]/.test(trimmed)) throw refuse('has a query or fragment, which loadctl would not send', 'give the base URL only; request paths come from the scenario');
  if (!/^https?:\/\/(\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+)(:\d{1,5})?(\/[^\s]*)?$/i.test(trimmed)) {
    throw refuse('is not a valid http(s) URL', 'write scheme://host[:port][/base-path], e.g. https://api.example.com or http://[::1]:3000/api');
  }
  return `${scheme.toLowerCase()}${trimmed.slice(scheme.length)}`;
}

/** VU sizing from a peak rate: 10K req/s → 1,000 VUs opened at prepare, growing up to 10,000. */
export function deriveVus(peak: number): VuSizing {
  const { expectedLatencyMs, headroom, slowLatencyMs } = VU_DERIVATION;
  const vusAt = (latencyMs: number) => Math.max(1, Math.ceil((peak * latencyMs * headroom) / 1000 - 1e-9));
  return { preAllocated: vusAt(expectedLatencyMs), max: vusAt(slowLatencyMs), derivation: { from: 'rate', peakRate: peak, expectedLatencyMs, headroom, slowLatencyMs } };
}

/** A sub-scenario with a new schedule: iterations and derived VU sizing follow it. */
export function withSchedule(sub: SubScenarioPlan, schedule: Schedule): SubScenarioPlan {
  const vus = sub.vus.derivation.from === 'rate' ? deriveVus(peakRate(schedule)) : sub.vus;
  return { ...sub, schedule, iterations: iterationCount(schedule), vus };
}

/**
 * Peak of the summed request rate of all sub-scenarios, each shifted by its start time. The sum is
 * piecewise linear, so its peak lies at a breakpoint (a start, a stage boundary or an end); both
 * one-sided values are taken there because rates jump at starts and ends.
 */
export function totalRateOf(subScenarios: SubScenarioPlan[]): number {
  const breakpoints = new Set<number>();
  for (const sub of subScenarios) for (const t of breakpointsOf(sub)) breakpoints.add(t);
  let peak = 0;
  for (const t of breakpoints) {
    let before = 0;
    let after = 0;
    for (const sub of subScenarios) {
      before += rateAt(sub, t, 'before');
      after += rateAt(sub, t, 'after');
    }
    peak = Math.max(peak, before, after);
  }
  return roundRate(peak);
}

function breakpointsOf(sub: SubScenarioPlan): number[] {
  const points = [sub.startTimeMs, sub.startTimeMs + sub.schedule.durationMs];
  if (sub.schedule.executor === 'ramping-arrival-rate') {
    let t = sub.startTimeMs;
    for (const stage of sub.schedule.stages) points.push((t += stage.durationMs));
  }
  return points;
}

/** The rate of one sub-scenario just before or just after run time `t` (ms). */
function rateAt(sub: SubScenarioPlan, t: number, side: 'before' | 'after'): number {
  const local = t - sub.startTimeMs;
  const schedule = sub.schedule;
  const inside = side === 'after' ? local >= 0 && local < schedule.durationMs : local > 0 && local <= schedule.durationMs;
  if (!inside) return 0;
  if (schedule.executor === 'constant-arrival-rate') return schedule.rate;
  let start = 0;
  let from = schedule.startRate;
  for (const stage of schedule.stages) {
    const end = start + stage.durationMs;
    const within = side === 'after' ? local >= start && local < end : local > start && local <= end;
    if (within) return from + ((stage.target - from) * (local - start)) / stage.durationMs;
    start = end;
    from = stage.target;
  }
  return from;
}

function stretchSchedule(schedule: Schedule, durationMs: number): Schedule {
  if (!(durationMs > 0)) throw new UsageError(`duration ${durationMs} ms must be > 0`, { hint: "give a duration such as --duration 30s or DURATION=2m" });
  if (schedule.executor === 'constant-arrival-rate') return { ...schedule, durationMs };
  // Stretch every stage in proportion; the last absorbs the rounding so the stages add up exactly.
  const factor = durationMs / schedule.durationMs;
  let used = 0;
  const stages = schedule.stages.map((stage, index) => {
    const stageMs = index === schedule.stages.length - 1 ? durationMs - used : Math.round(stage.durationMs * factor);
    used += stageMs;
    return { ...stage, durationMs: stageMs };
  });
  return { ...schedule, stages, durationMs };
}

/**
 * Scales every sub-scenario by rate / currentTotal. Constant rates are apportioned by largest
 * remainder to whole numbers that add up exactly (full at 1001 → 200/200/601, never 1000 or 1002);
 * ramp targets scale by the same factor. Refuses a rate that would leave a sub-scenario with nothing.
 */
function scaleRates(subScenarios: SubScenarioPlan[], currentTotal: number, rate: number): SubScenarioPlan[] {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new UsageError(`rate ${rate} must be > 0 req/s`, { hint: 'give the total requests per second, e.g. --rate 1000 or RPS=1000' });
  const factor = rate / currentTotal;
  const constants = subScenarios.map((sub) => (sub.schedule.executor === 'constant-arrival-rate' ? sub.schedule.rate : 0));
  const apportioned = apportion(constants.map((r) => r * factor));
  const scaled = subScenarios.map((sub, index) => withSchedule(sub, scaleSchedule(sub.schedule, factor, apportioned[index]!)));
  const starved = scaled.filter((sub) => sub.iterations === 0 || peakRate(sub.schedule) === 0);
  if (starved.length > 0) {
    const minimum = minimumRate(subScenarios, currentTotal);
    throw new UsageError(
      `rate ${rate} req/s leaves sub-scenario ${starved.map((sub) => `'${sub.name}'`).join(', ')} with 0 req/s (the mix keeps its proportions)`,
      { hint: `use a rate of at least ${minimum} req/s, which gives every sub-scenario ≥ 1 req/s` },
    );
  }
  return scaled;
}

function scaleSchedule(schedule: Schedule, factor: number, apportionedRate: number): Schedule {
  if (schedule.executor === 'constant-arrival-rate') return { ...schedule, rate: apportionedRate };
  return {
    ...schedule,
    startRate: roundRate(schedule.startRate * factor),
    stages: schedule.stages.map((stage) => ({ ...stage, target: roundRate(stage.target * factor) })),
  };
}

/** Largest-remainder (Hamilton) rounding of quotas to integers summing to the rounded total; zero quotas stay 0. */
export function apportion(quotas: number[]): number[] {
  const total = Math.round(quotas.reduce((sum, quota) => sum + quota, 0));
  const result = quotas.map((quota) => Math.floor(quota + 1e-9));
  let left = total - result.reduce((sum, value) => sum + value, 0);
  const order = quotas
    .map((quota, index) => ({ index, remainder: quota - result[index]! }))
    .filter(({ remainder }) => remainder > 1e-9)
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    result[index]!++;
    left--;
  }
  return result;
}

/** The smallest whole rate at which every sub-scenario keeps ≥ 1 req/s (constant) or a non-zero ramp. */
function minimumRate(subScenarios: SubScenarioPlan[], currentTotal: number): number {
  const peaks = subScenarios.map((sub) => peakRate(sub.schedule));
  const constants = subScenarios.map((sub) => (sub.schedule.executor === 'constant-arrival-rate' ? sub.schedule.rate : 0));
  // A ramp needs its peak to survive rounding to 1/1000 req/s.
  const rampFloor = Math.max(0, ...subScenarios.map((sub, i) => (sub.schedule.executor === 'ramping-arrival-rate' ? Math.ceil((currentTotal / peaks[i]!) / RATE_DECIMALS) : 0)));
  // Sufficient: every constant quota ≥ 1. Largest remainder can do with less, so scan up to it.
  const smallest = Math.min(...constants.filter((r) => r > 0), Number.POSITIVE_INFINITY);
  const sufficient = Number.isFinite(smallest) ? Math.ceil(currentTotal / smallest) : 1;
  for (let rate = Math.max(1, rampFloor); rate < sufficient; rate++) {
    if (apportion(constants.map((r) => (r * rate) / currentTotal)).every((value, i) => constants[i] === 0 || value >= 1)) return rate;
  }
  return Math.max(sufficient, rampFloor);
}

function roundRate(rate: number): number {
  return Math.round(rate * RATE_DECIMALS) / RATE_DECIMALS;
}
