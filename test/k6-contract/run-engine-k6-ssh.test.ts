// Runs `loadctl run --engine k6 --runner ssh` over real sshd and the k6 contract double (k6-double.ts), NOT k6:
// k6 is never run in this project. What is real: sshd, the agent bundle pushed by `fleet provision`, the
// controller, the target-service. The double stands where each host's k6 would be.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../src/report/run-report-types.js';
import { runCli } from '../helpers/run-cli.js';
import { startSshFleet, type TestSshFleet } from '../helpers/sshd.js';
import { spawnTargetCli, type TargetProcess } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { installK6Double, type InstalledK6Double } from './k6-double-install.js';

const NO_SSH_AGENT = { SSH_AUTH_SOCK: '' };

describe('loadctl run --engine k6 --runner ssh (real sshd, the k6 contract double, not k6)', { timeout: 180_000 }, () => {
  let fleet: TestSshFleet;
  let target: TargetProcess;
  let double: InstalledK6Double;
  let configFile: string;

  before(async () => {
    [fleet, target] = await Promise.all([startSshFleet(2), spawnTargetCli(['--store', makeTempDir('loadctl-k6-ssh-store-')])]);
    double = installK6Double({ initDelayMs: 300 });
    configFile = join(fleet.dir, 'loadctl.config.yaml');
    const hosts = fleet.hosts.map(
      (host) =>
        `    - host: ${host.host}\n      port: ${host.port}\n      user: root\n      identityFile: client_key\n      node: ${process.execPath}\n` +
        `      k6: ${double.path}\n      workDir: ${join(fleet.dir, `work-${host.host}`)}\n`,
    );
    writeFileSync(configFile, `fleet:\n  knownHosts: known_hosts\n  hosts:\n${hosts.join('')}`);
    const provision = await runCli(['fleet', 'provision', '--config', configFile], NO_SSH_AGENT);
    assert.equal(provision.code, 0, `fleet provision: ${provision.stdout}${provision.stderr}`);
  });
  after(async () => {
    await target?.stop();
    await fleet?.stop();
  });

  it("fleet check --engine k6 reads each host's k6 version", async () => {
    const { code, stdout, stderr } = await runCli(['fleet', 'check', '--engine', 'k6', '--config', configFile, '--json'], NO_SSH_AGENT);
    const result = JSON.parse(stdout) as { hosts: Array<{ checks: Array<{ name: string; status: string; value: string }> }> };
    for (const host of result.hosts) {
      const k6 = host.checks.find((check) => check.name === 'k6');
      assert.equal(k6?.status, 'ok', `${stdout}${stderr}`);
      assert.ok(k6!.value.includes(double.path), k6!.value);
    }
    assert.notEqual(code, 2, stderr);
  });

  it("starts each host's k6 through the pushed agent bundle, together, and merges and judges them", async () => {
    const out = join(makeTempDir('loadctl-k6-ssh-'), 'report.json');
    const { code, stdout, stderr } = await runCli(
      [
        'run', 'scenarios/simple.ts', '--engine', 'k6', '--runner', 'ssh', '--config', configFile, '--instances', '2', '--rate', '50', '--duration', '2s',
        '--target', target.url, '--target-metrics', target.metricsUrl!, '--out', out, '--no-color',
      ],
      NO_SSH_AGENT,
    );
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as RunReport;
    assert.equal(report.engine.name, 'k6');
    assert.equal(report.verdict.outcome, 'good');
    assert.deepEqual(report.instances.map((instance) => instance.status), ['completed', 'completed']);
    assert.equal(report.overall.requests, 100);
    assert.equal(report.target?.requests, report.overall.requests, 'server count == client count');
    const events = double.events();
    assert.equal(events.filter((e) => e.event === 'paused').length, 2, 'both started --paused');
    assert.equal(events.filter((e) => e.event === 'resumed').length, 2, 'both resumed through the REST API at the agreed instant');
  });

  it('refuses --k6 (a path on this machine) with --runner ssh before anything starts', async () => {
    const before = double.events().length;
    const { code, stderr } = await runCli(
      ['run', 'scenarios/simple.ts', '--engine', 'k6', '--k6', double.path, '--runner', 'ssh', '--config', configFile, '--instances', '2', '--rate', '50', '--duration', '2s', '--target', target.url],
      NO_SSH_AGENT,
    );
    assert.equal(code, 2, stderr);
    assert.match(stderr, /--k6 .* names a k6 on this machine; with --runner ssh each fleet host runs its own/);
    assert.match(stderr, /drop --k6/);
    assert.equal(double.events().length, before, 'no k6 was started');
  });
});
