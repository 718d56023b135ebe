/**
 * What one worker measured: per sub-scenario and overall counts by outcome class, latency and
 * schedule-lag histograms, and per-second buckets (by the second a request ended; drops by the second
 * they were due) each with its own histogram, so every level merges exactly. Something recorded for a
 * second already reported (under overload a drop is noticed after its second has gone) counts in the
 * oldest second not yet reported, so the timeline never holds one second twice.
 *
 * Each request is recorded once per histogram kind, into its second (latency per sub-scenario, lag per
 * second); the sub-scenario and overall histograms are sums of the seconds, added as seconds are taken —
 * an HDR record was ~0.1 µs and five per request were most of the instrumentation's cost. So the figures
 * cover the seconds taken: take them all (`takeSeconds(Infinity)`) before reading the final figures.
 * `instrumentation: 'count'` (bench-only, bench/engine-instrumentation.ts) keeps the counts and classes
 * but records no histogram, to measure what the recording costs.
 */
import { emptyOutcomeCounts, type OutcomeClass, type OutcomeCounts } from '../../protocol/outcomes.js';
import type { LatencySummary, LoadFigures, TimelineSecond } from '../../protocol/instance-result.js';
import { LatencyRecorder } from './latency-recorder.js';

/** Why a due iteration found no free VU (issue 18, DESIGN.md "Who is to blame for a drop"). */
export type DropCause = 'target' | 'generator';

class ScopeCounts {
  requests = 0;
  events = 0;
  started = 0;
  droppedIterations = 0;
  targetBoundDrops = 0;
  bytesSent = 0;
  bytesReceived = 0;
  maxInFlight = 0;
  vuCap = 0;
  readonly outcomes: OutcomeCounts = emptyOutcomeCounts();
  readonly latency = new LatencyRecorder();

  count(outcome: OutcomeClass, events: number, bytes: { sent: number; received: number }): void {
    this.requests++;
    this.events += events;
    this.bytesSent += bytes.sent;
    this.bytesReceived += bytes.received;
    this.outcomes[outcome]++;
  }

  figures(): LoadFigures {
    return loadFiguresOf(this, this.latency.summary());
  }
}

/** A scope's counts as a worker keeps them (the rust engine's threads send the same, raw-seconds.ts). */
export interface ScopeTotals {
  requests: number;
  events: number;
  started: number;
  droppedIterations: number;
  targetBoundDrops: number;
  maxInFlight: number;
  vuCap: number;
  bytesSent: number;
  bytesReceived: number;
  outcomes: OutcomeCounts;
}

/** A scope's figures from its counts and latency, for both engines: iterations are started + dropped. */
export function loadFiguresOf(counts: ScopeTotals, latency: LatencySummary): LoadFigures {
  return {
    requests: counts.requests,
    events: counts.events,
    iterations: counts.started + counts.droppedIterations,
    droppedIterations: counts.droppedIterations,
    targetBoundDrops: counts.targetBoundDrops,
    bytesSent: counts.bytesSent,
    bytesReceived: counts.bytesReceived,
    vuCap: counts.vuCap,
    outcomes: { ...counts.outcomes },
    latency,
    maxInFlight: counts.maxInFlight,
  };
}

class SubScope extends ScopeCounts {
  constructor(readonly index: number) {
    super();
  }
}

class SecondBucket {
  requests = 0;
  started = 0;
  droppedIterations = 0;
  targetBoundDrops = 0;
  bytesSent = 0;
  bytesReceived = 0;
  readonly outcomes: OutcomeCounts = emptyOutcomeCounts();
  /** Latency per sub-scenario (by index), created on its first request in this second. */
  readonly latency: Array<LatencyRecorder | undefined> = [];
  readonly lag = new LatencyRecorder();
  maxInFlight = 0;
}

/** `full`: classes, counts and every histogram; `count`: classes and counts only (bench-only). */
export type Instrumentation = 'full' | 'count';

export class WorkerRecorder {
  startAt = 0;
  firstSendAt: number | null = null;
  readonly overall = new ScopeCounts();
  readonly scheduleLag = new LatencyRecorder();
  private readonly scopes: Map<string, SubScope>;
  private readonly seconds = new Map<number, SecondBucket>();
  /** Every second below this one has been taken (reported). */
  private takenBefore = 0;
  private readonly histograms: boolean;

