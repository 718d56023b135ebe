/**
 * `instanceTimelineOf`: one instance's per-second samples for the run report (`ReportInstance.timeline`),
 * so a reader can see *when* one generator fell behind, not only its totals. Pure.
 */
import type { InstanceResult } from '../protocol/instance-result.js';
import { countErrors, type OutcomeClass } from '../protocol/outcomes.js';
import type { ReportInstanceSecond } from './run-report-types.js';

/**
 * The instance's own timeline, compacted: no histograms and no outcome breakdown (the fleet timeline
 * has those), p95 rounded to the microsecond its HDR histogram records and CPU to 0.1 % — a report
 * holds instances × seconds of these. Seconds stay the instance's own, as in the fleet timeline
 * (`mergeTimelines`): every instance of a run shares one scheduled start.
 */
export function instanceTimelineOf(result: InstanceResult, errorClasses: readonly OutcomeClass[]): ReportInstanceSecond[] {
  return result.timeline.map((second) => ({
    second: second.second,
    requests: second.requests,
    errors: countErrors(second.outcomes, errorClasses),
    droppedIterations: second.droppedIterations,
    p95Ms: roundTo(second.p95Ms, 1000),
    cpuPercent: second.cpuPercent === undefined ? null : roundTo(second.cpuPercent, 10),
    inFlight: second.inFlight ?? null,
  }));
}

function roundTo(value: number, perUnit: number): number {
  return Math.round(value * perUnit) / perUnit;
}
