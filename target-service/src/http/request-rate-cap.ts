/**
 * `--max-rps`: a capacity knob for testing load tools. Requests beyond N in the current one-second
 * window are answered 503, so a breaking point can be placed where a test wants it.
 */
export class RequestRateCap {
  private windowStart = 0;
  private used = 0;

  constructor(private readonly maxPerSecond: number) {}

  /** True when this request fits in the current second's budget (always true when uncapped). */
  allow(now: number): boolean {
    if (this.maxPerSecond <= 0) return true;
    if (now - this.windowStart >= 1000) {
      this.windowStart = now - (now % 1000);
      this.used = 0;
    }
    return ++this.used <= this.maxPerSecond;
  }
}
