import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type TestCase, type TestSuite, type TestSuites } from 'junit2json';
import { compareReports } from '../../src/compare/compare-reports.js';
import { renderJunitReport } from '../../src/report/junit-report.js';
import type { RunReport } from '../../src/report/run-report-types.js';
import { breakpointPhaseOf, runReportOf, validatePhaseOf } from '../gate/report-fixtures.js';

/** junit2json (xml2js underneath) is the consumer: the XML must parse, and into the structure CI tools read. */
async function consume(xml: string): Promise<TestSuites> {
  const parsed = await parse(xml);
  assert.ok(parsed && 'testsuite' in parsed, 'a <testsuites> root');
  return parsed as TestSuites;
}

function suite(parsed: TestSuites, nameEnd: string): TestSuite {
  const found = parsed.testsuite?.find((s) => s.name?.endsWith(nameEnd));
  assert.ok(found, `a suite named … ${nameEnd} among ${parsed.testsuite?.map((s) => s.name).join(', ')}`);
  return found;
}

function testcase(s: TestSuite, name: string): TestCase {
  const found = s.testcase?.find((c) => c.name === name);
  assert.ok(found, `testcase ${name} in ${s.name}`);
  return found;
}

describe('renderJunitReport, read by junit2json', () => {
  it('one testcase per threshold per scope, plus load and verdict; counts add up', async () => {
    const parsed = await consume(renderJunitReport(runReportOf('good')));
    const names = parsed.testsuite!.map((s) => s.name);
    assert.deepEqual(names, ['checkout · total', 'checkout · single', 'checkout · batch10', 'checkout · load', 'checkout · verdict']);
    for (const scope of ['total', 'single', 'batch10']) {
      assert.deepEqual(suite(parsed, scope).testcase!.map((c) => c.name), ['p95Ms', 'p99Ms', 'errorRate', 'timeoutRate', 'status503Rate', 'refusedRate', 'backlogGrowth']);
    }
    assert.equal(parsed.tests, 7 * 3 + 2 + 1);
    assert.equal(parsed.time, 30, 'the run’s duration, not the sum of its overlapping suites');
    assert.equal(parsed.failures, 0);
  });

  it('a critical run: failures carry the measured value, the limit and the level', async () => {
    const parsed = await consume(renderJunitReport(runReportOf('critical')));
    const failure = testcase(suite(parsed, '· single'), 'errorRate').failure?.[0];
    assert.ok(failure, 'errorRate of single fails');
    assert.equal(failure.type, 'critical');
    assert.match(failure.message!, /error rate 15 % \(18 of 120 requests\) is above the critical limit of 10 %/);
    assert.match(failure.inner!, /measured: 15 %/);
    assert.match(failure.inner!, /limits: warning above 5 %, critical above 10 %/);
    assert.match(failure.inner!, /level: critical/);
    const verdict = testcase(suite(parsed, '· verdict'), 'verdict').failure?.[0];
    assert.equal(verdict?.type, 'critical');
    assert.equal(suite(parsed, '· single').failures, suite(parsed, '· single').testcase!.filter((c) => c.failure).length);
    assert.equal(parsed.failures, parsed.testsuite!.reduce((n, s) => n + (s.failures ?? 0), 0));
  });

  it('warnings fail only with --fail-on warning', async () => {
    const lenient = await consume(renderJunitReport(runReportOf('warning')));
    assert.equal(testcase(suite(lenient, '· total'), 'p95Ms').failure, undefined);
    assert.match(testcase(suite(lenient, '· total'), 'p95Ms')['system-out']![0]!, /level: warning/);
    const strict = await consume(renderJunitReport(runReportOf('warning'), { failOn: 'warning' }));
    assert.equal(testcase(suite(strict, '· total'), 'p95Ms').failure?.[0]?.type, 'warning');
    assert.equal(testcase(suite(strict, '· verdict'), 'verdict').failure?.[0]?.type, 'warning');
  });

  it('generator-limited and degraded are testcases of their own', async () => {
    const limited = await consume(renderJunitReport(runReportOf('generator-limited')));
    const generator = testcase(suite(limited, '· load'), 'generator-limited').failure?.[0];
    assert.equal(generator?.type, 'generator-limited');
    assert.match(generator!.inner!, /dropped 6 iterations/);
    assert.equal(testcase(suite(limited, '· load'), 'degraded').failure, undefined);
    const degraded = await consume(renderJunitReport(runReportOf('degraded')));
    assert.match(testcase(suite(degraded, '· load'), 'degraded').failure![0]!.message!, /instance 1 \(gen-2\) was lost: agent exited with code 137/);
    assert.equal(testcase(suite(degraded, '· verdict'), 'verdict').failure?.[0]?.type, 'degraded');
  });

  it('a metric measured by a saturated generator is skipped, not failed', async () => {
    const report = runReportOf('critical');
    const saturated: RunReport = structuredClone(report);
    const p95 = saturated.verdict.overall.metrics.find((m) => m.metric === 'p95Ms')!;
    Object.assign(p95, { level: 'critical', trusted: false, reason: 'p95 2,000 ms … — measured by a saturated generator, not blamed on the target' });
    const parsed = await consume(renderJunitReport(saturated));
    const c = testcase(suite(parsed, '· total'), 'p95Ms');
    assert.equal(c.failure, undefined);
    assert.match(c.skipped![0]!.message!, /saturated generator/);
  });

  it('regressions: one testcase per compared metric, a critical one fails', async () => {
    const comparison = compareReports(runReportOf('good'), runReportOf('good', { medianScale: 2 }), { warning: 0.05, critical: 0.1 });
    const parsed = await consume(renderJunitReport(runReportOf('good', { medianScale: 2 }), { comparison }));
    const regressions = suite(parsed, '· regressions');
    const p95 = testcase(regressions, 'total p95');
    assert.equal(p95.failure?.[0]?.type, 'critical regression');
    assert.match(p95.failure![0]!.inner!, /baseline: .* ms\ncurrent: .* ms\nchange \(worse \+\): \+\d+/);
    assert.ok(testcase(regressions, 'total p50').skipped, 'p50 is shown, not judged');
    assert.equal(testcase(suite(parsed, '· verdict'), 'verdict').failure?.[0]?.type, 'critical');
  });

  it('phases: a validate step is judged like a run; breakpoint steps are recorded, only the conclusion can fail', async () => {
    const validate = await consume(renderJunitReport(validatePhaseOf('critical')));
    assert.ok(validate.testsuite!.some((s) => s.name === 'checkout · validate step 1 · single' && (s.failures ?? 0) > 0));
    const breakpoint = await consume(renderJunitReport(breakpointPhaseOf()));
    const steps = suite(breakpoint, '· breakpoint');
    assert.deepEqual(steps.testcase!.map((c) => c.name), ['step 1 · 40 req/s', 'step 2 · 80 req/s', 'step 3 · 60 req/s', 'breaking point']);
    assert.equal(breakpoint.failures, 0);
    assert.match(testcase(steps, 'breaking point')['system-out']![0]!, /breaking point ≈ 70 req\/s; last good 60 req\/s, first critical 80 req\/s/);
  });

  it('escapes user-given names: the XML still parses and the names come back verbatim', async () => {
    const report = runReportOf('critical');
    const hostile = `chk<"&'>]]>\u0007`;
    report.scenario = { ...report.scenario!, name: hostile };
    const parsed = await consume(renderJunitReport(report));
    assert.equal(parsed.name, `loadctl run: chk<"&'>]]>`);
    assert.equal(parsed.testsuite![0]!.name, `chk<"&'>]]> · total`);
  });
});
