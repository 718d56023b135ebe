/**
 * The heartbeat half of fault detection (the pod watch is the other): a pod whose node stops answering
 * can look Running to the API server for minutes while its exec stream stays open and silent. Agents
 * send a progress line every second of the run, so once the run has started, silence longer than the
 * limit means the instance is gone. Armed by the controller's `start` (or the first progress line) and
 * disarmed by the result, so the quiet phases (preparing, clock probes, the final drain) never trip it.
 */

const PROGRESS = Buffer.from('{"type":"progress"');
const RESULT = Buffer.from('{"type":"result"');
const CHECK_EVERY_MS = 1000;

export class ProgressHeartbeat {
  private armed = false;
  private done = false;
  private lastAt = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly limitMs: number, onSilent: (silentMs: number) => void) {
    this.timer = setInterval(() => {
      const silentMs = Date.now() - this.lastAt;
      if (this.armed && !this.done && silentMs > this.limitMs) {
        this.stop();
        onSilent(silentMs);
      }
    }, CHECK_EVERY_MS).unref();
  }

  /** The controller told the agent to start: from now on it must report every second. */
  arm(): void {
    this.lastAt = Date.now();
    this.armed = true;
  }

  /** An stdout frame from the agent (protocol lines; a line may span frames, the markers rarely do). */
  saw(frame: Buffer): void {
    this.lastAt = Date.now();
    if (frame.includes(PROGRESS)) this.armed = true;
    if (frame.includes(RESULT)) this.done = true;
  }

  stop(): void {
    this.done = true;
    clearInterval(this.timer);
  }
}
