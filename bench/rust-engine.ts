/**
 * Issue 20's bench, side by side in one run (only ratios from one run mean anything on these shared
 * machines): requests per generator CPU-second of wrk, the node engine and the rust engine against nginx
 * (Debian's; a server that is not the limit) — nginx pinned to core 0, each generator to core 1.
 *
 * wrk: closed loop, `-t1 -c64`, one fixed body of the node engine's single-event size. The engines: one
 * instance through the agent protocol (`loadctl agent --engine native|rust`, 1 worker, 64 VUs, unique
 * event ids, classification + HDR on), open model at a fixed rate (BENCH_NODE_RATE / BENCH_RUST_RATE).
 * CPU = user + system of the generator and all its children and threads (/usr/bin/time; for the rust
 * engine that is the Node agent plus loadctl-engine). Each runs BENCH_SECONDS and twice that; Δrequests
 * / ΔCPU is the steady state, free of start-up (the whole-run figures are printed beside it).
 *
 * Plain HTTP first, then the same over TLS (nginx with a throwaway CA made by openssl; the engines get the
 * CA in prepare, wrk verifies nothing) unless BENCH_TLS=0.
 *
 * Usage: npm run build && npm run build:engine && flock /tmp/loadctl-bench.lock node dist/bench/rust-engine.js
 *   (apt-get install -y wrk nginx once). BENCH_TOOLS=wrk,node,rust picks generators.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AGENT_PROTOCOL_VERSION, type AgentMessage, type ControllerMessage } from '../src/protocol/agent-protocol.js';
import { PayloadPool } from '../src/engines/native/payload-pool.js';
import { freePort } from '../src/net/free-port.js';
import type { InstanceResult } from '../src/protocol/instance-result.js';
import { buildPlan } from '../src/scenario/build-plan.js';
import { splitPlan } from '../src/split/split-plan.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../src/verdict/threshold-levels.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ONLY = (process.env.BENCH_TOOLS ?? 'wrk,node,rust').split(',');
const CONNECTIONS = 64;
const RATES: Record<string, number> = { node: Number(process.env.BENCH_NODE_RATE ?? 80_000), rust: Number(process.env.BENCH_RUST_RATE ?? 250_000) };
const DIR = mkdtempSync(join(tmpdir(), 'rust-engine-bench-'));
const WITH_TLS = process.env.BENCH_TLS !== '0';

/** A CA and a server certificate for localhost (openssl, as test/helpers/tls-certs.ts does). */
function makeCertificates(): { ca: string; cert: string; key: string } {
  const file = (name: string) => join(DIR, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=bench CA');
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost');
  writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '2', '-extfile', file('server.ext'));
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}
const CERTS = WITH_TLS ? makeCertificates() : null;

interface Server { url: string; stop(): Promise<void> }

