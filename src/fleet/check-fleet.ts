/**
 * `loadctl fleet check`'s core: every host in parallel — connect (host key, authentication), read
 * its facts and clock offset with its own Node, `k6 version` for the k6 engine (checked, never
 * installed) — then judge them all. Returns data; the command prints it.
 */
import { posix } from 'node:path';
import { SshError } from '../runners/ssh/ssh-error.js';
import { describeHost, SshSession } from '../runners/ssh/ssh-session.js';
import { remoteK6Path, type ResolvedFleetConfig, type ResolvedFleetHost } from './fleet-config.js';
import { judgeFleet, type HostProbe, type HostReport } from './judge-host.js';
import { probeRemoteFacts } from './remote-facts.js';
import { probeTarget, type TargetProbeOutcome, type TargetProbeRequest } from '../net/probe-target.js';
import type { TargetCheckContext } from '../doctor/judge-target.js';

export interface FleetCheckOptions {
  acceptNewHostKeys?: boolean;
  engine?: 'native' | 'rust' | 'k6';
  /** Per-host bound for connecting and for each probe (default 10 s). */
  timeoutMs?: number;
  /** Probe the target from every host (probeTarget, run by the host's Node) with the run's TLS settings. */
  target?: { request: TargetProbeRequest; context: TargetCheckContext };
  onNotice?: (message: string) => void;
}

export interface FleetCheckResult {
  hosts: HostReport[];
  /** True when no host has a FAIL row. */
  ok: boolean;
}

export async function checkFleet(config: ResolvedFleetConfig, options: FleetCheckOptions = {}): Promise<FleetCheckResult> {
  const probes = await Promise.all(config.hosts.map((host) => probeHost(host, config.knownHosts, options)));
  const hosts = judgeFleet(probes);
  return { hosts, ok: hosts.every((host) => host.checks.every((check) => check.status !== 'fail')) };
}

async function probeHost(host: ResolvedFleetHost, knownHostsFile: string, options: FleetCheckOptions): Promise<HostProbe> {
  const probe: HostProbe = { name: describeHost(host), keyPath: host.keyPath, nodePath: host.node };
  const timeoutMs = options.timeoutMs ?? 10_000;
  let session: SshSession;
  try {
    session = await SshSession.connect(host, {
      knownHostsFile,
      acceptNew: options.acceptNewHostKeys ?? false,
      timeoutMs,
      onAccepted: (message) => {
        probe.hostKeyRecorded = true;
        options.onNotice?.(message);
      },
    });
  } catch (error) {
    const failure = error instanceof SshError ? error : new SshError(String(error));
    probe.connectFailure = { stage: failure.stage, message: failure.message, fix: failure.hint ?? '' };
    return probe;
  }
  try {
    const facts = await probeRemoteFacts(session, host, timeoutMs);
    probe.node = facts.ok ? { facts: facts.facts, clock: facts.clock } : { error: describeNodeFailure(facts.exitCode, facts.output) };
    if (options.target && probe.node && !('error' in probe.node)) {
      probe.target = { outcome: await probeTargetFrom(session, host, options.target.request, timeoutMs), context: { ...options.target.context, remote: true } };
    }
    if (options.engine === 'k6') {
      const k6 = remoteK6Path(host);
      probe.k6 = { path: k6, output: await readK6Version(session, k6, timeoutMs) };
    }
    if (options.engine === 'rust') probe.rustEngine = await readRustEngine(session, host, timeoutMs);
  } finally {
    session.end();
  }
  return probe;
}

/** probeTarget's own source, run by the host's Node: the request (PEM included) goes over stdin, never argv. */
const PROBE_SCRIPT = `const probeTarget = ${probeTarget.toString()};
let input = '';
process.stdin.setEncoding('utf8').on('data', (chunk) => (input += chunk)).on('end', () =>
  probeTarget(JSON.parse(input)).then((outcome) => process.stdout.write(JSON.stringify(outcome) + '\\n')));`;

async function probeTargetFrom(session: SshSession, host: ResolvedFleetHost, request: TargetProbeRequest, timeoutMs: number): Promise<TargetProbeOutcome> {
  const result = await session.exec([host.node, '-e', PROBE_SCRIPT], { input: JSON.stringify(request), timeoutMs: timeoutMs + request.timeoutMs });
  try {
    return JSON.parse(result.stdout) as TargetProbeOutcome;
  } catch {
    return { ok: false, code: 'PROBE_FAILED', message: `${result.stdout}${result.stderr}`.trim().slice(0, 200) || `exit code ${result.exitCode}` };
  }
}

async function readK6Version(session: SshSession, k6: string, timeoutMs: number): Promise<string> {
  const result = await session.exec([k6, 'version'], { timeoutMs });
  return result.exitCode === 0 ? result.stdout : `${result.stdout}${result.stderr}`.trim() || `exit code ${result.exitCode}`;
}

/** Where `fleet provision` puts the engine, its `--version` there, and the host's architecture against this machine's. */
async function readRustEngine(session: SshSession, host: ResolvedFleetHost, timeoutMs: number): Promise<NonNullable<HostProbe['rustEngine']>> {
  const path = posix.join(host.workDir, 'engine', 'loadctl-engine');
  const arch = await session.exec(['uname', '-m'], { timeoutMs });
  const version = await session.exec([path, '--version'], { timeoutMs });
  return {
    path,
    hostArch: arch.stdout.trim(),
    localArch: LOCAL_ARCH[process.arch] ?? process.arch,
    output: version.exitCode === 0 ? version.stdout : `${version.stdout}${version.stderr}`.trim() || `exit code ${version.exitCode}`,
  };
}

/** Node's names → `uname -m`'s. */
const LOCAL_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64' };

function describeNodeFailure(exitCode: number | null, output: string): string {
  if (exitCode === 127) return 'not found';
  return output.split('\n').find((line) => line.trim() !== '') ?? `exited with code ${exitCode}`;
}
