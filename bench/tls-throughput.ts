/**
 * Issue 19's TLS bench, side by side in one run (these machines are noisy: only ratios measured in the
 * same run mean anything). One nginx (Debian's, 1 worker) on core 0 answers POST /v1/events with a fixed
 * 202 on loopback, plain and HTTPS, from certificates made at run time (a CA and a server certificate,
 * openssl, in a temporary directory); each generator runs on core 1.
 *
 *   1. Requests per generator CPU-second, TLS vs plain HTTP, keep-alive: loadctl's native engine
 *      (bench/tls-engine-run.js: `engine run` with `NativeInstanceOptions.tls = { ca }`, 1 worker, open
 *      model at BENCH_NATIVE_RATE as in engine-throughput, at BENCH_HELD_RATE, and on 64 connections;
 *      bench/scenarios/fixed-vus.ts: rate × 0.1 connections as simple.ts pre-allocates, opened at prepare,
 *      never grown), wrk (`-t1 -c64`) and autocannon (`-c64`).
 *   2. CPU per new connection for the native engine: at BENCH_HANDSHAKE_RATE (saturating: see there), the same
 *      run against a server block that closes every connection (`keepalive_requests 1`) vs keep-alive;
 *      TLS with session tickets (reconnects resume) and without (every handshake full), plain for TCP alone.
 *
 * Measurement: requests are nginx's own count (stub_status, on a port of its own), so every tool is counted
 * the same way; CPU is the generator process's, all threads (/proc/PID/task/{*}/schedstat, ns), over a window
 * of BENCH_WINDOW s that starts BENCH_WARMUP s after the first requests reach nginx (start-up, the engine's
 * prepare with its handshakes, and warm-up excluded). For each window the bench also prints nginx's CPU
 * (server busy: it must stay below 100 % or the server is the limit) and what else ran on the two cores
 * (/proc/stat busy minus ours): other work sharing the machine.
 *
 * Usage: bash bench/tls-throughput.sh  (= npx tsc -p . && flock /tmp/loadctl-bench.lock node dist/bench/tls-throughput.js)
 * Knobs: BENCH_ROUNDS (1; medians when more), BENCH_WARMUP (2), BENCH_WINDOW (5), BENCH_NATIVE_RATE (30000),
 * BENCH_HELD_RATE (10000), BENCH_HANDSHAKE_RATE (3000), BENCH_NATIVE_VUS (the engine's connections; default
 * rate × 0.1), BENCH_KEY (ec = P-256 server key, or rsa = RSA-2048), BENCH_PORT (28400: ports BENCH_PORT…+5),
 * BENCH_ONLY (throughput,handshake; '' for none), BENCH_PROFILE=tls,tlsClose,tlsCloseFull,plain… (afterwards,
 * the engine against those server blocks under --cpu-prof: self time by file and function), BENCH_KEEP=1
 * (keep the work directory).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { InstanceResult } from '../src/protocol/instance-result.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);
const WINDOW_S = Number(process.env.BENCH_WINDOW ?? 5);
const NATIVE_RATE = Number(process.env.BENCH_NATIVE_RATE ?? 30_000);
/**
 * Part 2's rate: above what the engine opens per second over TLS, so the close runs saturate like part 1.
 * At a rate it holds (150–1000/s tried), each new connection adds two or three wake-ups (connect, the
 * server's handshake flight, the answer), and on a shared VM a wake-up costs ~100 µs or more: per-connection
 * figures then grew as the rate fell (resumed 850 µs at 1000/s, 1440 µs at 150/s, same day). The keep-alive
 * baseline at this rate is not saturated, but its per-request cost (tens of µs) is small beside a handshake's.
 */
