/** The cores' one path for report files: checked before any load, written after it (run, phase and merge). */
import type { ResolvedConfig } from '../config/config-types.js';
import type { PhaseReport } from '../phases/phase-report-types.js';
import type { RunReport } from '../report/run-report-types.js';
import type { ReportFiles } from '../report/write-reports.js';

/** Before the run: an unwritable `--out`, `--junit`… is a usage error in seconds, not after the whole run. */
export async function checkReportFiles(files: ReportFiles | undefined): Promise<void> {
  const paths = Object.values(files ?? {});
  if (paths.every((path) => path === undefined)) return;
  const { checkOutputFiles } = await import('../report/write-reports.js');
  await checkOutputFiles(paths);
}

/** `--out`, `--junit`, `--markdown`, `--html`: the one writer `run`, `phase` and `gate` share; the lines saying what was written. */
export async function writeReportFiles(report: RunReport | PhaseReport, files: ReportFiles | undefined, config: ResolvedConfig): Promise<string> {
  const wanted = Object.fromEntries(Object.entries(files ?? {}).filter(([, path]) => typeof path === 'string')) as ReportFiles;
  if (Object.keys(wanted).length === 0) return '';
  const { writeReports, describeWrittenReports } = await import('../report/write-reports.js');
  const written = await writeReports(report, wanted, { failOn: config.run.failOn });
  return written.length > 0 ? `\n\n${describeWrittenReports(written, report.kind)}` : '';
}
