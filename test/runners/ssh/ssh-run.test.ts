/**
 * `runTest` over the SSH runner, end to end: four real sshd "hosts" on 127.0.0.2–5, the real native
 * agent on each (started over an ssh2 exec channel), the real target-service. The hosts are this
 * machine, so the agent command is the compiled CLI's `agent` (on real hosts: the pushed bundle).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createSshRunner, type SshRunnerOptions } from '../../../src/runners/ssh/ssh-runner.js';
import { resolveFleetConfig, type ResolvedFleetConfig } from '../../../src/fleet/fleet-config.js';
import { planScenarioFile } from '../../../src/scenario/plan-scenario-file.js';
import { splitPlan } from '../../../src/split/split-plan.js';
import { newRunId, runTest, type RunTestOptions } from '../../../src/controller/run-test.js';
import { reportRun } from '../../../src/cores/report-run.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../../src/verdict/threshold-levels.js';
import { DEFAULT_VERDICT_OPTIONS } from '../../../src/verdict/classify-verdict.js';
import { findProcesses, startSshFleet, waitForNoProcesses, type TestSshFleet } from '../../helpers/sshd.js';
import { startTestTarget } from '../../helpers/target.js';
import { countStoredEvents } from '../../helpers/sqlite-count.js';
import { cliPath, repoRoot } from '../../helpers/repo.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let fleet: TestSshFleet;
let config: ResolvedFleetConfig;
before(async () => {
  fleet = await startSshFleet(4);
  config = resolveFleetConfig(
    { knownHosts: fleet.knownHostsFile, hosts: fleet.hosts.map((host) => ({ host: host.host, port: host.port, user: 'root', identityFile: fleet.identityFile, node: process.execPath })) },
    { baseDir: fleet.dir, env: {} },
  );
});
after(async () => {
  await fleet?.stop();
});

/** The agent on each "host", titled `<marker>-<host>` so the test can find (and kill) it in the process list. */
function agentOn(marker: string): SshRunnerOptions['agentCommand'] {
  return (host) => [host.node, `--title=${marker}-${host.host}`, cliPath(), 'agent'];
}

async function sshRun(options: { rate: number; durationMs: number; marker: string; targetUrl: string; metricsUrl?: string } & Partial<RunTestOptions>) {
  const plan = await planScenarioFile({ file: join(repoRoot(), 'scenarios', 'simple.ts'), rate: options.rate, durationMs: options.durationMs, target: options.targetUrl, env: {} });
  const runner = createSshRunner(config.hosts, { knownHostsFile: config.knownHosts, agentCommand: agentOn(options.marker) });
  const run = await runTest({ plan, instancePlans: splitPlan(plan, 4, newRunId()), runner, workersPerInstance: 1, targetMetricsUrl: options.metricsUrl ?? null, ...options });
  return { run, report: reportRun(run, { thresholds: DEFAULT_THRESHOLD_LEVELS, verdictOptions: DEFAULT_VERDICT_OPTIONS }) };
}

describe('runTest over 4 sshd hosts against the target-service', { timeout: 240_000 }, () => {
  it('runs, merges and judges: good, every host used, client count == the service\'s stored count', async () => {
    const store = makeTempDir('loadctl-ssh-run-store-');
    const target = await startTestTarget({ store });
    const marker = `loadctl-ssh-run-${randomUUID()}`;
    const { run, report } = await sshRun({ rate: 40, durationMs: 3000, marker, targetUrl: target.url, ...(target.metricsUrl ? { metricsUrl: target.metricsUrl } : {}) });
    await target.stop();
    assert.ok(report, 'a report');
    assert.deepEqual(run.instances.map((instance) => instance.lostReason), [null, null, null, null]);
    assert.deepEqual(run.instances.map((instance) => instance.host).sort(), ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']);
    assert.ok(run.instances.every((instance) => instance.clock !== null), 'a clock offset per instance, measured over SSH');
    assert.equal(report.verdict.outcome, 'good', JSON.stringify(report.verdict));
    assert.equal(report.degraded, false);
    assert.equal(report.load.requests, 120, '40 req/s × 3 s, split exactly over 4 hosts');
    assert.equal(report.load.events, countStoredEvents(store), 'client count == what the service stored');
    assert.ok(report.startSkew.maxMs !== null && report.startSkew.instances === 4);
    assert.deepEqual(await waitForNoProcesses(marker), [], 'every agent exited');
  });

  it('an agent killed on one host mid-run: that instance is lost, the run is degraded, the others finish', async () => {
    const target = await startTestTarget();
    const marker = `loadctl-ssh-run-${randomUUID()}`;
    let killed = false;
    const { run, report } = await sshRun({
      rate: 40,
      durationMs: 4000,
      marker,
      targetUrl: target.url,
      onSecond: (state) => {
        if (killed || state.latest.second < 1) return;
        killed = true;
        const victims = findProcesses(`${marker}-127.0.0.3`);
        assert.ok(victims.length > 0, 'the agent on 127.0.0.3 is running');
        for (const pid of victims) process.kill(pid, 'SIGKILL');
      },
    });
    await target.stop();
    assert.ok(killed, 'the kill happened mid-run');
    const lost = run.instances.filter((instance) => instance.lostReason !== null);
    assert.deepEqual(lost.map((instance) => instance.host), ['127.0.0.3']);
    assert.match(lost[0]!.lostReason!, /SIGKILL/);
    assert.equal(run.instances.filter((instance) => instance.result !== null).length, 3, 'the other three delivered results');
    assert.ok(report);
    assert.equal(report.degraded, true);
    assert.equal(report.verdict.outcome, 'degraded');
    assert.deepEqual(await waitForNoProcesses(marker), []);
  });

  it('a controller abort (Ctrl-C) stops every remote agent: none is left in the process list', async () => {
    const target = await startTestTarget();
    const marker = `loadctl-ssh-run-${randomUUID()}`;
    const abort = new AbortController();
    let running = 0;
    const { run } = await sshRun({
      rate: 40,
      durationMs: 60_000,
      marker,
      targetUrl: target.url,
      signal: abort.signal,
      onSecond: (state) => {
        if (state.latest.second >= 1 && running === 0) {
          running = findProcesses(marker).length;
          abort.abort();
        }
      },
    });
    await target.stop();
    assert.ok(running >= 4, `agents were running on every host (${running})`);
    assert.equal(run.aborted?.by, 'interrupt');
    assert.ok(run.endedAt - run.startAt < 30_000, 'the 60 s run ended early');
    assert.deepEqual(await waitForNoProcesses(marker, 5_000), [], 'no agent left within 5 s');
  });
});
