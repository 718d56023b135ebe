/**
 * The ingestion contract: the JSON Schema every event must satisfy. One source of truth for the
 * service's validator, the published OpenAPI file and the event generators' tests.
 */

/** Where events are POSTed (under the service's `--base-path`, if any). */
export const EVENTS_PATH = '/v1/events';

/** The ten MarTech event types of the load-testing guide. */
export const EVENT_TYPES = [
  'session_start',
  'page_view',
  'search',
  'purchase',
  'add_to_cart',
  'remove_from_cart',
  'button_click',
  'form_submit',
  'video_play',
  'video_pause',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** An event as it arrives; unknown extra fields are kept and stored as they came. */
export interface IngestEvent {
  event_id: string;
  event_type: EventType;
  user_id?: string;
  anonymous_id?: string;
  session_id: string;
  timestamp: string;
  properties: Record<string, unknown>;
  [extra: string]: unknown;
}

const id = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const text = { type: 'string', minLength: 1 } as const;

/** Properties each event type must carry (beyond these, anything goes). */
const REQUIRED_PROPERTIES: ReadonlyArray<{ types: EventType[]; required: string[]; properties: object }> = [
  { types: ['session_start'], required: [], properties: {} },
  { types: ['page_view'], required: ['url'], properties: { url: text } },
  { types: ['search'], required: ['query'], properties: { query: { type: 'string' } } },
  {
    types: ['purchase'],
    required: ['amount', 'currency'],
    properties: {
      amount: { type: 'number', minimum: 0 },
      currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO-4217 code, upper case' },
    },
  },
  {
    types: ['add_to_cart', 'remove_from_cart'],
    required: ['product_id', 'quantity'],
    properties: { product_id: text, quantity: { type: 'integer', minimum: 1 } },
  },
  { types: ['button_click'], required: ['button_id'], properties: { button_id: text } },
  { types: ['form_submit'], required: ['form_id'], properties: { form_id: text } },
  {
    types: ['video_play', 'video_pause'],
    required: ['video_id', 'position'],
    properties: { video_id: text, position: { type: 'number', minimum: 0, description: 'seconds' } },
  },
];

/** JSON Schema (draft-07 with the OpenAPI `discriminator`) of one event. */
export const EVENT_SCHEMA = {
  type: 'object',
  required: ['event_id', 'event_type', 'session_id', 'timestamp', 'properties'],
  properties: {
    event_id: { ...id(128), description: 'Unique per event; the deduplication key.' },
    event_type: { type: 'string', enum: [...EVENT_TYPES] },
    user_id: id(256),
    anonymous_id: id(256),
    session_id: id(256),
    timestamp: { type: 'string', format: 'date-time', description: 'ISO-8601 / RFC 3339 with offset' },
    properties: { type: 'object' },
  },
  anyOf: [{ required: ['user_id'] }, { required: ['anonymous_id'] }],
  discriminator: { propertyName: 'event_type' },
  oneOf: REQUIRED_PROPERTIES.map(({ types, required, properties }) => ({
    properties: {
      event_type: types.length === 1 ? { const: types[0] } : { enum: types },
      properties: { type: 'object', required, properties },
    },
  })),
  additionalProperties: true,
} as const;

/** Limits the service enforces by default (Segment's per-event limit; a tighter batch count). */
export const DEFAULT_LIMITS = {
  maxEventBytes: 32 * 1024,
  maxRequestBytes: 512 * 1024,
  maxBatchEvents: 500,
  /** Deeper nesting is refused: it can only be abuse, and it breaks recursive serialisers downstream. */
  maxDepth: 32,
} as const;
