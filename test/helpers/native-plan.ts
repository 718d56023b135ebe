/** Builds InstancePlans for engine tests straight from a definition (no scenario file). */
import { buildPlan } from '../../src/scenario/build-plan.js';
import type { ScenarioDefinition, SubScenarioDefinition } from '../../src/scenario/define-scenario.js';
import type { InstancePlan, ScenarioPlan } from '../../src/scenario/plan.js';
import { splitPlan } from '../../src/split/split-plan.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../src/verdict/threshold-levels.js';

export function planOf(targetUrl: string, subScenarios: SubScenarioDefinition[], extra: Partial<ScenarioDefinition> = {}): ScenarioPlan {
  return buildPlan({ name: 'engine-test', subScenarios, ...extra }, { source: 'test', targetUrl, baseThresholds: DEFAULT_THRESHOLD_LEVELS });
}

export function instancePlansOf(plan: ScenarioPlan, instances = 1, runId = `t${Date.now().toString(36)}`): InstancePlan[] {
  return splitPlan(plan, instances, runId);
}
