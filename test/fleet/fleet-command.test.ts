import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cliPath } from '../helpers/repo.js';
import { startSshFleet, type TestSshFleet } from '../helpers/sshd.js';

const run = promisify(execFile);

/** Runs the real CLI; resolves with its exit code and output whatever the code. */
async function loadctl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath(), ...args], { env: { ...process.env, SSH_AUTH_SOCK: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let fleet: TestSshFleet;
let configFile: string;
before(async () => {
  fleet = await startSshFleet(2);
  configFile = join(fleet.dir, 'loadctl.config.yaml');
  const hosts = fleet.hosts.map((host) => `    - host: ${host.host}\n      port: ${host.port}\n      user: root\n      identityFile: client_key\n      node: ${process.execPath}\n      workDir: ${join(fleet.dir, `work-${host.host}`)}\n`);
  writeFileSync(configFile, `fleet:\n  knownHosts: known_hosts\n  hosts:\n${hosts.join('')}`);
});
after(async () => {
  await fleet?.stop();
});

describe('loadctl fleet (real CLI, real sshd)', { timeout: 120_000 }, () => {
  it('fleet check prints one table per host and exits 0 when nothing FAILs', async () => {
    const result = await loadctl(['fleet', 'check', '--config', configFile]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /root@127\.0\.0\.2:\d+ \(fleet\.hosts\[0\]\)/);
    assert.match(result.stdout, /clock offset/);
    assert.match(result.stdout, /all 2 hosts ready/);
    const key = readFileSync(fleet.identityFile, 'utf8').split('\n').slice(1, -2).join('');
    assert.ok(!(result.stdout + result.stderr).includes(key.slice(0, 40)), 'no key material in the output');
  });

  it('fleet check --json is machine-readable', async () => {
    const result = await loadctl(['fleet', 'check', '--config', configFile, '--json']);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; hosts: { keyPath: string }[] };
    assert.deepEqual(parsed.hosts.map((host) => host.keyPath), ['fleet.hosts[0]', 'fleet.hosts[1]']);
  });

  it('an unknown host key FAILs (exit 6) with the fingerprint; a bad config exits 2 naming the key', async () => {
    const unknown = join(fleet.dir, 'unknown.yaml');
    writeFileSync(unknown, readFileSync(configFile, 'utf8').replace('knownHosts: known_hosts', 'knownHosts: empty_known_hosts'));
    const refused = await loadctl(['fleet', 'check', '--config', unknown]);
    assert.equal(refused.code, 6);
    const fingerprint = readFileSync(`${fleet.dir}/127.0.0.2/ssh_host_ed25519_key.pub`, 'utf8');
    assert.match(refused.stdout, /FAIL host key: host key of \[127\.0\.0\.2\]:\d+ is not in \S+empty_known_hosts: it presented ssh-ed25519 SHA256:\S{43}\n/);
    assert.match(refused.stdout, /fix: .*--accept-new-host-keys/);
    assert.ok(fingerprint.length > 0);

    const bad = join(fleet.dir, 'bad.yaml');
    writeFileSync(bad, 'fleet:\n  hosts:\n    - host: gen-1\n      port: 99999\n      identityFile: client_key\n');
    const usage = await loadctl(['fleet', 'check', '--config', bad]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /fleet\.hosts\[0\]\.port: must be an integer from 1 to 65535 \(got 99999\)/);
    assert.doesNotMatch(usage.stderr, /at .*\.js:\d+/, 'no stack trace');
  });

  it('fleet provision pushes --agent-bundle, then reports it unchanged', async () => {
    const bundle = join(fleet.dir, 'agent.mjs');
    writeFileSync(bundle, '// agent bundle stand-in\n');
    const first = await loadctl(['fleet', 'provision', '--config', configFile, '--agent-bundle', bundle]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    // The bundle's row on each host (loadctl-engine, when built, is pushed beside it on rows of its own).
    const bundleRows = (stdout: string, action: string) => stdout.split('\n').filter((line) => line.includes(action) && !line.includes('loadctl-engine')).length;
    assert.equal(bundleRows(first.stdout, 'uploaded'), 2, first.stdout);
    const second = await loadctl(['fleet', 'provision', '--config', configFile, '--agent-bundle', bundle]);
    assert.equal(bundleRows(second.stdout, 'unchanged'), 2, second.stdout);
    const missing = await loadctl(['fleet', 'provision', '--config', configFile, '--agent-bundle', bundle, '--k6', join(fleet.dir, 'no-k6')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /never downloads k6/);
  });
});
