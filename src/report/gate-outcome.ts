/** The one outcome a report gates on, with baseline regressions folded in (shared by gate and the renderers). */
import { foldRegressions, type Comparison } from '../compare/compare-reports.js';
import { EXIT_CODES } from '../../contract/loadctl-error.js';
import { exitCodeOfVerdict, type FailOn, type VerdictOutcome } from '../verdict/classify-verdict.js';
import type { LoadReport } from './read-report.js';

/** A run report's verdict, or a phase report's own outcome; then regressions (compare-reports.ts). */
export function gateOutcomeOf(report: LoadReport, comparison: Comparison | null = null): VerdictOutcome {
  return foldRegressions(report.kind === 'run' ? report.verdict.outcome : report.outcome, comparison);
}

/** The headline behind that outcome: the first regression when it decided, else the report's own. */
export function gateHeadlineOf(report: LoadReport, comparison: Comparison | null = null): string {
  const own = report.kind === 'run' ? report.verdict.headline : report.headline;
  const outcome = gateOutcomeOf(report, comparison);
  const ownOutcome = report.kind === 'run' ? report.verdict.outcome : report.outcome;
  if (outcome !== ownOutcome && comparison?.regressions[0]) return `${outcome} (regression): ${comparison.regressions[0]}`;
  return own;
}

/** The report is of an interrupted run (a phase: any step, or the phase itself, was interrupted). */
export function isInterruptedReport(report: LoadReport): boolean {
  if (report.kind === 'run') return report.interrupted === true;
  return report.interrupted === true || report.steps.some((step) => step.report?.interrupted === true);
}

/**
 * The gate's exit code: the outcome's, except that an interrupted report never passes — it exits 14
 * (docs/run-report.md, "Interrupted and aborted runs"). Critical keeps 10: a target that failed in the part
 * that ran failed a fortiori, as for degraded and generator-limited runs.
 */
export function gateExitCodeOf(report: LoadReport, outcome: VerdictOutcome, failOn: FailOn): number {
  if (isInterruptedReport(report) && outcome !== 'critical') return EXIT_CODES.interruptedReport;
  return exitCodeOfVerdict(outcome, failOn);
}

/** The word a gate line shows: INTERRUPTED when that decided the exit code, else the outcome. */
export function gateLabelOf(outcome: VerdictOutcome, exitCode: number): string {
  return exitCode === EXIT_CODES.interruptedReport ? `INTERRUPTED (${outcome})` : outcome.toUpperCase();
}
