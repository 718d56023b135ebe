/**
 * SSH fan-out at scale (issue 10): 16 real sshd "hosts" on 127.0.0.2–17, one native agent each over an
 * ssh2 exec channel, a low rate against the in-process target-service. Prints:
 *   - fan-out: runTest called → every instance prepared, clock-aligned and told to start (goal ≤ 1.5 s),
 *     and its parts (SSH connect + exec + hello, prepare, clock probes);
 *   - collection: the schedule's end → every result in and the report built (goal ≤ 1 s);
 *   - start skew over SSH: the report's max − min first-send lag across instances (goal ≤ 10 ms).
 *
 * Usage (benches run one at a time): flock /tmp/loadctl-bench.lock node dist/bench/ssh-fanout.js [hosts] [rounds]
 */
import { join } from 'node:path';
import { createSshRunner } from '../src/runners/ssh/ssh-runner.js';
import { resolveFleetConfig } from '../src/fleet/fleet-config.js';
import { planScenarioFile } from '../src/scenario/plan-scenario-file.js';
import { splitPlan } from '../src/split/split-plan.js';
import { newRunId, runTest } from '../src/controller/run-test.js';
import { reportRun } from '../src/cores/report-run.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../src/verdict/threshold-levels.js';
import { DEFAULT_VERDICT_OPTIONS } from '../src/verdict/classify-verdict.js';
import { startSshFleet } from '../test/helpers/sshd.js';
import { startTestTarget } from '../test/helpers/target.js';
import { cliPath, repoRoot } from '../test/helpers/repo.js';

const hostCount = Number(process.argv[2] ?? 16);
const rounds = Number(process.argv[3] ?? 3);
const RATE_PER_HOST = 10; // ≥ 10/s per host: the derived maxVUs (rate × 50 ms × 2) must give every instance a VU
const DURATION_MS = 4000;

const fleet = await startSshFleet(hostCount);
const config = resolveFleetConfig(
  { knownHosts: fleet.knownHostsFile, hosts: fleet.hosts.map((host) => ({ host: host.host, port: host.port, user: 'root', identityFile: fleet.identityFile, node: process.execPath })) },
  { baseDir: fleet.dir, env: {} },
);
const target = await startTestTarget();
const plan = await planScenarioFile({ file: join(repoRoot(), 'scenarios', 'simple.ts'), rate: RATE_PER_HOST * hostCount, durationMs: DURATION_MS, target: target.url, env: {} });
console.log(`ssh-fanout: ${hostCount} sshd hosts, 1 agent each (1 worker), ${RATE_PER_HOST * hostCount} req/s total for ${DURATION_MS / 1000} s, ${rounds} rounds`);
console.log('round  fan-out ms (launch+hello / prepare / clocks)   collection ms   start skew ms   requests   lost');
try {
  for (let round = 1; round <= rounds; round++) await measureRound(round);
} finally {
  await target.stop();
  await fleet.stop();
}

async function measureRound(round: number): Promise<void> {
  const marks: Record<string, number> = {};
  const runner = createSshRunner(config.hosts, { knownHostsFile: config.knownHosts, agentCommand: (host) => [host.node, cliPath(), 'agent'] });
  const t0 = performance.now();
  const run = await runTest({
    plan,
    instancePlans: splitPlan(plan, hostCount, newRunId()),
    runner,
    workersPerInstance: 1,
    targetMetricsUrl: null,
    onStep: (message) => (marks[message.split(' ')[0]!] = performance.now()),
  });
  const resultsIn = performance.now();
  const report = reportRun(run, { thresholds: DEFAULT_THRESHOLD_LEVELS, verdictOptions: DEFAULT_VERDICT_OPTIONS });
  const reported = performance.now();
  // The schedule ends at startAt + duration (controller epoch ms); map it onto performance.now().
  const scheduleEnd = reported - (Date.now() - (run.startAt + DURATION_MS));
  const fanOut = marks.started! - t0;
  const parts = [marks.preparing! - t0, marks.aligning! - marks.preparing!, marks.started! - marks.aligning!].map((ms) => ms.toFixed(0)).join(' / ');
  const lost = run.instances.filter((instance) => instance.lostReason !== null).length;
  console.log(
    `${String(round).padStart(5)}  ${fanOut.toFixed(0).padStart(10)} (${parts})`.padEnd(50) +
      `${(reported - scheduleEnd).toFixed(0).padStart(13)}   ${(report?.startSkew.maxMs ?? NaN).toFixed(1).padStart(13)}   ${String(report?.load.requests ?? 0).padStart(8)}   ${lost}` +
      `   (results in ${(resultsIn - scheduleEnd).toFixed(0)} ms, report ${(reported - resultsIn).toFixed(0)} ms)`,
  );
}
