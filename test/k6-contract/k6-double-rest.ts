// Test double, NOT k6: serves the documented part of k6's REST API (docs: k6-rest-api; api/v1 in k6) the loadctl k6 agent uses; never used to claim k6 was run.
/**
 * `GET /v1/status` → `{data:{type:'status', id:'default', attributes:{status, paused, running, stopped,
 * tainted, vus, vus-max}}}` (200 even while VUs are still being initialised: status < 4);
 * `PATCH /v1/status` with `paused:false` resumes, `stopped:true` stops; `GET /v1/metrics` → the JSON:API
 * list `{data:[{type:'metrics', id, attributes:{type, contains, tainted, sample}}]}` with each metric's
 * cumulative `sample` (counter {count, rate}, trend {min, max, avg, med, p(90), p(95)}, rate {rate},
 * gauge {value}), as k6's sinks format them for the REST API.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { K6Metric } from '../../src/engines/k6/k6-summary.js';

export interface DoubleStatus {
  status: number;
  paused: boolean;
  running: boolean;
  stopped: boolean;
  vus: number;
}

export interface DoubleRestHandlers {
  status(): DoubleStatus;
  /** Summary-shaped metrics (k6-summary-builder) of everything observed so far. */
  metrics(): Record<string, K6Metric>;
  resume(): void;
  stop(): void;
}

/** The keys k6's sinks put into a REST `sample` (TrendSink ignores summaryTrendStats there). */
const REST_SAMPLE_KEYS: Record<K6Metric['type'], string[]> = {
  counter: ['count', 'rate'],
  trend: ['min', 'max', 'avg', 'med', 'p(90)', 'p(95)'],
  rate: ['rate'],
  gauge: ['value'],
};

export async function startDoubleRest(address: string, handlers: DoubleRestHandlers): Promise<Server> {
  const [host, port] = splitAddress(address);
  const server = createServer((request, response) => void route(request, response, handlers));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

async function route(request: IncomingMessage, response: ServerResponse, handlers: DoubleRestHandlers): Promise<void> {
  const body = await readBody(request);
  if (request.url === '/v1/status' && request.method === 'GET') return reply(response, 200, statusDocument(handlers.status()));
  if (request.url === '/v1/status' && request.method === 'PATCH') {
    let attributes: Record<string, unknown>;
    try {
      attributes = (JSON.parse(body) as { data: { attributes: Record<string, unknown> } }).data.attributes;
    } catch {
      return reply(response, 400, { errors: [{ title: 'Invalid request body', detail: body.slice(0, 100) }] });
    }
    if (attributes.stopped === true) handlers.stop();
    else if (attributes.paused === false) handlers.resume();
    return reply(response, 200, statusDocument(handlers.status()));
  }
  if (request.url === '/v1/metrics' && request.method === 'GET') return reply(response, 200, metricsDocument(handlers.metrics()));
  return reply(response, 404, { errors: [{ title: 'Not Found' }] });
}

function statusDocument(status: DoubleStatus) {
  const attributes = { status: status.status, paused: status.paused, running: status.running, stopped: status.stopped, tainted: false, vus: status.vus, 'vus-max': status.vus };
  return { data: { type: 'status', id: 'default', attributes } };
}

function metricsDocument(metrics: Record<string, K6Metric>) {
  const data = Object.entries(metrics).map(([name, metric]) => ({
    type: 'metrics',
    id: name,
    attributes: { type: metric.type, contains: metric.contains, tainted: null, sample: pick(metric.values, REST_SAMPLE_KEYS[metric.type]) },
  }));
  return { data };
}

function pick(values: Record<string, number>, keys: string[]): Record<string, number> {
  return Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]!]));
}

function reply(response: ServerResponse, status: number, document: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(document));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
  });
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon) || 'localhost', Number(address.slice(colon + 1))];
}
