/**
 * Judges a saved report again with the same `classifyVerdict` that `run` used (via
 * `verdictInputOfReport`). By default with the levels stored in the report, so the verdict is the
 * run's own; with a config, its levels and verdict options replace them (docs/ci.md, "Which levels").
 * Pure.
 */
import type { PhaseReport, PhaseStepReport } from '../phases/phase-report-types.js';
import { judgeStep } from '../phases/judge-step.js';
import { qualifyVerdict, verdictInputOfReport } from '../report/json-report.js';
import type { RunReport } from '../report/run-report-types.js';
import { classifyVerdict, type VerdictOptions, type VerdictThresholds } from '../verdict/classify-verdict.js';
import { THRESHOLD_NAMES, type ThresholdLevels } from '../verdict/threshold-levels.js';
import type { LoadReport } from '../report/read-report.js';

/** What to judge with instead of the stored levels; null / absent keeps the report's own. */
export interface Judging {
  /** The config's levels (`thresholds:`), applied with `rebaseThresholds`. */
  levels?: ThresholdLevels | null;
  verdictOptions?: VerdictOptions | null;
}

export function rejudgeReport<R extends LoadReport>(report: R, judging: Judging): R {
  return (report.kind === 'run' ? rejudgeRunReport(report, judging) : rejudgePhaseReport(report, judging)) as R;
}

export function rejudgeRunReport(report: RunReport, judging: Judging): RunReport {
  const thresholds = judging.levels ? rebaseThresholds(report.thresholds, judging.levels) : report.thresholds;
  const verdictOptions = judging.verdictOptions ?? report.verdictOptions;
  const verdict = qualifyVerdict(classifyVerdict(verdictInputOfReport(report), thresholds, verdictOptions), report);
  return { ...report, thresholds, verdictOptions, verdict, generatorLimited: verdict.generatorLimited, degraded: verdict.degraded };
}

/**
 * Every step's report is judged again. A single-step phase (validate, stress, distributed) takes its
 * step's new verdict. A breakpoint phase keeps the search's conclusion: its steps were chosen from the
 * judgements made while it ran, so another judgement would need another search, not a re-read.
 */
export function rejudgePhaseReport(report: PhaseReport, judging: Judging): PhaseReport {
  const steps = report.steps.map((step): PhaseStepReport => {
    if (!step.report) return step;
    const rejudged = rejudgeRunReport(step.report, judging);
    if (report.phase === 'breakpoint') return { ...step, report: rejudged };
    const judged = judgeStep(rejudged, rejudged.instances.length);
    return { ...step, report: rejudged, judgement: judged.judgement, limitedBy: judged.limitedBy };
  });
  if (report.phase === 'breakpoint') return { ...report, steps };
  const last = steps.at(-1)?.report ?? null;
  return {
    ...report,
    steps,
    outcome: last?.verdict.outcome ?? 'degraded',
    headline: last?.verdict.headline ?? 'no instance delivered a result',
  };
}

/**
 * The config's levels for the overall figures and every sub-scenario, except where the report's
 * sub-scenario level differs from its overall one: that difference is the scenario's own override
 * (`thresholds` in the scenario file) and is kept.
 */
export function rebaseThresholds(stored: VerdictThresholds, levels: ThresholdLevels): VerdictThresholds {
  const subScenarios: Record<string, ThresholdLevels> = {};
  for (const [name, sub] of Object.entries(stored.subScenarios)) {
    const rebased = { ...levels };
    for (const metric of THRESHOLD_NAMES) {
      const own = sub[metric];
      const base = stored.overall[metric];
      if (!own || !base) continue;
      rebased[metric] = {
        warning: own.warning === base.warning ? levels[metric].warning : own.warning,
        critical: own.critical === base.critical ? levels[metric].critical : own.critical,
      };
    }
    subScenarios[name] = rebased;
  }
  return { overall: levels, subScenarios };
}
