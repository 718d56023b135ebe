/** CPU (% of one core, all threads of this process) and resident memory, sampled per second. */
import { memoryUsage } from 'node:process';

/** CPU time used so far (µs, user + system) and resident memory now: this process's by default. */
export type UsageReader = () => { cpuMicros: number; rssBytes: number };

const thisProcess: UsageReader = () => {
  const usage = process.cpuUsage();
  return { cpuMicros: usage.user + usage.system, rssBytes: memoryUsage.rss() };
};

export class CpuSampler {
  private lastMicros: number;
  private lastAt = performance.now();
  private readonly samples: number[] = [];
  private lastSample = { cpuPercent: 0, rssBytes: 0 };
  rssMax = 0;

  /** `read`: whose usage (the rust engine adds its child process's). */
  constructor(private readonly read: UsageReader = thisProcess) {
    this.lastMicros = read().cpuMicros;
  }

  start(): void {
    this.lastMicros = this.read().cpuMicros;
    this.lastAt = performance.now();
  }

  /** CPU since the previous sample (samples closer than half a second apart repeat the last one). */
  sample(): { cpuPercent: number; rssBytes: number } {
    const at = performance.now();
    const elapsedMs = at - this.lastAt;
    if (elapsedMs < 500 && this.samples.length > 0) return this.lastSample;
    const usage = this.read();
    const cpuPercent = ((usage.cpuMicros - this.lastMicros) / 1000 / Math.max(1, elapsedMs)) * 100;
    this.lastMicros = usage.cpuMicros;
    this.lastAt = at;
    this.samples.push(cpuPercent);
    this.rssMax = Math.max(this.rssMax, usage.rssBytes);
    this.lastSample = { cpuPercent, rssBytes: usage.rssBytes };
    return this.lastSample;
  }

  stop(): void {
    if (performance.now() - this.lastAt > 200) this.sample();
  }

  summary(): { mean: number; max: number; rssMax: number } {
    const n = this.samples.length;
    return { mean: n === 0 ? 0 : this.samples.reduce((a, b) => a + b, 0) / n, max: n === 0 ? 0 : Math.max(...this.samples), rssMax: this.rssMax || this.read().rssBytes };
  }
}
