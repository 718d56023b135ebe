import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRustEngine } from '../../src/engines/rust/engine-binary.js';
import { provisionFleet } from '../../src/fleet/provision-fleet.js';
import { checkFleet } from '../../src/fleet/check-fleet.js';
import type { CheckResult } from '../../src/doctor/judge-system.js';
import { judgeFleet, type HostProbe } from '../../src/fleet/judge-host.js';
import { renderFleetChecks } from '../../src/fleet/render-fleet-checks.js';
import { resolveFleetConfig } from '../../src/fleet/fleet-config.js';
import { startSshFleet, type TestSshFleet } from '../helpers/sshd.js';
import { freePort } from '../../src/net/free-port.js';

let fleet: TestSshFleet;
before(async () => {
  fleet = await startSshFleet(4);
});
after(async () => {
  await fleet?.stop();
});

function config(overrides: Array<Record<string, unknown>> = [], knownHosts = fleet.knownHostsFile) {
  return resolveFleetConfig(
    { knownHosts, hosts: fleet.hosts.map((host, index) => ({ host: host.host, port: host.port, user: 'root', identityFile: fleet.identityFile, node: process.execPath, ...overrides[index] })) },
    { baseDir: fleet.dir, env: {} },
  );
}

const row = (checks: CheckResult[], name: string) => checks.find((check) => check.name === name);

describe('fleet check against real sshd', { timeout: 120_000 }, () => {
  it('checks every host: reachable, host key, auth, node, system limits and clock offset', async () => {
    const result = await checkFleet(config());
    assert.equal(result.hosts.length, 4);
    for (const host of result.hosts) {
      const names = host.checks.map((check) => check.name);
      assert.deepEqual(names, ['reachable', 'host key', 'authenticated', 'node', 'open files (ulimit -n)', 'local port range', 'tcp_tw_reuse', 'cores', 'memory', 'clock offset']);
      for (const name of ['reachable', 'host key', 'authenticated', 'node']) assert.equal(row(host.checks, name)!.status, 'ok', `${host.name} ${name}`);
      assert.match(row(host.checks, 'node')!.value, new RegExp(`^${process.version.replace(/\./g, '\\.')} `));
      // Same machine: the offset is ~0 and bounded by half the round trip.
      const clock = /([+−])(\d+\.\d) ms vs this machine \(± (\d+\.\d) ms\)/.exec(row(host.checks, 'clock offset')!.value)!;
      assert.ok(Number(clock[2]) <= Number(clock[3]) + 1, row(host.checks, 'clock offset')!.value);
    }
    assert.equal(result.ok, result.hosts.every((host) => host.checks.every((check) => check.status !== 'fail')));
    assert.match(renderFleetChecks(result), /root@127\.0\.0\.2:\d+ \(fleet\.hosts\[0\]\)/);
  });

  it('a bad node path, a closed port and an unknown key each FAIL on their own host, with the fix', async () => {
    const closed = await freePort();
    const knownHosts = fleet.writeKnownHosts(fleet.hosts.slice(0, 3).map((host) => host.knownHostsLine), `kh-${randomUUID()}`);
    const result = await checkFleet(config([{}, { node: '/nonexistent dir/node' }, { port: closed }], knownHosts));
    assert.equal(result.ok, false);
    const [good, badNode, closedHost, unknownKey] = result.hosts;
    assert.ok(good!.checks.every((check) => check.status !== 'fail'));
    assert.equal(row(badNode!.checks, 'node')!.status, 'fail');
    assert.match(badNode!.checks.find((c) => c.name === 'node')!.fix!, /fleet\.hosts\[1\]\.node/);
    assert.deepEqual(closedHost!.checks.map((c) => [c.name, c.status]), [['reachable', 'fail']]);
    assert.match(closedHost!.checks[0]!.value, /connection refused/);
    assert.deepEqual(unknownKey!.checks.map((c) => [c.name, c.status]), [['reachable', 'ok'], ['host key', 'fail']]);
    assert.match(unknownKey!.checks[1]!.value, /SHA256:/);
    assert.match(unknownKey!.checks[1]!.fix!, /--accept-new-host-keys/);
    assert.match(renderFleetChecks(result), /3 of 4 hosts not ready/);
  });

  it('--accept-new-host-keys records the unknown key and says so in the row', async () => {
    const knownHosts = fleet.writeKnownHosts(fleet.hosts.slice(1).map((host) => host.knownHostsLine), `kh-${randomUUID()}`);
    const result = await checkFleet(config([], knownHosts), { acceptNewHostKeys: true });
    assert.match(row(result.hosts[0]!.checks, 'host key')!.status, /ok/);
    assert.match(result.hosts[0]!.checks[1]!.value, /recorded now/);
    assert.ok(readFileSync(knownHosts, 'utf8').includes(fleet.hosts[0]!.knownHostsLine));
  });

  it('with --engine k6, a host with no k6 (none set, none at <workDir>/k6) FAILs: loadctl checks k6, never installs it', async () => {
    const result = await checkFleet(config(), { engine: 'k6' });
    for (const host of result.hosts) {
      const k6 = row(host.checks, 'k6')!;
      assert.equal(k6.status, 'fail');
      assert.match(k6.value, /\/k6: /, 'names the path it looked at');
      assert.match(k6.fix!, /never downloads k6/);
    }
  });

  it('with --engine rust, loadctl-engine must answer --version on the host: FAIL before `fleet provision`, OK after', async () => {
    const engine = findRustEngine();
    assert.ok(engine, 'no loadctl-engine: run `npm run build:engine`');
    const rustConfig = () => config(fleet.hosts.map((_, index) => ({ workDir: join(fleet.dir, `rust-work-${index}`) })));
    const before = await checkFleet(rustConfig(), { engine: 'rust' });
    for (const host of before.hosts) {
      const rust = row(host.checks, 'loadctl-engine')!;
      assert.equal(rust.status, 'fail', rust.value);
      assert.match(rust.fix!, /fleet provision/);
    }
    const bundle = join(fleet.dir, 'bundle-for-rust-check.mjs');
    writeFileSync(bundle, '// agent bundle stand-in\n');
    assert.equal((await provisionFleet(rustConfig(), { agentBundle: bundle, rustEngine: engine })).ok, true);
    const after = await checkFleet(rustConfig(), { engine: 'rust' });
    for (const host of after.hosts) assert.match(row(host.checks, 'loadctl-engine')!.value, /^loadctl-engine \d+\.\d+\.\d+ \(.*x86_64\)$/);
    assert.equal(after.ok, true);
  });
});

