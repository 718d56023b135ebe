/**
 * Real OpenSSH daemons for the SSH fleet tests: N `sshd -D -e` processes on 127.0.0.2, 127.0.0.3, …,
 * each with its own host key and a private config (no PAM, key auth only, run as the current user),
 * plus a generated client key and a known_hosts file — all under one temp dir. sshd comes from
 * `scripts/provision-sshd.sh` (installed with apt-get once on a fresh machine).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../src/net/free-port.js';
import { repoRoot } from './repo.js';
import { makeTempDir } from './temp-dir.js';

export interface TestSshHost {
  host: string;
  port: number;
  /** The host's public key line (`ssh-ed25519 AAAA…`). */
  publicKey: string;
  /** This host's known_hosts line. */
  knownHostsLine: string;
}

export interface TestSshFleet {
  dir: string;
  hosts: TestSshHost[];
  /** Private key the daemons accept (unencrypted ed25519). */
  identityFile: string;
  /** known_hosts listing every daemon's key. */
  knownHostsFile: string;
  /** Writes a known_hosts file with the given lines and returns its path. */
  writeKnownHosts(lines: string[], name?: string): string;
  stop(): Promise<void>;
}

const daemons = new Set<ChildProcess>();
process.on('exit', () => {
  for (const daemon of daemons) daemon.kill('SIGKILL');
});

/** sshd's absolute path (sshd refuses to re-exec itself from a relative one). */
export function sshdPath(): string {
  if (process.env.LOADCTL_SSHD) return process.env.LOADCTL_SSHD;
  const path = execFileSync('bash', [join(repoRoot(), 'scripts', 'provision-sshd.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  process.env.LOADCTL_SSHD = path;
  return path;
}

/** Starts `count` daemons on 127.0.0.(first+i); `first` defaults to 2. */
export async function startSshFleet(count: number, first = 2): Promise<TestSshFleet> {
  const sshd = sshdPath();
  const dir = makeTempDir('loadctl-sshd-');
  const identityFile = join(dir, 'client_key');
  generateKey(identityFile, 'loadctl-test-client');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${identityFile}.pub`));
  const started = await Promise.all(Array.from({ length: count }, (_, index) => startDaemon(sshd, dir, `127.0.0.${first + index}`)));
  const hosts = started.map((daemon) => daemon.host);
  const writeKnownHosts = (lines: string[], name = 'known_hosts') => {
    const file = join(dir, name);
    writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
    return file;
  };
  return {
    dir,
    hosts,
    identityFile,
    knownHostsFile: writeKnownHosts(hosts.map((host) => host.knownHostsLine)),
    writeKnownHosts,
    stop: async () => {
      await Promise.all(started.map((daemon) => daemon.stop()));
    },
  };
}

function generateKey(file: string, comment: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { stdio: 'ignore' });
}

async function startDaemon(sshd: string, dir: string, address: string): Promise<{ host: TestSshHost; stop: () => Promise<void> }> {
  const home = join(dir, address);
  mkdirSync(home);
  const hostKey = join(home, 'ssh_host_ed25519_key');
  generateKey(hostKey, `host-${address}`);
  const publicKey = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  for (let attempt = 0; ; attempt++) {
    const port = await freePort(address);
    const config = join(home, 'sshd_config');
    writeFileSync(config, sshdConfig({ address, port, hostKey, home, authorizedKeys: join(dir, 'authorized_keys') }));
    const child = spawn(sshd, ['-f', config, '-D', '-e'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (chunk) => {
      log = (log + chunk).slice(-4000);
      if (process.env.LOADCTL_SSHD_LOG_LEVEL) process.stderr.write(chunk);
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    daemons.add(child);
    void exited.then(() => daemons.delete(child));
    if (await waitForListening(address, port, exited)) {
      const host = { host: address, port, publicKey, knownHostsLine: `[${address}]:${port} ${publicKey}` };
      return { host, stop: () => (child.kill('SIGTERM'), exited) };
    }
    child.kill('SIGKILL');
    await exited;
    if (attempt >= 3) throw new Error(`sshd on ${address}:${port} did not start:\n${log}`);
  }
}

function sshdConfig(options: { address: string; port: number; hostKey: string; home: string; authorizedKeys: string }): string {
  return [
    `ListenAddress ${options.address}:${options.port}`,
    `HostKey ${options.hostKey}`,
    `PidFile ${join(options.home, 'sshd.pid')}`,
    `AuthorizedKeysFile ${options.authorizedKeys}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'MaxSessions 128',
    'MaxStartups 200',
    'Subsystem sftp internal-sftp',
    `LogLevel ${process.env.LOADCTL_SSHD_LOG_LEVEL ?? 'ERROR'}`,
    '',
  ].join('\n');
}

/** True once the port accepts connections; false if the daemon exits first or 10 s pass. */
async function waitForListening(address: string, port: number, exited: Promise<void>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 10_000;
  while (!gone && Date.now() < deadline) {
    if (await canConnect(address, port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** PIDs of processes whose command line contains `marker` (what a remote agent leaves behind on these local "hosts"). */
export function findProcesses(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Waits until no process carries `marker` (or `timeoutMs` passes); returns those still there. */
export async function waitForNoProcesses(marker: string, timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = findProcesses(marker);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
