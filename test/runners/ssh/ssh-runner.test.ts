import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createSshRunner, type SshRunnerOptions } from '../../../src/runners/ssh/ssh-runner.js';
import { SshError } from '../../../src/runners/ssh/ssh-error.js';
import { fingerprintOf } from '../../../src/runners/ssh/known-hosts.js';
import { resolveFleetConfig, type ResolvedFleetConfig } from '../../../src/fleet/fleet-config.js';
import type { InstanceProcess } from '../../../src/runners/types.js';
import { findProcesses, startSshFleet, waitForNoProcesses, type TestSshFleet } from '../../helpers/sshd.js';
import { freePort } from '../../../src/net/free-port.js';
import { repoRoot } from '../../helpers/repo.js';

let fleet: TestSshFleet;

function fleetConfig(options: { knownHosts?: string; instances?: number; ports?: (number | undefined)[] } = {}): ResolvedFleetConfig {
  return resolveFleetConfig(
    {
      knownHosts: options.knownHosts ?? fleet.knownHostsFile,
      hosts: fleet.hosts.map((host, index) => ({ host: host.host, port: options.ports?.[index] ?? host.port, user: 'root', identityFile: fleet.identityFile, node: process.execPath, instances: options.instances ?? 1 })),
    },
    { baseDir: fleet.dir, env: {} },
  );
}

/** An agent stand-in that writes `marker-<pid>` files when started: proves whether anything started. */
function markingCommand(markerDir: string): SshRunnerOptions['agentCommand'] {
  return (host) => [host.node, '-e', "require('fs').writeFileSync(process.argv[1] + '/started-' + process.pid, ''); process.stdin.resume()", markerDir];
}

function startedCount(markerDir: string): number {
  return readdirSync(markerDir).filter((name) => name.startsWith('started-')).length;
}

