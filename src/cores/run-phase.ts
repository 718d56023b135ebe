/**
 * `loadctl phase`: the seed's practical testing strategy, each step a `run` through the same core
 * (`runPlan`) and the same report. validate / stress / distributed are one step each; breakpoint
 * searches (breakpoint-search.ts) with a cool-down between steps and a bound on the whole search.
 */
import type { ConfigFlags, ResolvedConfig } from '../config/config-types.js';
import { loadConfig } from '../config/load-config.js';
import { EXIT_CODES } from '../../contract/loadctl-error.js';
import { runPlan, type RunPlanOptions } from './execute-run.js';
import { checkReportFiles, writeReportFiles } from './report-files.js';
import type { ReportFiles } from '../report/write-reports.js';
import { loadScenario } from '../scenario/load-scenario.js';
import { planOfConfig, type PlanStep } from '../scenario/plan-of-config.js';
import { shippedScenarioPath, type ShippedScenario } from '../scenario/shipped-scenarios.js';
import { exitCodeOfVerdict, type VerdictOutcome } from '../verdict/classify-verdict.js';
import { concludeEarly, decideNextStep, type BreakpointResult, type SearchStep } from '../phases/breakpoint-search.js';
import { coolDown } from '../phases/cool-down.js';
import { judgeStep } from '../phases/judge-step.js';
import { PHASE_REPORT_SCHEMA_VERSION, type PhaseName, type PhaseReport, type PhaseStepReport } from '../phases/phase-report-types.js';
import { renderPhaseResult, renderStepHeader, renderStepRow } from '../phases/step-table.js';
import { preflightTarget } from '../controller/preflight-target.js';
import { readTlsMaterial } from '../controller/target-tls.js';

/** Each phase's default: one of the scenarios loadctl ships (found from its install, not the working directory). */
export const PHASE_SCENARIOS: Record<PhaseName, ShippedScenario> = {
  validate: 'simple.ts',
  stress: 'simple.ts',
  breakpoint: 'full.ts',
  distributed: 'full.ts',
};

/** Breakpoint's own flags (--rate and --duration go through the config's resolution, with RATE and DURATION). */
export interface PhaseOverrides {
  from?: number;
  precision?: number;
  stepDurationMs?: number;
  maxDurationMs?: number;
  maxSteps?: number;
  coolDownMs?: number;
}

export interface ExecutePhaseOptions extends RunPlanOptions {
  phase: PhaseName;
  scenario?: string;
  configPath?: string;
  flags: ConfigFlags;
  env?: Record<string, string | undefined>;
  overrides: PhaseOverrides;
  /** `--out`, `--junit`, `--markdown`, `--html`: checked before the first step, written after the last. */
  reportFiles?: ReportFiles;
  color: boolean;
}

export interface ExecutePhaseResult {
  text: string;
  exitCode: number;
  report: PhaseReport;
}

/** Default cool-down bounds between breakpoint steps. */
const COOL_DOWN_MIN_MS = 1000;
const COOL_DOWN_MAX_MS = 30_000;

export async function executePhase(options: ExecutePhaseOptions): Promise<ExecutePhaseResult> {
  const config = loadConfig({ ...(options.configPath ? { configPath: options.configPath } : {}), flags: options.flags, env: options.env ?? process.env });
  const scenario = await loadScenario(options.scenario ?? shippedScenarioPath(PHASE_SCENARIOS[options.phase]));
  await checkReportFiles(options.reportFiles);
  const startedAt = new Date();
  // Before the step table: a dead target is said alone, not under an empty table header.
  // (On Kubernetes the first step's runner checks from inside the cluster instead.)
  const inCluster = options.runnerKind === 'kubernetes';
  if (options.preflight !== false && !inCluster) await preflightTarget(config.target.url, { insecure: config.target.tls.insecure, material: (await readTlsMaterial(config.target.tls)) ?? {} });
  const stream = options.progress ?? process.stderr;
  stream.write(`${renderStepHeader()}\n`);
  const steps: PhaseStepReport[] = [];
  const runStep = async (at: PlanStep): Promise<PhaseStepReport> => {
    const plan = planOfConfig(scenario, config, at);
    // Preflight once, above: a target that dies under a later breakpoint step is what the search measures
    // (refused connections judge that step critical), not a reason to lose the report.
    const { report } = await runPlan(plan, config, { ...options, liveView: false, preflight: inCluster && steps.length === 0 && options.preflight !== false });
    const judged = judgeStep(report, config.run.instances);
    const step: PhaseStepReport = { step: steps.length + 1, rate: at.rate ?? plan.totalRate, judgement: judged.judgement, limitedBy: judged.limitedBy, report };
    steps.push(step);
    stream.write(`${renderStepRow(step)}\n`);
    return step;
  };

  const conclusion = options.phase === 'breakpoint' ? await searchBreakpoint(runStep, config, options) : await singleStep(runStep, config, options);
  const report: PhaseReport = {
    schemaVersion: PHASE_REPORT_SCHEMA_VERSION,
    kind: 'phase',
    phase: options.phase,
    scenario: { name: scenario.definition.name, source: scenario.source, targetUrl: config.target.url },
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    outcome: conclusion.outcome,
    headline: conclusion.headline,
    interrupted: options.signal?.aborted === true,
    steps,
    breakingPoint: conclusion.breakpoint?.breakingPoint ?? null,
    breakpoint: conclusion.breakpoint,
  };
  const written = await writeReportFiles(report, options.reportFiles, config);
  const exitCode = report.interrupted ? EXIT_CODES.interrupted : exitCodeOfVerdict(conclusion.outcome, config.run.failOn);
  return { text: `${renderPhaseResult(report, { color: options.color })}${written}`, exitCode, report };
}

