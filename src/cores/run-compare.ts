/** The core of `loadctl compare a.json b.json`: per-metric deltas of b against a, judged as regressions. */
import { readReportFile } from '../report/read-report.js';
import { exitCodeOfVerdict, type FailOn } from '../verdict/classify-verdict.js';
import { compareReports, type Comparison } from '../compare/compare-reports.js';
import { regressionLimitsOf } from '../compare/regression-limits.js';
import { renderComparison } from '../compare/render-comparison.js';

export interface RunCompareOptions {
  baseline: string;
  current: string;
  maxRegression?: number | undefined;
  warnRegression?: number | undefined;
  failOn?: FailOn | undefined;
  color: boolean;
}

export interface RunCompareResult {
  comparison: Comparison;
  exitCode: number;
  text: string;
}

/**
 * Exit code: the regression level through the verdict's mapping (critical 10, warning 11 with
 * `--fail-on warning`), and 0 when either load cannot be trusted — `gate` judges those outcomes.
 */
export async function runCompare(options: RunCompareOptions): Promise<RunCompareResult> {
  const [baseline, current] = await Promise.all([readReportFile(options.baseline), readReportFile(options.current)]);
  const comparison = compareReports(baseline, current, regressionLimitsOf(options.maxRegression, options.warnRegression));
  const level = comparison.trusted ? comparison.level : 'good';
  const exitCode = exitCodeOfVerdict(level, options.failOn ?? 'critical');
  const head = `COMPARE ${options.baseline} (baseline, ${comparison.baseline.outcome}) → ${options.current} (${comparison.current.outcome})`;
  const tail = `${comparison.trusted ? `regression level: ${comparison.level}` : 'regressions not counted (see the notes)'} (exit ${exitCode})`;
  return { comparison, exitCode, text: `${head}\n\n${renderComparison(comparison, { color: options.color })}\n\n${tail}` };
}
