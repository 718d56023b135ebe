/**
 * The phase's step table: a header and one row per finished step while the phase runs (so a long
 * search shows progress in any log), then the result. Pure renderers; the caller prints.
 */
import { insecureWarning } from '../report/connection-lines.js';
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import { renderSummaryTable } from '../report/summary-table.js';
import type { PhaseReport, PhaseStepReport } from './phase-report-types.js';

const COLUMNS: Array<[string, number]> = [
  ['step', 4],
  ['planned rps', 11],
  ['achieved', 10],
  ['p95 ms', 8],
  ['p99 ms', 8],
  ['errors', 8],
  ['verdict', 17],
  ['limited by', 13],
];

export function renderStepHeader(): string {
  return COLUMNS.map(([name, width]) => name.padEnd(width)).join(' ');
}

export function renderStepRow(step: PhaseStepReport): string {
  return stepCells(step)
    .map((cell, i) => cell.padEnd(COLUMNS[i]![1]))
    .join(' ');
}

function stepCells(step: PhaseStepReport): string[] {
  const report = step.report;
  const errors = report && report.overall.requests > 0 ? ((report.overall.requests - report.overall.outcomes['2xx']) / report.overall.requests) * 100 : null;
  return [
    String(step.step),
    Math.round(step.rate).toLocaleString('en-US'),
    report?.load.achievedMeanRate != null ? Math.round(report.load.achievedMeanRate).toLocaleString('en-US') : '-',
    report ? report.overall.latency.p95Ms.toFixed(1) : '-',
    report ? report.overall.latency.p99Ms.toFixed(1) : '-',
    errors === null ? '-' : `${errors.toFixed(1)} %`,
    report?.verdict.outcome ?? 'no result',
    step.limitedBy ?? '-',
  ];
}

export function renderPhaseResult(report: PhaseReport, options: { color: boolean }): string {
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const table = new Table({ head: COLUMNS.map(([name]) => name), style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] } });
  for (const step of report.steps) table.push(stepCells(step));
  const color = report.outcome === 'good' ? paint.green : report.outcome === 'warning' ? paint.yellow : report.outcome === 'critical' ? paint.red : paint.magenta;
  const lines = [`phase ${report.phase} · ${report.scenario.name} (${report.scenario.source}) → ${report.scenario.targetUrl}`, table.toString(), color.bold(`PHASE ${report.outcome.toUpperCase()}: ${report.headline}`)];
  const bp = report.breakpoint;
  if (bp) {
    lines.push(`last good rate: ${rateText(bp.lastGoodRate)} · first critical rate: ${rateText(bp.firstCriticalRate)} · breaking point: ${bp.breakingPoint === null ? `none (${bp.reason})` : rateText(bp.breakingPoint)}`);
  }
  // A single-step phase is a run: show its full verdict table (metrics, instances, target counts).
  const only = report.phase !== 'breakpoint' ? report.steps[0]?.report : null;
  if (only) lines.splice(1, 0, renderSummaryTable(only, options));
  const insecure = report.steps.map((step) => (step.report ? insecureWarning(step.report) : null)).find((line) => line !== null);
  if (insecure && !only) lines.unshift(paint.bold.yellow(insecure));
  return lines.join('\n\n');
}

function rateText(rate: number | null): string {
  return rate === null ? '-' : `${rate.toLocaleString('en-US')} req/s`;
}
