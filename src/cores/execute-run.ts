/**
 * The core of `loadctl run`: config → plan → split → (dry run: the split table) → runTest with the
 * live view → report → files. Returns the text to print and the exit code; only the command prints
 * and sets the exit code.
 */
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { ConfigFlags, ResolvedConfig } from '../config/config-types.js';
import { loadConfig } from '../config/load-config.js';
import { EXIT_CODES, LoadctlError } from '../../contract/loadctl-error.js';
import { createLiveView } from '../report/live-view.js';
import type { RunReport } from '../report/run-report-types.js';
import type { ReportFiles } from '../report/write-reports.js';
import { planCapacity, renderCapacityPlan } from '../report/capacity-plan.js';
import { renderSplitTable, renderSummaryTable } from '../report/summary-table.js';
import type { Runner } from '../runners/types.js';
import type { ScenarioPlan } from '../scenario/plan.js';
import { loadScenario } from '../scenario/load-scenario.js';
import { planOfConfig } from '../scenario/plan-of-config.js';
import { shippedScenarioPath } from '../scenario/shipped-scenarios.js';
import { describeSplit, splitPlan } from '../split/split-plan.js';
import { exitCodeOfVerdict } from '../verdict/classify-verdict.js';
import { chooseRunner, type RunnerKind } from '../runners/choose-runner.js';
import { checkReportFiles, writeReportFiles } from './report-files.js';
import { reportRun } from './report-run.js';
import { newRunId, runTest, RunInterruptedError, type RunTestResult } from '../controller/run-test.js';
import { LaunchError } from '../controller/launched-instances.js';
import { preflightTarget } from '../controller/preflight-target.js';
import { meanRequestBytes } from '../engines/native/payload-pool.js';
import { targetAddressOf } from '../net/target-address.js';
import { readTlsMaterial } from '../controller/target-tls.js';
import type { TlsMaterial } from '../net/tls-material.js';
import { discoverTargetMetricsUrl } from '../controller/target-metrics.js';
import { SshError } from '../runners/ssh/ssh-error.js';
import { chooseEngine } from './choose-engine.js';
import { findRustEngine } from '../engines/rust/engine-binary.js';

export interface ExecuteRunOptions {
  /** A scenario file relative to the working directory; default: the shipped scenarios/full.ts. */
  scenario?: string;
  configPath?: string;
  flags: ConfigFlags;
  env?: Record<string, string | undefined>;
  /** Worker threads per instance (default: the agent's, one per core). */
  workers?: number;
  /** `--out`, `--junit`, `--markdown`, `--html`: checked before the run, written after it. */
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
  const plan = planOfConfig(await loadScenario(options.scenario ?? shippedScenarioPath('full.ts')), config);
  if (options.dryRun) {
    const shares = describeSplit(splitPlan(plan, config.run.instances, newRunId()));
    // Request sizes as the engine builds them: the split's columns and the capacity plan's bandwidth agree.
    const target = targetAddressOf(plan.targetUrl);
    const requestBytes = meanRequestBytes(plan, target.hostHeader, target.basePath);
    const engine = chooseEngine(config.run.engine, { runner: options.runnerKind ?? 'local', rustBinaryHere: findRustEngine() !== null });
    const capacity = planCapacity(plan, shares, { engine, local: (options.runnerKind ?? 'local') === 'local' && !options.runner, coresHere: availableParallelism(), requestBytes });
    return { text: `${renderSplitTable(shares, { color: options.color, requestBytes })}\n${renderCapacityPlan(capacity)}\n\n(dry run: nothing started)`, exitCode: EXIT_CODES.ok, report: null };
  }
  await checkReportFiles(options.reportFiles);
  if (options.rawSamplesDir) await mkdir(options.rawSamplesDir, { recursive: true });
  const { run, report } = await runPlan(plan, config, options);
  if (!report) return { text: noResultText(run), exitCode: EXIT_CODES.degraded, report: null };
  const written = await writeReportFiles(report, options.reportFiles, config);
  const exitCode = run.aborted?.by === 'interrupt' ? EXIT_CODES.interrupted : exitCodeOfVerdict(report.verdict.outcome, config.run.failOn);
  return { text: `${renderSummaryTable(report, { color: options.color })}${written}`, exitCode, report };
}

