/**
 * Judges what `fleet check` found on each host. Pure: probes in, OK/WARN/FAIL rows out. The system
 * rows (open files, port range, tcp_tw_reuse, cores, memory) are the local doctor's own judges, fed
 * with the host's facts, so a host and this machine are held to the same thresholds and fixes.
 */
import { judgeTarget, type TargetCheckContext } from '../doctor/judge-target.js';
import type { TargetProbeOutcome } from '../net/probe-target.js';
import { judgeSystem, type CheckResult } from '../doctor/judge-system.js';
import { parseK6Version } from '../engines/k6/k6-version.js';
import type { ClockReading, RemoteFacts } from './remote-facts.js';

export type ConnectStage = 'connect' | 'host-key' | 'auth' | 'remote';

/** Everything learned about one host. */
export interface HostProbe {
  /** `user@host:port`. */
  name: string;
  keyPath: string;
  /** Set when the connection failed: at which stage, why, and the fix. */
  connectFailure?: { stage: ConnectStage; message: string; fix: string };
  /** True when the host key was recorded by this check (--accept-new-host-keys). */
  hostKeyRecorded?: boolean;
  nodePath: string;
  node?: { facts: RemoteFacts; clock: ClockReading } | { error: string };
  /** `k6 version` output, when the k6 engine is checked. */
  k6?: { path: string; output: string };
  /** The rust engine, when checked: `uname -m` there, this machine's, and `loadctl-engine --version` there. */
  rustEngine?: { path: string; output: string; hostArch: string; localArch: string };
  /** The target as this host reaches it (probeTarget run there), when a target was given. */
  target?: { outcome: TargetProbeOutcome; context: TargetCheckContext };
}

export interface HostReport {
  name: string;
  keyPath: string;
  checks: CheckResult[];
}

const MIN_NODE_MAJOR = 20;
/** Offsets are measured and corrected per run; a large one still means NTP is not running. */
const MAX_CLOCK_OFFSET_MS = 500;
/** The run's start instant is only as good as half a round trip: keep that within the 10 ms skew goal. */
const MAX_CLOCK_RTT_MS = 20;

/** One report per host; with k6 probes, versions are also compared across the fleet. */
export function judgeFleet(probes: readonly HostProbe[]): HostReport[] {
  const reports = probes.map((probe) => ({ name: probe.name, keyPath: probe.keyPath, checks: judgeHost(probe) }));
  compareK6Versions(probes, reports);
  return reports;
}

export function judgeHost(probe: HostProbe): CheckResult[] {
  const failure = probe.connectFailure;
  if (failure) return judgeConnectFailure(failure);
  const rows: CheckResult[] = [
    { name: 'reachable', status: 'ok', value: 'yes' },
    { name: 'host key', status: 'ok', value: probe.hostKeyRecorded ? 'recorded now (--accept-new-host-keys)' : 'matches known_hosts' },
    { name: 'authenticated', status: 'ok', value: 'yes' },
  ];
  if (!probe.node || 'error' in probe.node) {
    const error = probe.node && 'error' in probe.node ? probe.node.error : 'not run';
    rows.push({ name: 'node', status: 'fail', value: `${probe.nodePath}: ${error.slice(0, 200)}`, fix: `install Node ≥ ${MIN_NODE_MAJOR} on the host, or set ${probe.keyPath}.node to its path` });
    return [...rows, ...judgeK6Presence(probe), ...judgeRustEngine(probe)];
  }
  const { facts, clock } = probe.node;
  rows.push(judgeNode(facts.nodeVersion, probe));
  rows.push(...judgeK6Presence(probe), ...judgeRustEngine(probe));
  const system = judgeSystem({ ...facts, goVersion: undefined, k6: undefined, rustEngine: undefined }).filter((check) => check.name !== 'k6' && check.name !== 'go' && check.name !== 'engines');
  return [...rows, ...system, judgeClock(clock), ...(probe.target ? [judgeTarget(probe.target.outcome, probe.target.context)] : [])];
}

