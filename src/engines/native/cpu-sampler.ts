/** CPU (% of one core, all threads of this process) and resident memory, sampled per second. */
import { memoryUsage } from 'node:process';

export class CpuSampler {
  private last = process.cpuUsage();
  private lastAt = performance.now();
  private readonly samples: number[] = [];
  private lastSample = { cpuPercent: 0, rssBytes: 0 };
  rssMax = 0;

  start(): void {
    this.last = process.cpuUsage();
    this.lastAt = performance.now();
  }

  /** CPU since the previous sample (samples closer than half a second apart repeat the last one). */
  sample(): { cpuPercent: number; rssBytes: number } {
    const at = performance.now();
    const elapsedMs = at - this.lastAt;
    if (elapsedMs < 500 && this.samples.length > 0) return this.lastSample;
    const usage = process.cpuUsage(this.last);
    this.last = process.cpuUsage();
    this.lastAt = at;
    const cpuPercent = ((usage.user + usage.system) / 1000 / Math.max(1, elapsedMs)) * 100;
    const rssBytes = memoryUsage.rss();
    this.samples.push(cpuPercent);
    this.rssMax = Math.max(this.rssMax, rssBytes);
    this.lastSample = { cpuPercent, rssBytes };
    return this.lastSample;
  }

  stop(): void {
    if (performance.now() - this.lastAt > 200) this.sample();
  }

  summary(): { mean: number; max: number; rssMax: number } {
    const n = this.samples.length;
    return { mean: n === 0 ? 0 : this.samples.reduce((a, b) => a + b, 0) / n, max: n === 0 ? 0 : Math.max(...this.samples), rssMax: this.rssMax || memoryUsage.rss() };
  }
}
