/**
 * Scenario file + flags → ScenarioPlan: the one call `compile`, `run` and `phase` make. Reads the file
 * (loadScenario), resolves the target URL once (`--target`, else `API_URL`, else the default), builds
 * the plan with the config's threshold levels.
 */
import { DEFAULT_THRESHOLD_LEVELS, type ThresholdLevels } from '../verdict/threshold-levels.js';
import { buildPlan } from './build-plan.js';
import { loadScenario } from './load-scenario.js';
import type { ScenarioPlan } from './plan.js';

export const DEFAULT_TARGET_URL = 'http://127.0.0.1:3000';

export interface PlanScenarioFileOptions {
  file: string;
  cwd?: string;
  /** `--rate`: the total rate, req/s. */
  rate?: number;
  /** `--duration`, ms. */
  durationMs?: number;
  /** `--target`. */
  target?: string;
  /** Where `API_URL` is read (default process.env). */
  env?: Record<string, string | undefined>;
  /** The config's levels (default: the seed guide's). */
  baseThresholds?: ThresholdLevels;
}

/** `--target`, else `API_URL`, else the bundled target-service's default address. */
export function resolveTargetUrl(flag: string | undefined, env: Record<string, string | undefined>): string {
  return flag || env.API_URL || DEFAULT_TARGET_URL;
}

export async function planScenarioFile(options: PlanScenarioFileOptions): Promise<ScenarioPlan> {
  const { definition, source } = await loadScenario(options.file, options.cwd);
  return buildPlan(definition, {
    source,
    targetUrl: resolveTargetUrl(options.target, options.env ?? process.env),
    baseThresholds: options.baseThresholds ?? DEFAULT_THRESHOLD_LEVELS,
    rate: options.rate,
    durationMs: options.durationMs,
  });
}
