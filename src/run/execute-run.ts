/**
 * The core of `loadctl run`: config → plan → split → (dry run: the split table) → runTest with the
 * live view → report → files. Returns the text to print and the exit code; only the command prints
 * and sets the exit code.
 */
import { mkdir } from 'node:fs/promises';
import type { ConfigFlags, ResolvedConfig } from '../config/config-types.js';
import { loadConfig } from '../config/load-config.js';
import { EXIT_CODES, LoadctlError } from '../errors/loadctl-error.js';
import { createLiveView } from '../report/live-view.js';
import type { RunReport } from '../report/run-report-types.js';
import type { PhaseReport } from '../phases/phase-report-types.js';
import type { ReportFiles } from '../report/write-reports.js';
import { renderSplitTable, renderSummaryTable } from '../report/summary-table.js';
import type { Runner } from '../runners/types.js';
import type { ScenarioPlan } from '../scenario/plan.js';
import { planScenarioFile } from '../scenario/plan-scenario-file.js';
import { shippedScenarioPath } from '../scenario/shipped-scenarios.js';
import { describeSplit, splitPlan } from '../split/split-plan.js';
import { exitCodeOfVerdict } from '../verdict/classify-verdict.js';
import { chooseRunner, type RunnerKind } from './choose-runner.js';
import { reportRun } from './report-run.js';
import { newRunId, runTest, RunInterruptedError, type RunTestResult } from './run-test.js';
import { FleetStartError } from './fleet.js';
import { preflightTarget } from './preflight-target.js';
import { SshError } from '../runners/ssh/ssh-error.js';

export interface ExecuteRunOptions {
  /** A scenario file relative to the working directory; default: the shipped scenarios/full.ts. */
  scenario?: string;
  configPath?: string;
  flags: ConfigFlags;
  env?: Record<string, string | undefined>;
  /** Worker threads per instance (default: the agent's, one per core). */
  workers?: number;
  out?: string;
  /** `--junit`, `--markdown`, `--html`. */
  reportFiles?: ReportFiles;
  rawSamplesDir?: string;
  dryRun?: boolean;
  /** `--no-preflight` (false): skip the TCP check of the target before anything starts. */
  preflight?: boolean;
  color: boolean;
  /** Ctrl-C. */
  signal?: AbortSignal;
  /** Where progress and the live view go (stderr by default). */
  progress?: NodeJS.WriteStream;
  /** A ready runner, used as is (with --engine k6 it must start k6 agents); else chosen from runnerKind. */
  runner?: Runner;
  /** `--k6 PATH` for `--engine k6` (else LOADCTL_K6, then PATH — resolved by each agent). */
  k6Path?: string;
  /** `--runner ssh`: the config's fleet instead of local processes. */
  runnerKind?: RunnerKind;
  acceptNewHostKeys?: boolean;
}

export interface ExecuteRunResult {
  text: string;
  exitCode: number;
  report: RunReport | null;
}

export async function executeRun(options: ExecuteRunOptions): Promise<ExecuteRunResult> {
  const config = loadConfig({ ...(options.configPath ? { configPath: options.configPath } : {}), flags: options.flags, env: options.env ?? process.env });
  const plan = await planOfRun(options.scenario ?? shippedScenarioPath('full.ts'), config);
  if (options.dryRun) {
    const instancePlans = splitPlan(plan, config.run.instances, newRunId());
    return { text: `${renderSplitTable(describeSplit(instancePlans), { color: options.color })}\n\n(dry run: nothing started)`, exitCode: EXIT_CODES.ok, report: null };
  }
  if (options.rawSamplesDir) await mkdir(options.rawSamplesDir, { recursive: true });
  const { run, report } = await runPlan(plan, config, options);
  if (!report) return { text: noResultText(run), exitCode: EXIT_CODES.degraded, report: null };
  const written = (options.out ? await writeReport(options.out, report) : '') + (await writeOtherReports(report, options.reportFiles, config));
  const exitCode = run.aborted?.by === 'interrupt' ? EXIT_CODES.interrupted : exitCodeOfVerdict(report.verdict.outcome, config.run.failOn);
  return { text: `${renderSummaryTable(report, { color: options.color })}${written}`, exitCode, report };
}

export type RunPlanOptions = Pick<ExecuteRunOptions, 'workers' | 'rawSamplesDir' | 'signal' | 'progress' | 'runner' | 'k6Path' | 'runnerKind' | 'acceptNewHostKeys' | 'preflight'> & {
  /** Show the live view (a phase shows its own step table instead). */
  liveView?: boolean;
};

