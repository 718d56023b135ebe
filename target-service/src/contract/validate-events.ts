/**
 * Turns a request body into validated events, or into the first reason to refuse it. A batch is all
 * or nothing: one bad event refuses the request and names its index, field and reason.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { BodyShape } from './body-events.js';
import { EVENT_SCHEMA, EVENT_TYPES, type IngestEvent } from '../../../contract/event-schema.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv, options: { mode: 'fast' | 'full'; formats: string[] }) => Ajv;

export interface EventLimits {
  maxEventBytes: number;
  maxBatchEvents: number;
  maxDepth: number;
}

export type RejectReason = 'malformed_json' | 'invalid_event' | 'too_large' | 'too_many_events';

export interface Rejection {
  status: 400 | 413;
  reason: RejectReason;
  message: string;
  /** Index of the offending event in the batch (0 for a single event). */
  index?: number;
  /** Dotted path of the offending field, e.g. `properties.amount`. */
  field?: string;
  /** Events refused with the request (a batch is all or nothing); 1 when they cannot be counted. */
  events: number;
}


export type ParseOutcome = { ok: true; events: IngestEvent[]; shape: BodyShape } | { ok: false; rejection: Rejection };

/**
 * A lower bound on the serialised size of any valid event (required fields with one-character
 * values; the real minimum is about 125 bytes).
 */
const MIN_VALID_EVENT_BYTES = 100;

// strict: false only for the OpenAPI `discriminator` keyword's schema shape; strictNumbers stays on so
// 1e400 (Infinity) is refused, not stored as null.
const ajv = new Ajv({ discriminator: true, allErrors: false, strict: false, strictNumbers: true });
addFormats(ajv, { mode: 'fast', formats: ['date-time'] });
const validateEvent = ajv.compile(EVENT_SCHEMA);

/**
 * Parses and validates one request body: a single event, `{"batch":[…]}` or a bare array.
 * `bodyBytes` is its UTF-8 size when the caller already knows it.
 */
export function parseEventsBody(body: string, limits: EventLimits, bodyBytes?: number): ParseOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    const message = body.length === 0 ? 'empty body: send one event or {"batch":[…]}' : `malformed JSON: ${(error as Error).message}`;
    return reject({ status: 400, reason: 'malformed_json', message, events: 1 });
  }
  const unwrapped = unwrapBatch(parsed);
  if (!('candidates' in unwrapped)) return reject(unwrapped);
  const { candidates, shape } = unwrapped;
  if (candidates.length === 0) return reject({ status: 400, reason: 'invalid_event', message: 'empty batch: send at least one event', events: 1 });
  if (candidates.length > limits.maxBatchEvents) {
    return reject({
      status: 413,
      reason: 'too_many_events',
      message: `batch of ${candidates.length} events exceeds the limit of ${limits.maxBatchEvents}; split it`,
      events: candidates.length,
    });
  }
  for (let index = 0; index < candidates.length; index++) {
    const rejection = checkEvent(candidates[index], index, limits);
    if (rejection) return reject({ ...rejection, events: candidates.length });
  }
  // Every event is valid now, so each of the others takes at least MIN_VALID_EVENT_BYTES of the body:
  // only when the rest could still exceed the limit is it worth serialising each event to measure it
  // (the common realistic batch, ~35 KB for 100 events, skips this: it cost 2 µs per event).
  const bytes = bodyBytes ?? Buffer.byteLength(body);
  if (bytes - (candidates.length - 1) * MIN_VALID_EVENT_BYTES > limits.maxEventBytes) {
    for (let index = 0; index < candidates.length; index++) {
      const size = Buffer.byteLength(JSON.stringify(candidates[index]));
      if (size > limits.maxEventBytes) {
        return reject({ status: 413, reason: 'too_large', index, message: `event is ${size} bytes; the limit is ${limits.maxEventBytes}`, events: candidates.length });
      }
    }
  }
  return { ok: true, events: candidates as IngestEvent[], shape };
}

function unwrapBatch(parsed: unknown): { candidates: unknown[]; shape: BodyShape } | Rejection {
  if (Array.isArray(parsed)) return { candidates: parsed, shape: 'array' };
  if (isPlainObject(parsed)) {
    if (!('batch' in parsed)) return { candidates: [parsed], shape: 'single' };
    if (Array.isArray(parsed.batch)) return { candidates: parsed.batch, shape: 'batch' };
    return { status: 400, reason: 'invalid_event', field: 'batch', message: '"batch" must be an array of events', events: 1 };
  }
  return { status: 400, reason: 'invalid_event', message: 'body must be an event object, {"batch":[…]} or an array of events', events: 1 };
}

function checkEvent(candidate: unknown, index: number, limits: EventLimits): Omit<Rejection, 'events'> | undefined {
  if (!validateEvent(candidate)) {
    return { status: 400, reason: 'invalid_event', index, ...describeAjvError(validateEvent.errors?.[0]) };
  }
  const problem = findStructureProblem(candidate as object, limits.maxDepth);
  if (problem) {
    const message = {
      too_deep: `nesting deeper than ${limits.maxDepth} levels is not accepted`,
      reserved_key: `field names may not start with "$" or contain "." or NUL (MongoDB refuses them): ${JSON.stringify(problem.path)}`,
      not_finite: 'numbers must be finite (this one overflows a double)',
    }[problem.kind];
    return { status: 400, reason: 'invalid_event', index, field: problem.path, message };
  }
  return undefined;
}

interface StructureProblem {
  path: string;
  kind: 'too_deep' | 'reserved_key' | 'not_finite';
}

/**
 * Finds nesting deeper than `maxDepth`, a key that starts with `$` or contains `.` or NUL (MongoDB
 * and BSON refuse those, and an event refused after its 202 would block the store forever), or a
 * number that overflowed to Infinity. Recursion stops at maxDepth + 1, so deep input cannot
 * blow the stack; paths are built only on failure.
 */
function findStructureProblem(value: object, maxDepth: number): StructureProblem | undefined {
  const isArray = Array.isArray(value);
  for (const key in value) {
    if (!isArray && (key.charCodeAt(0) === 36 || key.includes('.') || key.includes('\0'))) return { path: key, kind: 'reserved_key' };
    const child = (value as Record<string, unknown>)[key];
    if (child === null || typeof child !== 'object') {
      // 1e400 parses as Infinity and would be stored as null.
      if (typeof child === 'number' && !Number.isFinite(child)) return { path: key, kind: 'not_finite' };
      continue;
    }
    if (maxDepth <= 0) return { path: key, kind: 'too_deep' };
    const problem = findStructureProblem(child, maxDepth - 1);
    if (problem) return { ...problem, path: `${key}.${problem.path}` };
  }
  return undefined;
}

function describeAjvError(error: ErrorObject | undefined): { field?: string; message: string } {
  if (!error) return { message: 'invalid event' };
  const base = error.instancePath.split('/').filter(Boolean).join('.');
  const join = (child: string) => (base ? `${base}.${child}` : child);
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return { field: join(missing), message: `${join(missing)} is required` };
    }
    case 'anyOf':
      return { field: 'user_id', message: 'user_id or anonymous_id is required' };
    case 'discriminator':
    case 'enum':
      if (base === 'event_type' || base === '' ) {
        return { field: 'event_type', message: `event_type must be one of: ${EVENT_TYPES.join(', ')}` };
      }
      return { field: base, message: `${base} ${error.message ?? 'is invalid'}` };
    default:
      return { field: base || undefined, message: `${base || 'event'} ${error.message ?? 'is invalid'}` };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reject(rejection: Rejection): ParseOutcome {
  return { ok: false, rejection };
}
