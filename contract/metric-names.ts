/**
 * The target-service's Prometheus names, written by the service (target-service/src/metrics.ts) and read
 * by loadctl's scraper (src/controller/target-metrics.ts): one list, so a rename cannot silently leave
 * the report without server counts. A leaf of contract/: the service and the CLI both import it.
 */
import { EVENTS_PATH } from './event-schema.js';

export const METRIC_NAMES = {
  httpRequests: 'http_requests_total',
  httpRequestDuration: 'http_request_duration_seconds',
  eventsAccepted: 'events_accepted_total',
  eventsRejected: 'events_rejected_total',
  eventsStored: 'events_stored_total',
  eventsDuplicate: 'events_duplicate_total',
  eventsDeadLettered: 'events_dead_lettered_total',
  storeErrors: 'store_errors_total',
  storeRestarts: 'store_restarts_total',
  backpressureResponses: 'backpressure_responses_total',
  eventBufferSize: 'event_buffer_size',
  eventBufferCapacity: 'event_buffer_capacity',
  flushDuration: 'flush_duration_seconds',
} as const;

/**
 * The `route` label of the HTTP metrics. The events route keeps its label whatever `--base-path`, so
 * dashboards need no change; requests to any other path are `other`.
 */
export const ROUTE_LABELS = { events: EVENTS_PATH, health: '/health', other: 'other' } as const;

export type RouteLabel = (typeof ROUTE_LABELS)[keyof typeof ROUTE_LABELS];

/** Where the service serves /metrics unless told otherwise (`--metrics-port`). */
export const DEFAULT_METRICS_PORT = 9464;
