/**
 * Where the native engine's CPU goes: runs `loadctl engine run` (1 worker, saturating rate) on core 1
 * under `--cpu-prof` against bench/bare-server.ts on core 0, then sums the profiles' self time by file and
 * by function. "Instrumentation" = outcome classification + HDR recording (worker-recorder.ts,
 * latency-recorder.ts, hdr-histogram-js): its share is what an `instrumentation: false` switch could save.
 *
 * Usage: npx tsc -p . && flock /tmp/loadctl-bench.lock node dist/bench/engine-profile.js [rate] [seconds]
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const rate = process.argv[2] ?? '60000';
const seconds = process.argv[3] ?? '8';
const TOP_FILES = Number(process.env.PROFILE_TOP_FILES ?? 12);
const TOP_FUNCTIONS = Number(process.env.PROFILE_TOP_FUNCTIONS ?? 18);
const dir = mkdtempSync(join(tmpdir(), 'engine-prof-'));

const server = spawn('taskset', ['-c', '0', process.execPath, join(ROOT, 'dist/bench/bare-server.js'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let url = '';
for await (const line of createInterface({ input: server.stdout! })) {
  const match = /listening on (\S+)/.exec(line);
  if (match) { url = match[1]!; break; }
}
const run = spawnSync('taskset', ['-c', '1', process.execPath, '--cpu-prof', '--cpu-prof-dir', dir, join(ROOT, 'dist/src/cli.js'), 'engine', 'run', join(ROOT, 'scenarios/simple.ts'), '--rate', rate, '--duration', `${seconds}s`, '--target', url, '--workers', '1', '--out', join(dir, 'result.json')], { encoding: 'utf8' });
server.kill('SIGTERM');
await once(server, 'close');
if (run.status !== 0) throw new Error(`engine run failed: ${run.stderr}`);

/** Self time in µs per key, from one profile's samples. */
function selfTime(profile: Profile, key: (node: ProfileNode) => string, into: Map<string, number>): number {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    const name = key(byId.get(id)!);
    into.set(name, (into.get(name) ?? 0) + delta);
  });
  return total;
}

const file = (node: ProfileNode) => (node.callFrame.url ? basename(node.callFrame.url) : `(${node.callFrame.functionName || 'native'})`);
const fn = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${file(node)}:${node.callFrame.lineNumber + 1}`;
const INSTRUMENTATION = /^(worker-recorder|latency-recorder|hdr-histogram|HdrHistogram|.*Histogram).*\.js$/;
const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { overall: { requests: number } };
console.log(`engine run --rate ${rate} --duration ${seconds}s --workers 1: ${result.overall.requests} requests; profiles in ${dir}`);
for (const name of readdirSync(dir).filter((entry) => entry.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Profile;
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const total = selfTime(profile, file, byFile);
  selfTime(profile, fn, byFunction);
  // Shares of busy time: idle (waiting in epoll) is left out, so the figures add up to the CPU spent.
  const busy = total - (byFile.get('((idle))') ?? 0);
  const share = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const instrumentation = [...byFile].filter(([key]) => INSTRUMENTATION.test(key)).reduce((sum, [, us]) => sum + us, 0);
  console.log(`\n${name}: ${(total / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s busy (shares below are of busy time); instrumentation files (self time): ${share(instrumentation)}`);
  console.log('  by file:');
  for (const [key, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, TOP_FILES)) console.log(`    ${share(us)}  ${key}`);
  console.log('  by function:');
  for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP_FUNCTIONS)) console.log(`    ${share(us)}  ${key}`);
}
