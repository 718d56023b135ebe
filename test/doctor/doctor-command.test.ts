/** `loadctl doctor` on this very machine: it reports the real facts and exits 6 when a check fails. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { cliPath } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';

it('loadctl doctor --json reports this machine, each non-OK check with a fix', () => {
  // From an empty directory with no API_URL: the default target, which is only a warning when nothing answers there.
  const result = spawnSync(process.execPath, [cliPath(), 'doctor', '--json'], { encoding: 'utf8', timeout: 30_000, cwd: makeTempDir(), env: { ...process.env, API_URL: '' } });
  const { checks } = JSON.parse(result.stdout) as { checks: Array<{ name: string; status: string; value: string; fix?: string }> };
  assert.deepEqual(checks.map((c) => c.name), ['engines', 'k6', 'go', 'open files (ulimit -n)', 'local port range', 'tcp_tw_reuse', 'cores', 'memory', 'target']);
  assert.notEqual(checks.find((c) => c.name === 'target')!.status, 'fail');
  assert.equal(checks.find((c) => c.name === 'cores')!.value, String(availableParallelism()));
  for (const check of checks.filter((c) => c.status !== 'ok' && c.value !== 'unknown')) assert.ok(check.fix, `${check.name} lacks a fix`);
  const failed = checks.some((c) => c.status === 'fail');
  assert.equal(result.status, failed ? 6 : 0);
});

it('loadctl doctor --target where nothing listens fails the target check, naming host:port and the fix', () => {
  const result = spawnSync(process.execPath, [cliPath(), 'doctor', '--json', '--target', 'http://127.0.0.1:9'], { encoding: 'utf8', timeout: 30_000 });
  const target = (JSON.parse(result.stdout) as { checks: Array<{ name: string; status: string; value: string; fix?: string }> }).checks.find((c) => c.name === 'target')!;
  assert.equal(target.status, 'fail');
  assert.match(target.value, /http:\/\/127\.0\.0\.1:9 is unreachable: connection refused \(127\.0\.0\.1:9\)/);
  assert.match(target.fix ?? '', /loadctl target start/);
  assert.equal(result.status, 6);
});

it('loadctl doctor --k6 with a path that is not k6 fails the k6 check and says so', () => {
  const result = spawnSync(process.execPath, [cliPath(), 'doctor', '--json', '--k6', '/bin/true'], { encoding: 'utf8', timeout: 30_000 });
  const k6 = (JSON.parse(result.stdout) as { checks: Array<{ name: string; status: string; value: string }> }).checks.find((c) => c.name === 'k6')!;
  assert.equal(k6.status, 'fail');
  assert.match(k6.value, /\/bin\/true \(from --k6\) gave no version/);
  assert.equal(result.status, 6);
});
