/**
 * Options resolved once (issue 17), through the real CLI: compile reads loadctl.config.yaml as run does,
 * phase validate/stress honour RATE and DURATION, --out is checked before any load, phase takes
 * --engine/--k6 like run, and `engine run` answers SIGTERM and exits with how it ended.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseReport } from '../../src/phases/phase-report-types.js';
import { cliPath, repoRoot } from '../helpers/repo.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { startTestTarget } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CLEAN_ENV = { DURATION: '', RATE: '', RPS: '', INSTANCES: '', API_URL: '', GITHUB_STEP_SUMMARY: '' };

function loadctl(args: string[], env: Record<string, string> = {}, cwd = repoRoot()): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliPath(), ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...CLEAN_ENV, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('options resolved once, through the real CLI', () => {
  let target: Awaited<ReturnType<typeof startTestTarget>>;
  before(async () => {
    target = await startTestTarget();
  });
  after(() => target.stop());

  it("compile plans with loadctl.config.yaml's levels, as run --engine k6 does (it ignored the file)", () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'loadctl.config.yaml'), 'thresholds:\n  p95Ms: { warning: 321, critical: 654 }\n');
    const out = join(dir, 'out.js');
    const result = loadctl(['compile', join(repoRoot(), 'scenarios/simple.ts'), '-o', out], {}, dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(readFileSync(out, 'utf8'), /p95Ms: \{\s*warning: 321,\s*critical: 654\s*\}/);
  });

  // The target runs in this process: these runs must not block it (runCli, not spawnSync).
  it('phase validate takes RATE and DURATION from the environment (it ran 1000/s for 30 s regardless)', async () => {
    const out = join(makeTempDir(), 'phase.json');
    const result = await runCli(['phase', 'validate', '--instances', '1', '--target', target.url, '--target-metrics', 'none', '--no-color', '--out', out], { ...CLEAN_ENV, RATE: '20', DURATION: '1' });
    assert.ok(result.code === 0 || result.code === 11, result.stderr);
    const report = JSON.parse(readFileSync(out, 'utf8')) as PhaseReport;
    assert.equal(report.steps[0]!.rate, 20);
    assert.equal(report.steps[0]!.report?.load.plannedDurationMs, 1000);
  });

  it('an unwritable --out is refused before any load starts (it was found after the whole run)', () => {
    const dir = makeTempDir();
    const started = Date.now();
    const result = loadctl(['run', 'scenarios/simple.ts', '--rate', '10', '--duration', '30s', '--instances', '1', '--target', target.url, '--target-metrics', 'none', '--out', dir]);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`cannot write ${dir}: it is a directory, not a file`));
    assert.ok(Date.now() - started < 20_000, 'refused in seconds, not after the 30 s run');
    assert.doesNotMatch(result.stderr, /launch|started/);
  });

  it("run without --target-metrics asks the target's /health where its metrics are (it guessed :9464)", async () => {
    const out = join(makeTempDir(), 'run.json');
    const result = await runCli(['run', 'scenarios/simple.ts', '--rate', '10', '--duration', '1', '--instances', '1', '--target', target.url, '--no-color', '--out', out], CLEAN_ENV);
    assert.ok(result.code === 0 || result.code === 11, result.stderr);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { target: { metricsUrl: string; requests: number } | null; overall: { requests: number } };
    assert.equal(report.target?.metricsUrl, target.metricsUrl);
    assert.equal(report.target?.requests, report.overall.requests);
  });

  it('phase takes --engine and --k6 as run does', () => {
    const help = loadctl(['phase', '--help']).stdout;
    assert.match(help, /--engine <engine>/);
    assert.match(help, /--k6 <path>/);
  });

  it('engine run: SIGTERM stops the schedule, the result is printed, exit 130 (it ignored SIGTERM and always exited 0)', async () => {
    const run = startCli(['engine', 'run', 'scenarios/simple.ts', '--rate', '20', '--duration', '60s', '--target', target.url, '--workers', '1'], CLEAN_ENV);
    await new Promise<void>((resolve) => run.child.stderr!.on('data', (chunk: Buffer) => /\[1\/60s\]/.test(String(chunk)) && resolve()));
    run.child.kill('SIGTERM');
    const { code, stdout } = await run.done;
    assert.equal(code, 130, stdout);
    assert.match(stdout, /^stopped: \d+ requests/);
  });
});
