/**
 * An HDR histogram plus the exact count/min/max/mean beside it (the histogram's own are rounded to
 * its buckets). Values in µs, 3 significant digits — the layout merge expects (merge-latency.ts).
 */
import { encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { newLatencyHistogram } from '../../merge/merge-latency.js';
import type { LatencySummary } from '../../protocol/instance-result.js';

export class LatencyRecorder {
  private readonly histogram: Histogram = newLatencyHistogram();
  count = 0;
  private min = Infinity;
  private max = 0;
  private sum = 0;

  record(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  /** Adds everything `other` recorded (histogram and exact figures alike). */
  add(other: LatencyRecorder): void {
    if (other.count === 0) return;
    this.histogram.add(other.histogram);
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  percentileMs(q: number): number {
    return this.count === 0 ? 0 : this.histogram.getValueAtPercentile(q * 100) / 1000;
  }

  summary(): LatencySummary {
    const empty = this.count === 0;
    return {
      count: this.count,
      minMs: empty ? 0 : this.min,
      maxMs: this.max,
      meanMs: empty ? 0 : this.sum / this.count,
      p50Ms: this.percentileMs(0.5),
      p95Ms: this.percentileMs(0.95),
      p99Ms: this.percentileMs(0.99),
      p999Ms: this.percentileMs(0.999),
      distribution: { kind: 'hdr', unit: 'us', encoded: encodeIntoCompressedBase64(this.histogram) },
    };
  }

  /** Frees the histogram's memory (WebAssembly builds need it; the JS build ignores it). */
  destroy(): void {
    this.histogram.destroy();
  }
}
