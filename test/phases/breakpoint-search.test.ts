import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { concludeEarly, decideNextStep, type BreakpointResult, type SearchStep, type StepJudgement } from '../../src/phases/breakpoint-search.js';

const options = { from: 100, precision: 0.1, maxSteps: 8 };

/** Drives the search against a target that breaks above `capacity` (a fleet that produces up to `fleetMax`). */
function search(capacity: number, fleetMax = Infinity, searchOptions = options): { steps: SearchStep[]; result: BreakpointResult } {
  const steps: SearchStep[] = [];
  for (;;) {
    const decision = decideNextStep(steps, searchOptions);
    if (decision.kind === 'done') return { steps, result: decision.result };
    const rate = decision.rate;
    const judgement: StepJudgement =
      rate > fleetMax
        ? { kind: 'generator-limited', reason: 'dropped iterations', achievedRate: fleetMax, instances: 2 }
        : rate > capacity
          ? { kind: 'critical', reason: 'errors 20 %' }
          : { kind: 'held' };
    steps.push({ rate, judgement });
  }
}

describe('decideNextStep', () => {
  const capacities = [150, 333, 700, 1000, 1234, 2500];
  for (const capacity of capacities) {
    it(`finds a breaking point at ${capacity}/s within 10 % in at most 8 steps`, () => {
      const { steps, result } = search(capacity);
      assert.ok(steps.length <= 8, `${steps.length} steps`);
      assert.ok(result.breakingPoint !== null, result.reason);
      assert.ok(Math.abs(result.breakingPoint - capacity) / capacity <= 0.1, `estimated ${result.breakingPoint}`);
      assert.ok(result.lastGoodRate! <= capacity && result.firstCriticalRate! > capacity);
    });
  }

  it('doubles from the starting rate until a step is critical', () => {
    assert.deepEqual(search(700).steps.slice(0, 4).map((step) => step.rate), [100, 200, 400, 800]);
  });

  it('stops and names the fleet, not the target, when the generator is the limit', () => {
    const { steps, result } = search(5000, 300);
    assert.equal(steps.at(-1)!.rate, 400);
    assert.equal(result.breakingPoint, null);
    assert.match(result.reason, /fleet is too small/);
    // 300/s over 2 instances = 150/s each; 400/s needs 3 of them.
    assert.equal(result.instancesNeeded, 3);
  });

  it('reports no breaking point when the very first step is critical', () => {
    const { result } = search(50);
    assert.equal(result.breakingPoint, null);
    assert.match(result.reason, /start lower with --from/);
  });

  it('stops at the step cap while still doubling', () => {
    const { steps, result } = search(1e12, Infinity, { ...options, maxSteps: 3 });
    assert.equal(steps.length, 3);
    assert.equal(result.breakingPoint, null);
    assert.equal(result.lastGoodRate, 400);
  });
});

describe('concludeEarly', () => {
  it('estimates from a bracket it already has', () => {
    const steps: SearchStep[] = [
      { rate: 100, judgement: { kind: 'held' } },
      { rate: 200, judgement: { kind: 'critical', reason: 'p95 1.2 s' } },
    ];
    assert.equal(concludeEarly(steps, 'max duration reached').breakingPoint, 150);
  });
  it('names the knee — the most a queueing target answered per second — and takes it as the estimate', () => {
    const steps: SearchStep[] = [
      { rate: 400, judgement: { kind: 'held' } },
      { rate: 800, judgement: { kind: 'critical', reason: 'backlog growth', servedRate: 428.6 } },
      { rate: 475, judgement: { kind: 'critical', reason: 'backlog growth', servedRate: 431.2 } },
      { rate: 450, judgement: { kind: 'held' } },
    ];
    const result = concludeEarly(steps, 'max duration reached');
    assert.equal(result.kneeRate, 431);
    assert.equal(result.breakingPoint, 431);
    assert.match(result.reason, /the target answered at most 431\/s \(the knee\)/);
  });
  it('a knee above the first critical rate is no estimate: the bracket is', () => {
    const steps: SearchStep[] = [
      { rate: 100, judgement: { kind: 'held' } },
      { rate: 200, judgement: { kind: 'critical', reason: 'errors', servedRate: 250 } },
    ];
    assert.equal(concludeEarly(steps, 'done').breakingPoint, 150);
  });
  it('has no estimate without a bracket', () => {
    assert.equal(concludeEarly([{ rate: 100, judgement: { kind: 'held' } }], 'max duration reached').breakingPoint, null);
  });
});
