/**
 * Run and phase reports of every outcome for the gate, compare and renderer tests, built with the
 * real pipeline (mergeInstanceResults → buildRunReport):
 * - `recordedReportOf`: from InstanceResults recorded from real native-engine runs
 *   (test/fixtures/, scripts/record-fixtures.ts) — what the exit-code tests gate;
 * - `runReportOf`: from the InstanceResult builders in test/helpers/instance-results.ts, where a test
 *   needs a shape no recording has (target-side counts, several sub-scenarios, a slower copy).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeInstanceResults } from '../../src/merge/merge-results.js';
import type { PhaseReport } from '../../src/phases/phase-report-types.js';
import { buildRunReport } from '../../src/report/json-report.js';
import type { RunReport } from '../../src/report/run-report-types.js';
import type { InstanceResult, TimelineSecond } from '../../src/protocol/instance-result.js';
import { emptyOutcomeCounts, type OutcomeCounts } from '../../src/protocol/outcomes.js';
import { buildPlan } from '../../src/scenario/build-plan.js';
import { DEFAULT_VERDICT_OPTIONS, thresholdsOfPlan } from '../../src/verdict/classify-verdict.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../../src/verdict/threshold-levels.js';
import { recordedRun, type FixtureName } from '../helpers/fixtures.js';
import { instanceResultOf, logNormalSamples, type FiguresSpec } from '../helpers/instance-results.js';

export type ReportCase = 'good' | 'warning' | 'critical' | 'generator-limited' | 'degraded';
export const REPORT_CASES: ReportCase[] = ['good', 'warning', 'critical', 'generator-limited', 'degraded'];

/** Which recording shows each outcome; degraded is the good run with its last instance lost. */
const RECORDED: Record<ReportCase, FixtureName> = { good: 'good', warning: 'backpressure', critical: 'erroring', 'generator-limited': 'dropped', degraded: 'good' };

/** The run report `loadctl run` would have written for a recorded run (target-side counts added on request). */
export function recordedReportOf(kind: ReportCase, options: { withTarget?: boolean } = {}): RunReport {
  const { plan, results } = recordedRun(RECORDED[kind]);
  const kept = kind === 'degraded' ? results.slice(0, -1) : results;
  const merged = mergeInstanceResults(kept);
  const lost = kind === 'degraded' ? [{ index: results.length - 1, host: 'gen-3', reason: 'agent exited with code 137' }] : [];
  const target = options.withTarget ? targetOf(merged.overall.requests, merged.overall.events, merged.timeline.length) : null;
  return buildRunReport({ merged, plan, thresholds: thresholdsOfPlan(plan, DEFAULT_THRESHOLD_LEVELS), verdictOptions: DEFAULT_VERDICT_OPTIONS, lost, target });
}

/**
 * A large fleet from the recorded good run: its instances cloned to `count` (hosts gen-0…), one of
 * them (`slowIndex`) carrying the recorded slow run's timeline and figures — a generator that fell
 * behind — and the last one lost. For the per-instance charts' many-instance rules.
 */
export function recordedFleetOf(count: number, slowIndex: number): RunReport {
  const { plan, results } = recordedRun('good');
  const slow = recordedRun('slow').results[0]!;
  const fleet = Array.from({ length: count - 1 }, (_, index): InstanceResult => {
    const base = index === slowIndex ? { ...results[0]!, overall: slow.overall, subScenarios: slow.subScenarios, timeline: slow.timeline } : results[index % results.length]!;
    return { ...base, instance: { index, count }, host: `gen-${index}` };
  });
  const lost = [{ index: count - 1, host: `gen-${count - 1}`, reason: 'agent exited with code 137' }];
  // The recorded plan is a 3-instance fleet's: merged without it, as `loadctl merge` would, so no
  // planned rate pretends to be this fleet's.
  return buildRunReport({ merged: mergeInstanceResults(fleet), plan: null, thresholds: thresholdsOfPlan(plan, DEFAULT_THRESHOLD_LEVELS), verdictOptions: DEFAULT_VERDICT_OPTIONS, lost });
}