/** One run of a ready plan over the config's fleet: split, run with progress, report. `phase` calls this per step. */
export async function runPlan(plan: ScenarioPlan, config: ResolvedConfig, options: RunPlanOptions): Promise<{ run: RunTestResult; report: RunReport | null }> {
  // First, before any runner or instance: a dead target fails in seconds, not after the whole duration.
  // On Kubernetes the pods, not this machine, must reach it: that runner checks from its first pod.
  const preflightHere = options.preflight !== false && options.runnerKind !== 'kubernetes';
  if (preflightHere) await preflightTarget(plan.targetUrl);
  const instancePlans = splitPlan(plan, config.run.instances, newRunId());
  // With k6 the script is compiled once, here, before anything starts (a compile error starts nothing).
  const k6Script = config.run.engine === 'k6' ? await compileK6(plan) : undefined;
  const runner =
    options.runner ??
    (await chooseRunner(config, instancePlans.length, {
      kind: options.runnerKind ?? 'local',
      acceptNewHostKeys: options.acceptNewHostKeys === true,
      notice: (m) => (options.progress ?? process.stderr).write(`loadctl: ${m}\n`),
      ...(config.run.engine === 'k6' ? { k6: options.k6Path ? { path: options.k6Path } : {} } : {}),
      run: { id: instancePlans[0]!.runId, durationMs: plan.durationMs, preflightUrl: options.preflight !== false ? plan.targetUrl : null, ...(options.signal ? { signal: options.signal } : {}) },
    }));
  const run = await runWithLiveView(plan, instancePlans, config, { ...options, runner, ...(k6Script ? { k6Script } : {}) });
  return { run, report: reportRun(run, { thresholds: config.thresholds, verdictOptions: config.verdict }) };
}

/** The scenario planned with the config's target, levels, rate and duration. */
export function planOfRun(scenario: string, config: ResolvedConfig): Promise<ScenarioPlan> {
  return planScenarioFile({
    file: scenario,
    target: config.target.url,
    baseThresholds: config.thresholds,
    ...(config.run.rate !== null ? { rate: config.run.rate } : {}),
    ...(config.run.durationMs !== null ? { durationMs: config.run.durationMs } : {}),
  });
}

/**
 * `--engine k6`: the same run core drives `loadctl agent --engine k6` instances (local, or the agent
 * bundle on SSH hosts), each running the user's k6 (DESIGN.md: loadctl never downloads or builds k6).
 */
async function compileK6(plan: ScenarioPlan): Promise<string> {
  const { compileK6Script } = await import('../engines/k6/compile-k6-script.js');
  return (await compileK6Script(plan)).code;
}

async function runWithLiveView(
  plan: ScenarioPlan,
  instancePlans: ReturnType<typeof splitPlan>,
  config: ResolvedConfig,
  options: RunPlanOptions & { runner: Runner; k6Script?: string },
): Promise<RunTestResult> {
  const stream = options.progress ?? process.stderr;
  const view = options.liveView === false ? { update: () => {}, done: () => {} } : createLiveView({ totalSeconds: Math.ceil(plan.durationMs / 1000), plannedRate: plan.totalRate, instances: instancePlans.length, stream });
  try {
    const run = await runTest({
      plan,
      instancePlans,
      runner: options.runner,
      ...(options.k6Script ? { k6Script: options.k6Script } : {}),
      ...(options.workers ? { workersPerInstance: options.workers } : {}),
      targetMetricsUrl: config.target.metricsUrl,
      abortRule: config.abort,
      ...(options.rawSamplesDir ? { rawSamplesDir: options.rawSamplesDir } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onStep: (message) => {
        if (options.liveView !== false) stream.write(`loadctl: ${message}\n`);
      },
      onSecond: (state) => view.update(state),
    });
    view.done(run.aborted ? `loadctl: ${run.aborted.reason}` : undefined);
    if (run.target.error) stream.write(`loadctl: ${run.target.error}\n`);
    return run;
  } catch (error) {
    view.done();
    // Ctrl-C during start-up tears the fleet down, which the start-up then reports as lost instances
    // (or, for a runner that was still launching, as its own error: pods that stopped starting).
    if (error instanceof RunInterruptedError || ((error instanceof FleetStartError || error instanceof LoadctlError) && options.signal?.aborted)) {
      throw new InterruptedError('interrupted before the load started; no instance was left running');
    }
    if (error instanceof FleetStartError) throw new FleetError(error.message);
    // `fleet check` exits 6 for an unreachable host (the machines need fixing); for a run it means the
    // fleet could not start, exit 5, as for an agent that never says hello.
    if (error instanceof SshError) throw new FleetError(error.message, { ...(error.hint ? { hint: error.hint } : {}), cause: error });
    throw error;
  }
}

async function writeReport(path: string, report: RunReport): Promise<string> {
  const { writeOutputFile } = await import('../report/write-reports.js');
  await writeOutputFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return `\n\nreport written to ${path}`;
}

/** `--junit/--markdown/--html` beside the JSON: the same renderers `gate` uses. */
export async function writeOtherReports(report: RunReport | PhaseReport, files: ReportFiles | undefined, config: ResolvedConfig): Promise<string> {
  const wanted = Object.fromEntries(Object.entries(files ?? {}).filter(([, path]) => typeof path === 'string')) as ReportFiles;
  if (Object.keys(wanted).length === 0) return '';
  const { writeReports, describeWrittenReports } = await import('../report/write-reports.js');
  return `\n${describeWrittenReports(await writeReports(report, wanted, { failOn: config.run.failOn }))}`;
}

function noResultText(run: RunTestResult): string {
  const lines = run.instances.map((instance) => `  ${instance.label}: ${instance.lostReason ?? 'no result'}`);
  return `no instance delivered a result; nothing to judge:\n${lines.join('\n')}`;
}

/** The fleet could not start (an instance failed to launch or prepare); nothing is left running. */
export class FleetError extends LoadctlError {
  override readonly code = 'FLEET';
  override readonly exitCode = EXIT_CODES.service;
}

/** Ctrl-C before the load started. */
export class InterruptedError extends LoadctlError {
  override readonly code = 'INTERRUPTED';
  override readonly exitCode = EXIT_CODES.interrupted;
}
