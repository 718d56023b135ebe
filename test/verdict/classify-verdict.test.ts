import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeInstanceResults } from '../../src/merge/merge-results.js';
import type { TimelineSecond } from '../../src/protocol/instance-result.js';
import { emptyOutcomeCounts } from '../../src/protocol/outcomes.js';
import {
  DEFAULT_VERDICT_OPTIONS,
  classifyVerdict,
  exitCodeOfVerdict,
  verdictInputOf,
  type VerdictOutcome,
  type VerdictThresholds,
} from '../../src/verdict/classify-verdict.js';
import { DEFAULT_THRESHOLD_LEVELS, applyThresholdOverrides } from '../../src/verdict/threshold-levels.js';
import { instanceResultOf, logNormalSamples, type InstanceSpec } from '../helpers/instance-results.js';

const THRESHOLDS: VerdictThresholds = {
  overall: DEFAULT_THRESHOLD_LEVELS,
  subScenarios: { single: DEFAULT_THRESHOLD_LEVELS, batch100: applyThresholdOverrides(DEFAULT_THRESHOLD_LEVELS, { p95Ms: { warning: 2000, critical: 4000 } }) },
};

type Tweak = Partial<Omit<InstanceSpec, 'index' | 'count'>> & { medianMs?: number; errors?: InstanceSpec['subScenarios'][string]['errors']; dropped?: number; targetBound?: number };

/** A fleet of two instances; `tweaks[i]` changes instance i. */
function fleet(...tweaks: Tweak[]) {
  return [0, 1].map((index) => {
    const { medianMs = 20, errors, dropped, targetBound, ...rest } = tweaks[index] ?? {};
    return instanceResultOf({
      index,
      count: 2,
      subScenarios: {
        single: {
          latenciesMs: logNormalSamples(2000, medianMs, index + 1, 0.2),
          ...(errors ? { errors } : {}),
          droppedIterations: dropped ?? 0,
          ...(targetBound !== undefined ? { targetBoundDrops: targetBound, vuCap: 100 } : {}),
        },
      },
      ...rest,
    });
  });
}

interface Case {
  name: string;
  results: ReturnType<typeof fleet>;
  lost?: Array<{ index: number; host: string; reason: string }>;
  outcome: VerdictOutcome;
  level?: string;
  reason?: RegExp;
  flags?: { generatorLimited?: boolean; degraded?: boolean };
}

