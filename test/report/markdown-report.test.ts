import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareReports } from '../../src/compare/compare-reports.js';
import { renderMarkdownReport } from '../../src/report/markdown-report.js';
import { breakpointPhaseOf, runReportOf, validatePhaseOf } from '../gate/report-fixtures.js';

/** The cells of a Markdown table row, split on unescaped pipes (what GitHub's renderer does). */
function cells(row: string): string[] {
  return row.replace(/^\|\s*/, '').replace(/\s*\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

function tableAfter(markdown: string, headerStart: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${headerStart}`));
  assert.ok(start >= 0, `a table starting with ${headerStart}`);
  const rows: string[][] = [];
  for (let i = start; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(cells(lines[i]!));
  return rows;
}

describe('renderMarkdownReport', () => {
  it('run: verdict line, one table row per scope with marked levels, reasons, load, instances', () => {
    const markdown = renderMarkdownReport(runReportOf('critical'));
    assert.match(markdown, /^### loadctl run · checkout — ❌ CRITICAL \(exit 10\)\n\n> critical: overall: 503 answers 10 %/);
    const table = tableAfter(markdown, ' |');
    assert.deepEqual(table[0], ['', 'requests', 'p95', 'p99', 'errors', '503', 'timeouts', 'level']);
    // 10 % errors overall is a warning (not above 10 %), but 10 % 503s is critical (above 1 %).
    assert.deepEqual(table.slice(2).map((row) => [row[0], row[4], row[5], row[7]]), [['**total**', '10 % ⚠️', '**10 %** ❌', 'critical'], ['single', '**15 %** ❌', '**15 %** ❌', 'critical'], ['batch10', '0 %', '0 %', 'good']]);
    assert.ok(table.every((row) => row.length === 8), 'every row has 8 cells');
    assert.match(markdown, /\*\*Reasons\*\*\n\n- overall: 503 answers 10 %/);
    assert.match(markdown, /\*\*Load\*\*: planned 60 req\/s, achieved 60 req\/s, 180 requests, 720 events, 0 dropped iterations/);
    assert.match(markdown, /\*\*Instances\*\*: 2, start skew .* ms, none flagged\./);
  });

  it('outcomes that are not about the target name the instance; exit code follows --fail-on', () => {
    assert.match(renderMarkdownReport(runReportOf('degraded')), /🟦 DEGRADED \(exit 13\)[\s\S]*instance 1 \(gen-2\): lost — agent exited with code 137/);
    assert.match(renderMarkdownReport(runReportOf('generator-limited')), /GENERATOR-LIMITED \(exit 12\)[\s\S]*instance 1 \(127\.0\.0\.2\): generator-limited, dropped/);
    assert.match(renderMarkdownReport(runReportOf('warning')), /WARNING \(exit 0\)/);
    assert.match(renderMarkdownReport(runReportOf('warning'), { failOn: 'warning' }), /WARNING \(exit 11\)/);
  });

  it('user strings cannot inject HTML or break the table', () => {
    const report = runReportOf('critical');
    report.scenario = { ...report.scenario!, name: '<script>x</script> | *bold*' };
    report.subScenarios['a|b'] = report.subScenarios.single!;
    report.verdict.subScenarios.push({ ...report.verdict.subScenarios[0]!, scope: 'a|b' });
    const markdown = renderMarkdownReport(report);
    assert.doesNotMatch(markdown, /<script>/);
    assert.match(markdown.split('\n')[0]!, /&lt;script&gt;x&lt;\/script&gt; \\\| \\\*bold\\\*/);
    const table = tableAfter(markdown, ' |');
    assert.ok(table.every((row) => row.length === 8), 'the pipe in a name stays inside its cell');
    assert.equal(table.at(-1)![0], 'a\\|b');
  });

  it('phases: the step table and the breaking point; a validate phase adds its reasons', () => {
    const breakpoint = renderMarkdownReport(breakpointPhaseOf());
    const steps = tableAfter(breakpoint, 'step');
    assert.deepEqual(steps.slice(2).map((row) => [row[0], row[1], row[6], row[7]]), [['1', '40 req/s', 'good', ''], ['2', '80 req/s', 'critical', 'target'], ['3', '60 req/s', 'good', '']]);
    assert.match(breakpoint, /\*\*Result\*\*: breaking point ≈ \*\*70 req\/s\*\*; last good 60 req\/s, first critical 80 req\/s/);
    assert.match(renderMarkdownReport(validatePhaseOf('critical')), /phase validate[\s\S]*\*\*Reasons\*\*/);
  });

  it('a baseline comparison adds its table and folds a critical regression into the headline', () => {
    const current = runReportOf('good', { medianScale: 2 });
    const markdown = renderMarkdownReport(current, { comparison: compareReports(runReportOf('good'), current, { warning: 0.05, critical: 0.1 }) });
    assert.match(markdown, /CRITICAL \(exit 10\)\n\n> critical \(regression\): total: p95/);
    const table = tableAfter(markdown, 'scope');
    assert.deepEqual(table[2]!.slice(0, 2), ['total', 'p50']);
    assert.equal(table[2]![5], 'not judged');
    assert.equal(table[3]![5], '**critical** ❌');
  });
});
