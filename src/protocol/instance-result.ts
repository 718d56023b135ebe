/**
 * InstanceResult: what one engine instance reports at the end of a run (DESIGN.md, "InstanceResult").
 * Engine-neutral: the native engine fills `latency.distribution` with an HDR histogram, the compiled k6
 * script with a quantile grid; merge, verdict and reports read only this type. Documented in
 * docs/instance-result.md; `schemaVersion` changes whenever a field changes meaning.
 */
import type { OutcomeCounts } from './outcomes.js';

export const INSTANCE_RESULT_SCHEMA_VERSION = 1;

/**
 * A latency distribution that merges exactly (HDR) or as a count-weighted mixture (quantile grid).
 * HDR: hdr-histogram-js `encodeIntoCompressedBase64`, values in microseconds, 3 significant digits.
 */
export type LatencyDistribution =
  | { kind: 'hdr'; unit: 'us'; encoded: string }
  /** k6: `[quantile in 0..1, value in ms]` ascending (from `summaryTrendStats` p(N) values plus min/max). */
  | { kind: 'quantiles'; points: Array<[number, number]> };

export interface LatencySummary {
  /** Requests with a measured latency (every request that got a response or timed out). */
  count: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  distribution: LatencyDistribution;
}

/** The figures of one instance, overall or for one sub-scenario. */
export interface LoadFigures {
  /** Requests that ended (one outcome each): sum of `outcomes`. */
  requests: number;
  /** Events carried by those requests (batch size × requests). */
  events: number;
  /** Scheduled iterations that were due during the run (started + dropped). */
  iterations: number;
  /** Due iterations that found no free VU: counted, never queued (k6's `dropped_iterations`). */
  droppedIterations: number;
  /**
   * Of `droppedIterations`, those dropped while the generator kept its schedule and every VU (up to the
   * cap) was waiting on the target: unserved demand, counted against the target. The rest are
   * generator-bound. Absent in results from before drop attribution (and from k6): all generator-bound.
   */
  targetBoundDrops?: number;
  /**
   * HTTP bytes written and read (request and response heads and bodies, after TLS decryption: k6's
   * data_sent / data_received less TLS framing). Absent from older results.
   */
  bytesSent?: number;
  bytesReceived?: number;
  /** The VU (connection) cap these figures ran under: the most requests that could be in flight. */
  vuCap?: number;
  outcomes: OutcomeCounts;
  latency: LatencySummary;
  /** Most requests in flight at once (VUs busy). */
  maxInFlight: number;
}

/** One second of the run, counted by the second in which the request *ended*. */
export interface TimelineSecond {
  /** Seconds since the instance's scheduled start (0 = the first second). */
  second: number;
  requests: number;
  outcomes: OutcomeCounts;
  droppedIterations: number;
  /** Of those, target-bound (see LoadFigures); absent in older results. */
  targetBoundDrops?: number;
  /** HTTP bytes written / read in this second (absent from older results). */
  bytesSent?: number;
  bytesReceived?: number;
  /** Iterations sent in this second (by send time), so served vs sent per second can be compared. */
  started?: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** That second's latency histogram (native only), so fleet percentiles per second are exact too. */
  latency?: LatencyDistribution;
  /** Generator CPU over that second, % of one core (can exceed 100 with several workers). */
  cpuPercent?: number;
  rssBytes?: number;
  inFlight?: number;
}

export interface GeneratorHealth {
  workers: number;
  cpuPercentMean: number;
  cpuPercentMax: number;
  /** Cores available to the instance (CPU % above 90 % × cores is saturation). */
  cores: number;
  rssBytesMax: number;
  /** Due → sent, per request; p99 above `limits.scheduleLagP99Ms` means the generator fell behind. */
  scheduleLag: LatencySummary;
  /** True when this instance could not keep its schedule; `reasons` says why. */
  limited: boolean;
  reasons: string[];
}

export interface InstanceResult {
  schemaVersion: typeof INSTANCE_RESULT_SCHEMA_VERSION;
  engine: { name: 'native' | 'rust' | 'k6'; version: string };
  host: string;
  runId: string;
  instance: { index: number; count: number };
  /** sha256 of the ScenarioPlan's JSON: instances of one run must agree. */
  planDigest: string;
  /** Epoch ms: the scheduled start, the first request actually sent (start skew), the end. */
  scheduledStartAt: number;
  firstSendAt: number | null;
  endedAt: number;
  /** `stopped` = told to stop early (abort, Ctrl-C); `failed` = the engine broke (see `error`). */
  status: 'completed' | 'stopped' | 'failed';
  error?: string;
  /** Iterations this instance's share of the schedule holds (its stripe), for achieved-vs-plan. */
  plannedIterations: number;
  overall: LoadFigures;
  subScenarios: Record<string, LoadFigures>;
  timeline: TimelineSecond[];
  generator: GeneratorHealth;
  /** How the instance connected to the target (issue 19); absent from older results and from k6. */
  connections?: ConnectionFigures;
}

/**
 * How an instance reached the target (issue 19): the addresses its name resolved to at prepare and the
 * connections opened to each, TCP connect and TLS handshake times (k6's http_req_connecting and
 * http_req_tls_handshaking), which never count in request latency, and why handshakes failed.
 */
export interface ConnectionFigures {
  /** Connections opened per resolved address (every address resolved is listed, 0 when unused). */
  addresses: Record<string, number>;
  opened: number;
  connectMs: LatencySummary;
  /** https targets only. */
  tls: TlsFigures | null;
}

export interface TlsFigures {
  /** Certificates were not verified (`--insecure`): reports say so. */
  insecure: boolean;
  handshakes: number;
  /** Handshakes that resumed a session (reconnects after the server closed a connection). */
  resumed: number;
  handshakeMs: LatencySummary;
  /** Failed handshakes and certificate checks by code (CERT_HAS_EXPIRED…), with the first message of each. */
  failures: Record<string, { count: number; message: string }>;
}
