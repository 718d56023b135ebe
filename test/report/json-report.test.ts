import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeInstanceResults } from '../../src/merge/merge-results.js';
import { buildRunReport, targetCountsOf, verdictInputOfReport } from '../../src/report/json-report.js';
import { arrivalsUntil, plannedPerSecond } from '../../src/report/planned-load.js';
import type { RunReport } from '../../src/report/run-report-types.js';
import { renderSplitTable, renderSummaryTable } from '../../src/report/summary-table.js';
import { rejudgeRunReport } from '../../src/gate/rejudge-report.js';
import { describeSplit, splitPlan } from '../../src/split/split-plan.js';
import { buildPlan } from '../../src/scenario/build-plan.js';
import { DEFAULT_VERDICT_OPTIONS, classifyVerdict, thresholdsOfPlan } from '../../src/verdict/classify-verdict.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../src/verdict/threshold-levels.js';
import { instanceResultOf, logNormalSamples } from '../helpers/instance-results.js';

// 100 req/s for 2 s over 4 instances: instance i's first iteration is due at i × 10 ms.
const plan = buildPlan(
  { name: 'tiny', duration: '2s', subScenarios: [{ name: 'single', rate: 100, maxVUs: 8 }] },
  { source: 'test', targetUrl: 'http://127.0.0.1:3000', baseThresholds: DEFAULT_THRESHOLD_LEVELS },
);
const thresholds = thresholdsOfPlan(plan, DEFAULT_THRESHOLD_LEVELS);
const results = [0, 1, 2].map((index) =>
  instanceResultOf({
    index,
    count: 4,
    subScenarios: { single: { latenciesMs: logNormalSamples(50, 20, index + 1), droppedIterations: index === 2 ? 3 : 0 } },
    // Each instance sent exactly 2 ms after its first due time, except instance 1 (7 ms).
    firstSendLagMs: index * 10 + (index === 1 ? 7 : 2),
    plannedIterations: 50,
  }),
);
const merged = mergeInstanceResults(results);
const report = buildRunReport({
  merged,
  plan,
  thresholds,
  verdictOptions: DEFAULT_VERDICT_OPTIONS,
  lost: [{ index: 3, host: 'gen-4', reason: 'agent exited with code 137' }],
  aborted: null,
  target: null,
});

describe('buildRunReport', () => {
  it('is versioned and names the run, plan and engine', () => {
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.kind, 'run');
    assert.equal(report.runId, 'run-1');
    assert.deepEqual(report.scenario, { name: 'tiny', source: 'test', targetUrl: 'http://127.0.0.1:3000' });
    assert.deepEqual(report.engine, { name: 'native', version: '0.1.0', mixed: false });
  });
  it('verdict: degraded (a lost instance), generator-limited flagged too', () => {
    assert.equal(report.verdict.outcome, 'degraded');
    assert.equal(report.degraded, true);
    assert.equal(report.generatorLimited, true);
    assert.match(report.verdict.degradedReasons[0]!, /instance 3 \(gen-4\) was lost: agent exited with code 137/);
  });
  it('start skew subtracts each stripe’s first due time', () => {
    assert.deepEqual(report.instances.map((i) => i.startLagMs), [2, 7, 2, null]);
    assert.equal(report.startSkew.maxMs, 5);
    assert.equal(report.startSkew.instances, 3);
  });
  it('instances: figures, status and flags; the lost one with its planned stripe', () => {
    assert.deepEqual(report.instances.map((i) => [i.index, i.status, i.flags]), [[0, 'completed', []], [1, 'completed', []], [2, 'completed', ['generator-limited', 'dropped']], [3, 'lost', ['lost']]]);
    assert.equal(report.instances[3]!.plannedIterations, 50);
    assert.equal(report.instances[3]!.overall, null);
  });
  it('planned vs achieved load', () => {
    assert.equal(report.load.plannedPeakRate, 100);
    assert.equal(report.load.plannedIterations, 200);
    assert.equal(report.load.startedIterations, 150);
    assert.equal(report.load.plannedMeanRate, 100);
    assert.equal(report.load.achievedMeanRate, 75);
    assert.equal(report.load.droppedIterations, 3);
  });
  it('keeps no latency distributions (a report stays small)', () => {
    assert.equal(JSON.stringify(report).includes('"distribution"'), false);
  });
  it('gate judges a saved report to the same verdict', () => {
    const saved = JSON.parse(JSON.stringify(report)) as RunReport;
    assert.deepEqual(classifyVerdict(verdictInputOfReport(saved), saved.thresholds, saved.verdictOptions), saved.verdict);
  });
  it('aborted runs say so and are not generator-limited for the shortfall', () => {
    const aborted = buildRunReport({ merged: mergeInstanceResults(results.map((r) => ({ ...r, plannedIterations: 500 }))), plan, thresholds, verdictOptions: DEFAULT_VERDICT_OPTIONS, aborted: { reason: 'aborted: critical — errors', atSecond: 1 } });
    assert.deepEqual(aborted.aborted, { reason: 'aborted: critical — errors', atSecond: 1 });
    assert.ok(!aborted.verdict.generatorReasons.some((r) => /planned iterations/.test(r)));
  });
});