function judgeConnectFailure(failure: NonNullable<HostProbe['connectFailure']>): CheckResult[] {
  const failed: CheckResult = { name: '', status: 'fail', value: failure.message, fix: failure.fix };
  if (failure.stage === 'connect') return [{ ...failed, name: 'reachable' }];
  const reachable: CheckResult = { name: 'reachable', status: 'ok', value: 'yes' };
  if (failure.stage === 'host-key') return [reachable, { ...failed, name: 'host key' }];
  return [reachable, { name: 'host key', status: 'ok', value: 'matches known_hosts' }, { ...failed, name: 'authenticated' }];
}

function judgeNode(version: string, probe: HostProbe): CheckResult {
  const major = Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
  const value = `${version} (${probe.nodePath})`;
  return major >= MIN_NODE_MAJOR
    ? { name: 'node', status: 'ok', value }
    : { name: 'node', status: 'fail', value, fix: `the agent needs Node ≥ ${MIN_NODE_MAJOR}: upgrade it, or set ${probe.keyPath}.node to a newer one` };
}

function judgeK6Presence(probe: HostProbe): CheckResult[] {
  if (!probe.k6) return [];
  const version = parseK6Version(probe.k6.output);
  return version
    ? [{ name: 'k6', status: 'ok', value: `${version.text} (${probe.k6.path})` }]
    : [{ name: 'k6', status: 'fail', value: `${probe.k6.path}: ${probe.k6.output.trim().slice(0, 160) || 'no version output'}`, fix: `install k6 there and set ${probe.keyPath}.k6 to it, or push one with \`loadctl fleet provision --k6 PATH\` (loadctl checks k6; it never downloads k6)` }];
}

/** The binary is built for this machine's architecture and must answer `--version` on the host (issue 20). */
function judgeRustEngine(probe: HostProbe): CheckResult[] {
  const engine = probe.rustEngine;
  if (!engine) return [];
  const fix = 'build it (npm run build:engine) and push it with `loadctl fleet provision`, or run with --engine node';
  if (engine.hostArch !== engine.localArch) {
    return [{ name: 'loadctl-engine', status: 'fail', value: `host is ${engine.hostArch || 'unknown'}, the binary ${engine.localArch}`, fix: `build loadctl-engine on a ${engine.hostArch} machine, or run with --engine node` }];
  }
  return /^loadctl-engine \d+\.\d+\.\d+/.test(engine.output)
    ? [{ name: 'loadctl-engine', status: 'ok', value: `${engine.output.trim()} (${engine.path}, ${engine.hostArch})` }]
    : [{ name: 'loadctl-engine', status: 'fail', value: `${engine.path}: ${engine.output.trim().slice(0, 160) || 'no version output'}`, fix }];
}

function judgeClock(clock: ClockReading): CheckResult {
  const sign = clock.offsetMs >= 0 ? '+' : '−';
  const value = `${sign}${Math.abs(clock.offsetMs).toFixed(1)} ms vs this machine (± ${(clock.rttMs / 2).toFixed(1)} ms)`;
  if (Math.abs(clock.offsetMs) > MAX_CLOCK_OFFSET_MS) {
    return { name: 'clock offset', status: 'warn', value, fix: 'runs correct for it, but logs will not line up: enable time sync on the host (timedatectl set-ntp true, or chrony)' };
  }
  if (clock.rttMs > MAX_CLOCK_RTT_MS) {
    return { name: 'clock offset', status: 'warn', value, fix: `round trip ${clock.rttMs} ms: start skew may exceed 10 ms; run the controller closer to the generators` };
  }
  return { name: 'clock offset', status: 'ok', value };
}

/** Every host must run the same k6 version: mark those that differ from the most common one. */
function compareK6Versions(probes: readonly HostProbe[], reports: HostReport[]): void {
  const versions = probes.map((probe) => (probe.k6 ? parseK6Version(probe.k6.output)?.text : undefined));
  const counts = new Map<string, number>();
  for (const version of versions) if (version) counts.set(version, (counts.get(version) ?? 0) + 1);
  if (counts.size < 2) return;
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  versions.forEach((version, index) => {
    const row = reports[index]!.checks.find((check) => check.name === 'k6');
    if (!version || version === common || !row) return;
    row.status = 'fail';
    row.fix = `the fleet runs k6 ${common} elsewhere: install that same version here (results of different k6 versions do not merge cleanly), or push one binary to every host with \`loadctl fleet provision --k6 PATH\``;
  });
}
