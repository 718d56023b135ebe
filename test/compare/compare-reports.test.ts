import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { compareReports, foldRegressions, regressionOf, type Comparison } from '../../src/compare/compare-reports.js';
import { regressionLimitsOf } from '../../src/compare/regression-limits.js';
import { cliPath, repoRoot } from '../helpers/repo.js';
import { breakpointPhaseOf, runReportOf, validatePhaseOf, writeJsonFiles } from '../gate/report-fixtures.js';

const LIMITS = { warning: 0.05, critical: 0.1 };

describe('regressionOf: relative change in the bad direction', () => {
  const table: Array<[Parameters<typeof regressionOf>[0], number, number, number]> = [
    ['p95Ms', 200, 220, 0.1],
    ['p95Ms', 200, 180, -0.1],
    ['p99Ms', 0, 0.5, 0.5], // baseline floored at 1 ms
    ['errorRate', 0, 0.0005, 0.05], // floored at 1 %: 0 → 0.05 % is a 5 % regression, not infinite
    ['errorRate', 0.02, 0.03, 0.5],
    ['achievedRate', 1000, 900, 0.1], // less throughput is worse
    ['achievedRate', 1000, 1100, -0.1],
    ['breakingPoint', 4000, 3000, 0.25],
  ];
  for (const [metric, baseline, current, expected] of table) {
    it(`${metric} ${baseline} → ${current} = ${expected}`, () => assert.ok(Math.abs(regressionOf(metric, baseline, current) - expected) < 1e-12));
  }
});

describe('compareReports', () => {
  it('identical reports: every delta 0, level good', () => {
    const comparison = compareReports(runReportOf('good'), runReportOf('good'), LIMITS);
    assert.equal(comparison.level, 'good');
    assert.deepEqual(comparison.regressions, []);
    assert.ok(comparison.metrics.every((m) => m.regression === 0));
    assert.deepEqual([...new Set(comparison.metrics.map((m) => m.scope))], ['overall', 'single', 'batch10']);
    assert.deepEqual(comparison.metrics.filter((m) => m.scope === 'overall').map((m) => [m.metric, m.judged]), [['p50Ms', false], ['p95Ms', true], ['p99Ms', true], ['errorRate', true], ['achievedRate', true]]);
  });

  it('latencies 7 % slower: warning; twice as slow: critical, worst first', () => {
    assert.equal(compareReports(runReportOf('good'), runReportOf('good', { medianScale: 1.07 }), LIMITS).level, 'warning');
    const slow = compareReports(runReportOf('good'), runReportOf('good', { medianScale: 2 }), LIMITS);
    assert.equal(slow.level, 'critical');
    assert.match(slow.regressions[0]!, /^total: p95 .* ms → .* ms \(\+\d+(\.\d+)? % worse\) is a critical regression$/);
    const p50 = slow.metrics.find((m) => m.scope === 'overall' && m.metric === 'p50Ms')!;
    assert.equal(p50.level, 'good', 'p50 is not judged');
  });

  it('errors from 0 to 15 %: a critical error-rate regression', () => {
    const comparison = compareReports(runReportOf('good'), runReportOf('critical'), LIMITS);
    const errors = comparison.metrics.find((m) => m.scope === 'single' && m.metric === 'errorRate')!;
    assert.equal(errors.current, 0.15);
    assert.equal(errors.level, 'critical');
  });

  it('a degraded or generator-limited side: regressions shown, not trusted', () => {
    const comparison = compareReports(runReportOf('good'), runReportOf('degraded'), LIMITS);
    assert.equal(comparison.trusted, false);
    assert.match(comparison.notes[0]!, /the current report is degraded/);
    const achieved = comparison.metrics.find((m) => m.metric === 'achievedRate')!;
    assert.equal(achieved.level, 'critical', 'half the fleet lost: half the rate');
  });

  it('a validate phase compares as its step; breakpoints compare breaking points; mixing them is refused', () => {
    assert.equal(compareReports(validatePhaseOf('good'), runReportOf('good'), LIMITS).level, 'good');
    const lower = breakpointPhaseOf();
    lower.breakingPoint = 56;
    const bp = compareReports(breakpointPhaseOf(), lower, LIMITS);
    assert.deepEqual(bp.metrics.map((m) => [m.metric, m.baseline, m.current, m.level]), [['breakingPoint', 70, 56, 'critical']]);
    assert.throws(() => compareReports(runReportOf('good'), breakpointPhaseOf(), LIMITS), /cannot compare a run report with a breakpoint phase report/);
  });
});

describe('foldRegressions: regressions join the levels only on a trusted good or warning run', () => {
  const comparison = (level: Comparison['level'], trusted = true) => ({ level, trusted }) as Comparison;
  const table: Array<[Parameters<typeof foldRegressions>[0], Comparison | null, string]> = [
    ['good', null, 'good'],
    ['good', comparison('warning'), 'warning'],
    ['good', comparison('critical'), 'critical'],
    ['warning', comparison('critical'), 'critical'],
    ['warning', comparison('good'), 'warning'],
    ['good', comparison('critical', false), 'good'],
    ['generator-limited', comparison('critical'), 'generator-limited'],
    ['degraded', comparison('critical'), 'degraded'],
    ['critical', comparison('good'), 'critical'],
  ];
  for (const [outcome, given, expected] of table) {
    it(`${outcome} + ${given ? `${given.level}${given.trusted ? '' : ' (untrusted)'}` : 'no baseline'} → ${expected}`, () => assert.equal(foldRegressions(outcome, given), expected));
  }
});

describe('regression limits', () => {
  // Parsing `10%` is the one percentage grammar's: test/config/percentage-setting.test.ts.
  it('the warning limit defaults to half', () => {
    assert.deepEqual(regressionLimitsOf(undefined, undefined), { warning: 0.05, critical: 0.1 });
    assert.deepEqual(regressionLimitsOf(0.2, 0.15), { warning: 0.15, critical: 0.2 });
    assert.throws(() => regressionLimitsOf(0.1, 0.2), /is above --max-regression/);
  });
});

describe('loadctl compare (the real CLI)', () => {
  const files = writeJsonFiles({ 'a.json': runReportOf('good'), 'b.json': runReportOf('good', { medianScale: 1.07 }), 'c.json': runReportOf('good', { medianScale: 2 }), 'bp.json': breakpointPhaseOf() });
  const compare = (...args: string[]) => spawnSync(process.execPath, [cliPath(), 'compare', ...args], { cwd: repoRoot(), encoding: 'utf8', timeout: 60_000 });
  it('exit 0 / 11 / 10 by regression level and --fail-on', () => {
    const same = compare(files['a.json']!, files['a.json']!);
    assert.equal(same.status, 0, same.stderr);
    assert.match(same.stdout, /No regression beyond the limits/);
    assert.equal(compare(files['a.json']!, files['b.json']!).status, 0);
    assert.equal(compare(files['a.json']!, files['b.json']!, '--fail-on', 'warning').status, 11);
    const slow = compare(files['a.json']!, files['c.json']!, '--no-color');
    assert.equal(slow.status, 10);
    assert.match(slow.stdout, /│ total +│ p95 +│ .* ms +│ .* ms +│ \+\d+.* % +│ critical ✗ │/);
    assert.equal(compare(files['a.json']!, files['c.json']!, '--max-regression', '200%').status, 0);
  });
  it('a run against a breakpoint search: exit 2 with the reason', () => {
    const mixed = compare(files['a.json']!, files['bp.json']!);
    assert.equal(mixed.status, 2, mixed.stderr);
    assert.match(mixed.stderr, /cannot compare a run report with a breakpoint phase report/);
  });
});