function markerDir(): string {
  const dir = join(fleet.dir, `markers-${randomUUID()}`);
  mkdirSync(dir);
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<SshError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SshError, `expected an SshError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the launch to fail');
}

before(async () => {
  fleet = await startSshFleet(4);
});
after(async () => {
  await fleet?.stop();
});

describe('SSH runner over real sshd', { timeout: 120_000 }, () => {
  it('spreads instances over the hosts and carries the protocol bytes both ways', async () => {
    const config = fleetConfig({ instances: 2 });
    const runner = createSshRunner(config.hosts, {
      knownHostsFile: config.knownHosts,
      agentCommand: (host) => [host.node, '-e', "process.stdin.on('data', (d) => process.stdout.write('echo ' + d)); process.stdin.on('end', () => process.exit(3))"],
    });
    assert.equal(runner.capacity, 8);
    const instances = await runner.launch(6);
    assert.deepEqual(
      instances.map((instance) => instance.label.replace(/:\d+/, '')),
      ['127.0.0.2#0', '127.0.0.3#0', '127.0.0.4#0', '127.0.0.5#0', '127.0.0.2#1', '127.0.0.3#1'],
    );
    const replies = await Promise.all(instances.map((instance, index) => echo(instance, `{"type":"clock","id":${index}}`)));
    assert.deepEqual(replies, instances.map((_, index) => `echo {"type":"clock","id":${index}}`));
    for (const instance of instances) instance.stdin.end();
    const exits = await Promise.all(instances.map((instance) => instance.exited));
    assert.deepEqual(exits.map((exit) => exit.exitCode), [3, 3, 3, 3, 3, 3], 'stdin EOF reached every agent and its exit code came back');
  });

  it('refuses a changed host key with both fingerprints and starts nothing, even with --accept-new-host-keys', async () => {
    const other = fleet.hosts[0]!.publicKey;
    const lines = fleet.hosts.map((host, index) => (index === 1 ? `[${host.host}]:${host.port} ${other}` : host.knownHostsLine));
    const knownHosts = fleet.writeKnownHosts(lines, `kh-changed-${randomUUID()}`);
    const before = readFileSync(knownHosts, 'utf8');
    const markers = markerDir();
    for (const acceptNewHostKeys of [false, true]) {
      const config = fleetConfig({ knownHosts });
      const error = await rejection(createSshRunner(config.hosts, { knownHostsFile: knownHosts, acceptNewHostKeys, agentCommand: markingCommand(markers) }).launch(4));
      const presented = fingerprintOf(Buffer.from(fleet.hosts[1]!.publicKey.split(' ')[1]!, 'base64'));
      const known = fingerprintOf(Buffer.from(other.split(' ')[1]!, 'base64'));
      assert.match(error.message, /HOST KEY CHANGED for \[127\.0\.0\.3\]/);
      assert.ok(error.message.includes(presented) && error.message.includes(known), error.message);
      assert.match(error.message, /fleet\.hosts\[1\]/);
      assert.equal(startedCount(markers), 0, 'no agent started on any host');
      assert.equal(readFileSync(knownHosts, 'utf8'), before, 'known_hosts untouched');
    }
  });

  it('refuses an unknown host with its fingerprint, records it with --accept-new-host-keys, then knows it', async () => {
    const knownHosts = fleet.writeKnownHosts(fleet.hosts.slice(0, 3).map((host) => host.knownHostsLine), `kh-unknown-${randomUUID()}`);
    const config = fleetConfig({ knownHosts });
    const markers = markerDir();
    const options = { knownHostsFile: knownHosts, agentCommand: markingCommand(markers) };
    const error = await rejection(createSshRunner(config.hosts, options).launch(4));
    const fingerprint = fingerprintOf(Buffer.from(fleet.hosts[3]!.publicKey.split(' ')[1]!, 'base64'));
    assert.match(error.message, /host key of \[127\.0\.0\.5\]:\d+ is not in .* it presented ssh-ed25519 SHA256:/);
    assert.ok(error.message.includes(fingerprint), error.message);
    assert.match(error.message, /--accept-new-host-keys/);
    assert.equal(startedCount(markers), 0);

    const notices: string[] = [];
    const instances = await createSshRunner(config.hosts, { ...options, acceptNewHostKeys: true, onNotice: (line) => notices.push(line) }).launch(4);
    await stopAll(instances);
    assert.match(notices.join('\n'), new RegExp(`recorded the host key of \\[127\\.0\\.0\\.5\\]:\\d+ \\(ssh-ed25519 ${fingerprint.replace(/[+/]/g, '\\$&')}\\)`));
    assert.ok(readFileSync(knownHosts, 'utf8').includes(fleet.hosts[3]!.knownHostsLine), 'the new key is in known_hosts');
    await stopAll(await createSshRunner(config.hosts, options).launch(4));
  });

  it('an unreachable host fails the launch before any agent starts, naming the host and the fix', async () => {
    const closedPort = await freePort();
    const config = fleetConfig({ ports: [undefined, undefined, undefined, closedPort] });
    const markers = markerDir();
    const error = await rejection(createSshRunner(config.hosts, { knownHostsFile: config.knownHosts, agentCommand: markingCommand(markers) }).launch(4));
    assert.match(error.message, /1 of 4 fleet hosts failed before any instance started/);
    assert.match(error.message, new RegExp(`fleet\\.hosts\\[3\\] root@127\\.0\\.0\\.5:${closedPort}: connection refused`));
    assert.match(error.hint!, /--allow-partial/);
    assert.equal(startedCount(markers), 0, 'nothing started on the three good hosts');
  });

  it('with allowPartial, runs on the hosts that connect and says which were skipped', async () => {
    const closedPort = await freePort();
    const config = fleetConfig({ ports: [undefined, closedPort, undefined, undefined], instances: 2 });
    const runner = createSshRunner(config.hosts, { knownHostsFile: config.knownHosts, allowPartial: true, agentCommand: markingCommand(markerDir()) });
    const instances = await runner.launch(4);
    assert.deepEqual(runner.skippedHosts.map((host) => host.keyPath), ['fleet.hosts[1]']);
    assert.ok(instances.every((instance) => instance.host !== '127.0.0.3'));
    await stopAll(instances);
    await assert.rejects(createSshRunner(config.hosts, { knownHostsFile: config.knownHosts, allowPartial: true }).launch(7), /more than the fleet allows: 6/);
  });

  it('kill() ends an agent that ignores its input, and its exit says SIGKILL', async () => {
    const marker = `loadctl-test-${randomUUID()}`;
    const config = fleetConfig();
    const runner = createSshRunner(config.hosts, { knownHostsFile: config.knownHosts, agentCommand: (host) => [host.node, '-e', "process.stdin.resume(); process.stdin.on('end', () => {}); setInterval(() => {}, 1000); console.error('up')", marker] });
    const instances = await runner.launch(2);
    for (const instance of instances) instance.stdout.resume();
    await Promise.all(instances.map((instance) => once(instance.stderr, 'data')));
    instances[0]!.kill();
    const exit = await instances[0]!.exited;
    assert.equal(exit.signal, 'SIGKILL');
    instances[1]!.stdin.end(); // ignored by this agent: only kill() or the watchdog can end it
    instances[1]!.kill();
    await instances[1]!.exited;
    assert.deepEqual(await waitForNoProcesses(marker), [], 'no agent left on any host');
  });

  it('a controller killed outright leaves no agent on any host (remote watchdog)', async () => {
    const marker = `loadctl-test-${randomUUID()}`;
    const configFile = join(fleet.dir, `fleet-${randomUUID()}.json`);
    writeFileSync(configFile, JSON.stringify(fleetConfig({ instances: 2 })));
    const script = join(repoRoot(), 'dist', 'test', 'runners', 'ssh', 'fixtures', 'launch-and-wait.js');
    const controller = spawn(process.execPath, [script, configFile, marker, '8'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(controller, 'exit');
    try {
      const [line] = (await once(controller.stdout!, 'data')) as [Buffer];
      assert.equal(line.toString().trim(), 'launched');
      assert.equal(await waitForAgents(marker, 8), 8, '8 agents running');
    } finally {
      controller.kill('SIGKILL');
      await exited;
    }
    assert.deepEqual(await waitForNoProcesses(marker), [], 'the watchdogs ended every agent');
  });
});

/** Agents (node processes, not their sh wrappers) carrying `marker`, once `count` are up or 10 s passed. */
async function waitForAgents(marker: string, count: number): Promise<number> {
  const agents = () => findProcesses(marker).filter((pid) => readCmdline(pid).startsWith(process.execPath)).length;
  for (const deadline = Date.now() + 10_000; agents() < count && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
  return agents();
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function echo(instance: InstanceProcess, line: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    instance.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]!);
    });
    instance.stdin.write(`${line}\n`);
  });
}

async function stopAll(instances: InstanceProcess[]): Promise<void> {
  for (const instance of instances) {
    instance.stdout.resume();
    instance.kill();
  }
  await Promise.all(instances.map((instance) => instance.exited));
}
