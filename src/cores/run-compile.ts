/** The core of `loadctl compile`: plan a scenario file with the resolved config, then check, describe or compile it. Returns what to print. */
import type { ConfigFlags } from '../config/config-types.js';
import { loadConfig } from '../config/load-config.js';
import { compileK6Script } from '../engines/k6/compile-k6-script.js';
import { checkOutputFiles, writeOutputFile } from '../report/write-reports.js';
import { formatDuration } from '../scenario/duration.js';
import { renderPlanTable } from '../scenario/describe-plan.js';
import { loadScenario } from '../scenario/load-scenario.js';
import { planOfConfig } from '../scenario/plan-of-config.js';

export interface RunCompileOptions {
  scenario: string;
  output: string;
  /** `--config`; without it ./loadctl.config.yaml when present (its levels become the script's k6 thresholds, as for `run --engine k6`). */
  configPath?: string;
  flags: ConfigFlags;
  check?: boolean;
  dryRun?: boolean;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export async function runCompile(options: RunCompileOptions): Promise<string> {
  const cwd = options.cwd ?? process.cwd();
  const config = loadConfig({ ...(options.configPath ? { configPath: options.configPath } : {}), flags: options.flags, env: options.env ?? process.env, cwd });
  const plan = planOfConfig(await loadScenario(options.scenario, cwd), config);
  if (options.dryRun) return renderPlanTable(plan);
  const summary = `${plan.source}: OK — scenario '${plan.name}', ${plan.subScenarios.length} sub-scenario(s), peak ${plan.totalRate.toLocaleString('en-US')} req/s, ${formatDuration(plan.durationMs)}`;
  if (options.check) return summary;
  await checkOutputFiles([options.output]);
  const script = await compileK6Script(plan);
  await writeOutputFile(options.output, script.code);
  return `${summary}\nwrote ${options.output} (${Math.round(script.code.length / 1024)} KB, plan ${script.planDigest.slice(0, 12)}); run it with: k6 run ${options.output}`;
}