const cases: Case[] = [
  { name: 'fast, no errors → good', results: fleet(), outcome: 'good', level: 'good' },
  { name: 'p95 ≈ 700 ms → warning', results: fleet({ medianMs: 600 }, { medianMs: 600 }), outcome: 'warning', reason: /p95 \d{3} ms is above the warning limit of 500 ms/ },
  { name: 'p95 > 1000 ms → critical', results: fleet({ medianMs: 1500 }, { medianMs: 1500 }), outcome: 'critical', reason: /p95 2,\d{3} ms is above the critical limit of 1,000 ms/ },
  { name: 'one slow instance can make the fleet critical', results: fleet({}, { medianMs: 3000 }), outcome: 'critical', reason: /p95/ },
  { name: '12 % 503s → critical on error rate and 503s', results: fleet({ errors: { '503': 240 } }, { errors: { '503': 240 } }), outcome: 'critical', reason: /error rate 12 % \(480 of 4,000 requests\) is above the critical limit of 10 %/ },
  { name: '7 % 429s → warning', results: fleet({ errors: { '429': 140 } }, { errors: { '429': 140 } }), outcome: 'warning', reason: /error rate 7 %/ },
  { name: 'one refused connection → critical', results: fleet({ errors: { refused: 1 } }), outcome: 'critical', reason: /refused connections 0.025 %/ },
  { name: 'one timeout → warning (occasional timeouts)', results: fleet({ errors: { timeout: 1 } }), outcome: 'warning', reason: /timeouts 0.025 % .* above the warning limit of 0 %/ },
  { name: 'dropped iterations → generator-limited', results: fleet({ dropped: 50 }), outcome: 'generator-limited', reason: /dropped 50 iterations/, flags: { generatorLimited: true } },
  {
    name: 'critical 503s while generator-limited → critical, flagged',
    results: fleet({ dropped: 50, errors: { '503': 400 } }, { errors: { '503': 400 } }),
    outcome: 'critical',
    reason: /also generator-limited/,
    flags: { generatorLimited: true },
  },
  {
    name: 'slow latency measured by a lagging generator → generator-limited, not critical',
    results: fleet({ medianMs: 1500, scheduleLagP99Ms: 400 }, { medianMs: 1500 }),
    outcome: 'generator-limited',
    level: 'critical',
    reason: /fell behind its schedule: lag p99 400 ms > 100 ms/,
  },
  {
    name: 'timeouts from a saturated generator → generator-limited, even when they push the error rate over 10 %',
    results: fleet({ errors: { timeout: 300 }, cpuPercentMean: 195 }, { errors: { timeout: 300 } }),
    outcome: 'generator-limited',
    level: 'critical',
  },
  {
    name: '503s under a saturated generator are still the target’s → critical',
    results: fleet({ errors: { '503': 300 }, cpuPercentMean: 195 }, { errors: { '503': 300 } }),
    outcome: 'critical',
    reason: /also generator-limited/,
  },
  { name: 'CPU-saturated generator → generator-limited', results: fleet({ cpuPercentMean: 195 }), outcome: 'generator-limited', reason: /CPU saturated: mean 195 % of 2 cores/ },
  { name: 'achieved < planned beyond 1 % → generator-limited', results: fleet({ plannedIterations: 2100 }), outcome: 'generator-limited', reason: /never reached 100 due iterations \(4.8 % of 2,100 planned\), beyond the 1 % tolerance/ },
  { name: 'achieved within 1 % of planned → good', results: fleet({ plannedIterations: 2015 }), outcome: 'good' },
  { name: 'stopped early (abort): the shortfall is expected', results: fleet({ plannedIterations: 5000, status: 'stopped' }), outcome: 'good' },
  { name: "an engine's own 'limited' is not consulted: the facts and the configured limits alone judge", results: fleet({ limited: true }), outcome: 'good' },
  { name: 'generator-bound drops within the 1 % tolerance → good', results: fleet({ dropped: 15 }), outcome: 'good', flags: { generatorLimited: false } },
  {
    name: 'target-bound drops are unserved demand in the error budget, never generator-limited',
    results: fleet({ dropped: 250, targetBound: 250 }, { dropped: 250, targetBound: 250 }),
    outcome: 'critical',
    reason: /error rate 11.1 % \(0 error answers \+ 500 iterations \(11.1 %\) not sent: all 200 VUs \(connections\) were waiting on the target, answers up to \d+ ms; of 4,500 due\)/,
    flags: { generatorLimited: false },
  },
  { name: 'target-bound drops of 6 % → warning', results: fleet({ dropped: 130, targetBound: 130 }, { dropped: 130, targetBound: 130 }), outcome: 'warning', flags: { generatorLimited: false } },
  {
    name: 'mixed drops: only the generator-bound ones count for the fleet (beyond tolerance)',
    results: fleet({ dropped: 100, targetBound: 40 }),
    outcome: 'generator-limited',
    reason: /instance 0 \(127.0.0.1\) dropped 60 iterations while behind its own schedule/,
  },
  { name: 'a failed instance → degraded', results: fleet({ status: 'failed' }), outcome: 'degraded', reason: /instance 0 \(127.0.0.1\) failed/, flags: { degraded: true } },
  { name: 'a lost instance → degraded, named with the runner’s reason', results: fleet().slice(0, 1), lost: [{ index: 1, host: 'gen-2', reason: 'channel closed' }], outcome: 'degraded', reason: /instance 1 \(gen-2\) was lost: channel closed/ },
  { name: 'lost and generator-limited → degraded', results: fleet({ dropped: 50 }).slice(0, 1), outcome: 'degraded', flags: { generatorLimited: true, degraded: true } },
  { name: 'lost but the target is critical → critical', results: fleet({ errors: { '503': 500 } }).slice(0, 1), outcome: 'critical', reason: /also degraded/ },
];

