import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { freePort } from '../../src/net/free-port.js';
import type { RunReport } from '../../src/report/run-report-types.js';
import { interruptWhileRunning, runCli, startCli } from '../helpers/run-cli.js';
import { agentsOf, waitUntil } from '../helpers/processes.js';
import { spawnTargetCli, type TargetProcess } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { cliPath, repoRoot } from '../helpers/repo.js';

const readReport = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunReport;

describe('loadctl run end to end against the target-service', () => {
  let target: TargetProcess;
  before(async () => (target = await spawnTargetCli(['--store', makeTempDir('loadctl-run-store-')])));
  after(() => target.stop());

  const targetArgs = () => ['--target', target.url, '--target-metrics', target.metricsUrl!, '--no-color'];

  for (const [scenario, rate, instances] of [
    ['scenarios/simple.ts', '300', '3'],
    ['scenarios/full.ts', '100', '2'],
  ] as const) {
    it(`${scenario} at ${rate}/s over ${instances} instances: good, and the server counted what the client sent`, async () => {
      const dir = makeTempDir('loadctl-run-');
      const out = join(dir, 'report.json');
      const { code, stdout, stderr } = await runCli(['run', scenario, '--rate', rate, '--duration', '3s', '--instances', instances, '--out', out, '--junit', join(dir, 'junit.xml'), '--html', join(dir, 'report.html'), ...targetArgs()]);
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      const report = readReport(out);
      assert.equal(report.verdict.outcome, 'good', report.verdict.reasons.join('; '));
      assert.equal(report.instances.length, Number(instances));
      assert.deepEqual(report.instances.map((instance) => instance.runner), report.instances.map((_, index) => `local#${index}`));
      assert.equal(report.load.startedIterations, report.load.plannedIterations);
      assert.equal(report.target?.requests, report.overall.requests, 'server count == client count');
      assert.equal(report.target?.eventsAccepted, report.overall.events);
      assert.match(stdout, /VERDICT GOOD/);
      assert.match(readFileSync(join(dir, 'junit.xml'), 'utf8'), /<testsuites[^>]*failures="0"/);
      assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /uPlot/);
    });
  }

  it('merged percentiles of 4 instances equal exact ones from their raw samples (0.1 %), counts exact', async () => {
    const dir = makeTempDir('loadctl-raw-run-');
    const out = join(dir, 'report.json');
    const raw = join(dir, 'raw');
    const { code, stdout, stderr } = await runCli(['run', 'scenarios/simple.ts', '--rate', '400', '--duration', '3s', '--instances', '4', '--workers', '1', '--raw-samples', raw, '--out', out, ...targetArgs()]);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    const report = readReport(out);
    const files = readdirSync(raw);
    assert.equal(files.length, 4);
    const samples = files.flatMap((file) => readFileSync(join(raw, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { latencyMs: number | null }));
    assert.equal(samples.length, report.load.plannedIterations);
    assert.equal(report.overall.requests, 1200);
    assert.equal(report.target?.requests, 1200);
    const latencies = samples.map((s) => s.latencyMs).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
    const exact = (q: number) => latencies[Math.ceil(q * latencies.length) - 1]!;
    for (const [name, q] of [['p50Ms', 0.5], ['p95Ms', 0.95], ['p99Ms', 0.99]] as const) {
      const merged = report.overall.latency[name];
      // HDR keeps 3 significant digits; sub-millisecond values also carry the 1 µs recording unit.
      const tolerance = Math.max(0.001 * exact(q), 0.0015);
      assert.ok(Math.abs(merged - exact(q)) <= tolerance, `${name}: merged ${merged} vs exact ${exact(q)}`);
    }
  });

  it('a target answering 503 above its capacity is judged critical, with the reason', async () => {
    const capped = await spawnTargetCli(['--store', makeTempDir('loadctl-capped-'), '--max-rps', '100']);
    try {
      const { code, stdout } = await runCli(['run', 'scenarios/simple.ts', '--rate', '300', '--duration', '3s', '--instances', '2', '--target', capped.url, '--target-metrics', 'none', '--no-color']);
      assert.equal(code, 10, stdout);
      assert.match(stdout, /VERDICT CRITICAL/);
      assert.match(stdout, /503/);
    } finally {
      await capped.stop();
    }
  });

  it('an instance killed mid-run: the others finish and the run is degraded, naming it', async () => {
    const out = join(makeTempDir('loadctl-kill-'), 'report.json');
    const run = startCli(['run', 'scenarios/simple.ts', '--rate', '200', '--duration', '4s', '--instances', '3', '--out', out, ...targetArgs()]);
    assert.ok(await waitUntil(() => agentsOf(run.child.pid!).length === 3, 10_000), 'three agents started');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const victim = agentsOf(run.child.pid!)[1]!;
    process.kill(victim, 'SIGKILL');
    const { code, stdout, stderr } = await run.done;
    assert.equal(code, 13, `${stdout}\n${stderr}`);
    const report = readReport(out);
    assert.equal(report.verdict.outcome, 'degraded');
    assert.equal(report.instances.filter((instance) => instance.status === 'lost').length, 1);
    assert.match(report.verdict.degradedReasons.join(' '), /SIGKILL/);
  });

  it('Ctrl-C stops every instance, leaves no engine process and still reports: interrupted, rates over the time that ran, never gated as good', async () => {
    const out = join(makeTempDir('loadctl-interrupt-'), 'report.json');
    const run = startCli(['run', 'scenarios/simple.ts', '--rate', '200', '--duration', '30s', '--instances', '2', '--out', out, ...targetArgs()]);
    // Interrupt a few seconds into the load itself, not into the instances' start-up (on a busy machine preparing takes a while).
    let progress = '';
    run.child.stderr!.on('data', (chunk) => (progress += chunk));
    assert.ok(await waitUntil(() => /started 2 instances/.test(progress), 20_000), progress);
    const { code, stdout, stderr, agentsLeft } = await interruptWhileRunning(run, 2, 'SIGINT');
    assert.equal(code, 130, `${stdout}\n${stderr}`);
    assert.match(stderr, /interrupted/);
    assert.match(stdout, /VERDICT \w+ \(INTERRUPTED\) {2}interrupted after [\d.]+ s of 30 s planned; this verdict covers only those/);
    assert.deepEqual(agentsLeft, [], 'no agent left');

    const report = readReport(out);
    assert.equal(report.interrupted, true);
    assert.ok(report.load.ranMs! > 1500 && report.load.ranMs! < 20_000, `ranMs ${report.load.ranMs}`);
    // Over the seconds that ran, the rate is the planned 200/s — not 200 × ran/30 s.
    assert.ok(Math.abs(report.load.achievedMeanRate! - 200) < 20, `achieved ${report.load.achievedMeanRate} req/s`);
    assert.ok(Math.abs(report.load.plannedMeanRate! - 200) < 1, `planned ${report.load.plannedMeanRate} req/s`);

    const gate = await runCli(['gate', out, '--no-color']);
    assert.equal(gate.code, 14, `${gate.stdout}\n${gate.stderr}`);
    assert.match(gate.stdout, /GATE INTERRUPTED/);
    assert.match(gate.stdout, /interrupted after [\d.]+ s of 30 s planned/);
  });
});

describe('loadctl run preflight: a target where nothing listens', () => {
  it('exits 5 before any instance starts, naming the URL, "connection refused" and what to check', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    // spawnSync's timeout only detects a hang: the assertions are on the exit code and the message.
    const run = spawnSync(process.execPath, [cliPath(), 'run', 'scenarios/simple.ts', '--rate', '100', '--duration', '30s', '--instances', '2', '--target', url, '--target-metrics', 'none', '--no-color'], {
      cwd: repoRoot(),
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(run.status, 5, `${run.stdout}\n${run.stderr}`);
    assert.ok(run.stderr.includes(`the target ${url} is unreachable: connection refused`), run.stderr);
    assert.match(run.stderr, /is the service running/);
    assert.match(run.stderr, /--target/);
    assert.doesNotMatch(run.stderr, /launching/, 'no instance was launched');
    assert.equal(run.stdout, '');
  });
});
