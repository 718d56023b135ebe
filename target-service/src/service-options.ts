/** The target-service's options: what a caller may set, and the resolved form with every default applied. */
import { UsageError } from '../../contract/loadctl-error.js';
import { DEFAULT_LIMITS } from '../../contract/event-schema.js';
import { DEFAULT_METRICS_PORT } from '../../contract/metric-names.js';
import type { FlushOptions } from './flush/flusher.js';
import type { EventLimits } from './contract/validate-events.js';

export interface TargetServiceOptions {
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Port of the Prometheus endpoint; 0 picks a free one, null serves none (cluster workers). */
  metricsPort?: number | null;
  /** A directory for the embedded SQLite store, or a mongodb:// URI. */
  store?: string;
  limits?: Partial<EventLimits & { maxRequestBytes: number }>;
  bufferCapacity?: number;
  highWaterMark?: number;
  flush?: Partial<FlushOptions>;
  maxRps?: number;
  /** Test knob: delay every store write by this much, to make the store the bottleneck. */
  storeDelayMs?: number;
  drainTimeoutMs?: number;
  retryAfterSeconds?: number;
  /** PEM certificate chain file; with `tlsKey` the service speaks HTTPS. Both or neither. */
  tlsCert?: string;
  /** PEM private key file for `tlsCert`. */
  tlsKey?: string;
  /** PEM CA file: clients must present a certificate it signed (mTLS). Needs `tlsCert`/`tlsKey`. */
  tlsClientCa?: string;
  /** A prefix for the events route: `/prefix` serves POST /prefix/v1/events (and /v1/events 404s). */
  basePath?: string;
  log?: (line: string) => void;
}

/** The TLS files a service was given; null serves plain HTTP. */
export interface TlsFiles {
  cert: string;
  key: string;
  clientCa: string | undefined;
}

export interface ResolvedTargetServiceOptions {
  host: string;
  port: number;
  metricsPort: number | null;
  store: string;
  limits: EventLimits & { maxRequestBytes: number };
  bufferCapacity: number;
  highWaterMark: number;
  flush: FlushOptions;
  maxRps: number;
  storeDelayMs: number;
  drainTimeoutMs: number;
  retryAfterSeconds: number;
  tls: TlsFiles | null;
  /** '' (the default) or a prefix such as '/prefix', without a trailing slash. */
  basePath: string;
  log: (line: string) => void;
}

export const TARGET_DEFAULTS = {
  host: '127.0.0.1',
  port: 3000,
  metricsPort: DEFAULT_METRICS_PORT,
  store: '.loadctl/target-store',
  bufferCapacity: 200_000,
  flush: { batchSize: 1000, concurrency: 4, intervalMs: 50, minBackoffMs: 100, maxBackoffMs: 5000 },
  maxRps: 0,
  storeDelayMs: 0,
  drainTimeoutMs: 30_000,
  retryAfterSeconds: 1,
  basePath: '',
} as const;

/** Applies defaults; the high-water mark defaults to 80 % of capacity. */
export function resolveTargetServiceOptions(options: TargetServiceOptions): ResolvedTargetServiceOptions {
  const bufferCapacity = options.bufferCapacity ?? TARGET_DEFAULTS.bufferCapacity;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const highWaterMark = options.highWaterMark ?? Math.max(1, Math.floor(bufferCapacity * 0.8));
  if (highWaterMark > bufferCapacity) {
    throw new UsageError(`high-water mark ${highWaterMark} exceeds the buffer capacity ${bufferCapacity}`, { hint: 'lower --high-water-mark or raise --buffer-capacity' });
  }
  if (highWaterMark < 1) throw new UsageError('a high-water mark of 0 would answer every request 429', { hint: 'use --high-water-mark 1 or more' });
  // A batch larger than the whole buffer could never be admitted: it would get 429 "retry later" forever.
  if (limits.maxBatchEvents > bufferCapacity) {
    throw new UsageError(`the buffer capacity ${bufferCapacity} is smaller than a full batch (${limits.maxBatchEvents} events)`, {
      hint: 'raise --buffer-capacity or lower --max-batch-events',
    });
  }
  return {
    host: options.host ?? TARGET_DEFAULTS.host,
    port: options.port ?? TARGET_DEFAULTS.port,
    metricsPort: options.metricsPort === undefined ? TARGET_DEFAULTS.metricsPort : options.metricsPort,
    store: options.store ?? TARGET_DEFAULTS.store,
    limits,
    bufferCapacity,
    highWaterMark,
    flush: { ...TARGET_DEFAULTS.flush, ...options.flush },
    maxRps: options.maxRps ?? TARGET_DEFAULTS.maxRps,
    storeDelayMs: options.storeDelayMs ?? TARGET_DEFAULTS.storeDelayMs,
    drainTimeoutMs: options.drainTimeoutMs ?? TARGET_DEFAULTS.drainTimeoutMs,
    retryAfterSeconds: options.retryAfterSeconds ?? TARGET_DEFAULTS.retryAfterSeconds,
    tls: resolveTlsFiles(options),
    basePath: resolveBasePath(options.basePath ?? TARGET_DEFAULTS.basePath),
    log: options.log ?? ((line) => console.error(line)),
  };
}

/** Pairs the TLS flags; which files are readable PEM is checked when they are read (tls-credentials.ts). */
function resolveTlsFiles({ tlsCert, tlsKey, tlsClientCa }: TargetServiceOptions): TlsFiles | null {
  if (tlsCert === undefined && tlsKey === undefined) {
    if (tlsClientCa !== undefined) throw new UsageError(`--tls-client-ca ${tlsClientCa} needs TLS, and TLS is off`, { hint: 'add --tls-cert FILE and --tls-key FILE' });
    return null;
  }
  if (tlsKey === undefined) throw new UsageError(`--tls-cert ${tlsCert} was given without --tls-key`, { hint: 'pass both --tls-cert FILE and --tls-key FILE, or neither' });
  if (tlsCert === undefined) throw new UsageError(`--tls-key ${tlsKey} was given without --tls-cert`, { hint: 'pass both --tls-cert FILE and --tls-key FILE, or neither' });
  return { cert: tlsCert, key: tlsKey, clientCa: tlsClientCa };
}

/** One or more path segments of URL-safe characters (RFC 3986 pchar); a trailing slash is dropped. */
const BASE_PATH = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+$/;

function resolveBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (!BASE_PATH.test(trimmed)) {
    throw new UsageError(`--base-path ${JSON.stringify(basePath)} is not a URL path prefix`, { hint: 'use a path such as /prefix or /api/ingest (a leading slash, no query, no empty segments)' });
  }
  return trimmed;
}
