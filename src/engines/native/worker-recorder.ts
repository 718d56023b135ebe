/**
 * What one worker measured: per sub-scenario and overall counts by outcome class, latency and
 * schedule-lag histograms, and per-second buckets (by the second a request ended; drops by the second
 * they were due) each with its own histogram, so every level merges exactly. Something recorded for a
 * second already reported (under overload a drop is noticed after its second has gone) counts in the
 * oldest second not yet reported, so the timeline never holds one second twice.
 */
import { emptyOutcomeCounts, type OutcomeClass, type OutcomeCounts } from '../../results/outcomes.js';
import type { LoadFigures, TimelineSecond } from '../../results/instance-result.js';
import { LatencyRecorder } from './latency-recorder.js';

class ScopeCounts {
  requests = 0;
  events = 0;
  started = 0;
  droppedIterations = 0;
  maxInFlight = 0;
  readonly outcomes: OutcomeCounts = emptyOutcomeCounts();
  readonly latency = new LatencyRecorder();

  figures(): LoadFigures {
    return {
      requests: this.requests,
      events: this.events,
      iterations: this.started + this.droppedIterations,
      droppedIterations: this.droppedIterations,
      outcomes: { ...this.outcomes },
      latency: this.latency.summary(),
      maxInFlight: this.maxInFlight,
    };
  }
}

class SecondBucket {
  requests = 0;
  droppedIterations = 0;
  readonly outcomes: OutcomeCounts = emptyOutcomeCounts();
  readonly latency = new LatencyRecorder();
  readonly lag = new LatencyRecorder();
  maxInFlight = 0;
}

export class WorkerRecorder {
  startAt = 0;
  firstSendAt: number | null = null;
  readonly overall = new ScopeCounts();
  readonly scheduleLag = new LatencyRecorder();
  private readonly scopes: Map<string, ScopeCounts>;
  private readonly seconds = new Map<number, SecondBucket>();
  /** Every second below this one has been taken (reported). */
  private takenBefore = 0;

  constructor(subScenarios: string[]) {
    this.scopes = new Map(subScenarios.map((name) => [name, new ScopeCounts()]));
  }

  sent(sub: string, dueAt: number, sentAt: number, subInFlight: number, inFlight: number): void {
    this.firstSendAt ??= sentAt;
    const scope = this.scopes.get(sub)!;
    scope.started++;
    this.overall.started++;
    if (subInFlight > scope.maxInFlight) scope.maxInFlight = subInFlight;
    if (inFlight > this.overall.maxInFlight) this.overall.maxInFlight = inFlight;
    const lagMs = Math.max(0, sentAt - dueAt);
    this.scheduleLag.record(lagMs);
    const bucket = this.bucket(sentAt);
    bucket.lag.record(lagMs);
    if (inFlight > bucket.maxInFlight) bucket.maxInFlight = inFlight;
  }

  dropped(sub: string, dueAt: number): void {
    this.scopes.get(sub)!.droppedIterations++;
    this.overall.droppedIterations++;
    this.bucket(dueAt).droppedIterations++;
  }

  /** `latencyMs` is null when no response and no timeout (refused, network error). */
  ended(sub: string, outcome: OutcomeClass, endedAt: number, latencyMs: number | null, events: number): void {
    const bucket = this.bucket(endedAt);
    bucket.requests++;
    bucket.outcomes[outcome]++;
    for (const scope of [this.scopes.get(sub)!, this.overall]) {
      scope.requests++;
      scope.events += events;
      scope.outcomes[outcome]++;
      if (latencyMs !== null) scope.latency.record(latencyMs);
    }
    if (latencyMs !== null) bucket.latency.record(latencyMs);
  }

  subScenarioFigures(): Record<string, LoadFigures> {
    return Object.fromEntries([...this.scopes].map(([name, scope]) => [name, scope.figures()]));
  }

  /** Seconds before `beforeSecond` that are complete, removed from the recorder (progress), oldest first. */
  takeSeconds(beforeSecond: number): TimelineSecond[] {
    // Before the start instant there is nothing to take, and no second may be marked as reported yet.
    if (this.startAt === 0) return [];
    const taken = [...this.seconds.keys()].filter((second) => second < beforeSecond).sort((a, b) => a - b);
    this.takenBefore = Math.max(this.takenBefore, beforeSecond);
    return taken.map((second) => {
      const bucket = this.seconds.get(second)!;
      this.seconds.delete(second);
      return secondOf(second, bucket);
    });
  }

  /** The second (since the start) that epoch time `t` falls in. */
  secondOf(t: number): number {
    return Math.max(0, Math.floor((t - this.startAt) / 1000));
  }

  private bucket(t: number): SecondBucket {
    const second = Math.max(this.secondOf(t), this.takenBefore);
    let bucket = this.seconds.get(second);
    if (!bucket) this.seconds.set(second, (bucket = new SecondBucket()));
    return bucket;
  }
}

function secondOf(second: number, bucket: SecondBucket): TimelineSecond & { scheduleLagP99Ms: number } {
  const latency = bucket.latency.summary();
  bucket.latency.destroy();
  const lagP99 = bucket.lag.percentileMs(0.99);
  bucket.lag.destroy();
  return {
    second,
    requests: bucket.requests,
    outcomes: bucket.outcomes,
    droppedIterations: bucket.droppedIterations,
    p50Ms: latency.p50Ms,
    p95Ms: latency.p95Ms,
    p99Ms: latency.p99Ms,
    latency: latency.distribution,
    inFlight: bucket.maxInFlight,
    scheduleLagP99Ms: lagP99,
  };
}
