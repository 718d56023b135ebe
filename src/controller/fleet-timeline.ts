/**
 * The live, fleet-wide view of a run: per-second progress samples from every instance, combined once
 * every live instance has reported that second. Counts add; percentiles come from the *added*
 * per-second histograms, never from averaging the instances' own percentiles.
 */
import type { Histogram } from 'hdr-histogram-js';
import { decodeHistogram, newLatencyHistogram } from '../merge/merge-latency.js';
import type { ProgressSample } from '../protocol/agent-protocol.js';
import { emptyOutcomeCounts, OUTCOME_CLASSES, type OutcomeCounts } from '../protocol/outcomes.js';

export interface FleetSecond {
  second: number;
  requests: number;
  /** Everything but 2xx. */
  errors: number;
  outcomes: OutcomeCounts;
  droppedIterations: number;
  p95Ms: number;
  /** Highest schedule-lag p99 of any instance that second. */
  scheduleLagP99Ms: number;
  inFlight: number;
  /** Instances that reported this second. */
  instances: number;
  /** Generator CPU (% of one core) per reporting instance, by instance index. */
  cpuPercent: Record<number, number>;
  /** HTTP bytes written / read that second by the instances that count them; null when none does (k6). */
  bytesSent: number | null;
  bytesReceived: number | null;
}

export class FleetTimeline {
  readonly seconds: FleetSecond[] = [];
  private readonly pending = new Map<number, Map<number, ProgressSample>>();
  private readonly histograms = new Map<number, Histogram>();
  private readonly live: Set<number>;

  constructor(
    instanceCount: number,
    private readonly onSecond: (second: FleetSecond) => void = () => {},
  ) {
    this.live = new Set(Array.from({ length: instanceCount }, (_, index) => index));
  }

  add(instance: number, sample: ProgressSample): void {
    let samples = this.pending.get(sample.second);
    if (!samples) this.pending.set(sample.second, (samples = new Map()));
    samples.set(instance, sample);
    this.flushComplete();
  }

  /** An instance is gone: stop waiting for its samples. */
  markLost(instance: number): void {
    this.live.delete(instance);
    this.flushComplete();
  }

  /** At the end of the run: emit whatever is still pending, complete or not. */
  flushAll(): void {
    for (const second of [...this.pending.keys()].sort((a, b) => a - b)) this.emit(second);
  }

  /** p95 over the last `count` combined seconds (the live view's "p95 of the last seconds"). */
  recentP95Ms(count: number): number {
    const recent = this.seconds.slice(-count).map((s) => this.histograms.get(s.second)).filter((h): h is Histogram => h !== undefined);
    if (recent.length === 0) return 0;
    const total = newLatencyHistogram();
    for (const histogram of recent) total.add(histogram);
    const p95 = total.getValueAtPercentile(95) / 1000;
    total.destroy();
    return p95;
  }

  private flushComplete(): void {
    for (const second of [...this.pending.keys()].sort((a, b) => a - b)) {
      const samples = this.pending.get(second)!;
      if ([...this.live].some((instance) => !samples.has(instance))) return;
      this.emit(second);
    }
  }

  private emit(second: number): void {
    const samples = this.pending.get(second);
    if (!samples) return;
    this.pending.delete(second);
    const outcomes = emptyOutcomeCounts();
    const combined = newLatencyHistogram();
    const cpuPercent: Record<number, number> = {};
    let droppedIterations = 0;
    let scheduleLagP99Ms = 0;
    let inFlight = 0;
    let bytesSent: number | null = null;
    let bytesReceived: number | null = null;
    for (const [instance, sample] of samples) {
      if (sample.bytesSent !== undefined) bytesSent = (bytesSent ?? 0) + sample.bytesSent;
      if (sample.bytesReceived !== undefined) bytesReceived = (bytesReceived ?? 0) + sample.bytesReceived;
      for (const outcome of OUTCOME_CLASSES) outcomes[outcome] += sample.outcomes[outcome];
      if (sample.latency.kind === 'hdr') {
        const histogram = decodeHistogram(sample.latency);
        combined.add(histogram);
        histogram.destroy();
      }
      droppedIterations += sample.droppedIterations;
      scheduleLagP99Ms = Math.max(scheduleLagP99Ms, sample.scheduleLagP99Ms);
      inFlight += sample.inFlight;
      cpuPercent[instance] = sample.cpuPercent;
    }
    const requests = OUTCOME_CLASSES.reduce((sum, outcome) => sum + outcomes[outcome], 0);
    const fleetSecond: FleetSecond = {
      second,
      requests,
      errors: requests - outcomes['2xx'],
      outcomes,
      droppedIterations,
      p95Ms: combined.totalCount > 0 ? combined.getValueAtPercentile(95) / 1000 : 0,
      scheduleLagP99Ms,
      inFlight,
      instances: samples.size,
      cpuPercent,
      bytesSent,
      bytesReceived,
    };
    this.histograms.set(second, combined);
    for (const [kept, histogram] of this.histograms) {
      if (kept <= second - KEPT_SECONDS) {
        histogram.destroy();
        this.histograms.delete(kept);
      }
    }
    this.seconds.push(fleetSecond);
    this.onSecond(fleetSecond);
  }
}

/** Per-second histograms kept for the live view's recent p95; older ones are released. */
const KEPT_SECONDS = 10;