const HANDSHAKE_RATE = Number(process.env.BENCH_HANDSHAKE_RATE ?? 3_000);
/** A rate the engine holds over TLS and plain alike on an idle machine: the TLS/plain ratio without saturation in one of them. */
const HELD_RATE = Number(process.env.BENCH_HELD_RATE ?? 10_000);
const KEY = process.env.BENCH_KEY === 'rsa' ? 'rsa' : 'ec';
const PORT = Number(process.env.BENCH_PORT ?? 28_400);
const ONLY = (process.env.BENCH_ONLY ?? 'throughput,handshake').split(',');
const DIR = mkdtempSync(join(tmpdir(), 'tls-bench-'));
/** Load runs this long after the first request: warm-up + window + a margin, so the window never sees the end. */
const LOAD_S = WARMUP_S + WINDOW_S + 2;
/** ~170 bytes, the size of the native engine's single events (as engine-throughput's fixed body). */
const BODY = JSON.stringify({ event_id: 'evt_0123456789abcdef', event_type: 'page_view', user_id: 'user_4242', session_id: 'sess_77', timestamp: '2026-11-28T23:00:00.000Z', properties: { page_url: '/p/42', referrer: '/' } });

/**
 * `argv` on one core (taskset execs it: the pid is the program's). No priority games: with the kernel's
 * autogroup scheduling (sched_autogroup_enabled=1), nice only ranks processes within this session, so
 * beside other sessions' builds the generator gets its session's share whatever its nice value.
 */
function spawnPinned(core: number, argv: string[], stdio: 'inherit' | 'pipe', env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn('taskset', ['-c', String(core), ...argv], { stdio: ['ignore', stdio, stdio], env: { ...process.env, ...env } });
}

/** nginx server blocks, one port each. */
const PORTS = { plain: PORT, plainClose: PORT + 1, tls: PORT + 2, tlsClose: PORT + 3, tlsCloseFull: PORT + 4, status: PORT + 5 };
type Endpoint = Exclude<keyof typeof PORTS, 'status'>;
const urlOf = (endpoint: Endpoint) => `${endpoint.startsWith('tls') ? 'https' : 'http'}://127.0.0.1:${PORTS[endpoint]}`;