describe('classifyVerdict: outcome and precedence', () => {
  for (const c of cases) {
    it(c.name, () => {
      const verdict = classifyVerdict(verdictInputOf(mergeInstanceResults(c.results), c.lost ? { lost: c.lost } : {}), THRESHOLDS);
      assert.equal(verdict.outcome, c.outcome, verdict.headline);
      if (c.level) assert.equal(verdict.level, c.level);
      if (c.reason) assert.match([verdict.headline, ...verdict.reasons, ...verdict.generatorReasons, ...verdict.degradedReasons].join('\n'), c.reason);
      if (c.flags?.generatorLimited !== undefined) assert.equal(verdict.generatorLimited, c.flags.generatorLimited);
      if (c.flags?.degraded !== undefined) assert.equal(verdict.degraded, c.flags.degraded);
    });
  }
});

describe('classifyVerdict: per metric and per sub-scenario', () => {
  const results = [0, 1].map((index) =>
    instanceResultOf({
      index,
      count: 2,
      subScenarios: {
        single: { latenciesMs: logNormalSamples(1000, 20, index + 1, 0.2) },
        batch100: { latenciesMs: logNormalSamples(1000, 1500, index + 5, 0.1) },
      },
    }),
  );
  const verdict = classifyVerdict(verdictInputOf(mergeInstanceResults(results)), THRESHOLDS);
  it('judges each sub-scenario with its own levels', () => {
    const batch = verdict.subScenarios.find((s) => s.scope === 'batch100')!;
    assert.equal(batch.metrics.find((m) => m.metric === 'p95Ms')!.level, 'good');
    assert.equal(verdict.subScenarios.find((s) => s.scope === 'single')!.level, 'good');
  });
  it('judges the overall figures with the overall levels; overall = worst', () => {
    assert.equal(verdict.overall.metrics.find((m) => m.metric === 'p95Ms')!.level, 'critical');
    assert.equal(verdict.outcome, 'critical');
    assert.match(verdict.reasons[0]!, /^overall: p95/);
  });
  it('reports every metric with value, level, limits and a reason', () => {
    assert.deepEqual(verdict.overall.metrics.map((m) => m.metric), ['p95Ms', 'p99Ms', 'errorRate', 'timeoutRate', 'status503Rate', 'refusedRate', 'backlogGrowth']);
    // Backlog growth needs a timeline with send counts; these results have none, so it is not judged.
    for (const metric of verdict.overall.metrics.filter((m) => m.metric !== 'backlogGrowth')) assert.ok(metric.reason.length > 10 && metric.value !== null);
    assert.match(verdict.overall.metrics.at(-1)!.reason, /backlog growth: not judged/);
  });
  it('counts only the configured error classes', () => {
    const with429 = fleet({ errors: { '429': 400 } }, { errors: { '429': 400 } });
    const input = verdictInputOf(mergeInstanceResults(with429));
    assert.equal(classifyVerdict(input, THRESHOLDS).outcome, 'critical');
    const only5xx = classifyVerdict(input, THRESHOLDS, { errorClasses: ['503', '5xx', 'timeout', 'refused', 'network'], generator: { scheduleLagP99Ms: 100, iterationTolerance: 0.01, cpuSaturation: 0.9 } });
    assert.equal(only5xx.outcome, 'good');
  });
  it('no requests: metrics are not judged', () => {
    const empty = fleet().map((r) => ({ ...r, overall: { ...r.overall, requests: 0, latency: { ...r.overall.latency, count: 0 } }, subScenarios: {} }));
    const verdict = classifyVerdict(verdictInputOf(mergeInstanceResults(empty)), THRESHOLDS);
    assert.ok(verdict.overall.metrics.every((m) => m.value === null && /not judged/.test(m.reason)));
  });
});

