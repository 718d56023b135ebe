/**
 * `classifyVerdict`: good / warning / critical per metric, per sub-scenario and overall, plus the two
 * outcomes that are not about the target — generator-limited and degraded. `run` calls it on merged
 * results, `gate` on a saved report (both through `VerdictInput`). Pure.
 *
 * Precedence of the outcome (docs/run-report.md, "Verdict"):
 *   1. critical  — a *trusted* metric is critical. A target that answers errors, 503s or refuses
 *                  connections under less load than planned fails a fortiori, so a CI user learns the
 *                  target is broken even when the fleet also had trouble (the flags still say so).
 *   2. degraded  — an instance was lost or failed: the load was incomplete, nothing else is certain.
 *   3. generator-limited — the fleet did not produce the planned load or fell behind its schedule; a
 *                  "good" could not be certified and a slow latency may be the generator's own.
 *   4. warning, then good — the worst level of all metrics.
 * Latency and timeout metrics measured by a *saturated* generator (CPU, schedule lag) are untrusted,
 * so they can never make a run critical on their own.
 */
import { EXIT_CODES } from '../../contract/loadctl-error.js';
import type { MergedResult } from '../merge/merge-results.js';
import { OUTCOME_CLASSES, type OutcomeClass } from '../protocol/outcomes.js';
import type { ScenarioPlan } from '../scenario/plan.js';
import { DEFAULT_GENERATOR_LIMITS, judgeFleetHealth, type GeneratorLimits, type InstanceHealth } from './fleet-health.js';
import { judgeMetrics, worstLevel, type JudgedFigures, type MetricVerdict, type VerdictLevel } from './judge-metrics.js';
import { targetBacklogOf } from './target-backlog.js';
import { tlsFailureOf } from './tls-failure.js';
import type { ThresholdLevels } from './threshold-levels.js';

export type VerdictOutcome = 'good' | 'warning' | 'critical' | 'generator-limited' | 'degraded';

export interface VerdictInput {
  overall: JudgedFigures;
  subScenarios: Record<string, JudgedFigures>;
  instances: InstanceHealth[];
  /** Aborted or interrupted: fewer iterations than planned is expected. */
  stoppedEarly: boolean;
}

/** Levels for the overall figures and per sub-scenario (the plan's, with its overrides). */
export interface VerdictThresholds {
  overall: ThresholdLevels;
  subScenarios: Record<string, ThresholdLevels>;
}

export interface VerdictOptions {
  /** Outcome classes that count as errors (default: everything but 2xx). */
  errorClasses: OutcomeClass[];
  generator: GeneratorLimits;
}

export const DEFAULT_ERROR_CLASSES: OutcomeClass[] = OUTCOME_CLASSES.filter((outcome) => outcome !== '2xx');

export const DEFAULT_VERDICT_OPTIONS: VerdictOptions = { errorClasses: DEFAULT_ERROR_CLASSES, generator: DEFAULT_GENERATOR_LIMITS };

export interface ScopeVerdict {
  /** `overall` or a sub-scenario's name. */
  scope: string;
  level: VerdictLevel;
  metrics: MetricVerdict[];
}

export interface Verdict {
  outcome: VerdictOutcome;
  /** The worst level of any metric, trusted or not (what the target looked like). */
  level: VerdictLevel;
  /** One sentence for the summary line and the CI log. */
  headline: string;
  /** Every non-good metric as `scope: reason`, worst first. */
  reasons: string[];
  overall: ScopeVerdict;
  subScenarios: ScopeVerdict[];
  generatorLimited: boolean;
  /** Indices of the instances that were the limit; absent in reports from before it was recorded. */
  limitedInstances?: number[];
  generatorSaturated: boolean;
  generatorReasons: string[];
  degraded: boolean;
  degradedReasons: string[];
}

export function classifyVerdict(input: VerdictInput, thresholds: VerdictThresholds, options: VerdictOptions = DEFAULT_VERDICT_OPTIONS): Verdict {
  const health = judgeFleetHealth(input.instances, options.generator, input.stoppedEarly);
  const judge = { errorClasses: options.errorClasses, generatorSaturated: health.generatorSaturated };
  const scope = (name: string, figures: JudgedFigures, levels: ThresholdLevels): ScopeVerdict => {
    const metrics = judgeMetrics(figures, levels, judge);
    return { scope: name, level: worstLevel(metrics.map((m) => m.level)), metrics };
  };
  const overall = scope('overall', input.overall, thresholds.overall);
  const subScenarios = Object.entries(input.subScenarios).map(([name, figures]) =>
    scope(name, figures, thresholds.subScenarios[name] ?? thresholds.overall),
  );
  const judged = [overall, ...subScenarios].flatMap((s) => s.metrics.map((metric) => ({ scope: s.scope, metric })));
  const level = worstLevel(judged.map((j) => j.metric.level));
  const trustedCritical = judged.some((j) => j.metric.level === 'critical' && j.metric.trusted);
  const outcome = outcomeOf(trustedCritical, health, level);
  const reasons = judged
    .filter((j) => j.metric.level !== 'good')
    .sort((a, b) => (a.metric.level === b.metric.level ? 0 : a.metric.level === 'critical' ? -1 : 1))
    .map((j) => `${j.scope}: ${j.metric.reason}`);
  return {
    outcome,
    level,
    headline: headlineOf(outcome, reasons, health),
    reasons,
    overall,
    subScenarios,
    ...health,
  };
}

