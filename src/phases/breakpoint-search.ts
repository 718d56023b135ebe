/**
 * The breaking-point search of `phase breakpoint` (issue 11), as a pure state machine: given what
 * each step found, it says which rate to try next or that the search is over, and why. Double from
 * `from` until a step is critical, then bisect between the last good and the first critical rate
 * until they are within `precision`. A generator-limited step ends the search: a saturated fleet is
 * never reported as the target's breaking point.
 */

export type StepJudgement =
  /** The target held this rate (good or warning). */
  | { kind: 'held' }
  /** `servedRate`: what the target answered per second while it queued (its knee), when measured. */
  | { kind: 'critical'; reason: string; servedRate?: number }
  /** The fleet could not produce this rate: `achievedRate` over `instances` tells how big it would need to be. */
  | { kind: 'generator-limited'; reason: string; achievedRate: number; instances: number };

export interface SearchStep {
  rate: number;
  judgement: StepJudgement;
}

export interface BreakpointSearchOptions {
  from: number;
  /** Relative gap between last good and first critical at which bisection stops (0.1 = 10 %). */
  precision: number;
  /** Hard cap on steps, whatever the precision. */
  maxSteps: number;
}

export type SearchDecision =
  | { kind: 'next'; rate: number }
  | { kind: 'done'; result: BreakpointResult };

export interface BreakpointResult {
  lastGoodRate: number | null;
  firstCriticalRate: number | null;
  /**
   * The estimate, or null with the reason: the knee — the most the target answered per second in a
   * critical step where it queued — when measured and not above the first critical rate, else midway
   * between last good and first critical.
   */
  breakingPoint: number | null;
  /** The knee, when a critical step measured it. */
  kneeRate?: number;
  reason: string;
  /** When the fleet was the limit: instances it would take to produce the rate it could not. */
  instancesNeeded?: number;
}

/** What to do after `steps` (empty = the first step). */
export function decideNextStep(steps: readonly SearchStep[], options: BreakpointSearchOptions): SearchDecision {
  if (steps.length === 0) return { kind: 'next', rate: options.from };
  const last = steps[steps.length - 1]!;
  const lastGood = maxRate(steps, 'held');
  const firstCritical = minRate(steps, 'critical');

  if (last.judgement.kind === 'generator-limited') return { kind: 'done', result: generatorLimited(last, lastGood, firstCritical) };
  if (firstCritical === null) {
    if (steps.length >= options.maxSteps) return done(steps, lastGood, null, `no critical step in ${steps.length} steps (the step cap); the target held ${lastGood}/s`);
    return { kind: 'next', rate: last.rate * 2 };
  }
  if (lastGood === null) {
    return done(steps, null, firstCritical, `critical already at the starting rate ${firstCritical}/s; start lower with --from`);
  }
  if ((firstCritical - lastGood) / lastGood <= options.precision) {
    return done(steps, lastGood, firstCritical, `the target held ${lastGood}/s and was critical at ${firstCritical}/s`);
  }
  if (steps.length >= options.maxSteps) {
    return done(steps, lastGood, firstCritical, `stopped at the step cap (${options.maxSteps}) before reaching the precision`);
  }
  const next = Math.round((lastGood + firstCritical) / 2);
  if (next <= lastGood || next >= firstCritical) return done(steps, lastGood, firstCritical, 'the rates cannot be bisected further');
  return { kind: 'next', rate: next };
}

/** Ends a search early (e.g. `--max-duration` reached) with what the steps so far show. */
export function concludeEarly(steps: readonly SearchStep[], why: string): BreakpointResult {
  const lastGood = maxRate(steps, 'held');
  const firstCritical = minRate(steps, 'critical');
  return resultOf(steps, lastGood, firstCritical, why);
}

function done(steps: readonly SearchStep[], lastGood: number | null, firstCritical: number | null, reason: string): SearchDecision {
  return { kind: 'done', result: resultOf(steps, lastGood, firstCritical, reason) };
}

function resultOf(steps: readonly SearchStep[], lastGood: number | null, firstCritical: number | null, reason: string): BreakpointResult {
  const knee = kneeOf(steps);
  const midway = lastGood !== null && firstCritical !== null ? Math.round((lastGood + firstCritical) / 2) : null;
  const kneeFits = knee !== null && midway !== null && knee <= firstCritical!;
  const breakingPoint = kneeFits ? knee : midway;
  const named = knee !== null ? `; pushed beyond it, the target answered at most ${knee.toLocaleString('en-US')}/s (the knee)` : '';
  return { lastGoodRate: lastGood, firstCriticalRate: firstCritical, breakingPoint, reason: `${reason}${named}`, ...(knee !== null ? { kneeRate: knee } : {}) };
}

/** The most a queueing target answered per second over the critical steps that measured it. */
function kneeOf(steps: readonly SearchStep[]): number | null {
  const served = steps.flatMap((step) => (step.judgement.kind === 'critical' && step.judgement.servedRate !== undefined ? [step.judgement.servedRate] : []));
  return served.length > 0 ? Math.round(Math.max(...served)) : null;
}

function generatorLimited(step: SearchStep, lastGood: number | null, firstCritical: number | null): BreakpointResult {
  const judgement = step.judgement as Extract<StepJudgement, { kind: 'generator-limited' }>;
  const perInstance = judgement.achievedRate / Math.max(1, judgement.instances);
  const instancesNeeded = perInstance > 0 ? Math.ceil(step.rate / perInstance) : undefined;
  const needs = instancesNeeded ? `; producing ${step.rate}/s would take about ${instancesNeeded} instances at ${Math.round(perInstance)}/s each` : '';
  return {
    lastGoodRate: lastGood,
    firstCriticalRate: firstCritical,
    breakingPoint: null,
    reason: `the fleet is too small to find the breaking point: at ${step.rate}/s the generator was the limit (${judgement.reason})${needs}`,
    ...(instancesNeeded ? { instancesNeeded } : {}),
  };
}

function maxRate(steps: readonly SearchStep[], kind: StepJudgement['kind']): number | null {
  const rates = steps.filter((step) => step.judgement.kind === kind).map((step) => step.rate);
  return rates.length > 0 ? Math.max(...rates) : null;
}

function minRate(steps: readonly SearchStep[], kind: StepJudgement['kind']): number | null {
  const rates = steps.filter((step) => step.judgement.kind === kind).map((step) => step.rate);
  return rates.length > 0 ? Math.min(...rates) : null;
}
