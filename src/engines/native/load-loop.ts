/**
 * The open-model load loop of one worker: every sub-scenario walks its stripe of the schedule;
 * an iteration that is due goes out on a free connection (VU) of its sub-scenario — the pool opens
 * `preAllocated` at prepare and grows on demand up to `max` (k6's preAllocatedVUs → maxVUs) — or,
 * with every VU up to the cap busy, is dropped and counted, never queued (k6's arrival-rate
 * semantics). Each drop is attributed when it is due: *target-bound* when the loop was on schedule
 * and had headroom (every VU was waiting on the target), *generator-bound* when the loop itself was
 * late, had been late within the last window (still catching up after a stall), or busy nearly all
 * the time (CPU, an event-loop stall: answers may sit unread). Latency is send → response complete; schedule lag is
 * due → send. Runs inside a worker thread, but is plain code.
 */
import type { SubScenarioPlan } from '../../scenario/plan.js';
import { stripeDueTimes, stripeIterationCount, iterationCount } from '../../scenario/schedule.js';
import type { OutcomeClass } from '../../protocol/outcomes.js';
import { DeadlineQueue, type DeadlineHolder } from './deadline-queue.js';
import { now } from '../engine-clock.js';
import { secureContextOf, type TlsMaterial } from '../../net/tls-material.js';
import { ConnectionRecorder } from './connection-recorder.js';
import { HttpConnection, type Endpoint } from './http-connection.js';
import { eventIdPrefix, PayloadPool } from './payload-pool.js';
import { WorkerRecorder, type Instrumentation } from './worker-recorder.js';

export interface LoadLoopOptions {
  subScenarios: SubScenarioPlan[];
  target: LoopTarget;
  /** This worker's stripe of every schedule. */
  offset: number;
  stride: number;
  /** VUs (connections) of this worker per sub-scenario: opened at prepare, and the cap the pool grows to. */
  vus: Record<string, { preAllocated: number; max: number }>;
  /** Makes event ids unique in the run: `<runId>` — the stripe and sub-scenario are appended. */
  runId: string;
  /** Called with one line per request when raw samples are on. */
  onRawSample?: (line: string) => void;
  /** Bench-only: 'count' records no histograms (bench/engine-instrumentation.ts measures the difference). */
  instrumentation?: Instrumentation;
}

/** Where the loop's connections go: resolved at prepare (target-address.ts), TLS material from the controller. */
export interface LoopTarget {
  /** Every address the host name resolved to: VUs are spread over them round-robin. */
  addresses: string[];
  port: number;
  hostHeader: string;
  /** Prefixed to every request path ('' or '/api'). */
  basePath: string;
  tls: { servername: string | undefined; insecure: boolean; material: TlsMaterial } | null;
}

interface SubState {
  plan: SubScenarioPlan;
  pool: PayloadPool;
  free: Vu[];
  all: Vu[];
  /** The most VUs this pool may open. */
  cap: number;
  due: Iterator<number>;
  nextDue: number;
  inFlight: number;
  /** Requests in flight in send order: timeouts expire oldest first (one timeout per sub-scenario). */
  deadlines: DeadlineQueue<Vu>;
}

/** One VU: its connection and the request it carries, reused for every request (nothing allocated per send). */
class Vu implements DeadlineHolder {
  /** The request in flight (0: idle), so a late outcome of an ended request is ignored. */
  token = 0;
  dueAt = 0;
  sentAt = 0;
  /** Size of the request in flight (counted as sent once written). */
  requestBytes = 0;
  /** Reused for every ending: the bytes the recorder adds up (no object per request). */
  readonly bytes = { sent: 0, received: 0 };
  readonly connection: HttpConnection;

  constructor(
    readonly sub: SubState,
    endpoint: Endpoint,
    onDone: (vu: Vu, outcome: OutcomeClass, endedAt: number) => void,
  ) {
    this.connection = new HttpConnection(endpoint, (outcome, endedAt) => onDone(this, outcome, endedAt));
  }

  /** When the request's bytes went out (its connection may have opened first). */
  get writtenAt(): number {
    return this.connection.writtenAt || this.sentAt;
  }
}

const TIMEOUT_CHECK_MS = 5;
/**
 * A drop noticed at most this late (ms after it was due) found the loop on schedule: its VUs were all
 * held by the target. Later than this, the loop itself fell behind (timers wake ~1 ms late and a
 * dispatch burst is bounded by TICK_BUDGET_MS, so a healthy loop stays well under it).
 */
export const TARGET_BOUND_MAX_LAG_MS = 25;
/**
 * …and its thread had headroom: event-loop utilisation over the last window below this. A loop busy
 * nearly all the time reads answers late, so its VUs look held by the target when the generator is the
 * limit (seen: 80K req/s asked of one worker stayed ~10 ms on schedule, busy 100 %, every drop "target").
 */