interface Conclusion {
  outcome: VerdictOutcome;
  headline: string;
  breakpoint: BreakpointResult | null;
}

type StepRunner = (at: PlanStep) => Promise<PhaseStepReport>;

/** validate / stress / distributed: one step; its verdict is the phase's. */
async function singleStep(runStep: StepRunner, config: ResolvedConfig, options: ExecutePhaseOptions): Promise<Conclusion> {
  const at = options.phase === 'validate' ? config.phases.validate : options.phase === 'stress' ? config.phases.stress : config.run;
  const step = await runStep(at);
  const verdict = step.report?.verdict;
  return { outcome: verdict?.outcome ?? 'degraded', headline: verdict?.headline ?? 'no instance delivered a result', breakpoint: null };
}

/** breakpoint: double, then bisect, until the search decides; each step followed by a cool-down. */
async function searchBreakpoint(runStep: StepRunner, config: ResolvedConfig, options: ExecutePhaseOptions): Promise<Conclusion> {
  const settings = config.phases.breakpoint;
  const search = {
    from: options.overrides.from ?? settings.from,
    precision: options.overrides.precision ?? settings.precision,
    maxSteps: options.overrides.maxSteps ?? settings.maxSteps,
  };
  const stepDurationMs = options.overrides.stepDurationMs ?? settings.stepDurationMs;
  const deadline = options.overrides.maxDurationMs ? Date.now() + options.overrides.maxDurationMs : Infinity;
  const searchSteps: SearchStep[] = [];
  for (;;) {
    const decision = decideNextStep(searchSteps, search);
    if (decision.kind === 'done') return breakpointConclusion(decision.result, searchSteps);
    if (options.signal?.aborted) return breakpointConclusion(concludeEarly(searchSteps, 'interrupted (Ctrl-C)'), searchSteps);
    if (Date.now() + stepDurationMs > deadline) return breakpointConclusion(concludeEarly(searchSteps, 'stopped at --max-duration'), searchSteps);
    if (searchSteps.length > 0) {
      await coolDown({ targetUrl: config.target.url, minMs: COOL_DOWN_MIN_MS, maxMs: options.overrides.coolDownMs ?? COOL_DOWN_MAX_MS, ...(options.signal ? { signal: options.signal } : {}) });
    }
    const step = await runStep({ rate: decision.rate, durationMs: stepDurationMs });
    if (step.limitedBy === 'instance lost') {
      return { outcome: 'degraded', headline: `step ${step.step} lost an instance; the search stopped (nothing certain about the target)`, breakpoint: concludeEarly(searchSteps, 'an instance was lost') };
    }
    searchSteps.push({ rate: step.rate, judgement: step.judgement });
  }
}

function breakpointConclusion(result: BreakpointResult, steps: readonly SearchStep[]): Conclusion {
  const limited = steps.at(-1)?.judgement.kind === 'generator-limited';
  if (limited) return { outcome: 'generator-limited', headline: result.reason, breakpoint: result };
  if (result.breakingPoint === null && result.lastGoodRate === null) return { outcome: 'critical', headline: result.reason, breakpoint: result };
  const found = result.breakingPoint !== null ? `breaking point ≈ ${result.breakingPoint.toLocaleString('en-US')} req/s: ` : '';
  return { outcome: 'good', headline: `${found}${result.reason}`, breakpoint: result };
}
