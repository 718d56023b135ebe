import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { provisionFleet } from '../../src/fleet/provision-fleet.js';
import { resolveFleetConfig } from '../../src/fleet/fleet-config.js';
import { findRustEngine } from '../../src/engines/rust/engine-binary.js';
import { startSshFleet, type TestSshFleet } from '../helpers/sshd.js';

let fleet: TestSshFleet;
before(async () => {
  fleet = await startSshFleet(4);
});
after(async () => {
  await fleet?.stop();
});

/** Work dirs with names a shell would mangle: the "hosts" share this machine's disk, so each has its own. */
const hostileWorkDir = (index: number) => join(fleet.dir, `work ${index} it's "$(touch pwned)"; \`id\`\nnext`);

function config() {
  return resolveFleetConfig(
    { knownHosts: fleet.knownHostsFile, hosts: fleet.hosts.map((host, index) => ({ host: host.host, port: host.port, user: 'root', identityFile: fleet.identityFile, node: process.execPath, workDir: hostileWorkDir(index) })) },
    { baseDir: fleet.dir, env: {} },
  );
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('fleet provision against real sshd', { timeout: 120_000 }, () => {
  it('pushes the agent bundle to every host (verified), skips identical files, replaces changed ones', async () => {
    const bundle = join(fleet.dir, 'loadctl-agent.mjs');
    writeFileSync(bundle, `// agent bundle stand-in for the push test\n${'x'.repeat(300_000)}\n`);
    const first = await provisionFleet(config(), { agentBundle: bundle });
    assert.equal(first.ok, true, JSON.stringify(first.hosts.map((host) => host.error)));
    first.hosts.forEach((host, index) => {
      const remote = join(hostileWorkDir(index), 'loadctl-agent.mjs');
      assert.deepEqual(host.files, [{ remotePath: remote, sha256: sha256(bundle), action: 'uploaded' }]);
      assert.equal(sha256(remote), sha256(bundle));
    });

    const again = await provisionFleet(config(), { agentBundle: bundle });
    assert.deepEqual(again.hosts.map((host) => host.files[0]!.action), ['unchanged', 'unchanged', 'unchanged', 'unchanged']);

    writeFileSync(join(hostileWorkDir(2), 'loadctl-agent.mjs'), 'tampered');
    const repaired = await provisionFleet(config(), { agentBundle: bundle });
    assert.deepEqual(repaired.hosts.map((host) => host.files[0]!.action), ['unchanged', 'unchanged', 'uploaded', 'unchanged']);
    assert.equal(sha256(join(hostileWorkDir(2), 'loadctl-agent.mjs')), sha256(bundle));

    for (let index = 0; index < 4; index++) assert.deepEqual(readdirSync(hostileWorkDir(index)), ['loadctl-agent.mjs'], 'no temporary upload left behind');
    assert.deepEqual(readdirSync(fleet.dir).filter((name) => name === 'pwned'), [], 'no path was run by a shell');
  });

  it('pushes the rust engine beside the bundle, executable, and reports its `--version` answer there', async () => {
    const bundle = join(fleet.dir, 'bundle-for-rust-test.mjs');
    writeFileSync(bundle, '// agent bundle stand-in\n');
    const engine = findRustEngine();
    assert.ok(engine, 'no loadctl-engine: run `npm run build:engine`');
    const result = await provisionFleet(config(), { agentBundle: bundle, rustEngine: engine });
    assert.equal(result.ok, true, JSON.stringify(result.hosts.map((host) => host.error)));
    result.hosts.forEach((host, index) => {
      const pushed = join(hostileWorkDir(index), 'engine', 'loadctl-engine');
      assert.equal(host.files[1]!.remotePath, pushed);
      assert.equal(sha256(pushed), sha256(engine));
      assert.ok(statSync(pushed).mode & 0o100, 'executable');
      assert.match(host.rustEngineVersion ?? '', /^loadctl-engine \d+\.\d+\.\d+$/);
    });
    const again = await provisionFleet(config(), { agentBundle: bundle, rustEngine: engine });
    assert.deepEqual(again.hosts.map((host) => host.files[1]!.action), ['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('--k6 pushes the file the user supplies, executable, and reports its `k6 version` answer', async () => {
    const bundle = join(fleet.dir, 'bundle-for-k6-test.mjs');
    writeFileSync(bundle, '// agent bundle stand-in\n');
    // A user-supplied file standing in for a k6 binary (test double, not k6: loadctl never runs or fetches k6 in tests).
    const userK6 = join(fleet.dir, 'user-k6');
    writeFileSync(userK6, '#!/bin/sh\necho "k6 v1.8.1 (test double, not k6)"\n');
    const result = await provisionFleet(config(), { agentBundle: bundle, k6: userK6 });
    assert.equal(result.ok, true, JSON.stringify(result.hosts.map((host) => host.error)));
    result.hosts.forEach((host, index) => {
      const pushed = join(hostileWorkDir(index), 'k6');
      assert.equal(host.files[1]!.remotePath, pushed);
      assert.equal(statSync(pushed).mode & 0o777, 0o755);
      assert.equal(host.k6Version, 'k6 v1.8.1 (test double, not k6)');
    });
  });

  it('a host whose Node cannot verify checksums fails alone, with the fix', async () => {
    const bundle = join(fleet.dir, 'bundle-bad-node.mjs');
    writeFileSync(bundle, '// stand-in\n');
    const base = config();
    const broken = { ...base, hosts: base.hosts.map((host, index) => (index === 3 ? { ...host, node: '/no/such/node' } : host)) };
    const result = await provisionFleet(broken, { agentBundle: bundle });
    assert.equal(result.ok, false);
    assert.deepEqual(result.hosts.map((host) => Boolean(host.error)), [false, false, false, true]);
    assert.match(result.hosts[3]!.error!, /cannot compute the SHA-256 .* \/no\/such\/node.*fleet\.hosts\[3\]\.node/s);
  });
});
