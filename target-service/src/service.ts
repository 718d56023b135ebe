/**
 * Starts one target-service process: store → buffer → flusher → HTTP server (+ metrics endpoint).
 * `stop()` drains: refuse new work, flush every accepted event, close the store.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { IngestEvent } from '../../contract/event-schema.js';
import type { AddressInfo } from 'node:net';
import { EventBuffer, type AcceptedRequest } from './buffer/event-buffer.js';
import { eventsInBody } from './contract/body-events.js';
import { Flusher } from './flush/flusher.js';
import { IngestServer } from './http/ingest-server.js';
import { createMetricsServer, listen } from './http/listen.js';
import { readTlsCredentials } from './http/tls-credentials.js';
import { ServiceMetrics } from './metrics.js';
import { openStore, sideFileDirectory } from './stores/open-store.js';
import type { EventStore } from './stores/event-store.js';
import { resolveTargetServiceOptions, type TargetServiceOptions } from './service-options.js';

export interface DrainResult {
  /** True when every accepted event reached the store within the drain timeout. */
  complete: boolean;
  /** Events written to `spillFile` because the store did not take them in time. */
  spilled: number;
  spillFile?: string;
}

export interface RunningTargetService {
  /** The origin (https:// with TLS); events go to `${url}${basePath}/v1/events`. */
  url: string;
  basePath: string;
  metricsUrl: string | undefined;
  store: EventStore;
  metrics: ServiceMetrics;
  buffer: EventBuffer;
  stop(): Promise<DrainResult>;
}

export async function startTargetService(input: TargetServiceOptions): Promise<RunningTargetService> {
  const options = resolveTargetServiceOptions(input);
  // Before the store opens: a bad TLS file is a usage error, and must not leave a store half-opened.
  const tls = options.tls ? readTlsCredentials(options.tls) : undefined;
  const store = await openStore(options.store, { writeDelayMs: options.storeDelayMs, log: options.log });
  const buffer = new EventBuffer({ capacity: options.bufferCapacity, highWaterMark: options.highWaterMark });
  const metrics = new ServiceMetrics({ bufferSize: () => buffer.size, bufferCapacity: () => buffer.limits.capacity, storeRestarts: () => store.restarts ?? 0 });
  const sideFilesDir = sideFileDirectory(options.store);
  const flusher = new Flusher(buffer, store, metrics, options.flush, options.log, (request, error) =>
    writeDeadLetter(request, error, sideFilesDir, options.log),
  );
  const ingest = new IngestServer(
    { limits: options.limits, maxRps: options.maxRps, retryAfterSeconds: options.retryAfterSeconds, storeDescription: store.description, tls, basePath: options.basePath },
    { buffer, flusher, metrics, storeRestarts: () => store.restarts ?? 0, log: options.log },
  );
  const metricsServer = options.metricsPort === null ? undefined : createMetricsServer(() => metrics.registry.metrics(), metrics.registry.contentType);
  try {
    await listen(ingest.server, options.port, options.host, tls ? 'HTTPS' : 'HTTP');
    if (metricsServer) await listen(metricsServer, options.metricsPort!, options.host, 'metrics');
  } catch (error) {
    ingest.server.close();
    metricsServer?.close();
    await store.close();
    throw error;
  }
  flusher.start();

  let stopping: Promise<DrainResult> | undefined;
  const stop = async (): Promise<DrainResult> => {
    ingest.startDraining();
    const result = await drainWithin(flusher, buffer, options.drainTimeoutMs, sideFilesDir, options.log);
    flusher.stop();
    ingest.server.closeAllConnections();
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    await store.close();
    return result;
  };
  return {
    url: `${tls ? 'https' : 'http'}://${formatHost(options.host)}:${(ingest.server.address() as AddressInfo).port}`,
    basePath: options.basePath,
    metricsUrl: metricsServer ? `http://${formatHost(options.host)}:${(metricsServer.address() as AddressInfo).port}/metrics` : undefined,
    store,
    metrics,
    buffer,
    stop: () => (stopping ??= stop()),
  };
}

/**
 * Waits for the buffer to empty. Past the timeout: stop writing, let writes in flight settle (each
 * lands or comes back to the buffer; bounded), then spill every unacknowledged event to a file next
 * to the SQLite store (or in .loadctl/ for MongoDB), so nothing accepted is lost silently.
 */
async function drainWithin(flusher: Flusher, buffer: EventBuffer, timeoutMs: number, spillDir: string, log: (line: string) => void): Promise<DrainResult> {
  const outcome = await within(timeoutMs, flusher.drain());
  if (outcome === 'done') return { complete: true, spilled: 0 };
  flusher.stop();
  const settled = await within(SETTLE_MS, flusher.settled());
  const left = buffer.snapshotUnacknowledged();
  const spillFile = writeSpillFile(left, spillDir, log);
  if (!spillFile) return { complete: false, spilled: 0 };
  log(`drain timed out after ${timeoutMs} ms: ${left.length} accepted events written to ${spillFile} (re-send them once the store is back)`);
  if (settled === 'timeout') log('some of them were in a write that had not finished; the store may hold those too (resending is safe: event_id dedups)');
  return { complete: false, spilled: left.length, spillFile };
}

/** Appends a refused request's events, with the store's reason, to this process's dead-letter file. */
function writeDeadLetter(request: AcceptedRequest, error: Error, dir: string, log: (line: string) => void): void {
  const events = eventsInBody(request.json, request.shape);
  const lines = events.map((event) => JSON.stringify({ reason: error.message, event })).join('\n') + '\n';
  const file = resolve(dir, `dead-letter-${process.pid}.jsonl`);
  try {
    mkdirSync(dir, { recursive: true });
    appendFileSync(file, lines);
    log(`dead-lettered ${events.length} accepted events the store refuses while storing others (${error.message}): ${file}`);
  } catch (writeError) {
    log(`LOST: ${events.length} accepted events the store refuses could not be written to ${file}: ${(writeError as Error).message}`);
  }
}

/** Writes the events as JSON lines to a new file (never over another's), falling back to the temp dir. */
function writeSpillFile(events: IngestEvent[], preferredDir: string, log: (line: string) => void): string | undefined {
  const text = events.map((event) => JSON.stringify(event)).join('\n') + (events.length ? '\n' : '');
  // pid + random: cluster workers drain at the same moment and would otherwise pick the same name.
  const name = `unflushed-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}.jsonl`;
  for (const dir of [preferredDir, tmpdir()]) {
    try {
      mkdirSync(dir, { recursive: true });
      const file = resolve(dir, name);
      writeFileSync(file, text, { flag: 'wx' });
      return file;
    } catch (error) {
      log(`cannot write the spill file in ${dir}: ${(error as Error).message}`);
    }
  }
  log(`LOST: ${events.length} accepted events could be neither stored nor spilled`);
  return undefined;
}

/** How long a stopped flusher's in-flight writes may take to land or fail. */
const SETTLE_MS = 5000;

async function within(ms: number, promise: Promise<void>): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const outcome = await Promise.race([promise.then(() => 'done' as const), timeout]);
  clearTimeout(timer);
  return outcome;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
