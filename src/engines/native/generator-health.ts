/**
 * Generator honesty (issue 8): the instance says when it could not keep its schedule — dropped
 * iterations, schedule lag p99 above DEFAULT_GENERATOR_LIMITS.scheduleLagP99Ms (100 ms), mean CPU
 * above 90 % of its cores, or fewer iterations started than planned — with the same rules the
 * verdict applies (fleet-health.ts), so a saturated generator is never blamed on the target.
 */
import type { LatencySummary, LoadFigures } from '../../results/instance-result.js';
import { DEFAULT_GENERATOR_LIMITS, judgeFleetHealth } from '../../verdict/fleet-health.js';

export interface GeneratorFacts {
  overall: LoadFigures;
  scheduleLag: LatencySummary;
  cpuPercentMean: number;
  cores: number;
  stopped: boolean;
  plannedIterations: number;
}

export function judgeGeneratorHealth(facts: GeneratorFacts): { reasons: string[] } {
  const health = judgeFleetHealth(
    [
      {
        index: 0,
        host: '',
        status: facts.stopped ? 'stopped' : 'completed',
        error: null,
        plannedIterations: facts.plannedIterations,
        iterations: facts.overall.iterations,
        droppedIterations: facts.overall.droppedIterations,
        generator: { limited: false, reasons: [], scheduleLagP99Ms: facts.scheduleLag.p99Ms, cpuPercentMean: facts.cpuPercentMean, cores: facts.cores },
      },
    ],
    DEFAULT_GENERATOR_LIMITS,
    facts.stopped,
  );
  // Drop the "instance 0 ()" the fleet-wide wording starts with: the result names its instance itself.
  return { reasons: health.generatorReasons.map((reason) => reason.replace(/^instance 0 \(\)\s*:?\s*/, '')) };
}