  constructor(subScenarios: string[], instrumentation: Instrumentation = 'full') {
    this.scopes = new Map(subScenarios.map((name, index) => [name, new SubScope(index)]));
    this.histograms = instrumentation === 'full';
  }

  /** The VU cap of a sub-scenario (the overall cap is their sum), so a reason can say "all N VUs". */
  setVuCap(sub: string, cap: number): void {
    const scope = this.scopes.get(sub)!;
    this.overall.vuCap += cap - scope.vuCap;
    scope.vuCap = cap;
  }

  sent(sub: string, dueAt: number, sentAt: number, subInFlight: number, inFlight: number): void {
    this.firstSendAt ??= sentAt;
    const scope = this.scopes.get(sub)!;
    scope.started++;
    this.overall.started++;
    if (subInFlight > scope.maxInFlight) scope.maxInFlight = subInFlight;
    if (inFlight > this.overall.maxInFlight) this.overall.maxInFlight = inFlight;
    const bucket = this.bucket(sentAt);
    bucket.started++;
    if (this.histograms) bucket.lag.record(Math.max(0, sentAt - dueAt));
    if (inFlight > bucket.maxInFlight) bucket.maxInFlight = inFlight;
  }

  dropped(sub: string, dueAt: number, cause: DropCause): void {
    const scope = this.scopes.get(sub)!;
    const bucket = this.bucket(dueAt);
    scope.droppedIterations++;
    this.overall.droppedIterations++;
    bucket.droppedIterations++;
    if (cause === 'target') {
      scope.targetBoundDrops++;
      this.overall.targetBoundDrops++;
      bucket.targetBoundDrops++;
    }
  }

  /**
   * `latencyMs` is null when no response and no timeout (refused, network error). Bytes count when the
   * request ends, in its second: `bytesSent` is 0 for a request never written (its connection failed).
   */
  ended(sub: string, outcome: OutcomeClass, endedAt: number, latencyMs: number | null, events: number, bytes: { sent: number; received: number }): void {
    const bucket = this.bucket(endedAt);
    bucket.requests++;
    bucket.bytesSent += bytes.sent;
    bucket.bytesReceived += bytes.received;
    bucket.outcomes[outcome]++;
    const scope = this.scopes.get(sub)!;
    scope.count(outcome, events, bytes);
    this.overall.count(outcome, events, bytes);
    if (latencyMs !== null && this.histograms) (bucket.latency[scope.index] ??= new LatencyRecorder()).record(latencyMs);
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
      return this.fold(second, bucket);
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

  /** Adds a taken second's histograms to the sub-scenario and overall ones; the second's timeline entry. */
  private fold(second: number, bucket: SecondBucket): TimelineSecond & { scheduleLagP99Ms: number } {
    const parts = bucket.latency.filter((part) => part !== undefined);
    for (const scope of this.scopes.values()) {
      const part = bucket.latency[scope.index];
      if (part) scope.latency.add(part);
    }
    let combined = parts[0] ?? new LatencyRecorder();
    if (parts.length > 1) {
      combined = new LatencyRecorder();
      for (const part of parts) combined.add(part);
    }
    this.overall.latency.add(combined);
    this.scheduleLag.add(bucket.lag);
    const timeline = secondOf(second, bucket, combined);
    for (const part of new Set([...parts, combined])) part.destroy();
    return timeline;
  }
}

function secondOf(second: number, bucket: SecondBucket, combined: LatencyRecorder): TimelineSecond & { scheduleLagP99Ms: number } {
  const latency = combined.summary();
  const lagP99 = bucket.lag.percentileMs(0.99);
  bucket.lag.destroy();
  return {
    second,
    requests: bucket.requests,
    started: bucket.started,
    outcomes: bucket.outcomes,
    droppedIterations: bucket.droppedIterations,
    targetBoundDrops: bucket.targetBoundDrops,
    bytesSent: bucket.bytesSent,
    bytesReceived: bucket.bytesReceived,
    p50Ms: latency.p50Ms,
    p95Ms: latency.p95Ms,
    p99Ms: latency.p99Ms,
    latency: latency.distribution,
    inFlight: bucket.maxInFlight,
    scheduleLagP99Ms: lagP99,
  };
}
