/**
 * The HTTP(S) front: POST {basePath}/v1/events and GET /health. Answers: 202 accepted, 400 invalid, 413 too large,
 * 415 not JSON, 429 buffer above its high-water mark, 503 draining or over `--max-rps`. Bad input
 * never reaches a 5xx: everything a client can send is caught and answered.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { EventBuffer } from '../buffer/event-buffer.js';
import { parseEventsBody, type EventLimits } from '../contract/validate-events.js';
import type { Flusher } from '../flush/flusher.js';
import { EVENTS_PATH } from '../../../contract/event-schema.js';
import { ROUTE_LABELS } from '../../../contract/metric-names.js';
import type { Route, ServiceMetrics } from '../metrics.js';
import { RequestRateCap } from './request-rate-cap.js';
import { sendAccepted, sendError, sendJson, type ErrorBody } from './responses.js';
import type { TlsServerOptions } from './tls-credentials.js';

export interface IngestServerOptions {
  limits: EventLimits & { maxRequestBytes: number };
  maxRps: number;
  /** Seconds a 429 or 503 asks the client to wait. */
  retryAfterSeconds: number;
  storeDescription: string;
  /** Serve HTTPS with these credentials; undefined serves plain HTTP. */
  tls: TlsServerOptions | undefined;
  /** '' or a prefix such as '/prefix' in front of /v1/events. */
  basePath: string;
}

export interface IngestServerDeps {
  buffer: EventBuffer;
  flusher: Flusher;
  metrics: ServiceMetrics;
  /** Times the store replaced its dead worker, for /health. */
  storeRestarts: () => number;
  log: (line: string) => void;
}

export class IngestServer {
  readonly server: Server;
  private draining = false;
  private readonly rateCap: RequestRateCap;
  private readonly retryAfter: Record<string, string>;
  private readonly eventsPath: string;

  constructor(
    private readonly options: IngestServerOptions,
    private readonly deps: IngestServerDeps,
  ) {
    this.rateCap = new RequestRateCap(options.maxRps);
    this.retryAfter = { 'retry-after': String(options.retryAfterSeconds) };
    this.eventsPath = `${options.basePath}${EVENTS_PATH}`;
    const handler = (req: IncomingMessage, res: ServerResponse) => this.route(req, res);
    // node:https's Server is node:http's plus the TLS handshake: every setting and drain call below applies to both.
    this.server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
    // Longer than typical load-balancer idle timeouts, so the balancer closes first (no reset races).
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.requestTimeout = 30_000;
    this.server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  /** From now on requests are answered 503 and connections close; in-flight requests finish. */
  startDraining(): void {
    this.draining = true;
    this.server.close();
    this.server.closeIdleConnections();
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    // The metrics label stays the events route's whatever the base path, so dashboards need no change.
    const route: Route = path === this.eventsPath ? ROUTE_LABELS.events : path === '/health' ? ROUTE_LABELS.health : ROUTE_LABELS.other;
    res.once('finish', () => this.deps.metrics.recordRequest(route, res.statusCode, (performance.now() - started) / 1000));
    req.on('error', () => res.destroy());
    try {
      if (route === ROUTE_LABELS.events) {
        if (req.method === 'POST') this.ingest(req, res);
        else this.fail(res, 405, { reason: 'method_not_allowed', message: `use POST ${path}` }, { allow: 'POST' });
      } else if (route === ROUTE_LABELS.health) {
        if (req.method === 'GET' || req.method === 'HEAD') this.health(res);
        else this.fail(res, 405, { reason: 'method_not_allowed', message: 'use GET /health' }, { allow: 'GET, HEAD' });
      } else {
        this.fail(res, 404, { reason: 'not_found', message: `no route ${req.method} ${path}; send events with POST ${this.eventsPath}` });
      }
    } catch (error) {
      this.internalError(req, res, error);
    }
  }

  private internalError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    this.deps.log(`bug: unhandled error answering ${req.method} ${req.url}: ${(error as Error).stack}`);
    if (!res.headersSent) this.fail(res, 500, { reason: 'internal', message: 'internal error' });
  }