describe('buildRunReport: an interrupted run', () => {
  // Stopped 1 s into the 2 s plan: 150 iterations started in that second.
  const interrupted = buildRunReport({ merged, plan, thresholds, verdictOptions: DEFAULT_VERDICT_OPTIONS, aborted: { reason: 'stopped: interrupted (Ctrl-C)', atSecond: 0 }, interrupted: true, ranMs: 1000 });
  it('says so in a field and in the headline, with how much of the plan the verdict covers', () => {
    assert.equal(interrupted.interrupted, true);
    assert.match(interrupted.verdict.headline, /^interrupted after 1 s of 2 s planned; this verdict covers only those 1 s — /);
    assert.equal(report.interrupted, false);
  });
  it('rates over the time that ran, not the planned duration', () => {
    assert.equal(interrupted.load.ranMs, 1000);
    assert.equal(interrupted.load.plannedDurationMs, 2000);
    assert.equal(interrupted.load.plannedMeanRate, 100);
    assert.equal(interrupted.load.achievedMeanRate, 150);
    assert.equal(interrupted.load.plannedIterations, 200, 'the whole plan, as before');
  });
  it('gate judging it again keeps the qualified headline', () => {
    const saved = JSON.parse(JSON.stringify(interrupted)) as RunReport;
    assert.equal(rejudgeRunReport(saved, {}).verdict.headline, interrupted.verdict.headline);
  });
  it('the summary says the verdict is interrupted and over how long the rates are', () => {
    const text = renderSummaryTable(interrupted, { color: false });
    assert.match(text, /^VERDICT DEGRADED \(INTERRUPTED\) {2}interrupted after 1 s/);
    assert.match(text, /100 req\/s planned over the 1 s that ran \(of 2 s\)/);
  });
});

describe('planned load per second', () => {
  it('constant rate: the rate each second, a partial last second', () => {
    assert.equal(plannedPerSecond(plan, 0), 100);
    assert.equal(plannedPerSecond(plan, 2), 0);
  });
  it('a ramp integrates linearly', () => {
    const schedule = { executor: 'ramping-arrival-rate' as const, startRate: 0, stages: [{ target: 100, durationMs: 10_000 }], durationMs: 10_000 };
    assert.equal(arrivalsUntil(schedule, 10_000), 500);
    assert.equal(arrivalsUntil(schedule, 5_000), 125);
    assert.equal(arrivalsUntil(schedule, 20_000), 500);
  });
});

describe('targetCountsOf', () => {
  const reading = (at: number, requests: number, events: number) => ({ at, requests, requestsByStatus: { '202': requests }, eventsAccepted: events, eventsStored: null, bufferSize: 5, bufferCapacity: 100 });
  it('deltas over the run beside the client counts', () => {
    const counts = targetCountsOf('http://t/metrics', [reading(1000, 10, 10), reading(2500, 60, 150), reading(3500, 160, 1150)], 1500, { requests: 150, events: 1140 }, null);
    assert.deepEqual([counts.requests, counts.eventsAccepted, counts.requestsByStatus['202'], counts.error], [150, 1140, 150, null]);
    assert.deepEqual(counts.timeline.map((s) => [s.second, s.requests]), [[1, 50], [2, 100]]);
  });
  it('one scrape is not enough and says so', () => {
    const counts = targetCountsOf('http://t/metrics', [reading(1000, 10, 10)], 1500, { requests: 1, events: 1 }, null);
    assert.equal(counts.requests, null);
    assert.match(counts.error!, /fewer than two scrapes/);
  });
});

describe('renderSummaryTable', () => {
  const text = renderSummaryTable(report, { color: false });
  it('leads with the verdict and its headline', () => assert.match(text, /^VERDICT DEGRADED {2}degraded: instance 3 \(gen-4\) was lost/));
  it('has the total and every sub-scenario', () => {
    assert.match(text, /│ total\s+│ 150 /);
    assert.match(text, /│ single\s+│ 150 /);
  });
  it('has one row per instance with its flags', () => {
    assert.match(text, /│ 2\s+│ 127\.0\.0\.3 │ completed │ 50 .*⚑ generator-limited, dropped/);
    assert.match(text, /│ 3\s+│ gen-4\s+│ lost .*⚑ lost/);
  });
  it('states planned vs achieved load and the skew', () => {
    assert.match(text, /150 of 200 planned iterations started, 75 of 100 req\/s planned, 3 dropped/);
    assert.match(text, /start skew: 5\.0 ms over 3 instances/);
  });
  it('plain without color, ANSI with it', () => {
    assert.equal(text.includes('\u001b['), false);
    assert.equal(renderSummaryTable(report, { color: true }).includes('\u001b['), true);
  });
});

describe('renderSplitTable', () => {
  it('one row per instance and sub-scenario, totals that match the plan', () => {
    const text = renderSplitTable(describeSplit(splitPlan(plan, 3, 'r')), { color: false });
    assert.match(text, /│ 0\s+│ single\s+│ 34\/s\s+│ 67\s+│ 3\s+│ 64 MiB/);
    assert.match(text, /│ total\s+│\s+│ 100\/s\s+│ 200\s+│ 8\s+│ 193 MiB/);
  });
});
