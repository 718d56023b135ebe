/**
 * `loadctl run` on the rust engine end to end: the controller starts `loadctl agent --engine rust`
 * instances (each driving loadctl-engine), merges them and judges; the report names the engine that ran.
 * `--engine auto` (the default) picks rust here, where `npm run build:engine` has put the binary.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../../src/report/run-report-types.js';
import { findRustEngine } from '../../../src/engines/rust/engine-binary.js';
import { runCli } from '../../helpers/run-cli.js';
import { spawnTargetCli, type TargetProcess } from '../../helpers/target.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

describe('loadctl run on the rust engine', () => {
  let target: TargetProcess;
  before(async () => (target = await spawnTargetCli(['--store', makeTempDir('loadctl-rust-run-store-')])));
  after(() => target.stop());

  for (const engine of ['rust', 'auto'] as const) {
    it(`--engine ${engine}: scenarios/full.ts over 2 instances is good, named rust, and the server counted what was sent`, async () => {
      assert.ok(findRustEngine(), 'no loadctl-engine: run `npm run build:engine`');
      const out = join(makeTempDir('loadctl-rust-run-'), 'report.json');
      const { code, stdout, stderr } = await runCli(['run', 'scenarios/full.ts', '--engine', engine, '--rate', '150', '--duration', '2s', '--instances', '2', '--out', out, '--target', target.url, '--target-metrics', target.metricsUrl!, '--no-color']);
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      const report = JSON.parse(readFileSync(out, 'utf8')) as RunReport;
      assert.equal(report.engine.name, 'rust');
      assert.equal(report.verdict.outcome, 'good', report.verdict.reasons.join('; '));
      assert.equal(report.load.startedIterations, report.load.plannedIterations);
      assert.equal(report.target?.requests, report.overall.requests, 'server count == client count');
      assert.equal(report.target?.eventsAccepted, report.overall.events, 'every event unique');
      assert.match(stdout, /engine: rust/);
    });
  }
});
