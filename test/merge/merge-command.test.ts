/** `loadctl merge` through the real CLI: report written, verdict exit codes, bad files named without a stack trace. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../src/report/run-report-types.js';
import { cliPath, repoRoot } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { instanceResultOf, logNormalSamples } from '../helpers/instance-results.js';

const dir = makeTempDir();

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function runCli(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [cliPath(), 'merge', ...args], { cwd: repoRoot(), encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const result = (index: number, medianMs: number, extra: { errors?: Record<string, number> } = {}) =>
  instanceResultOf({ index, count: 2, subScenarios: { single: { latenciesMs: logNormalSamples(500, medianMs, index + 1, 0.2), ...extra } } });

describe('loadctl merge', () => {
  it('merges, prints the table, writes the report and exits 0 when good', () => {
    const out = join(dir, 'report.json');
    const { status, output } = runCli([write('good-0.json', result(0, 20)), write('good-1.json', result(1, 25)), '--out', out, '--no-color']);
    assert.equal(status, 0, output);
    assert.match(output, /VERDICT GOOD/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as RunReport;
    assert.equal(report.overall.requests, 1000);
    assert.equal(report.verdict.outcome, 'good');
  });
  it('exits 10 on a critical fleet and names the reason', () => {
    const { status, output } = runCli([write('slow-0.json', result(0, 20)), write('slow-1.json', result(1, 3000))]);
    assert.equal(status, 10, output);
    assert.match(output, /VERDICT CRITICAL {2}critical: overall: p95 [\d,]+ ms is above the critical limit of 1,000 ms/);
  });
  it('exits 11 on a warning only with --fail-on warning', () => {
    const files = [write('warn-0.json', result(0, 20, { errors: { '429': 35 } })), write('warn-1.json', result(1, 20, { errors: { '429': 35 } }))];
    assert.equal(runCli(files).status, 0);
    assert.equal(runCli([...files, '--fail-on', 'warning']).status, 11);
  });
  it('exits 13 when an instance is missing (degraded)', () => {
    const { status, output } = runCli([write('alone.json', result(0, 20))]);
    assert.equal(status, 13, output);
    assert.match(output, /instance 1 \(unknown\) was lost: no result/);
  });
  const bad: Array<[string, string, unknown, RegExp]> = [
    ['not JSON', 'broken.json', '{"schemaVersion": 1,', /broken\.json is not valid JSON/],
    ['a run report', 'report-in.json', { kind: 'run', schemaVersion: 1 }, /is a run report, not an InstanceResult/],
    ['a newer schema', 'v2.json', { ...result(0, 20), schemaVersion: 2 }, /v2\.json: has schemaVersion 2; this loadctl reads 1/],
    ['a missing field', 'partial.json', { ...result(0, 20), overall: undefined }, /partial\.json: the document has no 'overall'/],
    ['a bad distribution', 'kind.json', { ...result(0, 20), overall: { ...result(0, 20).overall, latency: { ...result(0, 20).overall.latency, distribution: { kind: 'tdigest' } } } }, /overall\.latency\.distribution\.kind is not one of hdr, quantiles/],
  ];
  for (const [name, file, content, message] of bad) {
    it(`refuses ${name}: exit 2, the file named, no stack trace`, () => {
      const { status, output } = runCli([write(file, content), write(`ok-${file}`, result(1, 20))]);
      assert.equal(status, 2, output);
      assert.match(output, message);
      assert.doesNotMatch(output, /\n\s+at /);
    });
  }
  it('refuses results of two runs', () => {
    const { status, output } = runCli([write('r1.json', result(0, 20)), write('r2.json', { ...result(1, 20), runId: 'other' })]);
    assert.equal(status, 2, output);
    assert.match(output, /belongs to run 'other'/);
  });
  const recorded: Array<[string, number]> = [['good', 0], ['slow', 10], ['erroring', 10], ['backpressure', 0], ['dropped', 12]];
  for (const [name, code] of recorded) {
    it(`recorded native run '${name}' exits ${code}`, () => {
      const fixtures = join(repoRoot(), 'test', 'fixtures', name);
      const files = readdirSync(fixtures).filter((file) => file.startsWith('instance-')).map((file) => join(fixtures, file));
      const { status, output } = runCli(files);
      assert.equal(status, code, output);
    });
  }
  it('results of two recorded runs are refused', () => {
    const { status, output } = runCli([join(repoRoot(), 'test/fixtures/good/instance-0.json'), join(repoRoot(), 'test/fixtures/slow/instance-1.json')]);
    assert.equal(status, 2);
    assert.match(output, /belongs to run 'fixture-slow', the first result to run 'fixture-good'/);
  });
  it('a missing file is named', () => {
    const { status, output } = runCli([join(dir, 'nope.json')]);
    assert.equal(status, 2);
    assert.match(output, /cannot read the instance result .*nope\.json: it does not exist/);
  });
});
