import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseReport, PhaseStepReport } from '../../src/phases/phase-report-types.js';
import type { RunReport } from '../../src/report/run-report-types.js';
import { cliPath, repoRoot } from '../helpers/repo.js';
import { breakpointPhaseOf, recordedReportOf, REPORT_CASES, runReportOf, validatePhaseOf, withoutInstanceTimelines, writeJsonFiles, type ReportCase } from './report-fixtures.js';

function gate(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cliPath(), 'gate', ...args], { cwd: repoRoot(), encoding: 'utf8', timeout: 60_000, env: { ...process.env, GITHUB_STEP_SUMMARY: '', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const EXPECTED: Record<ReportCase, { critical: number; warning: number }> = {
  good: { critical: 0, warning: 0 },
  warning: { critical: 0, warning: 11 },
  critical: { critical: 10, warning: 10 },
  'generator-limited': { critical: 12, warning: 12 },
  degraded: { critical: 13, warning: 13 },
};

// Reports of runs recorded from the real native engine (test/fixtures/): good, backpressure (7 % 429s),
// erroring (14 % 503s), dropped (too few VUs), and the good run with an instance lost.
const runFiles = writeJsonFiles(Object.fromEntries(REPORT_CASES.map((kind) => [`${kind}.json`, recordedReportOf(kind)])));
const phaseFiles = writeJsonFiles(Object.fromEntries(REPORT_CASES.map((kind) => [`validate-${kind}.json`, validatePhaseOf(kind, 'recorded')])));
const builtFiles = writeJsonFiles(Object.fromEntries(REPORT_CASES.map((kind) => [`${kind}.json`, runReportOf(kind)])));

describe('loadctl gate: exit codes by outcome on recorded native runs (through the real CLI)', () => {
  for (const kind of REPORT_CASES) {
    it(`run report ${kind}: exit ${EXPECTED[kind].critical}, with --fail-on warning ${EXPECTED[kind].warning}`, () => {
      const plain = gate([runFiles[`${kind}.json`]!, '--no-color']);
      assert.equal(plain.code, EXPECTED[kind].critical, plain.stdout + plain.stderr);
      assert.match(plain.stdout, new RegExp(`VERDICT ${kind.toUpperCase()}`));
      assert.match(plain.stdout, new RegExp(`GATE ${kind.toUpperCase()} \\(exit ${EXPECTED[kind].critical}\\)`));
      assert.equal(gate([runFiles[`${kind}.json`]!, '--fail-on', 'warning']).code, EXPECTED[kind].warning);
    });
    it(`built two-sub-scenario report ${kind}: exit ${EXPECTED[kind].critical}`, () => {
      assert.equal(gate([builtFiles[`${kind}.json`]!]).code, EXPECTED[kind].critical);
    });
    it(`validate phase report ${kind}: the step's verdict gates (exit ${EXPECTED[kind].critical})`, () => {
      const result = gate([phaseFiles[`validate-${kind}.json`]!]);
      assert.equal(result.code, EXPECTED[kind].critical, result.stdout + result.stderr);
      assert.match(result.stdout, /PHASE validate · checkout/);
    });
  }

  it('a breakpoint phase gates on its conclusion, not on its (expected) critical steps', () => {
    const files = writeJsonFiles({ 'bp.json': breakpointPhaseOf() });
    const result = gate([files['bp.json']!]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /breaking point: ≈ 70 req\/s/);
  });

  it('re-judges instead of trusting the stored verdict: an edited "good" verdict on a critical run still exits 10', () => {
    const report = recordedReportOf('critical');
    report.verdict = recordedReportOf('good').verdict;
    const files = writeJsonFiles({ 'edited.json': report });
    assert.equal(gate([files['edited.json']!]).code, 10);
  });

  it('--config judges with its levels: a p95 warning limit of 1 ms makes the good run a warning', () => {
    const files = writeJsonFiles({ 'good.json': recordedReportOf('good'), 'strict.yaml': 'thresholds:\n  p95Ms: { warning: 1, critical: 5000 }\nrun:\n  failOn: warning\n' });
    const result = gate([files['good.json']!, '--config', files['strict.yaml']!]);
    assert.equal(result.code, 11, result.stdout + result.stderr);
    assert.match(result.stdout, /judged with the levels of/);
  });

  it('--baseline: a p95 twice as slow fails as a critical regression (exit 10); within the limit passes', () => {
    const files = writeJsonFiles({ 'base.json': runReportOf('good'), 'slow.json': runReportOf('good', { medianScale: 2 }), 'same.json': runReportOf('good', { medianScale: 1.02 }) });
    const slow = gate([files['slow.json']!, '--baseline', files['base.json']!, '--max-regression', '10%']);
    assert.equal(slow.code, 10, slow.stdout + slow.stderr);
    assert.match(slow.stdout, /total: p95 .* is a critical regression/);
    const same = gate([files['same.json']!, '--baseline', files['base.json']!, '--max-regression', '10%']);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.match(same.stdout, /No regression beyond the limits/);
    assert.equal(gate([files['slow.json']!, '--baseline', files['base.json']!, '--max-regression', '150%']).code, 0);
  });

  it('v1 reports written before per-instance timelines still gate, compare and render (the field is optional, no version bump)', () => {
    const files = writeJsonFiles({
      'critical.json': withoutInstanceTimelines(recordedReportOf('critical')),
      'good.json': withoutInstanceTimelines(recordedReportOf('good')),
      'validate.json': withoutInstanceTimelines(validatePhaseOf('critical', 'recorded')),
      'new-good.json': recordedReportOf('good'),
    });
    const old = JSON.parse(readFileSync(files['critical.json']!, 'utf8')) as RunReport;
    assert.ok(old.instances.every((i) => !('timeline' in i)), 'the fixture really lacks the field');
    const html = join(files['critical.json']!, '..', 'old.html');
    const critical = gate([files['critical.json']!, '--html', html]);
    assert.equal(critical.code, 10, critical.stdout + critical.stderr);
    assert.match(readFileSync(html, 'utf8'), /^<!DOCTYPE html>/);
    assert.equal(gate([files['validate.json']!]).code, 10);
    const compared = gate([files['new-good.json']!, '--baseline', files['good.json']!, '--max-regression', '10%']);
    assert.equal(compared.code, 0, compared.stdout + compared.stderr);
  });

  it('an interrupted run never passes: exit 14 naming the interruption; critical stays 10; reports without the field gate as before', () => {
    const interrupted = (kind: ReportCase): RunReport => ({ ...recordedReportOf(kind), interrupted: true });
    const files = writeJsonFiles({
      'good.json': interrupted('good'),
      'critical.json': interrupted('critical'),
      'phase.json': { ...validatePhaseOf('good', 'recorded'), interrupted: true },
    });
    const good = gate([files['good.json']!, '--no-color']);
    assert.equal(good.code, 14, good.stdout + good.stderr);
    assert.match(good.stdout, /GATE INTERRUPTED \(good\) \(exit 14\)/);
    assert.match(good.stdout, /interrupted after [\d.]+ s of [\d.]+ s planned; this verdict covers only those/);
    assert.equal(gate([files['critical.json']!]).code, 10);
    assert.equal(gate([files['phase.json']!]).code, 14);
    const old = recordedReportOf('good') as Partial<RunReport>;
    delete old.interrupted;
    assert.equal(gate([writeJsonFiles({ 'old.json': old })['old.json']!]).code, 0);
  });

  it('writes --junit/--markdown/--html and appends the Markdown to $GITHUB_STEP_SUMMARY', () => {
    const files = writeJsonFiles({ 'critical.json': runReportOf('critical'), 'summary.md': '# earlier step\n' });
    const dir = join(files['critical.json']!, '..');
    const result = gate([files['critical.json']!, '--junit', join(dir, 'out/junit.xml'), '--markdown', join(dir, 'out/summary.md'), '--html', join(dir, 'out/report.html')], { GITHUB_STEP_SUMMARY: files['summary.md']! });
    assert.equal(result.code, 10, result.stderr);
    assert.match(readFileSync(join(dir, 'out/junit.xml'), 'utf8'), /<testsuites /);
    const summary = readFileSync(files['summary.md']!, 'utf8');
    assert.ok(summary.startsWith('# earlier step\n'), 'appended, not overwritten');
    assert.match(summary, /### loadctl run · checkout — ❌ CRITICAL \(exit 10\)/);
    assert.equal(readFileSync(join(dir, 'out/summary.md'), 'utf8'), summary.slice('# earlier step\n'.length, -1));
    assert.match(readFileSync(join(dir, 'out/report.html'), 'utf8'), /^<!DOCTYPE html>/);
    assert.match(result.stdout, /JUnit report written to .*junit\.xml/);
  });
});

function phaseWith(edit: (report: PhaseReport) => unknown): PhaseReport {
  const report = validatePhaseOf('good');
  edit(report);
  return report;
}

describe('loadctl gate: bad input exits 2 with the file named, never a stack', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['missing file', '', /cannot read the report .*nope\.json: it does not exist/],
    ['not JSON', '{"kind": "run", ', /broken\.json is not valid JSON/],
    ['an InstanceResult', JSON.stringify({ schemaVersion: 1, instance: { index: 0, count: 1 }, planDigest: 'x' }), /is an InstanceResult, not a run report/],
    ['another schema version', JSON.stringify({ ...runReportOf('good'), schemaVersion: 99 }), /schemaVersion is 99/],
    ['a truncated report', JSON.stringify({ ...runReportOf('good'), timeline: undefined }), /the document has no 'timeline'/],
    ['a wrong field', JSON.stringify({ ...runReportOf('good'), overall: { ...runReportOf('good').overall, requests: 'many' } }), /overall\.requests must be number/],
    ['a phase step without its judgement', JSON.stringify(phaseWith((p) => delete (p.steps[0] as Partial<PhaseStepReport>).judgement)), /steps\.0 has no 'judgement'/],
    ['a phase step with a truncated run report', JSON.stringify(phaseWith((p) => delete (p.steps[0]!.report as Partial<RunReport>).instances)), /steps\.0\.report has no 'instances'/],
    ['an instance second without its requests', JSON.stringify({ ...runReportOf('good'), instances: runReportOf('good').instances.map((i) => ({ ...i, timeline: [{ second: 0, errors: 0, p95Ms: 1 }] })) }), /instances\.0\.timeline\.0 has no 'requests'/],
    ['a phase of an unknown kind', JSON.stringify(phaseWith((p) => Object.assign(p, { phase: 'soak' }))), /phase is not one of validate, stress, breakpoint, distributed/],
  ];
  for (const [what, content, message] of cases) {
    it(what, () => {
      const files = writeJsonFiles({ 'broken.json': content });
      const path = what === 'missing file' ? join(files['broken.json']!, '..', 'nope.json') : files['broken.json']!;
      const result = gate([path]);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /at .*\.js:\d+/);
    });
  }
  it('a --config that does not exist is a usage error', () => {
    const result = gate([runFiles['good.json']!, '--config', '/nonexistent/loadctl.config.yaml']);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /nonexistent\/loadctl\.config\.yaml/);
  });
  it('--max-regression without --baseline is a usage error', () => {
    const result = gate([runFiles['good.json']!, '--max-regression', '10%']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /need --baseline/);
  });
  it('a bad percentage is a usage error', () => {
    assert.equal(gate([runFiles['good.json']!, '--baseline', runFiles['good.json']!, '--max-regression', 'ten']).code, 2);
  });
});
