/** The default scenarios come from loadctl's install, whatever the working directory; a named one stays relative to it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { shippedScenarioPath } from '../../src/scenario/shipped-scenarios.js';
import { cliPath, repoRoot } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** Runs the real CLI from an empty temporary directory (no scenarios/, no loadctl.config.yaml). */
function loadctlElsewhere(args: string[]) {
  const cwd = makeTempDir();
  const result = spawnSync(process.execPath, [cliPath(), ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, API_URL: '', RATE: '', DURATION: '', INSTANCES: '' } });
  return { cwd, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('shipped scenarios', () => {
  it('are found at the package root', () => {
    assert.equal(shippedScenarioPath('full.ts'), join(repoRoot(), 'scenarios', 'full.ts'));
    assert.ok(existsSync(shippedScenarioPath('simple.ts')));
  });

  it('run --dry-run from another directory plans the shipped full.ts', () => {
    const result = loadctlElsewhere(['run', '--dry-run', '--rate', '100', '--instances', '1', '--no-color']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /dry run: nothing started/);
  });

  it('run --dry-run of full.ts at 1M req/s shows the bandwidth it needs (~20 GB/s, issue 19)', () => {
    const result = loadctlElsewhere(['run', '--dry-run', '--rate', '1000000', '--instances', '2', '--no-color']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /request size .* peak bandwidth out/);
    const total = /total .*? ([\d.]+) GB\/s/.exec(result.stdout);
    assert.ok(total && Number(total[1]) > 15 && Number(total[1]) < 30, result.stdout);
  });

  it('phase validate from another directory gets past the scenario lookup to the target preflight (a closed port: exit 5)', () => {
    const result = loadctlElsewhere(['phase', 'validate', '--target', 'http://127.0.0.1:9', '--target-metrics', 'none', '--rate', '10', '--duration', '1', '--instances', '1', '--no-color']);
    assert.equal(result.status, 5, result.stdout + result.stderr);
    assert.doesNotMatch(result.stderr, /scenario/);
    assert.match(result.stderr, /the target http:\/\/127\.0\.0\.1:9 is unreachable/);
  });

  it('a named scenario stays relative to the working directory, and the message says so', () => {
    const result = loadctlElsewhere(['run', 'scenarios/simple.ts', '--dry-run']);
    assert.equal(result.status, 2, result.stderr);
    assert.ok(result.stderr.startsWith('loadctl: scenario file scenarios/simple.ts does not exist\n'), result.stderr);
    assert.ok(result.stderr.includes(`relative to the working directory (${result.cwd}); loadctl's own are ${join(repoRoot(), 'scenarios')}/simple.ts and full.ts`), result.stderr);
  });
});
