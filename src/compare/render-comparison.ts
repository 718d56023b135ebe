/** The console view of a comparison: one row per scope and metric with baseline, current, change and level. */
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import { formatMetricValue, formatRegression, labelOfMetric, type Comparison } from './compare-reports.js';

export interface RenderComparisonOptions {
  color: boolean;
}

export function renderComparison(comparison: Comparison, options: RenderComparisonOptions): string {
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const table = new Table({
    head: ['scope', 'metric', comparison.baseline.label, comparison.current.label, 'change (worse +)', 'level'],
    style: { head: options.color ? ['cyan'] : [], border: [], compact: true },
  });
  for (const m of comparison.metrics) {
    const level = !m.judged ? 'not judged' : m.level;
    const cell = m.level === 'critical' ? paint.red(`${level} ✗`) : m.level === 'warning' ? paint.yellow(`${level} !`) : level;
    table.push([m.scope === 'overall' ? 'total' : m.scope, labelOfMetric(m.metric), formatMetricValue(m.metric, m.baseline), formatMetricValue(m.metric, m.current), formatRegression(m.regression), cell]);
  }
  const { warning, critical } = comparison.limits;
  const head = `Compared with the baseline (regression limits: warning above ${pct(warning)}, critical above ${pct(critical)}):`;
  const lines = [head, table.toString()];
  if (comparison.regressions.length > 0) lines.push(`Regressions:\n${comparison.regressions.map((r) => `  • ${r}`).join('\n')}`);
  else lines.push('No regression beyond the limits.');
  if (comparison.notes.length > 0) lines.push(comparison.notes.map((n) => `note: ${n}`).join('\n'));
  return lines.join('\n\n');
}

function pct(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))} %`;
}