/** The precedence documented at the top of this file. */
function outcomeOf(trustedCritical: boolean, health: { degraded: boolean; generatorLimited: boolean }, level: VerdictLevel): VerdictOutcome {
  if (trustedCritical) return 'critical';
  if (health.degraded) return 'degraded';
  if (health.generatorLimited) return 'generator-limited';
  return level;
}

function headlineOf(outcome: VerdictOutcome, reasons: string[], health: ReturnType<typeof judgeFleetHealth>): string {
  const more = (list: string[]) => (list.length > 1 ? ` (and ${list.length - 1} more)` : '');
  const also: string[] = [];
  if (outcome !== 'degraded' && health.degraded) also.push('degraded');
  if (outcome !== 'generator-limited' && health.generatorLimited) also.push('generator-limited');
  const suffix = also.length > 0 ? `; also ${also.join(' and ')} — see the reasons` : '';
  switch (outcome) {
    case 'good':
      return 'good: every metric within its warning limit';
    case 'degraded':
      return `degraded: ${health.degradedReasons[0]}${more(health.degradedReasons)} — the load was incomplete; not a verdict on the target${suffix}`;
    case 'generator-limited':
      return `generator-limited: ${health.generatorReasons[0]}${more(health.generatorReasons)} — the fleet, not the target, was the limit${suffix}`;
    default:
      return `${outcome}: ${reasons[0]}${more(reasons)}${suffix}`;
  }
}

/** When `loadctl run` / `gate` should fail the build. */
export type FailOn = 'warning' | 'critical';

/** The one mapping from outcome to exit code (docs/run-report.md, "Exit codes"). */
export function exitCodeOfVerdict(outcome: VerdictOutcome, failOn: FailOn): number {
  switch (outcome) {
    case 'critical':
      return EXIT_CODES.critical;
    case 'degraded':
      return EXIT_CODES.degraded;
    case 'generator-limited':
      return EXIT_CODES.generatorLimited;
    case 'warning':
      return failOn === 'warning' ? EXIT_CODES.warning : EXIT_CODES.ok;
    default:
      return EXIT_CODES.ok;
  }
}

/** The plan's levels per sub-scenario, `overall` for the fleet-wide figures (the config's levels). */
export function thresholdsOfPlan(plan: Pick<ScenarioPlan, 'subScenarios'>, overall: ThresholdLevels): VerdictThresholds {
  return { overall, subScenarios: Object.fromEntries(plan.subScenarios.map((sub) => [sub.name, sub.thresholds])) };
}

export interface LostInstance {
  index: number;
  host: string;
  reason: string;
}

/**
 * The verdict's view of merged results. `lost` names instances that sent no result (from the runner);
 * a missing index without an entry is lost with "no result". `stoppedEarly` defaults to whether any
 * instance reports `stopped`.
 */
export function verdictInputOf(merged: MergedResult, extra: { lost?: LostInstance[]; stoppedEarly?: boolean } = {}): VerdictInput {
  const instances: InstanceHealth[] = merged.instances.map((r) => ({
    index: r.instance.index,
    host: r.host,
    status: r.status,
    error: r.error ?? null,
    plannedIterations: r.plannedIterations,
    iterations: r.overall.iterations,
    droppedIterations: r.overall.droppedIterations,
    ...(r.overall.targetBoundDrops !== undefined ? { targetBoundDrops: r.overall.targetBoundDrops } : {}),
    generator: {
      limited: r.generator.limited,
      reasons: r.generator.reasons,
      scheduleLagP99Ms: r.generator.scheduleLag.p99Ms,
      cpuPercentMean: r.generator.cpuPercentMean,
      cores: r.generator.cores,
    },
  }));
  for (const index of merged.missingInstances) {
    const lost = extra.lost?.find((l) => l.index === index);
    instances.push({ index, host: lost?.host ?? 'unknown', status: 'lost', error: lost?.reason ?? 'no result', plannedIterations: 0, iterations: 0, droppedIterations: 0, generator: null });
  }
  instances.sort((a, b) => a.index - b.index);
  return {
    overall: { ...merged.overall, backlog: targetBacklogOf(merged.timeline), ...tlsFailureOf(merged.connections?.tls ?? null) },
    subScenarios: merged.subScenarios,
    instances,
    stoppedEarly: extra.stoppedEarly ?? merged.instances.some((r) => r.status === 'stopped'),
  };
}
