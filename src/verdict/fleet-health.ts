/**
 * Whether the load itself can be trusted: **generator-limited** (the fleet did not produce the planned
 * load, or its own clock/CPU fell behind) and **degraded** (an instance was lost or failed). Both are
 * outcomes of their own, never blamed on the target (DESIGN.md, "Merge and verdict").
 */

/** What the verdict needs to know about one instance (from an InstanceResult, or a lost instance). */
export interface InstanceHealth {
  index: number;
  host: string;
  /** `lost`: no result arrived (the channel died, the process was killed). */
  status: 'completed' | 'stopped' | 'failed' | 'lost';
  /** Why it failed or was lost. */
  error: string | null;
  plannedIterations: number;
  /** Due iterations (started + dropped) and the dropped ones. */
  iterations: number;
  droppedIterations: number;
  /** Of the drops, those the target caused (every VU waiting on it); absent: none attributed. */
  targetBoundDrops?: number;
  /** Null for a lost instance. */
  generator: {
    limited: boolean;
    reasons: string[];
    scheduleLagP99Ms: number;
    cpuPercentMean: number;
    cores: number;
  } | null;
}

export interface GeneratorLimits {
  /** Schedule lag (due → sent) p99 above this means the generator fell behind its own schedule. */
  scheduleLagP99Ms: number;
  /** Started iterations may fall short of the plan by this fraction before it counts (0.01 = 1 %). */
  iterationTolerance: number;
  /** Mean CPU above this share of the instance's cores is saturation (0.9 = 90 %). */
  cpuSaturation: number;
}

export const DEFAULT_GENERATOR_LIMITS: GeneratorLimits = { scheduleLagP99Ms: 100, iterationTolerance: 0.01, cpuSaturation: 0.9 };

export interface FleetHealth {
  generatorLimited: boolean;
  /** Indices of the instances that were the limit (for the per-instance flags). */
  limitedInstances: number[];
  /** CPU or schedule lag: the generator's own delays inflate measured latencies. */
  generatorSaturated: boolean;
  generatorReasons: string[];
  degraded: boolean;
  degradedReasons: string[];
}

/**
 * Judges the fleet. `stoppedEarly`: the run was aborted or interrupted, so fewer iterations than
 * planned is expected and not a generator limit.
 */
export function judgeFleetHealth(instances: readonly InstanceHealth[], limits: GeneratorLimits, stoppedEarly: boolean): FleetHealth {
  const generatorReasons: string[] = [];
  const degradedReasons: string[] = [];
  const limitedInstances = new Set<number>();
  let saturated = false;
  for (const instance of instances) {
    const who = `instance ${instance.index} (${instance.host})`;
    if (instance.status === 'lost' || instance.status === 'failed') {
      degradedReasons.push(`${who} ${instance.status === 'lost' ? 'was lost' : 'failed'}: ${instance.error ?? 'no reason given'}`);
      continue;
    }
    const reasons = generatorReasonsOf(instance, limits, stoppedEarly);
    if (reasons.saturated) saturated = true;
    if (reasons.list.length > 0) limitedInstances.add(instance.index);
    generatorReasons.push(...reasons.list.map((reason) => `${who} ${reason}`));
  }
  return {
    generatorLimited: generatorReasons.length > 0,
    limitedInstances: [...limitedInstances],
    generatorSaturated: saturated,
    generatorReasons: [...new Set(generatorReasons)],
    degraded: degradedReasons.length > 0,
    degradedReasons,
  };
}

/**
 * Why one instance was the limit, from its facts alone (an engine's own judgement is not consulted, so
 * the configured limits hold for every engine). Target-bound drops are the target's failure and never
 * count here; generator-bound drops and iterations never started count only beyond the tolerance.
 */
function generatorReasonsOf(instance: InstanceHealth, limits: GeneratorLimits, stoppedEarly: boolean): { list: string[]; saturated: boolean } {
  const list: string[] = [];
  let saturated = false;
  const generator = instance.generator;
  const targetBound = instance.targetBoundDrops ?? 0;
  const generatorBound = instance.droppedIterations - targetBound;
  // Iterations that never came due (a completed run should have had all of them) are the generator's too.
  const neverDue = !stoppedEarly && instance.status === 'completed' ? Math.max(0, instance.plannedIterations - instance.iterations) : 0;
  const shortfall = generatorBound + neverDue;
  const tolerated = Math.max(1, instance.plannedIterations * limits.iterationTolerance);
  if (shortfall > tolerated) {
    const share = instance.plannedIterations > 0 ? ` (${percent(shortfall / instance.plannedIterations)} of ${count(instance.plannedIterations)} planned)` : '';
    const parts = [generatorBound > 0 ? `dropped ${count(generatorBound)} iterations while behind its own schedule` : '', neverDue > 0 ? `never reached ${count(neverDue)} due iterations` : ''].filter(Boolean);
    list.push(`${parts.join(' and ')}${share}, beyond the ${percent(limits.iterationTolerance)} tolerance: add instances or cores`);
  }
  if (generator && generator.scheduleLagP99Ms > limits.scheduleLagP99Ms) {
    saturated = true;
    list.push(`fell behind its schedule: lag p99 ${Math.round(generator.scheduleLagP99Ms)} ms > ${limits.scheduleLagP99Ms} ms`);
  }
  if (generator && generator.cores > 0 && generator.cpuPercentMean > limits.cpuSaturation * generator.cores * 100) {
    saturated = true;
    list.push(`CPU saturated: mean ${Math.round(generator.cpuPercentMean)} % of ${generator.cores} cores`);
  }
  return { list, saturated };
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(2))} %`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
