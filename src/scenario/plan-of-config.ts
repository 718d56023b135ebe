/**
 * The one way a scenario becomes a plan (issue 17: it was built three ways, and `compile` ignored the
 * config file): the loaded scenario with the resolved config's target, levels, rate and duration — or a
 * phase step's own rate and duration. `compile`, `run`, every `phase` step and `engine run` call this.
 */
import type { ResolvedConfig } from '../config/config-types.js';
import { buildPlan } from './build-plan.js';
import type { LoadedScenario } from './load-scenario.js';
import type { ScenarioPlan } from './plan.js';

/** A phase step's rate and duration, in place of the config's (`run.rate`, `run.durationMs`). */
export interface PlanStep {
  rate: number | null;
  durationMs: number | null;
}

export function planOfConfig(scenario: LoadedScenario, config: Pick<ResolvedConfig, 'target' | 'thresholds' | 'run'>, step: PlanStep = config.run): ScenarioPlan {
  const plan = buildPlan(scenario.definition, {
    source: scenario.source,
    targetUrl: config.target.url,
    baseThresholds: config.thresholds,
    ...(step.rate !== null ? { rate: step.rate } : {}),
    ...(step.durationMs !== null ? { durationMs: step.durationMs } : {}),
  });
  // An https target's TLS policy travels in the plan (the compiled k6 script reads it too); the CA and
  // client certificate never do — they go to the agents in `prepare` (controller/target-tls.ts).
  return /^https:/i.test(plan.targetUrl) ? { ...plan, tls: { insecure: config.target.tls?.insecure === true } } : plan;
}