describe('exitCodeOfVerdict', () => {
  const table: Array<[VerdictOutcome, 'warning' | 'critical', number]> = [
    ['good', 'critical', 0],
    ['good', 'warning', 0],
    ['warning', 'critical', 0],
    ['warning', 'warning', 11],
    ['critical', 'critical', 10],
    ['critical', 'warning', 10],
    ['generator-limited', 'critical', 12],
    ['degraded', 'critical', 13],
  ];
  for (const [outcome, failOn, code] of table) it(`${outcome} with --fail-on ${failOn} → ${code}`, () => assert.equal(exitCodeOfVerdict(outcome, failOn), code));
});

/** A fleet timeline of `seconds` seconds: `sent` per second and `answered` per second, p50 climbing by `climbMs` a second. */
function timelineOf(seconds: number, sent: number, answered: number, climbMs = 0): TimelineSecond[] {
  return Array.from({ length: seconds }, (_, second) => ({
    second,
    requests: second === 0 ? 0 : answered,
    started: sent,
    outcomes: { ...emptyOutcomeCounts(), '2xx': answered },
    droppedIterations: 0,
    p50Ms: 5 + climbMs * second,
    p95Ms: 10 + climbMs * second,
    p99Ms: 12 + climbMs * second,
  }));
}

describe('classifyVerdict: a target that queues (backlog growth, issue 18)', () => {
  const judge = (timeline: TimelineSecond[], extra: Tweak = {}) =>
    classifyVerdict(verdictInputOf(mergeInstanceResults([instanceResultOf({ index: 0, count: 1, subScenarios: { single: { latenciesMs: logNormalSamples(2000, 20, 1, 0.2) } }, timeline, ...extra })])), THRESHOLDS);
  const cases: Array<[name: string, timeline: TimelineSecond[], outcome: VerdictOutcome, reason?: RegExp]> = [
    ['answers as fast as it is sent → good', timelineOf(10, 400, 400), 'good'],
    ['answers 96 % of what it is sent → warning', timelineOf(10, 400, 385, 20), 'warning', /backlog growth 3.75 % \(the target answered 385\/s of the 400\/s sent; median latency 25 ms → 165 ms\)/],
    ['answers 400/s of 440/s → critical (it queues; latency need not be high yet)', timelineOf(10, 440, 400, 30), 'critical', /backlog growth 9.09 % .* is above the critical limit of 5 %/],
    ['too short to tell (one steady second) → not judged', timelineOf(3, 440, 200), 'good'],
  ];
  for (const [name, timeline, outcome, reason] of cases) {
    it(name, () => {
      const verdict = judge(timeline);
      assert.equal(verdict.outcome, outcome, verdict.headline);
      if (reason) assert.match(verdict.reasons.join('\n'), reason);
    });
  }
  it('a saturated generator reads answers late: its backlog is not blamed on the target', () => {
    const verdict = judge(timelineOf(10, 440, 400), { cpuPercentMean: 195 });
    assert.equal(verdict.outcome, 'generator-limited', verdict.headline);
  });
});

describe('classifyVerdict: the configured generator limits hold for every engine', () => {
  it('a relaxed schedule-lag limit lets a 150 ms lag pass; the default calls it generator-limited', () => {
    const results = fleet({ scheduleLagP99Ms: 150 });
    const input = verdictInputOf(mergeInstanceResults(results));
    assert.equal(classifyVerdict(input, THRESHOLDS).outcome, 'generator-limited');
    const relaxed = classifyVerdict(input, THRESHOLDS, { errorClasses: DEFAULT_VERDICT_OPTIONS.errorClasses, generator: { ...DEFAULT_VERDICT_OPTIONS.generator, scheduleLagP99Ms: 200 } });
    assert.equal(relaxed.outcome, 'good', relaxed.headline);
  });
  it('a wider iteration tolerance lets 3 % generator-bound drops pass', () => {
    const input = verdictInputOf(mergeInstanceResults(fleet({ dropped: 60 })));
    assert.equal(classifyVerdict(input, THRESHOLDS).outcome, 'generator-limited');
    const tolerant = classifyVerdict(input, THRESHOLDS, { errorClasses: DEFAULT_VERDICT_OPTIONS.errorClasses, generator: { ...DEFAULT_VERDICT_OPTIONS.generator, iterationTolerance: 0.05 } });
    assert.equal(tolerant.outcome, 'good', tolerant.headline);
  });
});
