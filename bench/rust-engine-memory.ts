/**
 * The rust engine's memory per 10K open connections (issue 20): one instance through the agent protocol
 * opens N pre-allocated VUs (connections) to a server that accepts and holds them; once `ready`, the RSS
 * of loadctl-engine (and of the Node agent beside it) is read from /proc. N = 100 and 10,100: the
 * difference is what 10K connections cost. The run is then stopped before its start instant.
 *
 * Usage: npm run build && npm run build:engine && node dist/bench/rust-engine-memory.js   (ulimit -n ≥ 11000)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AGENT_PROTOCOL_VERSION, type ControllerMessage } from '../src/protocol/agent-protocol.js';
import { buildPlan } from '../src/scenario/build-plan.js';
import { splitPlan } from '../src/split/split-plan.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../src/verdict/threshold-levels.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(/(\d+)/.exec(line)![1]) * 1024;
}

function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** RSS of the engine binary and of the agent once `connections` VUs are open and idle. */
async function rssWith(url: string, connections: number): Promise<{ engine: number; agent: number }> {
  const plan = buildPlan({ name: 'memory', subScenarios: [{ name: 'idle', rate: 1, duration: '60s', preAllocatedVUs: connections, maxVUs: connections }] }, { source: 'bench', targetUrl: url, baseThresholds: DEFAULT_THRESHOLD_LEVELS });
  const agent = spawn(process.execPath, [join(ROOT, 'dist/src/cli.js'), 'agent', '--engine', 'rust'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const send = (message: ControllerMessage) => agent.stdin.write(`${JSON.stringify(message)}\n`);
  send({ type: 'prepare', protocol: AGENT_PROTOCOL_VERSION, instancePlan: splitPlan(plan, 1, 'mem')[0]!, options: { workers: 1 } });
  for await (const line of createInterface({ input: agent.stdout })) {
    const message = JSON.parse(line) as { type: string; message?: string };
    if (message.type === 'error') throw new Error(message.message);
    if (message.type === 'ready') break;
  }
  const [engine] = childrenOf(agent.pid!);
  const rss = { engine: rssOf(engine!), agent: rssOf(agent.pid!) };
  agent.stdin.end();
  await new Promise((resolve) => agent.on('close', resolve));
  return rss;
}

const held: Socket[] = [];
const server = createServer((socket) => held.push(socket));
server.maxConnections = 20_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const few = await rssWith(url, 100);
for (const socket of held.splice(0)) socket.destroy();
const many = await rssWith(url, 10_100);
for (const socket of held.splice(0)) socket.destroy();
server.close();
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`rust engine RSS with 100 connections: engine ${mb(few.engine)}, agent ${mb(few.agent)}; with 10,100: engine ${mb(many.engine)}, agent ${mb(many.agent)}`);
console.log(`per 10K open connections: engine +${mb(many.engine - few.engine)}, agent +${mb(many.agent - few.agent)}`);
