/** One grammar for durations and one for percentages in flags, environment and loadctl.config.yaml, through the real CLI. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, repoRoot } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { recordedReportOf, writeJsonFiles } from '../gate/report-fixtures.js';

function loadctl(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliPath(), ...args], { cwd: repoRoot(), encoding: 'utf8', timeout: 30_000, env: { ...process.env, DURATION: '', RATE: '', RPS: '', INSTANCES: '', API_URL: '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function configFile(text: string): string {
  const path = join(makeTempDir(), 'loadctl.config.yaml');
  writeFileSync(path, text);
  return path;
}

const DRY_RUN = ['run', 'scenarios/simple.ts', '--dry-run', '--rate', '100', '--instances', '1', '--no-color'];
/** The split plans 100/s × 3 s = 300 iterations. */
const THREE_SECONDS = /single\s+│ 100\/s\s+│ 300\s+│/;

describe('durations: a bare number is seconds in flags, environment and YAML alike', () => {
  it('--duration 3', () => {
    const result = loadctl([...DRY_RUN, '--duration', '3']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, THREE_SECONDS);
  });
  it('DURATION=3 (refused before issue 17)', () => {
    const result = loadctl(DRY_RUN, { DURATION: '3' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, THREE_SECONDS);
  });
  it('run: duration: 3 in the config file (3 ms before issue 17)', () => {
    const result = loadctl([...DRY_RUN, '--config', configFile('run:\n  duration: 3\n')]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, THREE_SECONDS);
  });
  it("DURATION=3000ms and run: duration: '3s' are the same 3 s", () => {
    assert.match(loadctl(DRY_RUN, { DURATION: '3000ms' }).stdout, THREE_SECONDS);
    assert.match(loadctl([...DRY_RUN, '--config', configFile("run:\n  duration: '3s'\n")]).stdout, THREE_SECONDS);
  });

  it('DURATION=1minute: exit 2, the variable, the value and the accepted forms', () => {
    const result = loadctl(DRY_RUN, { DURATION: '1minute' });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /^loadctl: environment variable DURATION: "1minute" is not a duration > 0\n {2}→ write a number with a unit ms, s, m or h, units combined as in 1h30m, or a bare number of seconds/);
    assert.equal(result.stdout, '');
  });
  it('run: duration: 1 minute in YAML: exit 2, the file, line, key path, value and accepted forms', () => {
    const file = configFile('run:\n  instances: 1\n  duration: 1 minute\n');
    const result = loadctl([...DRY_RUN, '--config', file]);
    assert.equal(result.status, 2, result.stderr);
    assert.ok(result.stderr.includes(`${file}:3:13 run.duration: "1 minute" is not a duration > 0 — fix: write a number with a unit ms, s, m or h, units combined as in 1h30m, or a bare number of seconds`), result.stderr);
  });
  it('phases: stress: duration: 0 in YAML is refused with the same forms', () => {
    const file = configFile('phases:\n  stress: { duration: 0 }\n');
    const result = loadctl(['phase', 'stress', '--config', file]);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /:2:\d+ phases\.stress\.duration: 0 is not a duration > 0 — fix: write a number with a unit ms, s, m or h/);
  });
});

describe('percentages: written with their % sign in flags and YAML alike; a bare number is ambiguous', () => {
  // The recorded backpressure run: 7 % of its requests got 429, a warning by the default levels (5–10 %).
  const reports = writeJsonFiles({ 'warning.json': recordedReportOf('warning') });
  const report = reports['warning.json']!;

  it('thresholds: errorRate: { critical: 6% } makes the 7 % run critical (gate --config, exit 10)', () => {
    const result = loadctl(['gate', report, '--no-color', '--config', configFile('thresholds:\n  errorRate: { warning: 5%, critical: 6% }\n')]);
    assert.equal(result.status, 10, result.stdout + result.stderr);
  });
  it('thresholds: errorRate: { critical: 0.06 }: exit 2, the file, line, key path and both readings', () => {
    const file = configFile('thresholds:\n  errorRate: { critical: 0.06 }\n');
    const result = loadctl(['gate', report, '--config', file]);
    assert.equal(result.status, 2, result.stderr);
    assert.ok(result.stderr.includes(`${file}:2:26 thresholds.errorRate.critical: 0.06 is ambiguous: write 6% or 0.06% — fix: write a number with the % sign`), result.stderr);
  });
  it('phases: breakpoint: precision: 0.1 in YAML: exit 2 before anything runs', () => {
    const file = configFile('phases:\n  breakpoint:\n    precision: 0.1\n');
    const result = loadctl(['phase', 'breakpoint', '--config', file]);
    assert.equal(result.status, 2, result.stderr);
    assert.ok(result.stderr.includes(`${file}:3:16 phases.breakpoint.precision: 0.1 is ambiguous: write 10% or 0.1%`), result.stderr);
  });

  it('compare --max-regression 10% is accepted', () => {
    const result = loadctl(['compare', report, report, '--max-regression', '10%', '--no-color']);
    assert.equal(result.status, 0, result.stderr);
  });
  const refused: Array<[string[], string]> = [
    [['compare', report, report, '--max-regression', '0.1'], "option '--max-regression <percent>' argument '0.1' is invalid. 0.1 is ambiguous: write 10% or 0.1%"],
    [['gate', report, '--baseline', report, '--warn-regression', '5'], "option '--warn-regression <percent>' argument '5' is invalid. 5 is ambiguous: write 500% or 5%"],
    [['phase', 'breakpoint', '--precision', '0.1'], "option '--precision <percent>' argument '0.1' is invalid. 0.1 is ambiguous: write 10% or 0.1%"],
    [['phase', 'breakpoint', '--precision', '100%'], "option '--precision <percent>' argument '100%' is invalid. 100% is out of range: give more than 0% and less than 100%"],
  ];
  for (const [args, message] of refused) {
    it(`${args[0]} ${args.slice(-2).join(' ')}: exit 2, "${message.slice(message.indexOf('. ') + 2)}"`, () => {
      const result = loadctl(args);
      assert.equal(result.status, 2, result.stderr);
      assert.ok(result.stderr.startsWith(`loadctl: ${message}\n`), result.stderr);
    });
  }
  it('phase breakpoint --precision 10% passes the parser (the next flag is the one refused)', () => {
    const result = loadctl(['phase', 'breakpoint', '--precision', '10%', '--max-steps', '0']);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /^loadctl: option '--max-steps <n>' argument '0' is invalid/);
  });
});