const SECONDS = 3;
const START = 1_800_000_000_000;

/** 2 instances × (single at 40/s + batch10 at 20/s) for 3 s: 120 + 60 iterations. */
export function planOf(rate?: number) {
  return buildPlan(
    { name: 'checkout', duration: `${SECONDS}s`, subScenarios: [{ name: 'single', rate: 40, maxVUs: 8 }, { name: 'batch10', rate: 20, maxVUs: 8, batchSize: 10 }] },
    { source: 'scenarios/checkout.ts', targetUrl: 'http://127.0.0.1:3000', baseThresholds: DEFAULT_THRESHOLD_LEVELS, ...(rate ? { rate } : {}) },
  );
}

interface CaseShape {
  medianMs: number;
  sigma?: number;
  errors?: Partial<OutcomeCounts>;
  dropped?: number;
  lost?: boolean;
}

const SHAPES: Record<ReportCase, CaseShape> = {
  good: { medianMs: 20 },
  // p95 ≈ 350 × e^(1.645·0.3) ≈ 570 ms: above the 500 ms warning, below the 1 s critical limit.
  warning: { medianMs: 350, sigma: 0.3 },
  // 9 of 60 requests per instance answered 503: 15 % errors and 503s, critical.
  critical: { medianMs: 25, errors: { '503': 9 } },
  'generator-limited': { medianMs: 20, dropped: 6 },
  degraded: { medianMs: 20, lost: true },
};

/** A run report of the given outcome; `medianScale` slows every latency (for regressions). */
export function runReportOf(kind: ReportCase, options: { medianScale?: number; withTarget?: boolean } = {}): RunReport {
  const shape = SHAPES[kind];
  const plan = planOf();
  const results: InstanceResult[] = [];
  for (const index of [0, 1]) {
    if (shape.lost && index === 1) continue;
    const seed = index * 10 + 1;
    const median = shape.medianMs * (options.medianScale ?? 1);
    const single: FiguresSpec = { latenciesMs: logNormalSamples(60, median, seed, shape.sigma), errors: shape.errors ?? {}, droppedIterations: index === 1 ? (shape.dropped ?? 0) : 0 };
    const batch: FiguresSpec = { latenciesMs: logNormalSamples(30, median, seed + 1, shape.sigma), batchSize: 10 };
    if (index === 1 && shape.dropped) single.latenciesMs = single.latenciesMs.slice(shape.dropped);
    const result = instanceResultOf({ index, count: 2, subScenarios: { single, batch10: batch }, plannedIterations: 90, scheduledStartAt: START, firstSendLagMs: index * 25 + 1 });
    result.timeline = timelineOf(result);
    results.push(result);
  }
  const merged = mergeInstanceResults(results);
  return buildRunReport({
    merged,
    plan,
    thresholds: thresholdsOfPlan(plan, DEFAULT_THRESHOLD_LEVELS),
    verdictOptions: DEFAULT_VERDICT_OPTIONS,
    lost: shape.lost ? [{ index: 1, host: 'gen-2', reason: 'agent exited with code 137' }] : [],
    target: options.withTarget === false ? null : targetOf(merged.overall.requests, merged.overall.events),
  });
}

/** The instance's figures spread evenly over the seconds (what an engine's per-second samples add up to). */
function timelineOf(result: InstanceResult): TimelineSecond[] {
  const o = result.overall;
  return Array.from({ length: SECONDS }, (_, second) => {
    const share = (n: number) => Math.floor(n / SECONDS) + (second < n % SECONDS ? 1 : 0);
    const outcomes = emptyOutcomeCounts();
    for (const key of Object.keys(outcomes) as Array<keyof OutcomeCounts>) outcomes[key] = share(o.outcomes[key]);
    const wobble = 1 + 0.1 * (second - 1);
    return {
      second,
      requests: share(o.requests),
      outcomes,
      droppedIterations: share(o.droppedIterations),
      p50Ms: o.latency.p50Ms * wobble,
      p95Ms: o.latency.p95Ms * wobble,
      p99Ms: o.latency.p99Ms * wobble,
      cpuPercent: 20 + second * 5,
      inFlight: 3 + second,
    };
  });
}

