/** The target-service's options: what a caller may set, and the resolved form with every default applied. */
import { UsageError } from '../../src/errors/loadctl-error.js';
import { DEFAULT_LIMITS } from './contract/event-schema.js';
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
  log?: (line: string) => void;
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
  log: (line: string) => void;
}

export const TARGET_DEFAULTS = {
  host: '127.0.0.1',
  port: 3000,
  metricsPort: 9464,
  store: '.loadctl/target-store',
  bufferCapacity: 200_000,
  flush: { batchSize: 1000, concurrency: 4, intervalMs: 50, minBackoffMs: 100, maxBackoffMs: 5000 },
  maxRps: 0,
  storeDelayMs: 0,
  drainTimeoutMs: 30_000,
  retryAfterSeconds: 1,
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
    log: options.log ?? ((line) => console.error(line)),
  };
}