export type RunPlanOptions = Pick<ExecuteRunOptions, 'workers' | 'rawSamplesDir' | 'signal' | 'progress' | 'runner' | 'k6Path' | 'runnerKind' | 'acceptNewHostKeys' | 'preflight'> & {
  /** Show the live view (a phase shows its own step table instead). */
  liveView?: boolean;
};

/** One run of a ready plan over the config's fleet: split, run with progress, report. `phase` calls this per step. */
export async function runPlan(plan: ScenarioPlan, config: ResolvedConfig, options: RunPlanOptions): Promise<{ run: RunTestResult; report: RunReport | null }> {
  // The TLS files are read and checked before anything starts (a bad one names its flag, exit 2)…
  const tls = await readTlsMaterial(config.target.tls);
  // …then, before any runner or instance, a dead target (or a failing TLS handshake) fails in seconds, not after the whole duration.
  // On Kubernetes the pods, not this machine, must reach it: that runner checks from its first pod.
  const preflightHere = options.preflight !== false && options.runnerKind !== 'kubernetes';
  if (preflightHere) await preflightTarget(plan.targetUrl, { insecure: config.target.tls.insecure, material: tls ?? {} });
  const instancePlans = splitPlan(plan, config.run.instances, newRunId());
  // With k6 the script is compiled once, here, before anything starts (a compile error starts nothing).
  const k6Script = config.run.engine === 'k6' ? await compileK6(plan) : undefined;
  // auto: rust when its binary is here (issue 20); a ready runner starts what it starts.
  const engine = chooseEngine(config.run.engine, { runner: options.runnerKind ?? 'local', rustBinaryHere: findRustEngine() !== null });
  const runner =
    options.runner ??
    (await chooseRunner(config, instancePlans.length, {
      kind: options.runnerKind ?? 'local',
      acceptNewHostKeys: options.acceptNewHostKeys === true,
      notice: (m) => (options.progress ?? process.stderr).write(`loadctl: ${m}\n`),
      ...(config.run.engine === 'k6' ? { k6: options.k6Path ? { path: options.k6Path } : {} } : {}),
      ...(engine === 'rust' ? { rust: true } : {}),
      run: { id: instancePlans[0]!.runId, durationMs: plan.durationMs, preflightUrl: options.preflight !== false ? plan.targetUrl : null, ...(options.signal ? { signal: options.signal } : {}) },
    }));
  const run = await runWithLiveView(plan, instancePlans, config, { ...options, runner, ...(k6Script ? { k6Script } : {}), ...(tls ? { tls } : {}) });
  return { run, report: reportRun(run, { thresholds: config.thresholds, verdictOptions: config.verdict }) };
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
  options: RunPlanOptions & { runner: Runner; k6Script?: string; tls?: TlsMaterial },
): Promise<RunTestResult> {
  const stream = options.progress ?? process.stderr;
  const view = options.liveView === false ? { update: () => {}, done: () => {} } : createLiveView({ totalSeconds: Math.ceil(plan.durationMs / 1000), plannedRate: plan.totalRate, instances: instancePlans.length, stream });
  try {
    const run = await runTest({
      plan,
      instancePlans,
      runner: options.runner,
      ...(options.k6Script ? { k6Script: options.k6Script } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.workers ? { workersPerInstance: options.workers } : {}),
      targetMetricsUrl: config.target.askTargetForMetrics ? await discoverTargetMetricsUrl(plan.targetUrl, config.target.metricsUrl) : config.target.metricsUrl,
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
    if (error instanceof RunInterruptedError || ((error instanceof LaunchError || error instanceof LoadctlError) && options.signal?.aborted)) {
      throw new InterruptedError('interrupted before the load started; no instance was left running');
    }
    if (error instanceof LaunchError) throw new FleetError(error.message);
    // `fleet check` exits 6 for an unreachable host (the machines need fixing); for a run it means the
    // fleet could not start, exit 5, as for an agent that never says hello.
    if (error instanceof SshError) throw new FleetError(error.message, { ...(error.hint ? { hint: error.hint } : {}), cause: error });
    throw error;
  }
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