describe('judgeFleet (k6 versions, recorded `k6 version` output)', () => {
  const facts = { nodeVersion: 'v20.19.0', openFilesLimit: 65_535, localPortRange: [1024, 65_535] as [number, number], tcpTwReuse: 1, cores: 8, memoryBytes: 16 * 1024 ** 3, platform: 'linux' };
  const probe = (name: string, k6Output: string): HostProbe => ({ name, keyPath: name, nodePath: 'node', node: { facts, clock: { offsetMs: 1, rttMs: 2 } }, k6: { path: '/usr/local/bin/k6', output: k6Output } });
  it('every host on the same k6 version is OK; the odd one out FAILs naming the fleet version', () => {
    const v181 = 'k6 v1.8.1 (commit/abc, go1.25.1, linux/amd64)';
    const reports = judgeFleet([probe('a', v181), probe('b', v181), probe('c', 'k6 v1.7.0 (commit/def, go1.24, linux/amd64)')]);
    assert.deepEqual(reports.map((report) => report.checks.find((check) => check.name === 'k6')!.status), ['ok', 'ok', 'fail']);
    assert.match(reports[2]!.checks.find((check) => check.name === 'k6')!.fix!, /k6 v1\.8\.1 elsewhere/);
    assert.ok(reports.every((report) => report.checks.every((check) => check.name === 'k6' || check.status === 'ok')));
  });
  it('old Node, far clocks and slow round trips are judged with fixes', () => {
    const old = judgeFleet([{ ...probe('a', ''), k6: undefined, node: { facts: { ...facts, nodeVersion: 'v18.20.0' }, clock: { offsetMs: 2500, rttMs: 60 } } }])[0]!;
    assert.equal(old.checks.find((check) => check.name === 'node')!.status, 'fail');
    const clock = old.checks.find((check) => check.name === 'clock offset')!;
    assert.equal(clock.status, 'warn');
    assert.match(clock.fix!, /time sync/);
  });
});