function targetOf(requests: number, events: number, seconds = SECONDS): RunReport['target'] {
  const perSecond = Math.round(requests / seconds);
  return {
    metricsUrl: 'http://127.0.0.1:9464/metrics',
    error: null,
    requests,
    requestsByStatus: { '202': requests },
    eventsAccepted: events,
    eventsStored: events,
    clientRequests: requests,
    clientEvents: events,
    timeline: Array.from({ length: seconds }, (_, second) => ({ second, requests: perSecond, eventsAccepted: Math.round(events / seconds), bufferSize: 100 * (second + 1), bufferCapacity: 10_000 })),
  };
}

/** A breakpoint phase report: held at 40 and 60/s, critical at 80/s → ≈ 70/s. */
export function breakpointPhaseOf(): PhaseReport {
  const steps = [
    { rate: 40, kind: 'good' as const },
    { rate: 80, kind: 'critical' as const },
    { rate: 60, kind: 'good' as const },
  ].map((s, i) => ({
    step: i + 1,
    rate: s.rate,
    judgement: s.kind === 'critical' ? { kind: 'critical' as const, reason: 'errors above 10 %' } : { kind: 'held' as const },
    limitedBy: s.kind === 'critical' ? ('target' as const) : null,
    report: runReportOf(s.kind, { medianScale: s.rate / 40 }),
  }));
  return {
    schemaVersion: 1,
    kind: 'phase',
    phase: 'breakpoint',
    scenario: { name: 'checkout', source: 'scenarios/checkout.ts', targetUrl: 'http://127.0.0.1:3000' },
    startedAt: new Date(START).toISOString(),
    endedAt: new Date(START + 60_000).toISOString(),
    outcome: 'good',
    headline: 'breaking point ≈ 70 req/s: the target held 60/s and was critical at 80/s',
    steps,
    breakingPoint: 70,
    breakpoint: { lastGoodRate: 60, firstCriticalRate: 80, breakingPoint: 70, reason: 'the target held 60/s and was critical at 80/s' },
  };
}

/** A validate phase report: one step of the given outcome (recorded, or built when `built`). */
export function validatePhaseOf(kind: ReportCase, source: 'recorded' | 'built' = 'built'): PhaseReport {
  const report = source === 'recorded' ? recordedReportOf(kind) : runReportOf(kind);
  return {
    schemaVersion: 1,
    kind: 'phase',
    phase: 'validate',
    scenario: { name: 'checkout', source: 'scenarios/checkout.ts', targetUrl: 'http://127.0.0.1:3000' },
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    outcome: report.verdict.outcome,
    headline: report.verdict.headline,
    steps: [{ step: 1, rate: 60, judgement: { kind: 'held' }, limitedBy: null, report }],
    breakingPoint: null,
    breakpoint: null,
  };
}

/** The report as a loadctl from before per-instance timelines wrote it (same schema version 1). */
export function withoutInstanceTimelines<R extends RunReport | PhaseReport>(report: R): R {
  const copy = JSON.parse(JSON.stringify(report)) as RunReport | PhaseReport;
  const runs: RunReport[] = copy.kind === 'run' ? [copy] : copy.steps.flatMap((s) => (s.report ? [s.report] : []));
  for (const run of runs) for (const instance of run.instances) delete instance.timeline;
  return copy as R;
}

/** Writes documents as JSON files in a fresh temporary directory; returns their paths by name. */
export function writeJsonFiles(documents: Record<string, unknown>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-gate-'));
  const paths: Record<string, string> = {};
  for (const [name, document] of Object.entries(documents)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], typeof document === 'string' ? document : JSON.stringify(document));
  }
  return paths;
}
