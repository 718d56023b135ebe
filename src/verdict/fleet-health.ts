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
  let saturated = false;
  for (const instance of instances) {
    const who = `instance ${instance.index} (${instance.host})`;
    if (instance.status === 'lost' || instance.status === 'failed') {
      degradedReasons.push(`${who} ${instance.status === 'lost' ? 'was lost' : 'failed'}: ${instance.error ?? 'no reason given'}`);
      continue;
    }
    const generator = instance.generator;
    const computedFrom = generatorReasons.length;
    if (instance.droppedIterations > 0) {
      generatorReasons.push(`${who} dropped ${count(instance.droppedIterations)} iterations (no free VU when due: raise maxVUs or add instances)`);
    }
    const started = instance.iterations - instance.droppedIterations;
    const shortfall = instance.plannedIterations - started;
    if (!stoppedEarly && instance.status === 'completed' && shortfall > Math.max(1, instance.plannedIterations * limits.iterationTolerance)) {
      generatorReasons.push(`${who} started ${count(started)} of ${count(instance.plannedIterations)} planned iterations`);
    }
    if (generator && generator.scheduleLagP99Ms > limits.scheduleLagP99Ms) {
      saturated = true;
      generatorReasons.push(`${who} fell behind its schedule: lag p99 ${Math.round(generator.scheduleLagP99Ms)} ms > ${limits.scheduleLagP99Ms} ms`);
    }
    if (generator && generator.cores > 0 && generator.cpuPercentMean > limits.cpuSaturation * generator.cores * 100) {
      saturated = true;
      generatorReasons.push(`${who} CPU saturated: mean ${Math.round(generator.cpuPercentMean)} % of ${generator.cores} cores`);
    }
    // An engine's own judgement counts when the figures above did not already say it (the native
    // engine judges itself with this same function, so its reasons would only repeat these).
    if (generator?.limited && generatorReasons.length === computedFrom) generatorReasons.push(...generator.reasons.map((reason) => `${who}: ${reason}`));
  }
  return {
    generatorLimited: generatorReasons.length > 0,
    generatorSaturated: saturated,
    generatorReasons: [...new Set(generatorReasons)],
    degraded: degradedReasons.length > 0,
    degradedReasons,
  };
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
