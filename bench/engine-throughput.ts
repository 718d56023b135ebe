/**
 * Issue 8's must-show bench for the native engine, side by side in one run (these machines are noisy:
 * only ratios measured in the same run mean anything). The server (bench/bare-server.ts) runs on core 0,
 * each generator on core 1; a fresh server per generator.
 *
 *   1. Requests per generator CPU-second: native engine (`loadctl engine run`, 1 worker, unique event ids,
 *      varied bodies, classification + HDR on, open model at a rate above one core) vs autocannon
 *      (closed loop, one fixed body) vs wrk vs vegeta, same body size. Goal: native ≥ 1.0× autocannon.
 *   2. Rate accuracy at 5K and 10K RPS: achieved within ±0.5 % of plan, schedule-lag p99.
 *
 * CPU = user + system of the generator process and all its threads (/usr/bin/time). Each tool runs
 * twice (BENCH_SECONDS and twice that); the ratio of the differences is the steady-state cost, free of
 * start-up (which for native includes compiling the scenario and building its payload pools).
 *
 * Usage: npx tsc -p . && flock /tmp/loadctl-bench.lock node dist/bench/engine-throughput.js
 *   (or bash bench/engine-throughput.sh). BENCH_SECONDS (default 5) sets the short run's length;
 *   BENCH_TOOLS=native,autocannon measures only those; BENCH_ACCURACY_RATES=5000,10000 ('' skips part 2).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { InstanceResult } from '../src/results/instance-result.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Which generators to measure (comma-separated names; default all) and which rates to check for accuracy. */
const ONLY = (process.env.BENCH_TOOLS ?? 'native,autocannon,wrk,vegeta').split(',');
const ACCURACY_RATES = (process.env.BENCH_ACCURACY_RATES ?? '5000,10000').split(',').filter(Boolean).map(Number);
/** Near what one core holds: far above it, the engine wedges (bench/README.md, "native engine"). */
const NATIVE_RATE = Number(process.env.BENCH_NATIVE_RATE ?? 30_000);
const DIR = mkdtempSync(join(tmpdir(), 'engine-bench-'));
/** ~170 bytes, the size of the native engine's single events, for the fixed-body tools. */
const BODY = JSON.stringify({ event_id: 'evt_0123456789abcdef', event_type: 'page_view', user_id: 'user_4242', session_id: 'sess_77', timestamp: '2026-11-28T23:00:00.000Z', properties: { page_url: '/p/42', referrer: '/' } });

interface Server { url: string; stop(): Promise<void> }

