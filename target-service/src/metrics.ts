/**
 * The service's Prometheus metrics (prom-client). The hot path only bumps plain numbers; prom-client
 * reads them at scrape time through `collect`, so a request pays for one histogram observation.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { EVENT_TYPES, type EventType } from '../../contract/event-schema.js';
import { METRIC_NAMES, type RouteLabel } from '../../contract/metric-names.js';

export type Route = RouteLabel;

export interface MetricsSources {
  bufferSize: () => number;
  bufferCapacity: () => number;
  /** Times the store replaced its dead worker (0 when absent: a store without one). */
  storeRestarts?: () => number;
}

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requestCounts = new Map<string, { route: Route; status: number; count: number }>();
  private readonly acceptedByType = new Map<EventType, number>(EVENT_TYPES.map((type) => [type, 0]));
  private readonly rejectedByReason = new Map<string, number>();
  private readonly durations: Histogram<'route'>;
  /** Per-route histogram children, looked up once instead of hashing labels on every request. */
  private readonly durationByRoute = new Map<Route, { observe(value: number): void }>();
  readonly flushDuration: Histogram;
  eventsStored = 0;
  eventsDuplicate = 0;
  storeErrors = 0;
  eventsDeadLettered = 0;
  backpressureResponses = 0;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    publishCounter(registers, METRIC_NAMES.httpRequests, 'HTTP requests answered, by route and status code', ['route', 'status'], () =>
      [...this.requestCounts.values()].map(({ route, status, count }) => ({ labels: { route, status: String(status) }, value: count })),
    );
    this.durations = new Histogram({
      name: METRIC_NAMES.httpRequestDuration,
      help: 'Time from request start to the end of the response, by route',
      labelNames: ['route'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    publishCounter(registers, METRIC_NAMES.eventsAccepted, 'Events accepted (answered 202), by event type', ['event_type'], () =>
      [...this.acceptedByType].map(([type, value]) => ({ labels: { event_type: type }, value })),
    );
    publishCounter(registers, METRIC_NAMES.eventsRejected, 'Events refused (400/413), by reason; a request whose events cannot be counted counts as one', ['reason'], () =>
      [...this.rejectedByReason].map(([reason, value]) => ({ labels: { reason }, value })),
    );
    publishCounter(registers, METRIC_NAMES.eventsStored, 'Events the store acknowledged (duplicates included)', [], () => [{ labels: {}, value: this.eventsStored }]);
    publishCounter(registers, METRIC_NAMES.eventsDuplicate, 'Stored events whose event_id the store already held', [], () => [{ labels: {}, value: this.eventsDuplicate }]);
    publishCounter(registers, METRIC_NAMES.eventsDeadLettered, 'Accepted events the store refused repeatedly while storing others; written to a dead-letter file', [], () => [
      { labels: {}, value: this.eventsDeadLettered },
    ]);
    publishCounter(registers, METRIC_NAMES.storeErrors, 'Failed store writes (each retried with backoff)', [], () => [{ labels: {}, value: this.storeErrors }]);
    publishCounter(registers, METRIC_NAMES.storeRestarts, 'Times the SQLite store replaced its dead worker thread (a crash, OOM or uncaught error in it)', [], () => [
      { labels: {}, value: sources.storeRestarts?.() ?? 0 },
    ]);
    publishCounter(registers, METRIC_NAMES.backpressureResponses, 'Requests answered 429 because the buffer was above its high-water mark', [], () => [
      { labels: {}, value: this.backpressureResponses },
    ]);
    new Gauge({
      name: METRIC_NAMES.eventBufferSize,
      help: 'Accepted events not yet acknowledged by the store',
      registers,
      collect() {
        this.set(sources.bufferSize());
      },
    });
    new Gauge({
      name: METRIC_NAMES.eventBufferCapacity,
      help: 'Capacity of the event buffer',
      registers,
      collect() {
        this.set(sources.bufferCapacity());
      },
    });
    this.flushDuration = new Histogram({
      name: METRIC_NAMES.flushDuration,
      help: 'Duration of one store write',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  recordRequest(route: Route, status: number, seconds: number): void {
    const key = `${route} ${status}`;
    const entry = this.requestCounts.get(key);
    if (entry) entry.count++;
    else this.requestCounts.set(key, { route, status, count: 1 });
    let histogram = this.durationByRoute.get(route);
    if (!histogram) this.durationByRoute.set(route, (histogram = this.durations.labels(route)));
    histogram.observe(seconds);
  }

  recordAccepted(events: ReadonlyArray<{ event_type: EventType }>): void {
    for (const event of events) this.acceptedByType.set(event.event_type, this.acceptedByType.get(event.event_type)! + 1);
  }

  recordRejected(reason: string, events: number): void {
    this.rejectedByReason.set(reason, (this.rejectedByReason.get(reason) ?? 0) + events);
  }
}

/** A counter whose values live in our own tallies; prom-client copies them at scrape time. */
function publishCounter(
  registers: Registry[],
  name: string,
  help: string,
  labelNames: string[],
  read: () => Array<{ labels: Record<string, string>; value: number }>,
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const { labels, value } of read()) this.inc(labels, value);
    },
  });
}
