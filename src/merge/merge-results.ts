/**
 * `mergeInstanceResults`: the fleet's figures from every instance's InstanceResult — overall, per
 * sub-scenario and per second. Counts add exactly; latencies merge through `mergeLatencySummaries`
 * (HDR add, or a count-weighted mixture of quantile grids). Pure: no clock, no files.
 */
import { EXIT_CODES, LoadctlError } from '../../contract/loadctl-error.js';
import type { ConnectionFigures, InstanceResult, LoadFigures, TimelineSecond } from '../protocol/instance-result.js';
import { fillMissingOutcomeClasses } from '../protocol/outcomes.js';
import { mergeConnectionFigures } from './merge-connections.js';
import { mergeLoadFigures, mergeTimelines } from './merge-figures.js';

/** Results that cannot be merged (different runs or plans, duplicates): a usage problem, not a bug. */
export class MergeError extends LoadctlError {
  override readonly code: string = 'MERGE';
  override readonly exitCode = EXIT_CODES.usage;
}

export interface MergedResult {
  runId: string;
  planDigest: string;
  /** The engine of the first result; `mixedEngines` says when instances disagree. */
  engine: InstanceResult['engine'];
  mixedEngines: boolean;
  /** Instances the run had (`instance.count` of the results). */
  instanceCount: number;
  /** The merged results, by instance index. */
  instances: InstanceResult[];
  /** Indices in 0…instanceCount−1 with no result: lost instances (the run is degraded). */
  missingInstances: number[];
  /** Earliest scheduled start and latest end over the instances, epoch ms. */
  scheduledStartAt: number;
  endedAt: number;
  /** Sum of the present instances' stripes. */
  plannedIterations: number;
  overall: LoadFigures;
  subScenarios: Record<string, LoadFigures>;
  timeline: TimelineSecond[];
  /** How the instances reached the target (issue 19); absent when no instance said (older results, k6). */
  connections?: ConnectionFigures;
}

/** Merges the results of one run; throws MergeError when they are not of one run and plan. */
export function mergeInstanceResults(results: readonly InstanceResult[]): MergedResult {
  checkOneRun(results);
  for (const result of results) fillOutcomeClassesOf(result);
  const instances = [...results].sort((a, b) => a.instance.index - b.instance.index);
  const first = instances[0]!;
  const count = first.instance.count;
  const present = new Set(instances.map((r) => r.instance.index));
  return {
    runId: first.runId,
    planDigest: first.planDigest,
    engine: first.engine,
    mixedEngines: instances.some((r) => r.engine.name !== first.engine.name || r.engine.version !== first.engine.version),
    instanceCount: count,
    instances,
    missingInstances: Array.from({ length: count }, (_, index) => index).filter((index) => !present.has(index)),
    scheduledStartAt: Math.min(...instances.map((r) => r.scheduledStartAt)),
    endedAt: Math.max(...instances.map((r) => r.endedAt)),
    plannedIterations: instances.reduce((sum, r) => sum + r.plannedIterations, 0),
    overall: mergeLoadFigures(instances.map((r) => r.overall)),
    subScenarios: mergeSubScenarios(instances),
    timeline: mergeTimelines(instances.map((r) => r.timeline)),
    ...withConnections(mergeConnectionFigures(instances.map((r) => r.connections))),
  };
}

/** Results written before an outcome class existed (`tls`, issue 19) count 0 of it (in place: parsed JSON). */
function fillOutcomeClassesOf(result: InstanceResult): void {
  fillMissingOutcomeClasses(result.overall.outcomes);
  for (const figures of Object.values(result.subScenarios)) fillMissingOutcomeClasses(figures.outcomes);
  for (const second of result.timeline) fillMissingOutcomeClasses(second.outcomes);
}

function withConnections(connections: ConnectionFigures | undefined): { connections?: ConnectionFigures } {
  return connections ? { connections } : {};
}

function mergeSubScenarios(instances: readonly InstanceResult[]): Record<string, LoadFigures> {
  const names = [...new Set(instances.flatMap((r) => Object.keys(r.subScenarios)))];
  const merged: Record<string, LoadFigures> = {};
  for (const name of names) {
    merged[name] = mergeLoadFigures(instances.flatMap((r) => (r.subScenarios[name] ? [r.subScenarios[name]] : [])));
  }
  return merged;
}

function checkOneRun(results: readonly InstanceResult[]): void {
  if (results.length === 0) throw new MergeError('no instance results to merge', { hint: 'pass at least one InstanceResult' });
  const first = results[0]!;
  const seen = new Map<number, string>();
  for (const result of results) {
    const who = `instance ${result.instance.index} (${result.host})`;
    if (result.runId !== first.runId) {
      throw new MergeError(`${who} belongs to run '${result.runId}', the first result to run '${first.runId}'`, {
        hint: 'merge only the results of one run (same runId)',
      });
    }
    if (result.planDigest !== first.planDigest) {
      throw new MergeError(`${who} ran a different plan (digest ${result.planDigest.slice(0, 12)}… vs ${first.planDigest.slice(0, 12)}…)`, {
        hint: 'every instance of a run must run the same plan; re-run the instances from one plan',
      });
    }
    if (result.instance.count !== first.instance.count) {
      throw new MergeError(`${who} says the run had ${result.instance.count} instances, the first result ${first.instance.count}`, {
        hint: 'merge only the results of one run',
      });
    }
    const { index, count } = result.instance;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new MergeError(`${who} has index ${index}, outside 0…${count - 1}`, { hint: 'the result file is damaged; re-run that instance' });
    }
    if (seen.has(index)) {
      throw new MergeError(`instance ${index} appears twice (${seen.get(index)} and ${result.host})`, { hint: 'pass each instance result once' });
    }
    seen.set(index, result.host);
  }
}
