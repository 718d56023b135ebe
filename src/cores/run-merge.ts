/** The core of `loadctl merge`: read and check the files, merge, judge with the config's levels, report. */
import { loadConfig } from '../config/load-config.js';
import { buildRunReport } from '../report/json-report.js';
import type { RunReport } from '../report/run-report-types.js';
import { renderSummaryTable } from '../report/summary-table.js';
import { writeOutputFile } from '../report/write-reports.js';
import { exitCodeOfVerdict } from '../verdict/classify-verdict.js';
import { mergeInstanceResults } from '../merge/merge-results.js';
import { readInstanceResults } from '../merge/read-instance-results.js';

export interface RunMergeOptions {
  files: string[];
  out?: string | undefined;
  configPath?: string | undefined;
  failOn?: string | undefined;
  color: boolean;
}

export interface RunMergeResult {
  report: RunReport;
  text: string;
  exitCode: number;
}

export async function runMerge(options: RunMergeOptions): Promise<RunMergeResult> {
  const config = loadConfig({ ...(options.configPath ? { configPath: options.configPath } : {}), flags: options.failOn ? { failOn: options.failOn } : {} });
  const merged = mergeInstanceResults(await readInstanceResults(options.files));
  // No plan travels with the results: every sub-scenario is judged with the config's levels.
  const report = buildRunReport({ merged, thresholds: { overall: config.thresholds, subScenarios: {} }, verdictOptions: config.verdict });
  if (options.out) await writeOutputFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
  const written = options.out ? `\n\nreport written to ${options.out}` : '';
  return { report, text: `${renderSummaryTable(report, { color: options.color })}${written}`, exitCode: exitCodeOfVerdict(report.verdict.outcome, config.run.failOn) };
}
