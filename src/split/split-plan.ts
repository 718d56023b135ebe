/**
 * The exact split of a run over N instances (DESIGN.md, "Exact split"): instance i of N takes the
 * global iterations i, i+N, i+2N, … of every sub-scenario's schedule, so the union over the fleet is
 * the single-generator schedule — nothing multiplied, nothing lost to rounding. VU caps (`vus.max`)
 * are shared out by largest remainder so they add up to the plan's exactly; a split that leaves an
 * instance without a VU of some sub-scenario is refused with the fix. Pure.
 */
import { UsageError } from '../../contract/loadctl-error.js';
import type { InstancePlan, ScenarioPlan, SubScenarioPlan } from '../scenario/plan.js';
import { peakRate, stripeIterationCount } from '../scenario/schedule.js';

/** Splits `plan` over `instanceCount` instances of run `runId`; throws UsageError when it cannot. */
export function splitPlan(plan: ScenarioPlan, instanceCount: number, runId: string): InstancePlan[] {
  if (!Number.isInteger(instanceCount) || instanceCount < 1) {
    throw new UsageError(`--instances must be a whole number ≥ 1, got ${instanceCount}`, { hint: 'pass e.g. --instances 4' });
  }
  const vusByInstance = Array.from({ length: instanceCount }, () => ({}) as Record<string, number>);
  const preAllocatedByInstance = Array.from({ length: instanceCount }, () => ({}) as Record<string, number>);
  for (const sub of plan.subScenarios) {
    const shares = shareVus(sub, instanceCount);
    shares.forEach((vus, index) => (vusByInstance[index]![sub.name] = vus));
    const preAllocated = shareCount(Math.min(sub.vus.preAllocated, sub.vus.max), sub, instanceCount);
    preAllocated.forEach((vus, index) => (preAllocatedByInstance[index]![sub.name] = Math.max(1, Math.min(vus, shares[index]!))));
  }
  return vusByInstance.map((maxVus, index) => ({ plan, runId, instance: { index, count: instanceCount }, maxVus, preAllocatedVus: preAllocatedByInstance[index]! }));
}

/**
 * `vus.max` of one sub-scenario over the instances: each gets ⌊max / N⌋, the remainder goes one each to
 * the instances whose stripes hold the most iterations (the lower indices), so the sum is exact.
 */
export function shareVus(sub: Pick<SubScenarioPlan, 'name' | 'vus' | 'iterations'>, instanceCount: number): number[] {
  // A derived pool never refuses a run the user did not size: every instance gets at least one VU.
  const max = sub.vus.derivation.from === 'rate' ? Math.max(sub.vus.max, instanceCount) : sub.vus.max;
  if (max < instanceCount) {
    throw new UsageError(
      `sub-scenario '${sub.name}' has maxVUs ${max}, too few for ${instanceCount} instances: instance ${max} of ${instanceCount} would get 0 VUs of it`,
      { hint: `lower --instances to ≤ ${max} or raise maxVUs of '${sub.name}' to ≥ ${instanceCount}` },
    );
  }
  return shareCount(max, sub, instanceCount);
}

/** `count` over the instances by largest remainder, the extra ones to the stripes holding the most iterations. */
function shareCount(count: number, sub: Pick<SubScenarioPlan, 'iterations'>, instanceCount: number): number[] {
  const base = Math.floor(count / instanceCount);
  const remainder = count - base * instanceCount;
  const order = Array.from({ length: instanceCount }, (_, index) => index).sort(
    (a, b) => stripeIterationCount(sub.iterations, b, instanceCount) - stripeIterationCount(sub.iterations, a, instanceCount) || a - b,
  );
  const shares = Array.from({ length: instanceCount }, () => base);
  for (const index of order.slice(0, remainder)) shares[index]!++;
  return shares;
}

/** One instance's share of one sub-scenario, for `--dry-run` and the report. */
export interface SubScenarioShare {
  name: string;
  maxVus: number;
  /** Iterations of this instance's stripe (exact). */
  iterations: number;
  /** This instance's share of the sub-scenario's peak rate (req/s). */
  peakRate: number;
}

export interface InstanceShare {
  index: number;
  subScenarios: SubScenarioShare[];
  iterations: number;
  peakRate: number;
  maxVus: number;
  /** Rough resident memory the native engine needs for this share (see `estimateMemoryBytes`). */
  expectedMemoryBytes: number;
}

/** What each instance will do, in numbers a person checks before starting a run. */
export function describeSplit(instancePlans: readonly InstancePlan[]): InstanceShare[] {
  return instancePlans.map((instancePlan) => {
    const { index, count } = instancePlan.instance;
    const subScenarios = instancePlan.plan.subScenarios.map((sub): SubScenarioShare => {
      const iterations = stripeIterationCount(sub.iterations, index, count);
      return { name: sub.name, maxVus: instancePlan.maxVus[sub.name] ?? 0, iterations, peakRate: sub.iterations === 0 ? 0 : (peakRate(sub.schedule) * iterations) / sub.iterations };
    });
    return {
      index,
      subScenarios,
      iterations: subScenarios.reduce((sum, s) => sum + s.iterations, 0),
      peakRate: subScenarios.reduce((sum, s) => sum + s.peakRate, 0),
      maxVus: subScenarios.reduce((sum, s) => sum + s.maxVus, 0),
      expectedMemoryBytes: estimateMemoryBytes(instancePlan),
    };
  });
}

/** Node, the agent, the HTTP client and the worker threads before any load: measured order of magnitude. */
const BASE_BYTES = 64 * 2 ** 20;
/** Per VU (one request in flight): its socket object, parser and buffers in user space. */
const PER_VU_BYTES = 64 * 2 ** 10;
/** Pre-built request bodies per sub-scenario and the size of one generated event as JSON (upper bound). */
const PAYLOAD_POOL_BODIES = 64;
const EVENT_JSON_BYTES = 400;
/** One second of the result's timeline per sub-scenario: counts plus an encoded HDR histogram. */
const TIMELINE_SECOND_BYTES = 4 * 2 ** 10;

/**
 * Expected memory of one instance: base + VUs × 64 KiB + payload pools (64 bodies × batch × 400 B per
 * sub-scenario) + timeline (4 KiB per second per sub-scenario). An estimate for `--dry-run` to catch a
 * share that cannot fit a host, not a limit the engine enforces.
 */
export function estimateMemoryBytes(instancePlan: InstancePlan): number {
  const seconds = Math.ceil(instancePlan.plan.durationMs / 1000);
  let bytes = BASE_BYTES;
  for (const sub of instancePlan.plan.subScenarios) {
    bytes += (instancePlan.maxVus[sub.name] ?? 0) * PER_VU_BYTES;
    bytes += PAYLOAD_POOL_BODIES * sub.payload.batchSize * EVENT_JSON_BYTES;
    bytes += seconds * TIMELINE_SECOND_BYTES;
  }
  return bytes;
}
