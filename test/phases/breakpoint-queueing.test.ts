/**
 * `phase breakpoint` against a target that queues beyond a hard capacity (answers get slower, never an
 * error — how real services saturate; issue 18): through the real CLI and the real native engine, the
 * search finds the capacity within ±10 % in at most 8 steps, calls the steps above it critical and
 * blames the target, never the fleet.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseReport } from '../../src/phases/phase-report-types.js';
import { startQueueingServer, type BehavingServer } from '../helpers/behaving-servers.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CAPACITY = 430;

describe('phase breakpoint against a target that queues beyond its capacity', () => {
  let server: BehavingServer;
  before(async () => (server = await startQueueingServer(CAPACITY)));
  after(() => server.close());

  it(`finds the capacity (${CAPACITY}/s) within ±10 % in ≤ 8 steps; the steps above it are critical, blamed on the target`, async () => {
    const out = join(makeTempDir('loadctl-breakpoint-queue-'), 'phase.json');
    const { code, stdout, stderr } = await runCli([
      'phase', 'breakpoint', 'scenarios/simple.ts', '--from', '100', '--step-duration', '5s', '--instances', '1',
      '--target', server.url, '--target-metrics', 'none', '--out', out, '--no-color',
    ]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as PhaseReport;
    const output = `${stdout}\n${stderr}`;
    assert.equal(code, 0, output);
    assert.ok(report.steps.length <= 8, `${report.steps.length} steps`);
    const estimate = report.breakingPoint;
    assert.ok(estimate !== null && Math.abs(estimate - CAPACITY) <= CAPACITY * 0.1, `breaking point ${estimate} vs capacity ${CAPACITY}\n${output}`);
    for (const step of report.steps) {
      assert.notEqual(step.judgement.kind, 'generator-limited', `step at ${step.rate}/s blamed the fleet: ${JSON.stringify(step.judgement)}`);
      if (step.rate >= CAPACITY * 1.1) assert.equal(step.judgement.kind, 'critical', `step at ${step.rate}/s`);
      if (step.rate <= CAPACITY * 0.95) assert.equal(step.judgement.kind, 'held', `step at ${step.rate}/s`);
    }
    assert.doesNotMatch(output, /fleet is too small/);
    assert.match(output, /the target answered at most \d+\/s \(the knee\)/);
  });
});