/** A fresh bare 202 server pinned to core 0. */
async function startServer(): Promise<Server> {
  const child = spawn('taskset', ['-c', '0', process.execPath, join(ROOT, 'dist/bench/bare-server.js'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = /listening on (\S+)/.exec(line);
    if (match) return { url: match[1]!, stop: async () => { child.kill('SIGTERM'); await once(child, 'close'); } };
  }
  throw new Error('bare-server exited before listening');
}

interface Measured { requests: number; cpuSeconds: number; userSeconds: number; output: string }

/** Runs `argv` on core 1 under /usr/bin/time; `countRequests` reads the tool's own count from its stdout. */
async function runGenerator(argv: string[], countRequests: (stdout: string) => number): Promise<Measured> {
  const timeFile = join(DIR, 'time.txt');
  const child = spawn('taskset', ['-c', '1', '/usr/bin/time', '-o', timeFile, '-f', '%U %S', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}: ${stderr.slice(-2000)}`);
  const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { requests: countRequests(stdout), cpuSeconds: user! + system!, userSeconds: user!, output: stdout + stderr };
}

function nativeEngine(url: string, rate: number, seconds: number, out: string): string[] {
  return [process.execPath, join(ROOT, 'dist/src/cli.js'), 'engine', 'run', join(ROOT, 'scenarios/simple.ts'), '--rate', String(rate), '--duration', `${seconds}s`, '--target', url, '--workers', '1', '--out', out];
}

type Tool = { name: string; argv: (url: string, seconds: number) => string[] | null; count: (stdout: string) => number };

function vegetaPath(): string | null {
  const path = join(process.env.GOPATH ?? join(homedir(), 'go'), 'bin/vegeta');
  try { readFileSync(path); return path; } catch { return null; }
}

const bodyFile = join(DIR, 'body.json');
writeFileSync(bodyFile, BODY);
const nativeOut = join(DIR, 'native.json');
const TOOLS: Tool[] = [
  // Open model at a rate near one core's capacity; completed requests count.
  { name: 'native', argv: (url, seconds) => nativeEngine(url, NATIVE_RATE, seconds, nativeOut), count: () => (JSON.parse(readFileSync(nativeOut, 'utf8')) as InstanceResult).overall.requests },
  { name: 'autocannon', argv: (url, seconds) => [process.execPath, join(ROOT, 'node_modules/autocannon/autocannon.js'), '-j', '-c', '64', '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-b', BODY, `${url}/v1/events`], count: (stdout) => (JSON.parse(stdout) as { requests: { total: number } }).requests.total },
  { name: 'wrk', argv: (url, seconds) => ['wrk', '-t1', '-c64', `-d${seconds}s`, '-s', join(DIR, 'post.lua'), `${url}/v1/events`], count: (stdout) => Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN) },
  { name: 'vegeta', argv: (url, seconds) => { const vegeta = vegetaPath(); return vegeta ? ['sh', '-c', `echo "POST ${url}/v1/events" | ${vegeta} attack -rate=0 -max-workers=64 -workers=64 -duration=${seconds}s -header 'content-type: application/json' -body ${bodyFile} | ${vegeta} report -type=json`] : null; }, count: (stdout) => (JSON.parse(stdout) as { requests: number }).requests },
];
writeFileSync(join(DIR, 'post.lua'), `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(BODY)}\n`);

/** One run of `tool` of `seconds` against a fresh server, or null when the tool is not installed. */
async function measureTool(tool: Tool, seconds: number): Promise<Measured | null> {
  const server = await startServer();
  try {
    const argv = tool.argv(server.url, seconds);
    return argv ? await runGenerator(argv, tool.count) : null;
  } finally {
    await server.stop();
  }
}

/**
 * Marginal requests per CPU-second: runs of SECONDS and 2 × SECONDS, Δrequests / ΔCPU. Start-up and
 * tear-down (native: compiling the scenario, building payload pools, starting a worker) cancel out.
 */
async function throughput(): Promise<Map<string, number>> {
  const perCpuSecond = new Map<string, number>();
  for (const tool of TOOLS.filter((candidate) => ONLY.includes(candidate.name))) {
    const short = await measureTool(tool, SECONDS);
    const long = short && (await measureTool(tool, 2 * SECONDS));
    if (!short || !long) { console.log(`${tool.name.padEnd(11)} skipped (not installed)`); continue; }
    const marginal = (long.requests - short.requests) / (long.cpuSeconds - short.cpuSeconds);
    perCpuSecond.set(tool.name, marginal);
    const whole = (run: Measured) => `${run.requests} req / ${run.cpuSeconds.toFixed(2)} CPU-s`;
    const userShare = (long.userSeconds - short.userSeconds) / (long.cpuSeconds - short.cpuSeconds);
    console.log(`${tool.name.padEnd(11)} ${Math.round(marginal)} req per CPU-second (marginal, ${(userShare * 100).toFixed(0)} % user; ${SECONDS} s: ${whole(short)} = ${Math.round(short.requests / short.cpuSeconds)}/CPU-s, ${2 * SECONDS} s: ${whole(long)})`);
  }
  return perCpuSecond;
}

async function rateAccuracy(rate: number): Promise<void> {
  const server = await startServer();
  try {
    const out = join(DIR, `rate-${rate}.json`);
    await runGenerator(nativeEngine(server.url, rate, 10, out), () => 0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as InstanceResult;
    const planned = rate * 10;
    const { requests, droppedIterations } = result.overall;
    const error = (requests - planned) / planned;
    console.log(`rate ${rate}/s: ${requests} of ${planned} planned (${(error * 100).toFixed(3)} %, goal ±0.5 % ${Math.abs(error) <= 0.005 ? 'MET' : 'MISSED'}), dropped ${droppedIterations}, schedule-lag p99 ${result.generator.scheduleLag.p99Ms.toFixed(2)} ms, CPU mean ${result.generator.cpuPercentMean.toFixed(0)} %`);
  } finally {
    await server.stop();
  }
}

console.log(`engine bench: ${SECONDS} s + ${2 * SECONDS} s per generator, server on core 0, generator on core 1, body ${BODY.length} bytes`);
const results = await throughput();
const autocannon = results.get('autocannon');
const native = results.get('native');
for (const [name, value] of results) {
  if (name !== 'native' && native) console.log(`native / ${name}: ${(native / value).toFixed(2)}×`);
}
if (native && autocannon) console.log(`goal native ≥ 1.0× autocannon: ${native >= autocannon ? 'MET' : 'MISSED'}`);
for (const rate of ACCURACY_RATES) await rateAccuracy(rate);