export const TARGET_BOUND_MAX_UTILISATION = 0.9;
/** Event-loop utilisation is measured over windows of this length (ms). */
const UTILISATION_WINDOW_MS = 100;
/** Longest synchronous dispatch burst before I/O gets its turn (ms). */
const TICK_BUDGET_MS = 4;

export class LoadLoop {
  readonly recorder: WorkerRecorder;
  readonly connections: ConnectionRecorder;
  private readonly subs: SubState[];
  /** One endpoint per resolved address; VU n opens to endpoints[n mod count]. */
  private readonly endpoints: Endpoint[];
  private vusCreated = 0;
  private startAt = 0;
  private stopping = false;
  private inFlight = 0;
  private token = 0;
  private timer: NodeJS.Timeout | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private utilisationTimer: NodeJS.Timeout | undefined;
  private utilisationMark = performance.eventLoopUtilization();
  /** This thread's event-loop utilisation over the last window (0..1). */
  private utilisation = 0;
  /**
   * When the loop last handled an iteration later than TARGET_BOUND_MAX_LAG_MS: for a window after
   * that it is still catching up (answers that came while it was stalled sit unread and keep their
   * VUs busy), so its drops are the generator's, not the target's.
   */
  private lastBehindAt = -Infinity;
  private finished!: () => void;
  readonly done = new Promise<void>((resolve) => (this.finished = resolve));
  plannedIterations = 0;

  constructor(private readonly options: LoadLoopOptions) {
    this.recorder = new WorkerRecorder(options.subScenarios.map((sub) => sub.name), options.instrumentation);
    const { target } = options;
    this.connections = new ConnectionRecorder(target.addresses, target.tls ? { insecure: target.tls.insecure } : null);
    const context = target.tls ? secureContextOf(target.tls.material) : null;
    this.endpoints = target.addresses.map((address) => ({
      address,
      port: target.port,
      tls: target.tls ? { context: context!, servername: target.tls.servername, insecure: target.tls.insecure, session: { last: undefined } } : null,
      events: this.connections,
    }));
    this.subs = options.subScenarios.map((plan, index) => {
      this.plannedIterations += stripeIterationCount(iterationCount(plan.schedule), options.offset, options.stride);
      const sub: SubState = {
        plan,
        pool: new PayloadPool({ request: plan.request, payload: plan.payload, host: target.hostHeader, basePath: target.basePath, idPrefix: eventIdPrefix(options.runId, index, options.offset) }),
        free: [],
        all: [],
        cap: options.vus[plan.name]?.max ?? 0,
        due: stripeDueTimes(plan.schedule, options.offset, options.stride),
        nextDue: Infinity,
        inFlight: 0,
        deadlines: new DeadlineQueue<Vu>(),
      };
      const preAllocated = Math.min(sub.cap, options.vus[plan.name]?.preAllocated ?? sub.cap);
      sub.all = Array.from({ length: preAllocated }, () => this.newVu(sub));
      sub.free = [...sub.all];
      this.recorder.setVuCap(plan.name, sub.cap);
      return sub;
    });
  }

  /** Opens every connection ahead of the start (failures surface as outcomes of the first requests). */
  async warmUp(): Promise<void> {
    await Promise.all(this.subs.flatMap((sub) => sub.all.map((vu) => vu.connection.warmUp())));
  }

  /** Runs the schedule from `startAt` (epoch ms); `done` settles when every request has ended. */
  start(startAt: number): void {
    this.startAt = startAt;
    this.recorder.startAt = startAt;
    for (const sub of this.subs) sub.nextDue = this.advance(sub);
    this.timeoutTimer = setInterval(() => this.expireTimeouts(), TIMEOUT_CHECK_MS);
    this.utilisationMark = performance.eventLoopUtilization();
    this.utilisationTimer = setInterval(() => {
      const mark = performance.eventLoopUtilization();
      this.utilisation = performance.eventLoopUtilization(mark, this.utilisationMark).utilization;
      this.utilisationMark = mark;
    }, UTILISATION_WINDOW_MS);
    this.tick();
  }

  /** Stops sending; in-flight requests finish (or time out), then `done` settles. */
  stop(): void {
    this.stopping = true;
    this.maybeFinish();
  }

  /** Body sizes per sub-scenario (for --dry-run style reports and memory estimates). */
  bodyBytes(): Record<string, { min: number; max: number }> {
    return Object.fromEntries(this.subs.map((sub) => [sub.plan.name, sub.pool.bodyBytes]));
  }

  get currentInFlight(): number {
    return this.inFlight;
  }

  private advance(sub: SubState): number {
    const next = sub.due.next();
    return next.done ? Infinity : this.startAt + sub.plan.startTimeMs + next.value;
  }

