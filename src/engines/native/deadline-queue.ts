/**
 * The requests of one sub-scenario in send order with their deadlines, so timeouts expire oldest first
 * (every request of a sub-scenario has the same timeout). A ring of parallel arrays: pushing and
 * expiring allocate nothing per request. An entry whose request already ended is skipped when it
 * reaches the head (its `token` no longer matches the holder's).
 */
export interface DeadlineHolder {
  /** The token of the request the holder is carrying now (0 when idle). */
  readonly token: number;
}

export class DeadlineQueue<T extends DeadlineHolder> {
  private holders: Array<T | undefined> = new Array<T | undefined>(16);
  private tokens = new Float64Array(16);
  private deadlines = new Float64Array(16);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(holder: T, token: number, deadline: number): void {
    if (this.count === this.holders.length) this.grow();
    const at = (this.head + this.count) & (this.holders.length - 1);
    this.holders[at] = holder;
    this.tokens[at] = token;
    this.deadlines[at] = deadline;
    this.count++;
  }

  /** Removes stale entries and those due by `t`; calls `expire` for each live one that is due. */
  expire(t: number, expire: (holder: T) => void): void {
    while (this.count > 0) {
      const at = this.head;
      const holder = this.holders[at]!;
      const live = holder.token === this.tokens[at];
      if (live && this.deadlines[at]! > t) return;
      this.holders[at] = undefined;
      this.head = (at + 1) & (this.holders.length - 1);
      this.count--;
      if (live) expire(holder);
    }
  }

  private grow(): void {
    const size = this.holders.length * 2;
    const holders = new Array<T | undefined>(size);
    const tokens = new Float64Array(size);
    const deadlines = new Float64Array(size);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) & (this.holders.length - 1);
      holders[i] = this.holders[from];
      tokens[i] = this.tokens[from]!;
      deadlines[i] = this.deadlines[from]!;
    }
    this.holders = holders;
    this.tokens = tokens;
    this.deadlines = deadlines;
    this.head = 0;
  }
}
