/** One grammar for durations (and percentages) in flags, environment and loadctl.config.yaml, through the real CLI. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, repoRoot } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';

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
