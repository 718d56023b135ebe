/** The one outcome a report gates on, with baseline regressions folded in (shared by gate and the renderers). */
import { foldRegressions, type Comparison } from '../compare/compare-reports.js';
import type { VerdictOutcome } from '../verdict/classify-verdict.js';
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
