/** A scenario file planned the way `compile` and `run` plan it (loadScenario → resolveConfig → planOfConfig), for tests that need a plan. */
import { resolveConfig } from '../../src/config/resolve-config.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { planOfConfig } from '../../src/scenario/plan-of-config.js';
import type { ScenarioPlan } from '../../src/scenario/plan.js';

export interface PlanFileOptions {
  file: string;
  cwd?: string;
  target?: string;
  rate?: number;
  durationMs?: number;
}

/** No config file and no environment: only what the options say, over loadctl's defaults. */
export async function planScenarioFile(options: PlanFileOptions): Promise<ScenarioPlan> {
  const config = resolveConfig({ flags: { ...(options.target ? { target: options.target } : {}), ...(options.rate ? { rate: options.rate } : {}), ...(options.durationMs ? { duration: options.durationMs } : {}) } });
  return planOfConfig(await loadScenario(options.file, options.cwd), config);
}