  private tick = (): void => {
    this.timer = undefined;
    if (this.stopping) return this.maybeFinish();
    const t = now();
    let earliest = Infinity;
    let budgetLeft = true;
    for (const sub of this.subs) {
      let handled = 0;
      while (sub.nextDue <= t && budgetLeft) {
        this.dispatch(sub, sub.nextDue);
        sub.nextDue = this.advance(sub);
        // Overloaded: stop after a bounded burst so responses and timers are read between bursts
        // (one synchronous catch-up over seconds of overdue iterations starved the I/O).
        if (++handled % 64 === 0 && now() - t > TICK_BUDGET_MS) budgetLeft = false;
      }
      if (sub.nextDue < earliest) earliest = sub.nextDue;
    }
    if (earliest === Infinity) {
      this.stopping = true;
      return this.maybeFinish();
    }
    if (!budgetLeft || earliest <= now()) {
      setImmediate(this.tick);
      return;
    }
    // Sleep until the next due iteration rather than spin: timers wake ~1 ms late at worst, which the
    // schedule-lag histogram records; spinning would burn a core and make the CPU gauge meaningless.
    this.timer = setTimeout(this.tick, Math.max(0, Math.floor(earliest - now())));
  };

  private dispatch(sub: SubState, dueAt: number): void {
    const vu = sub.free.pop() ?? this.grow(sub);
    if (!vu) {
      const t = now();
      const late = t - dueAt > TARGET_BOUND_MAX_LAG_MS;
      if (late) this.lastBehindAt = t;
      const onSchedule = !late && t - this.lastBehindAt > UTILISATION_WINDOW_MS && this.utilisation < TARGET_BOUND_MAX_UTILISATION;
      const cause = onSchedule ? 'target' : 'generator';
      this.recorder.dropped(sub.plan.name, dueAt, cause);
      this.options.onRawSample?.(`${JSON.stringify({ sub: sub.plan.name, dueAt, sentAt: null, latencyMs: null, outcome: 'dropped', cause })}`);
      return;
    }
    const bytes = sub.pool.next(dueAt);
    const sentAt = now();
    if (sentAt - dueAt > TARGET_BOUND_MAX_LAG_MS) this.lastBehindAt = sentAt;
    vu.token = ++this.token;
    vu.dueAt = dueAt;
    vu.sentAt = sentAt;
    sub.inFlight++;
    this.inFlight++;
    vu.requestBytes = bytes.length;
    this.recorder.sent(sub.plan.name, dueAt, sentAt, sub.inFlight, this.inFlight);
    sub.deadlines.push(vu, vu.token, sentAt + sub.plan.request.timeoutMs);
    vu.connection.send(bytes, sentAt);
  }

  /** A new VU when the pool is below its cap (its connection opens on this first send), else none. */
  private grow(sub: SubState): Vu | undefined {
    if (sub.all.length >= sub.cap) return undefined;
    const vu = this.newVu(sub);
    sub.all.push(vu);
    return vu;
  }

  /** A VU on the next address in turn (the stripe offset staggers workers, so they do not all start on the first). */
  private newVu(sub: SubState): Vu {
    const endpoint = this.endpoints[(this.options.offset + this.vusCreated++) % this.endpoints.length]!;
    return new Vu(sub, endpoint, this.ended);
  }

  /** A VU's request ended (exactly once per request: the token is cleared here). */
  private readonly ended = (vu: Vu, outcome: OutcomeClass, endedAt: number): void => {
    if (vu.token === 0) return;
    vu.token = 0;
    const sub = vu.sub;
    sub.inFlight--;
    this.inFlight--;
    const answered = outcome !== 'refused' && outcome !== 'network' && outcome !== 'tls';
    // From the bytes going out: a connection opened (and a TLS handshake) for this request is not its latency.
    const latencyMs = answered ? endedAt - vu.writtenAt : null;
    vu.bytes.sent = vu.connection.writtenAt === 0 ? 0 : vu.requestBytes;
    vu.bytes.received = vu.connection.takeReceivedBytes();
    this.recorder.ended(sub.plan.name, outcome, endedAt, latencyMs, sub.pool.eventsPerRequest, vu.bytes);
    this.options.onRawSample?.(`${JSON.stringify({ sub: sub.plan.name, dueAt: vu.dueAt, sentAt: vu.sentAt, latencyMs, outcome })}`);
    sub.free.push(vu);
    if (this.stopping) this.maybeFinish();
  };

  private expireTimeouts(): void {
    const t = now();
    for (const sub of this.subs) sub.deadlines.expire(t, (vu) => vu.connection.abort('timeout', t));
  }

  private maybeFinish(): void {
    if (this.inFlight > 0) return;
    clearTimeout(this.timer);
    clearInterval(this.timeoutTimer);
    clearInterval(this.utilisationTimer);
    for (const sub of this.subs) for (const vu of sub.all) vu.connection.close();
    this.finished();
  }
}
