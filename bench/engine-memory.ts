/**
 * Native engine memory per 10K requests in flight: a node:http server on core 0 that answers 202 after
 * 2 s, the engine (1 worker, core 1) at 5,000 req/s with 10,500 VUs, so ~10K requests are in flight from
 * second 2 on. Reports the generator's peak RSS beside a run against an instant server (same VUs: the
 * connections are opened at prepare either way), so the delta is what in-flight requests cost.
 *
 * Usage: npx tsc -p . && flock /tmp/loadctl-bench.lock node dist/bench/engine-memory.js
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { InstanceResult } from '../src/protocol/instance-result.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'engine-mem-'));
const scenario = join(dir, 'in-flight.ts');
writeFileSync(scenario, `import { defineScenario } from ${JSON.stringify(join(ROOT, 'src/scenario/define-scenario.ts'))};
export default defineScenario({ name: 'in-flight', duration: '5s', subScenarios: [{ name: 'single', rate: 5000, batchSize: 1, preAllocatedVUs: 10500, maxVUs: 10500 }] });\n`);

const SERVER = `const http = require('node:http'); const delay = Number(process.argv[1]);
const s = http.createServer((req, res) => { req.resume(); req.on('end', () => setTimeout(() => res.writeHead(202).end('{}'), delay)); });
s.keepAliveTimeout = 60000; s.maxConnections = 20000; s.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port));`;

async function peakRss(delayMs: number): Promise<InstanceResult> {
  const server = spawn('taskset', ['-c', '0', process.execPath, '-e', SERVER, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let url = '';
  for await (const line of createInterface({ input: server.stdout! })) {
    const match = /listening on (\S+)/.exec(line);
    if (match) { url = match[1]!; break; }
  }
  const out = join(dir, `result-${delayMs}.json`);
  const run = spawnSync('taskset', ['-c', '1', process.execPath, join(ROOT, 'dist/src/cli.js'), 'engine', 'run', scenario, '--target', url, '--workers', '1', '--out', out], { encoding: 'utf8' });
  server.kill('SIGTERM');
  await once(server, 'close');
  if (run.status !== 0) throw new Error(`engine run failed (${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(out, 'utf8')) as InstanceResult;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const fast = await peakRss(0);
const slow = await peakRss(2000);
for (const [name, result] of [['instant server', fast], ['2 s server', slow]] as const) {
  console.log(`${name.padEnd(15)} requests ${result.overall.requests}, max in flight ${result.overall.maxInFlight}, dropped ${result.overall.droppedIterations}, peak RSS ${mb(result.generator.rssBytesMax)}`);
}
const delta = slow.generator.rssBytesMax - fast.generator.rssBytesMax;
console.log(`RSS delta ${mb(delta)} for ${slow.overall.maxInFlight - fast.overall.maxInFlight} more in flight → ${mb((delta * 10_000) / Math.max(1, slow.overall.maxInFlight - fast.overall.maxInFlight))} per 10K requests in flight`);
