/** What the plan had due, per second and per stripe, for the report's planned-vs-achieved figures. */
import type { Schedule, ScenarioPlan } from '../scenario/plan.js';
import { dueTimeMs, stripeIterationCount } from '../scenario/schedule.js';

/**
 * Requests due in second `second` of the run over the whole fleet: the rate integrated over
 * [second, second + 1) for every sub-scenario (shifted by its start time). Exact for constant and
 * linear-ramp schedules, as a fraction; the achieved count is its whole-number counterpart.
 */
export function plannedPerSecond(plan: ScenarioPlan, second: number): number {
  let due = 0;
  for (const sub of plan.subScenarios) {
    const from = second * 1000 - sub.startTimeMs;
    due += arrivalsUntil(sub.schedule, from + 1000) - arrivalsUntil(sub.schedule, from);
  }
  return due;
}

/** ∫ rate over [0, tMs] of a schedule (arrivals), clamped to the schedule. */
export function arrivalsUntil(schedule: Schedule, tMs: number): number {
  const t = Math.min(Math.max(0, tMs), schedule.durationMs);
  if (schedule.executor === 'constant-arrival-rate') return (schedule.rate * t) / 1000;
  let arrivals = 0;
  let start = 0;
  let rate = schedule.startRate;
  for (const stage of schedule.stages) {
    const end = start + stage.durationMs;
    if (t > start && stage.durationMs > 0) {
      const within = Math.min(t, end) - start;
      const rateAt = rate + ((stage.target - rate) * within) / stage.durationMs;
      arrivals += ((rate + rateAt) / 2) * (within / 1000);
    }
    start = end;
    rate = stage.target;
  }
  return arrivals;
}

/** The first due time (ms from the run's start) of stripe `index` of `count`, over all sub-scenarios; null if it has none. */
export function firstDueMs(plan: ScenarioPlan, index: number, count: number): number | null {
  let first: number | null = null;
  for (const sub of plan.subScenarios) {
    if (stripeIterationCount(sub.iterations, index, count) === 0) continue;
    const due = sub.startTimeMs + dueTimeMs(sub.schedule, index);
    if (first === null || due < first) first = due;
  }
  return first;
}
