/**
 * `loadctl run --runner ssh` through the real CLI: two real sshd "hosts" on 127.0.0.2–3, the native agent
 * bundle pushed to each by `loadctl fleet provision`, the real target-service. ssh-run.test.ts covers the
 * same core through `runTest`; this pins what a user types: flags, config file, exit codes, messages.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../src/report/run-report-types.js';
import { freePort } from '../../src/net/free-port.js';
import { runCli } from '../helpers/run-cli.js';
import { countStoredEvents } from '../helpers/sqlite-count.js';
import { findProcesses, startSshFleet, waitForNoProcesses, type TestSshFleet } from '../helpers/sshd.js';
import { spawnTargetCli } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { createTestCertificates } from '../helpers/tls-certs.js';

// The CLI must authenticate with the config's identityFile only, not a developer's ssh-agent.
const NO_SSH_AGENT = { SSH_AUTH_SOCK: '' };

describe('loadctl run --runner ssh (real CLI, 2 real sshd hosts, the real target-service)', { timeout: 180_000 }, () => {
  let fleet: TestSshFleet;
  /** Every agent (and its remote wrapper) runs from a workDir under this prefix. */
  let workDirPrefix: string;

  /** A config file whose fleet is the two daemons; `ports` overrides a host's port (e.g. a closed one). */
  const writeConfig = (name: string, ports: (number | undefined)[] = []): string => {
    const hosts = fleet.hosts.map(
      (host, index) =>
        `    - host: ${host.host}\n      port: ${ports[index] ?? host.port}\n      user: root\n      identityFile: client_key\n` +
        `      node: ${process.execPath}\n      workDir: ${workDirPrefix}${host.host}\n`,
    );
    const file = join(fleet.dir, name);
    writeFileSync(file, `fleet:\n  knownHosts: known_hosts\n  hosts:\n${hosts.join('')}`);
    return file;
  };

  before(async () => {
    fleet = await startSshFleet(2);
    workDirPrefix = join(fleet.dir, 'work-');
    const provision = await runCli(['fleet', 'provision', '--config', writeConfig('loadctl.config.yaml')], NO_SSH_AGENT);
    assert.equal(provision.code, 0, `fleet provision: ${provision.stdout}${provision.stderr}`);
  });
  after(async () => {
    await fleet?.stop();
  });

  it('runs on both hosts: exit 0, verdict good, client count == what the service stored', async () => {
    const store = makeTempDir('loadctl-run-ssh-store-');
    const target = await spawnTargetCli(['--store', store]);
    const out = join(makeTempDir('loadctl-run-ssh-'), 'report.json');
    let result: Awaited<ReturnType<typeof runCli>>;
    try {
      result = await runCli(
        [
          'run', 'scenarios/simple.ts', '--runner', 'ssh', '--config', join(fleet.dir, 'loadctl.config.yaml'), '--instances', '2', '--rate', '50', '--duration', '3s',
          '--target', target.url, '--target-metrics', target.metricsUrl!, '--out', out, '--no-color',
        ],
        NO_SSH_AGENT,
      );
    } finally {
      await target.stop(); // drains the service's buffer into the store before it is counted
    }
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /VERDICT GOOD/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as RunReport;
    assert.equal(report.verdict.outcome, 'good', report.verdict.reasons.join('; '));
    // Each host takes one instance (the config's default): the report says which fleet address ran which.
    assert.deepEqual(report.instances.map((instance) => instance.status), ['completed', 'completed']);
    assert.deepEqual(
      report.instances.map((instance) => instance.runner),
      fleet.hosts.map((host) => `${host.host}:${host.port}#0`),
    );
    assert.match(result.stdout, new RegExp(`${fleet.hosts[1]!.host.replace(/\./g, '\\.')}:${fleet.hosts[1]!.port} \\(`), 'the instance table names the fleet address');
    assert.equal(report.overall.requests, 150, '50 req/s × 3 s, split exactly over 2 hosts');
    assert.equal(report.target?.requests, report.overall.requests, "client count == the service's request count");
    assert.equal(report.overall.events, countStoredEvents(store), 'client count == what the service stored');
    assert.deepEqual(await waitForNoProcesses(workDirPrefix, 5_000), [], 'every agent exited');
  });

  it('over TLS (issue 19): fleet check verifies the certificate from every host; the run is good and counts equal', async () => {
    const certs = createTestCertificates();
    const store = makeTempDir('loadctl-run-ssh-tls-store-');
    const target = await spawnTargetCli(['--store', store], { tls: { cert: certs.server.cert, key: certs.server.key } });
    const config = join(fleet.dir, 'loadctl.config.yaml');
    const out = join(makeTempDir('loadctl-run-ssh-tls-'), 'report.json');
    let result: Awaited<ReturnType<typeof runCli>>;
    try {
      const check = await runCli(['fleet', 'check', '--config', config, '--target', target.url, '--ca', certs.ca.cert, '--json'], NO_SSH_AGENT);
      const hosts = (JSON.parse(check.stdout) as { hosts: Array<{ checks: Array<{ name: string; status: string; value: string }> }> }).hosts;
      assert.deepEqual(hosts.map((host) => host.checks.find((row) => row.name === 'target')?.value), hosts.map(() => `${target.url} reachable, certificate verified`), check.stdout);
      const untrusted = await runCli(['fleet', 'check', '--config', config, '--target', target.url, '--json'], NO_SSH_AGENT);
      assert.equal(untrusted.code, 6, untrusted.stderr);
      const rows = (JSON.parse(untrusted.stdout) as { hosts: typeof hosts }).hosts.map((host) => host.checks.find((row) => row.name === 'target'));
      assert.ok(rows.every((row) => row?.status === 'fail' && /UNABLE_TO_VERIFY_LEAF_SIGNATURE/.test(row.value)), JSON.stringify(rows));
      result = await runCli(
        [
          'run', 'scenarios/simple.ts', '--runner', 'ssh', '--config', config, '--instances', '2', '--rate', '50', '--duration', '3s',
          '--target', target.url, '--ca', certs.ca.cert, '--target-metrics', target.metricsUrl!, '--out', out, '--no-color',
        ],
        NO_SSH_AGENT,
      );
    } finally {
      await target.stop();
    }
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as RunReport;
    assert.equal(report.verdict.outcome, 'good', report.verdict.reasons.join('; '));
    assert.equal(report.overall.requests, 150);
    assert.equal(report.target?.requests, report.overall.requests, "client count == the service's request count");
    assert.equal(report.overall.events, countStoredEvents(store), 'client count == what the service stored');
    assert.ok((report.connections?.tls?.handshakes ?? 0) > 0 && report.connections?.tls?.insecure === false, JSON.stringify(report.connections));
  });

  it('an unreachable fleet host: exit 5 (the fleet could not start) before anything starts, the host named, nothing left running', async () => {
    // The target is a dead port on purpose (nothing must reach it): --no-preflight lets the fleet check speak.
    const closedPort = await freePort(fleet.hosts[1]!.host);
    const config = writeConfig('unreachable.yaml', [undefined, closedPort]);
    const { code, stdout, stderr } = await runCli(
      ['run', 'scenarios/simple.ts', '--runner', 'ssh', '--config', config, '--instances', '2', '--rate', '50', '--duration', '3s', '--target', 'http://127.0.0.1:9', '--target-metrics', 'none', '--no-preflight', '--no-color'],
      NO_SSH_AGENT,
    );
    assert.equal(code, 5, `${stdout}\n${stderr}`);
    assert.match(stderr, new RegExp(`1 of 2 fleet hosts failed before any instance started:\\n {2}fleet\\.hosts\\[1\\] root@127\\.0\\.0\\.3:${closedPort}: connection refused`));
    assert.match(stderr, /loadctl fleet check/);
    assert.doesNotMatch(stderr, /^\s+at /m, 'a message, not a stack trace');
    assert.equal(stdout, '');
    assert.deepEqual(findProcesses(workDirPrefix), [], 'no agent was started on the reachable host');
  });
});
