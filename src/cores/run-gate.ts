/**
 * The core of `loadctl gate`: read a run or phase report, judge it again with `classifyVerdict`
 * (the report's own levels, or a config's), compare it with a baseline, write the asked-for
 * JUnit / Markdown / HTML files, and return the text and the exit code. docs/ci.md.
 */
import { compareReports, type Comparison } from '../compare/compare-reports.js';
import { regressionLimitsOf } from '../compare/regression-limits.js';
import { loadConfig } from '../config/load-config.js';
import { describeWrittenReports, writeReports, type ReportFiles } from '../report/write-reports.js';
import type { FailOn, VerdictOutcome } from '../verdict/classify-verdict.js';
import { gateExitCodeOf, gateOutcomeOf } from '../report/gate-outcome.js';
import { readReportFile, type LoadReport } from '../report/read-report.js';
import { rejudgeReport, type Judging } from '../gate/rejudge-report.js';
import { renderGate } from '../gate/render-gate.js';

export interface RunGateOptions {
  file: string;
  /** `--config`: judge with its levels and verdict options instead of the report's own. */
  configPath?: string | undefined;
  failOn?: FailOn | undefined;
  baseline?: string | undefined;
  /** Fractions (0.1 = 10 %). */
  maxRegression?: number | undefined;
  warnRegression?: number | undefined;
  reports?: ReportFiles;
  color: boolean;
  env?: Record<string, string | undefined>;
}

export interface RunGateResult {
  report: LoadReport;
  comparison: Comparison | null;
  outcome: VerdictOutcome;
  exitCode: number;
  text: string;
}

export async function runGate(options: RunGateOptions): Promise<RunGateResult> {
  const { judging, failOn, judgedWith } = judgingOf(options);
  const report = rejudgeReport(await readReportFile(options.file), judging);
  const comparison = options.baseline
    ? compareReports(rejudgeReport(await readReportFile(options.baseline), judging), report, regressionLimitsOf(options.maxRegression, options.warnRegression))
    : null;
  const outcome = gateOutcomeOf(report, comparison);
  const exitCode = gateExitCodeOf(report, outcome, failOn);
  const written = await writeReports(report, options.reports ?? {}, { failOn, comparison, ...(options.env ? { env: options.env } : {}) });
  const text = renderGate({ file: options.file, report, comparison, outcome, exitCode, judgedWith }, { color: options.color });
  return { report, comparison, outcome, exitCode, text: written.length > 0 ? `${text}\n\n${describeWrittenReports(written)}` : text };
}

/**
 * Without `--config` no config file is read, not even ./loadctl.config.yaml: the report carries the
 * levels it was judged with, so a CI job gates it identically wherever it runs.
 */
function judgingOf(options: RunGateOptions): { judging: Judging; failOn: FailOn; judgedWith: string } {
  if (!options.configPath) return { judging: {}, failOn: options.failOn ?? 'critical', judgedWith: "the report's own levels" };
  const config = loadConfig({ configPath: options.configPath, flags: options.failOn ? { failOn: options.failOn } : {}, env: options.env ?? process.env });
  return { judging: { levels: config.thresholds, verdictOptions: config.verdict }, failOn: config.run.failOn, judgedWith: `the levels of ${options.configPath}` };
}
