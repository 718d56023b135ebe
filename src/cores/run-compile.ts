/** The core of `loadctl compile`: plan a scenario file, then check, describe or compile it. Returns what to print. */
import { compileK6Script } from '../engines/k6/compile-k6-script.js';
import { writeOutputFile } from '../report/write-reports.js';
import { formatDuration } from '../scenario/duration.js';
import { renderPlanTable } from '../scenario/describe-plan.js';
import { planScenarioFile } from '../scenario/plan-scenario-file.js';

export interface RunCompileOptions {
  scenario: string;
  output: string;
  rate?: number;
  durationMs?: number;
  target?: string;
  check?: boolean;
  dryRun?: boolean;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export async function runCompile(options: RunCompileOptions): Promise<string> {
  const plan = await planScenarioFile({
    file: options.scenario,
    cwd: options.cwd,
    rate: options.rate,
    durationMs: options.durationMs,
    target: options.target,
    env: options.env,
  });
  if (options.dryRun) return renderPlanTable(plan);
  const summary = `${plan.source}: OK — scenario '${plan.name}', ${plan.subScenarios.length} sub-scenario(s), peak ${plan.totalRate.toLocaleString('en-US')} req/s, ${formatDuration(plan.durationMs)}`;
  if (options.check) return summary;
  const script = await compileK6Script(plan);
  await writeOutputFile(options.output, script.code);
  return `${summary}\nwrote ${options.output} (${Math.round(script.code.length / 1024)} KB, plan ${script.planDigest.slice(0, 12)}); run it with: k6 run ${options.output}`;
}
