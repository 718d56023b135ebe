import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseReport } from '../../src/phases/phase-report-types.js';
import { startTestServer, type TestServer } from '../helpers/http-servers.js';
import { interruptWhileRunning, runCli, startCli } from '../helpers/run-cli.js';
import { spawnTargetCli, type TargetProcess } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const readPhase = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PhaseReport;

describe('loadctl phase against the target-service', () => {
  let target: TargetProcess;
  before(async () => (target = await spawnTargetCli(['--store', makeTempDir('loadctl-phase-store-')])));
  after(() => target.stop());

  for (const [phase, rate] of [['validate', '300'], ['stress', '600']] as const) {
    it(`${phase} (at ${rate}/s, the rate this machine's tests hold) runs the simple scenario and judges it good`, async () => {
      const out = join(makeTempDir('loadctl-phase-'), `${phase}.json`);
      const { code, stdout, stderr } = await runCli(['phase', phase, '--rate', rate, '--duration', '3s', '--target', target.url, '--target-metrics', target.metricsUrl!, '--out', out, '--no-color']);
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      const report = readPhase(out);
      assert.equal(report.kind, 'phase');
      assert.equal(report.phase, phase);
      assert.equal(report.scenario.source, 'scenarios/simple.ts');
      assert.equal(report.steps.length, 1);
      const step = report.steps[0]!.report!;
      assert.equal(step.verdict.outcome, 'good');
      assert.equal(step.target?.requests, step.overall.requests);
      assert.equal(step.overall.requests, Number(rate) * 3);
      assert.match(stdout, /PHASE GOOD/);
    });
  }

  // SIGTERM (what CI runners and `timeout` send) stops a phase as Ctrl-C does, and as it stops `run`.
  it('SIGTERM stops every instance, exits 130 and still prints the phase report', async () => {
    const phase = startCli(['phase', 'validate', '--rate', '200', '--duration', '30s', '--instances', '2', '--target', target.url, '--target-metrics', 'none', '--no-color']);
    const { code, stdout, stderr, agentsLeft } = await interruptWhileRunning(phase, 2, 'SIGTERM');
    assert.equal(code, 130, `${stdout}\n${stderr}`);
    assert.match(stderr, /stopping the phase/);
    assert.match(stdout, /PHASE/);
    assert.deepEqual(agentsLeft, [], 'no agent left');
  });
});

describe('loadctl phase breakpoint', () => {
  it('finds a breaking point placed with --max-rps within ±10 % in at most 8 steps', async () => {
    const capacity = 400;
    const capped = await spawnTargetCli(['--store', makeTempDir('loadctl-breakpoint-store-'), '--max-rps', String(capacity)]);
    try {
      const out = join(makeTempDir('loadctl-breakpoint-'), 'breakpoint.json');
      const { code, stdout, stderr } = await runCli([
        'phase', 'breakpoint', 'scenarios/simple.ts', '--from', '100', '--step-duration', '3s', '--max-steps', '8', '--cool-down', '3s',
        '--target', capped.url, '--target-metrics', 'none', '--out', out, '--no-color',
      ]);
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      const report = readPhase(out);
      assert.ok(report.steps.length <= 8, `${report.steps.length} steps`);
      assert.ok(report.breakingPoint !== null, report.breakpoint?.reason);
      assert.ok(Math.abs(report.breakingPoint - capacity) / capacity <= 0.1, `breaking point ${report.breakingPoint} vs ${capacity}`);
      assert.ok(report.steps.every((step) => step.report !== null && step.limitedBy !== 'generator'));
      assert.match(stdout, /breaking point/);
    } finally {
      await capped.stop();
    }
  });

  describe('when a slow target holds every VU', () => {
    let slow: TestServer;
    before(async () => (slow = await startTestServer()));
    after(() => slow.close());

    // The generator-limited end of a search is table-tested (breakpoint-search.test.ts); through the CLI,
    // what matters is the converse that issue 18 found broken: VUs held by a slow target are not a small fleet.
    it('VUs held by a slow target are the target failing, never "the fleet is too small"', async () => {
      const dir = makeTempDir('loadctl-tiny-fleet-');
      const scenario = join(dir, 'tiny.ts');
      writeFileSync(
        scenario,
        `import { defineScenario } from 'loadctl';\nexport default defineScenario({ name: 'tiny', subScenarios: [{ name: 'slow', rate: 50, duration: '2s', path: '/slow/400', maxVUs: 2 }] });\n`,
      );
      const out = join(dir, 'breakpoint.json');
      const { code, stdout, stderr } = await runCli([
        'phase', 'breakpoint', scenario, '--from', '50', '--step-duration', '2s', '--instances', '1',
        '--target', slow.url, '--target-metrics', 'none', '--out', out, '--no-color',
      ]);
      assert.equal(code, 10, `${stdout}\n${stderr}`);
      const report = readPhase(out);
      assert.equal(report.outcome, 'critical');
      assert.doesNotMatch(report.breakpoint!.reason, /fleet is too small/);
      assert.equal(report.steps.length, 1);
      assert.equal(report.steps[0]!.limitedBy, 'target');
      assert.match(report.steps[0]!.report!.verdict.reasons.join('\n'), /not sent: all 2 VUs \(connections\) were waiting on the target/);
    });
  });
});
