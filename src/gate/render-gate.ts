/** The console output of `loadctl gate`: the verdict table (per step for a phase), regressions, the gate line. */
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import { renderComparison } from '../compare/render-comparison.js';
import { errorRateOf, formatMetricValue, type Comparison } from '../compare/compare-reports.js';
import type { PhaseReport } from '../phases/phase-report-types.js';
import { renderSummaryTable } from '../report/summary-table.js';
import type { VerdictOutcome } from '../verdict/classify-verdict.js';
import { formatValue } from '../verdict/judge-metrics.js';
import { gateHeadlineOf, gateLabelOf } from '../report/gate-outcome.js';
import type { LoadReport } from '../report/read-report.js';

export interface RenderGateInput {
  file: string;
  report: LoadReport;
  comparison: Comparison | null;
  outcome: VerdictOutcome;
  exitCode: number;
  /** Where the levels came from, for the last line. */
  judgedWith: string;
}

export function renderGate(input: RenderGateInput, options: { color: boolean }): string {
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const sections = [input.report.kind === 'run' ? renderSummaryTable(input.report, options) : renderPhase(input.report, options)];
  if (input.comparison) sections.push(renderComparison(input.comparison, options));
  const line = `GATE ${gateLabelOf(input.outcome, input.exitCode)} (exit ${input.exitCode}) — ${input.file}, judged with ${input.judgedWith}`;
  sections.push(`${input.exitCode === 0 ? paint.green.bold(line) : paint.red.bold(line)}\n${gateHeadlineOf(input.report, input.comparison)}`);
  return sections.join('\n\n');
}

function renderPhase(report: PhaseReport, options: { color: boolean }): string {
  const table = new Table({
    head: ['step', 'planned', 'achieved', 'p95', 'p99', 'errors', 'verdict', 'limited by'],
    style: { head: options.color ? ['cyan'] : [], border: [], compact: true },
  });
  for (const step of report.steps) {
    const r = step.report;
    const errors = r ? formatMetricValue('errorRate', errorRateOf(r.overall, r)) : '—';
    table.push([
      String(step.step),
      `${Math.round(step.rate).toLocaleString('en-US')}/s`,
      r?.load.achievedMeanRate == null ? '—' : `${Math.round(r.load.achievedMeanRate).toLocaleString('en-US')}/s`,
      r ? formatValue('p95Ms', r.overall.latency.p95Ms) : '—',
      r ? formatValue('p99Ms', r.overall.latency.p99Ms) : '—',
      errors,
      r?.verdict.outcome ?? 'no result',
      step.limitedBy ?? '',
    ]);
  }
  const head = `PHASE ${report.phase} · ${report.scenario.name}: ${report.outcome} — ${report.headline}`;
  const bp = report.phase === 'breakpoint' ? `\nbreaking point: ${report.breakingPoint === null ? `none (${report.breakpoint?.reason ?? 'no search result'})` : `≈ ${report.breakingPoint.toLocaleString('en-US')} req/s`}` : '';
  const single = report.phase !== 'breakpoint' && report.steps.at(-1)?.report ? `\n\n${renderSummaryTable(report.steps.at(-1)!.report!, options)}` : '';
  return `${head}\n${table.toString()}${bp}${single}`;
}
