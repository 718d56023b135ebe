/**
 * The target-side view (issue 9): scrape the target's Prometheus endpoint each second so the report
 * can put the server's own request and event counts beside the client's, and its buffer fill on the
 * timeline. Reads the bundled target-service's metric names; any other target simply yields fewer figures.
 */
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { DEFAULT_METRICS_PORT, METRIC_NAMES, ROUTE_LABELS } from '../../contract/metric-names.js';

/** Cumulative counters and gauges read in one scrape. */
export interface TargetMetricsReading {
  /** Controller epoch ms of the scrape. */
  at: number;
  /** `http_requests_total` by status code, every route but /health: whatever path the scenario sends to. */
  requestsByStatus: Record<string, number>;
  requests: number;
  /** `events_accepted_total`, all types. */
  eventsAccepted: number;
  eventsStored: number | null;
  bufferSize: number | null;
  bufferCapacity: number | null;
}

/** Reads the metrics the report uses out of a Prometheus text exposition. */
export function readTargetMetrics(text: string, at: number): TargetMetricsReading {
  const families = new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
  const requestsByStatus: Record<string, number> = {};
  for (const sample of families.get(METRIC_NAMES.httpRequests)?.metrics ?? []) {
    // Not only the events route: a scenario may send to another path (it counts as `other`); /health is never load.
    if (sample.labels?.route === ROUTE_LABELS.health) continue;
    const status = sample.labels?.status ?? 'unknown';
    requestsByStatus[status] = (requestsByStatus[status] ?? 0) + Number(sample.value ?? 0);
  }
  return {
    at,
    requestsByStatus,
    requests: Object.values(requestsByStatus).reduce((sum, count) => sum + count, 0),
    eventsAccepted: sumOf(families.get(METRIC_NAMES.eventsAccepted)) ?? 0,
    eventsStored: sumOf(families.get(METRIC_NAMES.eventsStored)),
    bufferSize: sumOf(families.get(METRIC_NAMES.eventBufferSize)),
    bufferCapacity: sumOf(families.get(METRIC_NAMES.eventBufferCapacity)),
  };
}

function sumOf(family: PrometheusFamily | undefined): number | null {
  if (!family) return null;
  return family.metrics.reduce((sum, sample) => sum + Number(sample.value ?? 0), 0);
}

/** One scrape; rejects with a short reason on a network error, a non-200 answer or a timeout. */
export async function scrapeTargetMetrics(url: string, timeoutMs = 900): Promise<TargetMetricsReading> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return readTargetMetrics(await response.text(), Date.now());
}

/** The bundled service's metrics URL when the target is on this machine (it listens on DEFAULT_METRICS_PORT unless told otherwise). */
export function defaultTargetMetricsUrl(targetUrl: string): string | null {
  const { hostname } = new URL(targetUrl);
  const local = hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
  return local ? `http://${hostname}:${DEFAULT_METRICS_PORT}/metrics` : null;
}

/** Scrapes every second until stopped; a failing endpoint is recorded once, never fatal to the run. */
export class TargetMetricsWatcher {
  readonly readings: TargetMetricsReading[] = [];
  firstError: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly url: string) {}

  /** Takes the baseline reading (so counts are deltas over the run), then one per second. */
  async start(): Promise<void> {
    await this.scrapeOnce();
    this.timer = setInterval(() => {
      this.inFlight = this.scrapeOnce();
    }, 1000);
    this.timer.unref();
  }

  /** Stops the timer and takes a final reading after the last request. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
    await this.scrapeOnce();
  }

  private async scrapeOnce(): Promise<void> {
    try {
      this.readings.push(await scrapeTargetMetrics(this.url));
    } catch (error) {
      this.firstError ??= `target metrics at ${this.url} unavailable: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}
