/**
 * Arrival schedules with k6's semantics, as pure functions. Iteration i is due at the time t where the
 * integral of the rate over [0, t] equals i, so a constant rate R schedules i at i/R s and a run of D s
 * has exactly R·D iterations. Striping (offset, stride) selects the iterations i ≡ offset (mod stride):
 * the union of all stripes is the whole schedule, with nothing added or lost to rounding.
 */
import type { Schedule } from './plan.js';

/** Guards `ceil` against floating-point noise: 200.2 × 30 must count 6006 iterations, not 6007. */
const EPSILON = 1e-9;

interface Segment {
  /** Iterations due before this segment starts. */
  startCount: number;
  startMs: number;
  durationMs: number;
  fromRate: number;
  toRate: number;
}

function segmentsOf(schedule: Schedule): Segment[] {
  if (schedule.executor === 'constant-arrival-rate') {
    return [{ startCount: 0, startMs: 0, durationMs: schedule.durationMs, fromRate: schedule.rate, toRate: schedule.rate }];
  }
  const segments: Segment[] = [];
  let count = 0;
  let startMs = 0;
  let rate = schedule.startRate;
  for (const stage of schedule.stages) {
    segments.push({ startCount: count, startMs, durationMs: stage.durationMs, fromRate: rate, toRate: stage.target });
    count += ((rate + stage.target) / 2) * (stage.durationMs / 1000);
    startMs += stage.durationMs;
    rate = stage.target;
  }
  return segments;
}

/** The integral of the rate over the whole schedule: the (fractional) number of arrivals. */
function totalArrivals(schedule: Schedule): number {
  if (schedule.executor === 'constant-arrival-rate') return (schedule.rate * schedule.durationMs) / 1000;
  return segmentsOf(schedule).reduce((sum, s) => sum + ((s.fromRate + s.toRate) / 2) * (s.durationMs / 1000), 0);
}

/** Iterations in the whole schedule (every stripe together). */
export function iterationCount(schedule: Schedule): number {
  const arrivals = totalArrivals(schedule);
  return Math.max(0, Math.ceil(arrivals - EPSILON * Math.max(1, arrivals)));
}

/** Iterations of stripe `offset` of `stride` (i ≡ offset mod stride, 0 ≤ i < total). */
export function stripeIterationCount(total: number, offset: number, stride: number): number {
  return offset >= total ? 0 : Math.floor((total - 1 - offset) / stride) + 1;
}

/** Time (ms from the sub-scenario's start) at which arrival number `x` (fractional allowed) falls in a segment. */
function timeWithin(segment: Segment, x: number): number {
  const seconds = segment.durationMs / 1000;
  const r0 = segment.fromRate;
  const a = (segment.toRate - r0) / (2 * seconds);
  // Solve a·t² + r0·t = x. The form 2x / (r0 + √(r0² + 4ax)) is stable for a → 0 and for r0 = 0 — but
  // at x = 0 with r0 = 0 it is 0/0: the first arrival of a ramp from 0 was due at NaN, and a loop never
  // sent it nor anything after it (found by the rust engine's golden test).
  const t = x === 0 ? 0 : a === 0 ? x / r0 : (2 * x) / (r0 + Math.sqrt(r0 * r0 + 4 * a * x));
  return segment.startMs + Math.min(t * 1000, segment.durationMs);
}

/**
 * Due times (ms from the sub-scenario's start) of the iterations of one stripe, in order. A generator
 * so an engine can walk millions of iterations without materialising them.
 */
export function* stripeDueTimes(schedule: Schedule, offset: number, stride: number): Generator<number> {
  const total = iterationCount(schedule);
  if (schedule.executor === 'constant-arrival-rate') {
    const msPerIteration = 1000 / schedule.rate;
    for (let i = offset; i < total; i += stride) yield i * msPerIteration;
    return;
  }
  const segments = segmentsOf(schedule).filter((s) => s.durationMs > 0);
  let index = 0;
  for (let i = offset; i < total; i += stride) {
    while (index < segments.length - 1 && i >= segments[index + 1]!.startCount - EPSILON) index++;
    const segment = segments[index]!;
    yield timeWithin(segment, i - segment.startCount);
  }
}

/** Due time (ms) of global iteration i — for tests and oracles; engines use `stripeDueTimes`. */
export function dueTimeMs(schedule: Schedule, i: number): number {
  return stripeDueTimes(schedule, i, Number.MAX_SAFE_INTEGER).next().value ?? Number.NaN;
}

/** The highest instantaneous rate of a schedule (req/s). */
export function peakRate(schedule: Schedule): number {
  if (schedule.executor === 'constant-arrival-rate') return schedule.rate;
  return Math.max(schedule.startRate, ...schedule.stages.map((stage) => stage.target));
}