function sh(file: string, args: string[]): string {
  return execFileSync(file, args, { cwd: DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A throwaway CA and a server certificate for 127.0.0.1 signed by it (nothing checked in). */
function makeCertificates(): void {
  sh('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=loadctl bench CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const newKey = KEY === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  sh('openssl', ['req', ...newKey, '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(DIR, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  sh('openssl', ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext']);
}

function nginxConfig(): string {
  const answer = `location / { return 202 '{"accepted":1}'; }`;
  const root = process.getuid?.() === 0 ? 'user root;\n' : '';
  mkdirSync(join(DIR, 'tmp'), { recursive: true });
  return `${root}daemon off;
worker_processes 1;
pid ${DIR}/nginx.pid;
error_log ${DIR}/error.log warn;
events { worker_connections 8000; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path ${DIR}/tmp/body; proxy_temp_path ${DIR}/tmp/proxy; fastcgi_temp_path ${DIR}/tmp/fastcgi; uwsgi_temp_path ${DIR}/tmp/uwsgi; scgi_temp_path ${DIR}/tmp/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 75s;
  ssl_certificate ${DIR}/server.pem;
  ssl_certificate_key ${DIR}/server.key;
  ssl_protocols TLSv1.2 TLSv1.3;
  server { listen 127.0.0.1:${PORTS.plain}; ${answer} }
  server { listen 127.0.0.1:${PORTS.plainClose}; keepalive_requests 1; ${answer} }
  server { listen 127.0.0.1:${PORTS.tls} ssl; ${answer} }
  server { listen 127.0.0.1:${PORTS.tlsClose} ssl; keepalive_requests 1; ${answer} }
  server { listen 127.0.0.1:${PORTS.tlsCloseFull} ssl; keepalive_requests 1; ssl_session_tickets off; ssl_session_cache off; ${answer} }
  server { listen 127.0.0.1:${PORTS.status}; location / { stub_status; } }
}
`;
}

interface Nginx { master: ChildProcess; stop(): Promise<void> }

async function startNginx(): Promise<Nginx> {
  const conf = join(DIR, 'nginx.conf');
  writeFileSync(conf, nginxConfig());
  const master = spawnPinned(0, ['nginx', '-p', DIR, '-e', join(DIR, 'error.log'), '-c', conf], 'inherit');
  for (let attempt = 0; attempt < 50; attempt++) {
    await sleep(100);
    if (master.exitCode !== null) break;
    try {
      await nginxStatus();
      return { master, stop: async () => { master.kill('SIGTERM'); if (master.exitCode === null) await once(master, 'close'); } };
    } catch {
      // not listening yet
    }
  }
  throw new Error(`nginx did not start (see ${DIR}/error.log): ${safeRead(join(DIR, 'error.log')).slice(-1000)}`);
}

function safeRead(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

/** nginx's counters: connections accepted and requests answered since start (the status requests included). */
function nginxStatus(): Promise<{ accepts: number; requests: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: PORTS.status, path: '/', agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        const numbers = /\n\s*(\d+)\s+(\d+)\s+(\d+)/.exec(text);
        if (!numbers) return reject(new Error(`unexpected stub_status: ${text}`));
        resolve({ accepts: Number(numbers[1]), requests: Number(numbers[3]) });
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('stub_status timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** CPU ns of each thread of `pid` (on-CPU time; /proc/PID/task/TID/schedstat's first field). */
function threadCpu(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  let tids: string[] = [];
  try { tids = readdirSync(`/proc/${pid}/task`); } catch { return threads; }
  for (const tid of tids) {
    const text = safeRead(`/proc/${pid}/task/${tid}/schedstat`);
    if (text) threads.set(tid, Number(text.split(' ')[0]));
  }
  return threads;
}

/** CPU seconds between two threadCpu readings (a thread started in between counts whole). */
function cpuBetween(before: Map<string, number>, after: Map<string, number>): number {
  let ns = 0;
  for (const [tid, value] of after) ns += value - (before.get(tid) ?? 0);
  return ns / 1e9;
}

/** User share from /proc/PID/stat (10 ms ticks: only for the user/system split). */
function userSystem(pid: number): { user: number; system: number } {
  const fields = safeRead(`/proc/${pid}/stat`).split(') ')[1]?.split(' ') ?? [];
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

/** Busy jiffies of cores 0 and 1 (all but idle and iowait), and their sum over everything. */
function coreBusy(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu[01] /.test(l))) {
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const sum = values.reduce((a, b) => a + b, 0);
    total += sum;
    busy += sum - values[3]! - values[4]!;
  }
  return { busy, total };
}

/** Share of cores 0 and 1 busy over one second (before and after the bench: other work on the machine). */
async function backgroundBusy(): Promise<string> {
  const a = coreBusy();
  await sleep(1000);
  const b = coreBusy();
  return `${(((b.busy - a.busy) / (b.total - a.total)) * 100).toFixed(0)} % of cores 0+1`;
}

function nginxPids(master: ChildProcess): number[] {
  const children = safeRead(`/proc/${master.pid}/task/${master.pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
  return [master.pid!, ...children];
}

interface Window {
  requests: number;
  /** New connections nginx accepted per request in the window (1 when every request opens its own). */
  connectionsPerRequest: number;
  cpuS: number;
  userShare: number;
  serverCpuS: number;
  /** CPU on cores 0+1 used by neither the generator nor nginx, in core-seconds. */
  otherCpuS: number;
  seconds: number;
  result?: InstanceResult;
  notes: string[];
}

/** `stopAfterWindow`: SIGINT once the window is measured (the native engine, which can run past its duration when starved). */
type Generator = { argv: string[]; check: (stdout: string, stderr: string) => string[]; result?: () => InstanceResult; stopAfterWindow?: boolean; env?: NodeJS.ProcessEnv };

async function measure(nginx: Nginx, generator: Generator): Promise<Window> {
  const child = spawnPinned(1, generator.argv, 'pipe', generator.env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = once(child, 'close') as Promise<[number | null]>;
  // The load has started when nginx's request count moves (the engine's prepare opens connections only).
  let last = await nginxStatus();
  for (let polls = 0; ; polls++) {
    await sleep(100);
    const status = await nginxStatus().catch(() => last); // nginx busy with the engine's opening handshakes
    // Each status request counts itself: more than that means the generator's requests arrive.
    if (status.requests - last.requests > 2) break;
    last = status;
    if (child.exitCode !== null || polls > 300) throw new Error(`${generator.argv.join(' ')}: no load reached nginx (exit ${child.exitCode}): ${stderr.slice(-1500)}`);
  }
  await sleep(WARMUP_S * 1000);
  const servers = nginxPids(nginx.master);
  const mark = async () => ({ at: performance.now(), status: await nginxStatus(), cpu: threadCpu(child.pid!), split: userSystem(child.pid!), server: servers.map(threadCpu), cores: coreBusy() });
  const a = await mark();
  await sleep(WINDOW_S * 1000);
  const b = await mark();
  if (child.exitCode !== null) throw new Error(`${generator.argv.join(' ')} ended before its window did: raise its duration (LOAD_S)`);
  if (generator.stopAfterWindow) child.kill('SIGINT');
  const [code] = await closed;
  if (code !== 0) throw new Error(`${generator.argv.join(' ')} exited ${code}: ${stderr.slice(-2000)}`);
  const seconds = (b.at - a.at) / 1000;
  const requests = b.status.requests - a.status.requests - 1; // the second status request
  const cpuS = cpuBetween(a.cpu, b.cpu);
  const serverCpuS = servers.reduce((sum, _, i) => sum + cpuBetween(a.server[i]!, b.server[i]!), 0);
  const splitDelta = b.split.user - a.split.user + (b.split.system - a.split.system);
  const coresCpuS = (b.cores.busy - a.cores.busy) / 100;
  return {
    requests,
    connectionsPerRequest: (b.status.accepts - a.status.accepts - 1) / requests,
    cpuS,
    userShare: splitDelta > 0 ? (b.split.user - a.split.user) / splitDelta : NaN,
    serverCpuS,
    otherCpuS: Math.max(0, coresCpuS - cpuS - serverCpuS),
    seconds,
    ...(generator.result ? { result: generator.result() } : {}),
    notes: generator.check(stdout, stderr),
  };
}

let runs = 0;
function native(endpoint: Endpoint, rate: number, options: { profileDir?: string; vus?: number } = {}): Generator {
  const { profileDir } = options;
  const out = join(DIR, `native-${++runs}.json`);
  const tls = endpoint.startsWith('tls') ? [join(DIR, 'ca.pem')] : [];
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  // The engine's duration starts after prepare, when the load starts: LOAD_S covers warm-up and window.
  const argv = [process.execPath, ...profile, join(ROOT, 'dist/bench/tls-engine-run.js'), join(ROOT, 'bench/scenarios/fixed-vus.ts'), String(rate), `${LOAD_S}s`, urlOf(endpoint), out, ...tls];
  const result = () => JSON.parse(readFileSync(out, 'utf8')) as InstanceResult;
  const check = () => {
    const r = result();
    const notes: string[] = [];
    const bad = r.overall.requests - r.overall.outcomes['2xx'];
    if (bad > 0) notes.push(`${bad} of ${r.overall.requests} not 2xx (${JSON.stringify(r.overall.outcomes)})`);
    if (r.overall.droppedIterations > 0) notes.push(`${r.overall.droppedIterations} dropped (rate above what it holds)`);
    const seconds = r.timeline.filter((second) => second.requests > 0);
    const held = seconds.slice(1, -1).map((second) => second.requests);
    if (held.length > 0 && Math.min(...held) < rate * 0.95) notes.push(`rate not held: ${Math.min(...held)}–${Math.max(...held)} req/s of ${rate}`);
    return notes;
  };
  // As many connections as simple.ts pre-allocates at this rate (rate × 50 ms × 2), but never more.
  return { argv, check, result, stopAfterWindow: true, env: { BENCH_VUS: String(options.vus ?? process.env.BENCH_NATIVE_VUS ?? Math.max(1, Math.round(rate * 0.1))) } };
}

function wrk(endpoint: Endpoint): Generator {
  const script = join(DIR, 'post.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(BODY)}\n`);
  return {
    argv: ['wrk', '-t1', '-c64', `-d${LOAD_S + 1}s`, '-s', script, `${urlOf(endpoint)}/v1/events`],
    check: (stdout) => {
      const notes: string[] = [];
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
      if (non2xx) notes.push(`${non2xx[1]} non-2xx`);
      const errors = /Socket errors: (.*)/.exec(stdout);
      if (errors) notes.push(`socket errors: ${errors[1]}`);
      return notes;
    },
  };
}

function autocannon(endpoint: Endpoint): Generator {
  const ca = endpoint.startsWith('tls') ? ['--ca', join(DIR, 'ca.pem')] : [];
  return {
    argv: [process.execPath, join(ROOT, 'node_modules/autocannon/autocannon.js'), '-j', '-c', '64', '-d', String(LOAD_S + 1), '-m', 'POST', '-H', 'content-type=application/json', '-b', BODY, ...ca, `${urlOf(endpoint)}/v1/events`],
    check: (stdout) => {
      const run = JSON.parse(stdout) as { non2xx: number; errors: number; timeouts: number };
      return run.non2xx + run.errors + run.timeouts > 0 ? [`non-2xx ${run.non2xx}, errors ${run.errors}, timeouts ${run.timeouts}`] : [];
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const perCpuS = (w: Window) => w.requests / w.cpuS;
const usPerRequest = (w: Window) => (w.cpuS / w.requests) * 1e6;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

function describe(label: string, w: Window): string {
  const tls = w.result?.connections?.tls;
  const handshakes = tls ? `, handshakes ${tls.handshakes} (resumed ${tls.resumed})` : '';
  return `  ${label.padEnd(30)} ${String(w.requests).padStart(7)} req / ${w.cpuS.toFixed(3)} CPU-s = ${String(Math.round(perCpuS(w))).padStart(6)}/CPU-s  ${usPerRequest(w).toFixed(1).padStart(6)} µs/req  user ${pct(w.userShare)}  gen busy ${pct(w.cpuS / w.seconds)}  nginx busy ${pct(w.serverCpuS / w.seconds)} (${((w.serverCpuS / w.requests) * 1e6).toFixed(1)} µs/req)  other ${pct(w.otherCpuS / w.seconds / 2)}  conn/req ${w.connectionsPerRequest.toFixed(2)}${handshakes}${w.notes.length ? `  ! ${w.notes.join('; ')}` : ''}`;
}

/** Runs each variant ROUNDS times, alternating the order (ABBA), and keeps every window per variant. */
async function rounds(nginx: Nginx, variants: [string, () => Generator][]): Promise<Map<string, Window[]>> {
  const windows = new Map<string, Window[]>(variants.map(([name]) => [name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? variants : [...variants].reverse();
    for (const [name, make] of order) {
      const w = await measure(nginx, make());
      windows.get(name)!.push(w);
      console.log(describe(`${name}${ROUNDS > 1 ? ` #${round}` : ''}`, w));
    }
  }
  return windows;
}

/** The median window of a variant by µs per request (so its other figures stay together). */
function mid(windows: Map<string, Window[]>, name: string): Window {
  const list = [...windows.get(name)!].sort((a, b) => usPerRequest(a) - usPerRequest(b));
  return list[Math.floor(list.length / 2)]!;
}

/** Self time by file and function in the busiest profile in `dir` (the worker thread's; the main thread waits). */
function summariseProfiles(dir: string): void {
  interface Node { id: number; callFrame: { functionName: string; url: string } }
  const summaries = readdirSync(dir).filter((entry) => entry.endsWith('.cpuprofile')).map((name) => {
    const profile = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const byFile = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let total = 0;
    let idle = 0;
    profile.samples.forEach((id, index) => {
      const delta = profile.timeDeltas[index] ?? 0;
      total += delta;
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === '(idle)') { idle += delta; return; }
      const file = frame.url ? basename(frame.url) : frame.functionName || '(native)';
      byFile.set(file, (byFile.get(file) ?? 0) + delta);
      const fn = frame.url ? `${frame.functionName || '(anonymous)'} ${file}` : file;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
    });
    return { name, total, busy: total - idle, byFile, byFunction };
  });
  // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread (loading, then waiting).
  const worker = summaries.filter((summary) => summary.name.split('.')[4] !== '0').sort((a, b) => b.busy - a.busy)[0];
  if (!worker) return;
  const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key, us]) => `${key} ${((us / worker.busy) * 100).toFixed(1)} %`).join(', ');
  console.log(`  ${worker.name}: busy ${pct(worker.busy / worker.total)} of ${(worker.total / 1e6).toFixed(1)} s; self time (share of busy) by file: ${top(worker.byFile, 12)}`);
  console.log(`    by function: ${top(worker.byFunction, 16)}`);
}

console.log(`TLS bench: ${execFileSync('sh', ['-c', 'nginx -v 2>&1'], { encoding: 'utf8' }).trim().replace('nginx version: ', '')} (1 worker) on core 0, generator on core 1, ${cpus().length} cores, node ${process.version}`);
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; uptime: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
console.log(`background before: ${await backgroundBusy()} busy`);
makeCertificates();
const nginx = await startNginx();
const negotiated = execFileSync('sh', ['-c', `echo | openssl s_client -connect 127.0.0.1:${PORTS.tls} -CAfile ca.pem 2>/dev/null | grep -E '^(New|Verify return code|Server Temp Key)'`], { cwd: DIR, encoding: 'utf8' }).trim().split('\n').map((line) => line.trim()).join('; ');
console.log(`server certificate: ${KEY === 'rsa' ? 'RSA-2048' : 'ECDSA P-256'}, signed by an RSA-2048 test CA; negotiated: ${negotiated}`);
console.log(`each window: ${WINDOW_S} s, starting ${WARMUP_S} s after the first requests; body ${BODY.length} B; rounds ${ROUNDS}`);
try {
  if (ONLY.includes('throughput')) {
    console.log(`\n1. keep-alive, saturating: native at ${NATIVE_RATE}/s (open model, ${process.env.BENCH_NATIVE_VUS ?? `${(NATIVE_RATE * 0.1).toFixed(0)} connections, ${(HELD_RATE * 0.1).toFixed(0)} at ${HELD_RATE}/s`}), wrk -t1 -c64, autocannon -c64`);
    const w = await rounds(nginx, [
      ['native plain', () => native('plain', NATIVE_RATE)],
      ['native TLS', () => native('tls', NATIVE_RATE)],
      [`native TLS @${HELD_RATE}`, () => native('tls', HELD_RATE)],
      [`native plain @${HELD_RATE}`, () => native('plain', HELD_RATE)],
      // As many connections as wrk and autocannon: what the engine's own pool size costs over TLS.
      ['native plain c64', () => native('plain', NATIVE_RATE, { vus: 64 })],
      ['native TLS c64', () => native('tls', NATIVE_RATE, { vus: 64 })],
      ['wrk TLS', () => wrk('tls')],
      ['wrk plain', () => wrk('plain')],
      ['autocannon plain', () => autocannon('plain')],
      ['autocannon TLS', () => autocannon('tls')],
    ]);
    const rate = (name: string) => median(w.get(name)!.map(perCpuS));
    console.log(`\n${''.padEnd(24)}${'plain'.padStart(12)}${'TLS'.padStart(12)}${'TLS/plain'.padStart(11)}   requests per generator CPU-second${ROUNDS > 1 ? ` (median of ${ROUNDS})` : ''}`);
    for (const tool of ['native', 'wrk', 'autocannon']) {
      const [plain, tls] = [rate(`${tool} plain`), rate(`${tool} TLS`)];
      console.log(`${tool.padEnd(24)}${String(Math.round(plain)).padStart(12)}${String(Math.round(tls)).padStart(12)}${`${(tls / plain).toFixed(2)}×`.padStart(11)}   TLS costs ${(1e6 / tls - 1e6 / plain).toFixed(1)} µs more per request`);
    }
    console.log(`native TLS / native plain: ${(rate('native TLS') / rate('native plain')).toFixed(2)}×   (both at ${HELD_RATE}/s: ${(rate(`native TLS @${HELD_RATE}`) / rate(`native plain @${HELD_RATE}`)).toFixed(2)}×, ${Math.round(rate(`native TLS @${HELD_RATE}`))} vs ${Math.round(rate(`native plain @${HELD_RATE}`))}/CPU-s)`);
    console.log(`native TLS / wrk TLS: ${(rate('native TLS') / rate('wrk TLS')).toFixed(2)}×   (plain: ${(rate('native plain') / rate('wrk plain')).toFixed(2)}×)`);
    console.log(`native TLS / autocannon TLS: ${(rate('native TLS') / rate('autocannon TLS')).toFixed(2)}×   (plain: ${(rate('native plain') / rate('autocannon plain')).toFixed(2)}×)`);
    console.log(`with 64 connections like wrk and autocannon (native c64): TLS ${Math.round(rate('native TLS c64'))}/CPU-s, plain ${Math.round(rate('native plain c64'))}/CPU-s, TLS/plain ${(rate('native TLS c64') / rate('native plain c64')).toFixed(2)}×; native TLS c64 / autocannon TLS ${(rate('native TLS c64') / rate('autocannon TLS')).toFixed(2)}×, / wrk TLS ${(rate('native TLS c64') / rate('wrk TLS')).toFixed(2)}×`);
  }
  if (ONLY.includes('handshake')) {
    console.log(`\n2. new connections, native engine at ${HANDSHAKE_RATE}/s (${Math.round(HANDSHAKE_RATE * 0.1)} connections; above what it opens per second): the server closes every connection vs keep-alive`);
    const w = await rounds(nginx, [
      ['plain keep-alive', () => native('plain', HANDSHAKE_RATE)],
      ['plain close', () => native('plainClose', HANDSHAKE_RATE)],
      ['TLS keep-alive', () => native('tls', HANDSHAKE_RATE)],
      ['TLS close, resumed', () => native('tlsClose', HANDSHAKE_RATE)],
      ['TLS close, full', () => native('tlsCloseFull', HANDSHAKE_RATE)],
    ]);
    const us = (name: string) => usPerRequest(mid(w, name));
    const perConnection = (close: string, keepAlive: string) => (us(close) - us(keepAlive)) / mid(w, close).connectionsPerRequest;
    const tcp = perConnection('plain close', 'plain keep-alive');
    const resumed = perConnection('TLS close, resumed', 'TLS keep-alive');
    const full = perConnection('TLS close, full', 'TLS keep-alive');
    const tlsOf = (name: string) => mid(w, name).result?.connections?.tls;
    const resumedShare = (name: string) => { const t = tlsOf(name); return t ? `${t.resumed} of ${t.handshakes} handshakes resumed, handshake p50 ${t.handshakeMs.p50Ms.toFixed(2)} ms` : 'no TLS figures'; };
    console.log(`\ngenerator CPU-µs per new connection (close − keep-alive, per request, at ${HANDSHAKE_RATE}/s)`);
    console.log(`  plain TCP (connect + close)          ${tcp.toFixed(0).padStart(6)} µs`);
    console.log(`  TLS, session resumed                 ${resumed.toFixed(0).padStart(6)} µs   (TLS alone ${(resumed - tcp).toFixed(0)} µs; ${resumedShare('TLS close, resumed')})`);
    console.log(`  TLS, full handshake                  ${full.toFixed(0).padStart(6)} µs   (TLS alone ${(full - tcp).toFixed(0)} µs; ${resumedShare('TLS close, full')})`);
    console.log(`  keep-alive request at ${HANDSHAKE_RATE}/s: plain ${us('plain keep-alive').toFixed(1)} µs, TLS ${us('TLS keep-alive').toFixed(1)} µs; nginx per new TLS connection: ${(((mid(w, 'TLS close, full').serverCpuS / mid(w, 'TLS close, full').requests) - (mid(w, 'TLS keep-alive').serverCpuS / mid(w, 'TLS keep-alive').requests)) * 1e6).toFixed(0)} µs full, ${(((mid(w, 'TLS close, resumed').serverCpuS / mid(w, 'TLS close, resumed').requests) - (mid(w, 'TLS keep-alive').serverCpuS / mid(w, 'TLS keep-alive').requests)) * 1e6).toFixed(0)} µs resumed`);
  }
  for (const endpoint of (process.env.BENCH_PROFILE ?? '').split(',').filter(Boolean) as Endpoint[]) {
    const profileDir = join(DIR, `profile-${endpoint}`);
    mkdirSync(profileDir);
    const rate = endpoint.endsWith('Close') || endpoint.endsWith('Full') ? HANDSHAKE_RATE : NATIVE_RATE;
    console.log(`\nprofile: native engine, ${endpoint} at ${rate}/s under --cpu-prof (profiles in ${profileDir})`);
    console.log(describe(`native ${endpoint} (profiled)`, await measure(nginx, native(endpoint, rate, { profileDir }))));
    summariseProfiles(profileDir);
  }
} finally {
  await nginx.stop();
  console.log(`\nbackground after: ${await backgroundBusy()} busy; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (process.env.BENCH_KEEP === '1') console.log(`work directory kept: ${DIR}`);
  else rmSync(DIR, { recursive: true, force: true });
}
