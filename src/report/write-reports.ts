/**
 * `writeReports`: the one function `run`, `phase` and `gate` call for `--junit`, `--markdown` and
 * `--html`. Renders each asked-for format (pure renderers) and writes the files; the Markdown is also
 * appended to `$GITHUB_STEP_SUMMARY` when that is set (GitHub Actions' job summary).
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Comparison } from '../compare/compare-reports.js';
import { describeFileError } from '../errors/file-error.js';
import { LoadctlError, EXIT_CODES } from '../../contract/loadctl-error.js';
import type { PhaseReport } from '../phases/phase-report-types.js';
import type { FailOn } from '../verdict/classify-verdict.js';
import { readHtmlAssets } from './html-report-template.js';
import { renderHtmlReport } from './html-report.js';
import { renderJunitReport } from './junit-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import type { RunReport } from './run-report-types.js';

/** Paths from `--junit`, `--markdown`, `--html`; an absent one is not written. */
export interface ReportFiles {
  junit?: string | undefined;
  markdown?: string | undefined;
  html?: string | undefined;
}

export interface WriteReportsOptions {
  /** `--fail-on`: whether warnings fail (JUnit failures, the exit code shown). Default critical. */
  failOn?: FailOn;
  /** Baseline regressions, from `gate --baseline`. */
  comparison?: Comparison | null;
  /** Where `GITHUB_STEP_SUMMARY` is read from (default process.env). */
  env?: Record<string, string | undefined>;
}

export interface WrittenReport {
  format: 'junit' | 'markdown' | 'html' | 'step-summary';
  path: string;
}

/** A report file could not be written (a usage problem: the path). */
export class ReportWriteError extends LoadctlError {
  override readonly code = 'REPORT_WRITE';
  override readonly exitCode = EXIT_CODES.usage;
}

export async function writeReports(report: RunReport | PhaseReport, files: ReportFiles, options: WriteReportsOptions = {}): Promise<WrittenReport[]> {
  const render = { failOn: options.failOn ?? 'critical', comparison: options.comparison ?? null };
  const written: WrittenReport[] = [];
  if (files.junit) written.push(await write('junit', files.junit, renderJunitReport(report, render)));
  const summaryPath = (options.env ?? process.env).GITHUB_STEP_SUMMARY;
  const markdown = files.markdown || summaryPath ? renderMarkdownReport(report, render) : null;
  if (files.markdown && markdown) written.push(await write('markdown', files.markdown, markdown));
  if (summaryPath && markdown) {
    await attempt(summaryPath, () => appendFile(summaryPath, `${markdown}\n`));
    written.push({ format: 'step-summary', path: summaryPath });
  }
  if (files.html) written.push(await write('html', files.html, renderHtmlReport(report, { ...render, assets: await readHtmlAssets() })));
  return written;
}

/** `JUnit report written to x.xml` lines for the command's output. */
export function describeWrittenReports(written: readonly WrittenReport[]): string {
  const names: Record<WrittenReport['format'], string> = { junit: 'JUnit report', markdown: 'Markdown summary', html: 'HTML report', 'step-summary': 'Markdown summary appended to' };
  return written.map((w) => (w.format === 'step-summary' ? `${names[w.format]} ${w.path} (GITHUB_STEP_SUMMARY)` : `${names[w.format]} written to ${w.path}`)).join('\n');
}

async function write(format: WrittenReport['format'], path: string, text: string): Promise<WrittenReport> {
  await writeOutputFile(path, text);
  return { format, path };
}

/**
 * Writes a file a command was asked for (`--out`, `--junit`, `-o`…), creating its directory; a path that
 * cannot be written is a ReportWriteError (exit 2) in words, never a crash.
 */
export async function writeOutputFile(path: string, text: string): Promise<void> {
  await attempt(path, async () => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  });
}

async function attempt(path: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (cause) {
    throw new ReportWriteError(`cannot write ${path}: it ${describeFileError(cause)}`, { cause, hint: 'pass a file path in a directory you can write to (missing directories are created)' });
  }
}
