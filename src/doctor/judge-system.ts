/**
 * Judges a machine for load generation and for running the target-service. Pure: facts in,
 * verdicts out. Thresholds and fixes are the load-testing guide's ("Connection refused" → Fix).
 */
import { isSupportedK6 } from '../engines/k6/k6-version.js';
import type { SystemFacts } from './system-facts.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** What was found, in words. */
  value: string;
  /** The next step, when not ok. */
  fix?: string;
}

const MIN_OPEN_FILES = 65_535;
const MIN_PORT_SPAN = 60_000;
const GIB = 1024 ** 3;

export function judgeSystem(facts: SystemFacts): CheckResult[] {
  return [judgeEngines(facts), judgeK6(facts), judgeGo(facts), judgeOpenFiles(facts), judgePortRange(facts), judgeTimeWaitReuse(facts), judgeCores(facts), judgeMemory(facts)];
}

/** Which engines this machine has: node always; rust when loadctl-engine is built and runs here (issue 20). */
function judgeEngines({ rustEngine }: SystemFacts): CheckResult {
  const name = 'engines';
  if (!rustEngine) {
    return { name, status: 'warn', value: 'node (the rust engine is not built: --engine auto runs node)', fix: 'npm run build:engine (needs cargo) for the rust engine, about 2× the node engine per CPU-second' };
  }
  if (!rustEngine.version) {
    return { name, status: 'fail', value: `node; rust at ${rustEngine.path} does not run here (${rustEngine.error ?? 'no version'})`, fix: 'rebuild it for this machine: npm run build:engine' };
  }
  return { name, status: 'ok', value: `node, rust (loadctl-engine ${rustEngine.version} at ${rustEngine.path}; --engine auto runs rust)` };
}

function judgeK6({ k6 }: SystemFacts): CheckResult {
  if (!k6) {
    // Optional since the native engine is the default: only `--engine k6` needs a k6.
    return {
      name: 'k6',
      status: 'warn',
      value: 'not found (no --k6, LOADCTL_K6 unset, none on PATH); the native engine needs none',
      fix: 'only for --engine k6: pass --k6 PATH or set LOADCTL_K6 to a k6 ≥ 1.0 you installed; loadctl never downloads or builds k6',
    };
  }
  if (!k6.version) {
    return { name: 'k6', status: 'fail', value: `${k6.path} (from ${k6.source}) gave no version: ${k6.versionOutput.slice(0, 120)}`, fix: 'point --k6 / LOADCTL_K6 at a working k6 binary' };
  }
  const value = `${k6.version.text} at ${k6.path} (from ${k6.source})`;
  return isSupportedK6(k6.version) ? { name: 'k6', status: 'ok', value } : { name: 'k6', status: 'fail', value, fix: 'loadctl needs k6 ≥ 1.0: upgrade it or point --k6 at a newer binary' };
}

function judgeGo({ goVersion }: SystemFacts): CheckResult {
  if (!goVersion) return { name: 'go', status: 'warn', value: 'not found', fix: 'install Go ≥ 1.25 to build FerretDB (scripts/provision-ferretdb.sh) for the MongoDB-store tests' };
  const [major = 0, minor = 0] = goVersion.split('.').map(Number);
  const recent = major > 1 || (major === 1 && minor >= 25);
  return recent
    ? { name: 'go', status: 'ok', value: goVersion }
    : { name: 'go', status: 'warn', value: goVersion, fix: 'Go ≥ 1.25 is needed to build FerretDB; upgrade Go' };
}

function judgeOpenFiles({ openFilesLimit }: SystemFacts): CheckResult {
  if (openFilesLimit === undefined) return { name: 'open files (ulimit -n)', status: 'warn', value: 'unknown' };
  const value = Number.isFinite(openFilesLimit) ? String(openFilesLimit) : 'unlimited';
  return openFilesLimit >= MIN_OPEN_FILES
    ? { name: 'open files (ulimit -n)', status: 'ok', value }
    : { name: 'open files (ulimit -n)', status: 'warn', value, fix: `each connection is a file: ulimit -n ${MIN_OPEN_FILES}` };
}

function judgePortRange({ localPortRange }: SystemFacts): CheckResult {
  const name = 'local port range';
  if (!localPortRange) return { name, status: 'warn', value: 'unknown (not Linux?)' };
  const [low, high] = localPortRange;
  const value = `${low}–${high} (${high - low + 1} ports)`;
  return high - low + 1 >= MIN_PORT_SPAN
    ? { name, status: 'ok', value }
    : { name, status: 'warn', value, fix: 'more outgoing connections per target: sysctl -w net.ipv4.ip_local_port_range="1024 65535"' };
}

function judgeTimeWaitReuse({ tcpTwReuse }: SystemFacts): CheckResult {
  const name = 'tcp_tw_reuse';
  if (tcpTwReuse === undefined) return { name, status: 'warn', value: 'unknown (not Linux?)' };
  // 2 (the kernel default) reuses TIME_WAIT ports for loopback only; remote targets need 1.
  return tcpTwReuse === 1
    ? { name, status: 'ok', value: '1' }
    : { name, status: 'warn', value: `${tcpTwReuse}${tcpTwReuse === 2 ? ' (loopback only)' : ''}`, fix: 'sysctl -w net.ipv4.tcp_tw_reuse=1' };
}

function judgeCores({ cores }: SystemFacts): CheckResult {
  return cores >= 2
    ? { name: 'cores', status: 'ok', value: String(cores) }
    : { name: 'cores', status: 'warn', value: String(cores), fix: 'one core runs both the load and everything else: results will be generator-limited' };
}

function judgeMemory({ memoryBytes }: SystemFacts): CheckResult {
  const value = `${(memoryBytes / GIB).toFixed(1)} GiB`;
  return memoryBytes >= 4 * GIB
    ? { name: 'memory', status: 'ok', value }
    : { name: 'memory', status: 'warn', value, fix: 'under 4 GiB: keep maxVUs and batch sizes modest (the guide: "Out of memory")' };
}
