/**
 * Request bytes for one sub-scenario, built once at prepare: a pool of complete HTTP requests (head
 * + body from the event generator) with fixed-width slots where each event's id and timestamp go.
 * Per request only those slots are rewritten in a copy — no JSON building, no serialising — so every
 * event is unique (the target dedups on event_id) at a cost far below the request's own.
 */
import { createEventGenerator } from '../../events/event-generator.js';
import type { RequestTemplate, PayloadSpec, ScenarioPlan } from '../../scenario/plan.js';

export interface PayloadPoolOptions {
  request: RequestTemplate;
  payload: PayloadSpec;
  /** The Host header, as the target URL writes it. */
  host: string;
  /** The target URL's path ('' or '/api'), sent before the scenario's path. */
  basePath?: string;
  /** Unique within the run for this sub-scenario and stripe: the event ids' prefix. */
  idPrefix: string;
  /** Distinct bodies in the pool. */
  templates?: number;
}

export interface Template {
  bytes: Buffer;
  idSlots: number[];
  timeSlots: number[];
}

/** Counter digits in an id: base 36, 8 digits = 2.8 × 10¹² events per stripe. */
const COUNTER_WIDTH = 8;
const ISO_WIDTH = '2026-01-01T00:00:00.000Z'.length;
const ID_FIELD = '"event_id":"';
const TIME_FIELD = '"timestamp":"';

export class PayloadPool {
  private readonly templates: Template[];
  private counter = 0;
  private lastSecond = -1;
  private isoNow: Uint8Array = new Uint8Array(ISO_WIDTH);
  /** Events per request (the batch size). */
  readonly eventsPerRequest: number;
  /** Sizes of the complete requests (head + body) in the pool: min, max and mean. */
  readonly bodyBytes: { min: number; max: number; mean: number };

  constructor(private readonly options: PayloadPoolOptions) {
    this.eventsPerRequest = options.payload.batchSize;
    const generator = createEventGenerator({ seed: options.payload.seed, typeWeights: options.payload.eventTypeWeights, idPrefix: 'x' });
    this.templates = Array.from({ length: options.templates ?? 64 }, () => this.buildTemplate(generator));
    const sizes = this.templates.map((t) => t.bytes.length);
    this.bodyBytes = { min: Math.min(...sizes), max: Math.max(...sizes), mean: sizes.reduce((sum, size) => sum + size, 0) / sizes.length };
  }

  /** A fresh request: the next template with new event ids and the current time. */
  next(nowMs: number): Buffer {
    const template = this.templates[this.counter % this.templates.length]!;
    const bytes = Buffer.allocUnsafe(template.bytes.length);
    bytes.set(template.bytes);
    const second = Math.floor(nowMs / 1000);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.isoNow = Buffer.from(new Date(second * 1000).toISOString(), 'latin1');
    }
    for (const slot of template.timeSlots) bytes.set(this.isoNow, slot);
    for (const slot of template.idSlots) writeCounter(bytes, slot, this.counter++);
    return bytes;
  }

  /** The templates as built: the rust engine takes them at prepare and does only the per-request part (docs/rust-engine.md). */
  templateTable(): ReadonlyArray<Readonly<Template>> {
    return this.templates;
  }

  private buildTemplate(generator: ReturnType<typeof createEventGenerator>): Template {
    const { batchSize } = this.options.payload;
    const body = batchSize === 1 ? generator.nextEventJson() : generator.nextBatchJson(batchSize);
    // Give every event id a fixed width: `<prefix>-<counter>`, the counter written per request.
    const placeholder = `${this.options.idPrefix}-${'0'.repeat(COUNTER_WIDTH)}`;
    const fixed = body.replace(/"event_id":"[^"]*"/g, `${ID_FIELD}${placeholder}"`);
    const head = requestHead(this.options.request, this.options.host, this.options.basePath ?? '', Buffer.byteLength(fixed));
    const text = head + fixed;
    const bytes = Buffer.from(text, 'utf8');
    return {
      bytes,
      idSlots: slotsAfter(text, ID_FIELD, this.options.idPrefix.length + 1),
      timeSlots: slotsAfter(text, TIME_FIELD, 0).filter((slot) => bytes.toString('latin1', slot + ISO_WIDTH, slot + ISO_WIDTH + 1) === '"'),
    };
  }
}

/** The event-id prefix of a sub-scenario's stripe: unique in the run (load-loop.ts and the rust engine both use it). */
export function eventIdPrefix(runId: string, subIndex: number, offset: number): string {
  return `${runId}${subIndex}s${offset.toString(36)}`;
}

const BASE36 = Uint8Array.from('0123456789abcdefghijklmnopqrstuvwxyz', (char) => char.charCodeAt(0));

/** `counter` in base 36, zero-padded to COUNTER_WIDTH digits, written as bytes at `at` (no string per request). */
export function writeCounter(bytes: Uint8Array, at: number, counter: number): void {
  let rest = counter;
  for (let digit = COUNTER_WIDTH - 1; digit >= 0; digit--) {
    bytes[at + digit] = BASE36[rest % 36]!;
    rest = Math.floor(rest / 36);
  }
}

/** Byte offsets just after each `field` (plus `skip` characters) in `text`. */
function slotsAfter(text: string, field: string, skip: number): number[] {
  const slots: number[] = [];
  for (let at = text.indexOf(field); at !== -1; at = text.indexOf(field, at + 1)) {
    slots.push(Buffer.byteLength(text.slice(0, at + field.length)) + skip);
  }
  return slots;
}

function requestHead(request: RequestTemplate, host: string, basePath: string, contentLength: number): string {
  const extra = Object.entries(request.headers)
    .filter(([name]) => !/^(host|content-length|content-type|connection)$/i.test(name))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `${request.method} ${basePath}${request.path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n${extra}\r\n`;
}

/**
 * The mean size of one request (head + body) per sub-scenario, as the engine would send it to `targetUrl`:
 * what `--dry-run` multiplies by the planned rate to show the bandwidth a run needs (issue 19).
 */
export function meanRequestBytes(plan: Pick<ScenarioPlan, 'subScenarios' | 'targetUrl'>, hostHeader: string, basePath: string): Record<string, number> {
  return Object.fromEntries(
    plan.subScenarios.map((sub) => [sub.name, new PayloadPool({ request: sub.request, payload: sub.payload, host: hostHeader, basePath, idPrefix: 'dryrun0s0', templates: 32 }).bodyBytes.mean]),
  );
}