  private ingest(req: IncomingMessage, res: ServerResponse): void {
    const { buffer } = this.deps;
    if (this.draining) return this.refuseWhileDraining(res);
    if (this.options.maxRps > 0 && !this.rateCap.allow(Date.now())) return this.fail(res, 503, { reason: 'over_capacity', message: `over --max-rps ${this.options.maxRps}` }, this.retryAfter);
    if (!isJson(req.headers['content-type'])) {
      return this.fail(res, 415, { reason: 'unsupported_media_type', message: `content-type must be application/json, got ${req.headers['content-type'] ?? 'none'}` });
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.options.limits.maxRequestBytes) return this.tooLarge(res, declared);
    // Refuse before parsing: under overload the cheapest answer is the best one.
    if (buffer.isAboveHighWaterMark()) return this.backpressure(res);
    readBody(req, this.options.limits.maxRequestBytes, (body, bytes) => {
      if (body === undefined) return this.tooLarge(res, declared);
      // The body callback runs outside route()'s try: guard it too, so no input can crash a worker.
      try {
        this.accept(res, body, bytes);
      } catch (error) {
        this.internalError(req, res, error);
      }
    });
  }

  private accept(res: ServerResponse, body: string, bytes: number): void {
    const { buffer, metrics, flusher } = this.deps;
    const outcome = parseEventsBody(body, this.options.limits, bytes);
    if (!outcome.ok) {
      const { status, events, ...error } = outcome.rejection;
      metrics.recordRejected(error.reason, events);
      return this.fail(res, status, error);
    }
    if (this.draining) return this.refuseWhileDraining(res);
    const admission = buffer.admit({ json: body, shape: outcome.shape, count: outcome.events.length });
    if (admission !== 'admitted') return this.backpressure(res);
    metrics.recordAccepted(outcome.events);
    flusher.notify();
    sendAccepted(res, outcome.events.length);
  }

  private health(res: ServerResponse): void {
    const { buffer, flusher } = this.deps;
    const store = flusher.storeHealth;
    const unavailable = this.draining || (store.state === 'failing' && buffer.isAboveHighWaterMark());
    sendJson(res, unavailable ? 503 : 200, {
      status: this.draining ? 'draining' : unavailable ? 'unavailable' : store.state === 'ok' ? 'ok' : 'degraded',
      buffer: { size: buffer.size, capacity: buffer.limits.capacity, highWaterMark: buffer.limits.highWaterMark, fill: round(buffer.fill) },
      store: { ...store, restarts: this.deps.storeRestarts(), description: this.options.storeDescription },
      tls: { enabled: this.options.tls !== undefined, clientCertificates: this.options.tls?.requestCert ? 'required' : 'none' },
    });
  }

  private refuseWhileDraining(res: ServerResponse): void {
    this.fail(res, 503, { reason: 'draining', message: 'shutting down; retry against another instance' }, { ...this.retryAfter, connection: 'close' });
  }

  private backpressure(res: ServerResponse): void {
    this.deps.metrics.backpressureResponses++;
    this.fail(res, 429, { reason: 'backpressure', message: 'the event buffer is full (the store is behind); retry after the Retry-After delay' }, this.retryAfter);
  }

  private tooLarge(res: ServerResponse, declared: number): void {
    this.deps.metrics.recordRejected('too_large', 1);
    const size = declared > 0 ? `${declared} bytes` : 'the body';
    // The rest of an oversized body is not read: close the connection rather than drain it.
    this.fail(res, 413, { reason: 'too_large', message: `${size} exceeds the request limit of ${this.options.limits.maxRequestBytes} bytes; split the batch` }, { connection: 'close' });
  }

  private fail(res: ServerResponse, status: number, error: ErrorBody, headers: Record<string, string> = {}): void {
    sendError(res, status, error, headers);
  }
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  if (contentType === 'application/json') return true; // the common case, without splitting
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Reads the whole body as UTF-8 (and its size), or calls back with undefined once it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number, done: (body: string | undefined, bytes: number) => void): void {
  const chunks: Buffer[] = [];
  let length = 0;
  let finished = false;
  req.on('data', (chunk: Buffer) => {
    if (finished) return;
    length += chunk.length;
    if (length > limit) {
      finished = true;
      req.pause();
      return done(undefined, length);
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (finished) return;
    finished = true;
    done(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, length).toString('utf8'), length);
  });
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
