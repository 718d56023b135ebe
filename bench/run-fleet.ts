/**
 * `loadctl run` fleet figures (issue 9), side by side in one run on this machine:
 *   - start skew over 8 local instances: from the raw samples, each instance's first send minus its
 *     first due time; skew = the spread of that lag over the instances (goal ≤ 10 ms);
 *   - controller overhead: CPU of the `loadctl run` process itself during the run, % of one core
 *     (goal ≤ 5 %), read from /proc beside the generator instances' own CPU;
 *   - client count vs the target-service's own count.
 * Usage: npx tsc -p . && node dist/bench/run-fleet.js [--instances 8] [--rate 800] [--duration 10]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunReport } from '../src/report/run-report-types.js';
import { cliPath } from '../test/helpers/repo.js';
import { spawnTargetCli } from '../test/helpers/target.js';

const { values } = parseArgs({ options: { instances: { type: 'string', default: '8' }, rate: { type: 'string', default: '800' }, duration: { type: 'string', default: '10' } } });
const TICKS = 100; // USER_HZ on Linux

function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'loadctl-bench-fleet-'));
const target = await spawnTargetCli(['--store', join(dir, 'store')]);
const out = join(dir, 'report.json');
const raw = join(dir, 'raw');
const args = ['run', 'scenarios/simple.ts', '--rate', values.rate!, '--duration', `${values.duration}s`, '--instances', values.instances!, '--workers', '1',
  '--target', target.url, '--target-metrics', target.metricsUrl!, '--raw-samples', raw, '--out', out, '--no-color'];
const started = performance.now();
const controller = spawn(process.execPath, [cliPath(), ...args], { stdio: ['ignore', 'ignore', 'ignore'] });
let controllerCpu = 0;
const sampler = setInterval(() => (controllerCpu = cpuSeconds(controller.pid!) ?? controllerCpu), 100);
const code = await new Promise<number | null>((resolve) => controller.once('exit', resolve));
clearInterval(sampler);
const wallSeconds = (performance.now() - started) / 1000;
await target.stop();

const report = JSON.parse(readFileSync(out, 'utf8')) as RunReport;
const lags = readdirSync(raw).map((file) => {
  const first = readFileSync(join(raw, file), 'utf8').split('\n', 1)[0]!;
  const sample = JSON.parse(first) as { dueAt: number; sentAt: number };
  return sample.sentAt - sample.dueAt;
});
const skew = Math.max(...lags) - Math.min(...lags);
const instanceCpu = report.instances.reduce((sum, i) => sum + (i.generator?.cpuPercentMean ?? 0), 0);
console.log(`loadctl run: ${values.instances} local instances × ${Number(values.rate) / Number(values.instances)} req/s, ${values.duration} s (exit ${code}, verdict ${report.verdict.outcome})`);
console.log(`start skew (raw samples: first send − first due, spread over instances): ${skew.toFixed(2)} ms   goal ≤ 10 ms   ${skew <= 10 ? 'MET' : 'MISSED'}`);
console.log(`  report's startSkew.maxMs: ${report.startSkew.maxMs?.toFixed(2)} ms`);
console.log(`controller CPU: ${controllerCpu.toFixed(2)} s over ${wallSeconds.toFixed(1)} s wall = ${((controllerCpu / wallSeconds) * 100).toFixed(1)} % of one core (includes start-up: loading the CLI and the scenario)   goal ≤ 5 %`);
console.log(`  instances' own mean CPU, summed: ${instanceCpu.toFixed(0)} % of one core`);
console.log(`counts: client ${report.overall.requests} requests, server ${report.target?.requests}, planned ${report.load.plannedIterations}`);
