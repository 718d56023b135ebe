/** The published contract (target-service/openapi.yaml) built from the same schema the service validates with. */
import { DEFAULT_LIMITS, EVENT_SCHEMA } from '../../../contract/event-schema.js';

const errorResponse = (description: string, headers?: object) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

export function buildOpenApiDocument(): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'loadctl target-service: MarTech event ingestion',
      version: '1.0.0',
      description:
        'Accepts events (202) into a bounded buffer flushed concurrently to a durable store. ' +
        `Limits (defaults, configurable): ${DEFAULT_LIMITS.maxEventBytes} bytes per event, ${DEFAULT_LIMITS.maxRequestBytes} bytes per request, ` +
        `${DEFAULT_LIMITS.maxBatchEvents} events per batch, nesting depth ${DEFAULT_LIMITS.maxDepth}. A batch is all or nothing. ` +
        'Field names that start with "$" or contain "." or NUL are refused at any depth (MongoDB reserves them). ' +
        'Numbers must be finite. Extra keys beside "batch" in a batch body are ignored. ' +
        'event_id is the deduplication key: an event sent twice is stored once. ' +
        'A service started with --base-path /prefix serves this route as /prefix/v1/events (GET /health stays at /health).',
    },
    paths: {
      '/v1/events': {
        post: {
          operationId: 'ingestEvents',
          summary: 'Ingest one event or a batch',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/Event' },
                    { $ref: '#/components/schemas/Batch' },
                    { type: 'array', items: { $ref: '#/components/schemas/Event' }, description: 'Also accepted: a bare array of events' },
                  ],
                },
              },
            },
          },
          responses: {
            '202': {
              description: 'Accepted: buffered and queued for the store',
              content: { 'application/json': { schema: { type: 'object', required: ['accepted'], properties: { accepted: { type: 'integer' } } } } },
            },
            '400': errorResponse('Malformed JSON or an invalid event; `index` and `field` name the first problem'),
            '404': errorResponse('Unknown path'),
            '405': errorResponse('Wrong method (see the Allow header)'),
            '413': errorResponse('Over a size limit (event, request or batch count)'),
            '415': errorResponse('Content-Type is not application/json'),
            '429': errorResponse('Backpressure: the buffer is above its high-water mark', retryAfter),
            '503': errorResponse('Draining for shutdown, or over the --max-rps capacity knob', retryAfter),
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Buffer fill and store status',
          responses: {
            '200': { description: 'Accepting events', content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } } },
            '503': { description: 'Draining, or the store is failing and the buffer is above its high-water mark', content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } } },
          },
        },
      },
    },
    components: {
      schemas: {
        Event: EVENT_SCHEMA,
        Batch: {
          type: 'object',
          required: ['batch'],
          properties: { batch: { type: 'array', minItems: 1, maxItems: DEFAULT_LIMITS.maxBatchEvents, items: { $ref: '#/components/schemas/Event' } } },
          description: 'The canonical batch form',
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['status', 'reason', 'message'],
              properties: {
                status: { type: 'integer' },
                reason: {
                  type: 'string',
                  examples: ['invalid_event', 'malformed_json', 'too_large', 'too_many_events', 'unsupported_media_type', 'backpressure', 'draining', 'over_capacity', 'method_not_allowed', 'not_found'],
                },
                message: { type: 'string' },
                index: { type: 'integer', description: 'Index of the offending event in the batch' },
                field: { type: 'string', description: 'Dotted path of the offending field' },
              },
            },
          },
        },
        Health: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['ok', 'degraded', 'unavailable', 'draining'] },
            buffer: {
              type: 'object',
              properties: { size: { type: 'integer' }, capacity: { type: 'integer' }, highWaterMark: { type: 'integer' }, fill: { type: 'number' } },
            },
            store: {
              type: 'object',
              properties: {
                state: { type: 'string', enum: ['ok', 'failing'] },
                failingSince: { type: 'integer' },
                lastError: { type: 'string' },
                restarts: { type: 'integer', description: 'times the SQLite store replaced its dead worker thread' },
                description: { type: 'string' },
              },
            },
            tls: {
              type: 'object',
              description: 'whether this listener speaks HTTPS (--tls-cert/--tls-key) and requires client certificates (--tls-client-ca)',
              properties: { enabled: { type: 'boolean' }, clientCertificates: { type: 'string', enum: ['none', 'required'] } },
            },
          },
        },
      },
    },
  };
}