/** nginx answering 202 to every POST, one worker pinned to core 0, keep-alive without a request limit. */
async function startNginx(tls: boolean): Promise<Server> {
  const port = await freePort();
  const conf = join(DIR, 'nginx.conf');
  writeFileSync(conf, `worker_processes 1;\nuser root;\npid ${DIR}/nginx.pid;\nerror_log ${DIR}/error.log;\nevents { worker_connections 4096; }\nhttp {\n  access_log off;\n  keepalive_requests 100000000;\n  keepalive_timeout 300s;\n  client_body_buffer_size 64k;\n  server {\n    listen 127.0.0.1:${port} backlog=4096${tls ? ' ssl' : ''};\n${tls ? `    ssl_certificate ${CERTS!.cert};\n    ssl_certificate_key ${CERTS!.key};\n    ssl_protocols TLSv1.3;\n` : ''}    location / { return 202 '{"accepted":1}'; }\n  }\n}\n`);
  const child = spawn('taskset', ['-c', '0', '/usr/sbin/nginx', '-p', DIR, '-c', conf, '-g', 'daemon off;'], { stdio: 'inherit' });
  for (let tries = 0; tries < 100; tries++) {
    if (await accepts(port)) return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, stop: async () => { child.kill('SIGQUIT'); await once(child, 'close'); } };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('nginx did not start listening');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

/** The node engine's single-event request body (its template), so wrk sends the same size. */
function sampleBody(): string {
  const plan = planAt('http://127.0.0.1:1', 1, 1);
  const sub = plan.plan.subScenarios[0]!;
  const text = new PayloadPool({ request: sub.request, payload: sub.payload, host: '127.0.0.1:1', idPrefix: 'bench0s0' }).next(Date.now()).toString('utf8');
  return text.slice(text.indexOf('\r\n\r\n') + 4);
}

function planAt(url: string, rate: number, seconds: number) {
  const plan = buildPlan({ name: 'bench', subScenarios: [{ name: 'single', rate, duration: `${seconds}s`, preAllocatedVUs: CONNECTIONS, maxVUs: CONNECTIONS }] }, { source: 'bench', targetUrl: url, baseThresholds: DEFAULT_THRESHOLD_LEVELS });
  return splitPlan(plan, 1, `b${Date.now().toString(36)}`)[0]!;
}

interface Measured { requests: number; cpuSeconds: number; note: string }

/** `argv` on core 1 under /usr/bin/time: its CPU (children included) once it has exited. */
function timed(argv: string[]): { child: ChildProcessWithoutNullStreams; cpu: () => Promise<number> } {
  const timeFile = join(DIR, `time-${Date.now()}.txt`);
  const child = spawn('taskset', ['-c', '1', '/usr/bin/time', '-o', timeFile, '-f', '%U %S', ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
  return {
    child,
    cpu: async () => {
      if (child.exitCode === null) await once(child, 'close');
      const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      return user! + system!;
    },
  };
}

async function runWrk(url: string, seconds: number): Promise<Measured> {
  const script = join(DIR, 'post.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(sampleBody())}\n`);
  const run = timed(['wrk', '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', script, `${url}/v1/events`]);
  let stdout = '';
  run.child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  run.child.stdin.end();
  const cpuSeconds = await run.cpu();
  return { requests: Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN), cpuSeconds, note: '' };
}

/** One instance through the agent protocol, as the controller drives it. */
async function runEngine(engine: 'native' | 'rust', url: string, rate: number, seconds: number): Promise<Measured> {
  const run = timed([process.execPath, join(ROOT, 'dist/src/cli.js'), 'agent', '--engine', engine]);
  let stderr = '';
  run.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: run.child.stdout })[Symbol.asyncIterator]();
  const send = (message: ControllerMessage) => run.child.stdin.write(`${JSON.stringify(message)}\n`);
  const next = async (type: AgentMessage['type']): Promise<AgentMessage> => {
    for (;;) {
      const line = await lines.next();
      if (line.done) throw new Error(`${engine} agent closed stdout waiting for ${type}: ${stderr.slice(-2000)}`);
      const message = JSON.parse(line.value) as AgentMessage;
      if (message.type === 'error') throw new Error(`${engine} agent: ${message.message}`);
      if (message.type === type) return message;
    }
  };
  await next('hello');
  const tls = url.startsWith('https:') ? { tls: { ca: readFileSync(CERTS!.ca, 'utf8') } } : {};
  send({ type: 'prepare', protocol: AGENT_PROTOCOL_VERSION, instancePlan: planAt(url, rate, seconds), options: { workers: 1, ...tls } });
  await next('ready');
  send({ type: 'start', at: Date.now() + 200, clockOffsetMs: 0 });
  const { result } = (await next('result')) as { result: InstanceResult };
  run.child.stdin.end();
  const cpuSeconds = await run.cpu();
  const o = result.overall;
  const note = `rate ${rate}/s: sent ${o.iterations - o.droppedIterations} of ${o.iterations}, dropped ${o.droppedIterations} (${o.targetBoundDrops ?? 0} target-bound), lag p99 ${result.generator.scheduleLag.p99Ms.toFixed(2)} ms, p99 ${o.latency.p99Ms.toFixed(2)} ms`;
  return { requests: o.requests, cpuSeconds, note };
}

async function measure(name: string, seconds: number, tls: boolean): Promise<Measured> {
  const server = await startNginx(tls);
  try {
    await runWrk(server.url, 1); // warm-up, not measured
    if (name === 'wrk') return await runWrk(server.url, seconds);
    return await runEngine(name === 'node' ? 'native' : 'rust', server.url, RATES[name]!, seconds);
  } finally {
    await server.stop();
  }
}

/** Every generator over one transport; prints each and the ratios. */
async function compare(tls: boolean): Promise<void> {
  const label = tls ? 'TLS' : 'plain';
  console.log(`rust engine bench (${label}): ${SECONDS} s + ${2 * SECONDS} s per generator, nginx on core 0, generator on core 1, ${CONNECTIONS} connections, body ${sampleBody().length} bytes`);
  const perCpuSecond = new Map<string, number>();
  for (const name of ['wrk', 'node', 'rust'].filter((tool) => ONLY.includes(tool))) {
    const short = await measure(name, SECONDS, tls);
    const long = await measure(name, 2 * SECONDS, tls);
    const marginal = (long.requests - short.requests) / (long.cpuSeconds - short.cpuSeconds);
    perCpuSecond.set(name, marginal);
    const whole = (m: Measured) => `${m.requests} req / ${m.cpuSeconds.toFixed(2)} CPU-s = ${Math.round(m.requests / m.cpuSeconds)}`;
    console.log(`${name.padEnd(5)} ${Math.round(marginal)} req per CPU-second (marginal; ${SECONDS} s: ${whole(short)}; ${2 * SECONDS} s: ${whole(long)})${long.note ? `\n      ${long.note}` : ''}`);
  }
  const [wrk, node, rust] = ['wrk', 'node', 'rust'].map((name) => perCpuSecond.get(name));
  if (rust && wrk) console.log(`${label}: rust / wrk ${(rust / wrk).toFixed(2)}× (goal ≥ 0.8×: ${rust >= 0.8 * wrk ? 'MET' : 'MISSED'})`);
  if (rust && node) console.log(`${label}: rust / node ${(rust / node).toFixed(2)}×`);
  if (node && wrk) console.log(`${label}: node / wrk ${(node / wrk).toFixed(2)}×`);
}

await compare(false);
if (WITH_TLS) await compare(true);
