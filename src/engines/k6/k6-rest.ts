/**
 * The parts of k6's REST API (docs: k6-rest-api; api/v1 in k6) the k6 agent drives, as DESIGN.md's k6
 * facts state them: `GET /v1/status` (`data.attributes.status`: 4 PausedBeforeRun, 7 Running, 9 Ended),
 * `PATCH /v1/status` with `paused:false` (start) or `stopped:true` (stop, k6 then exits 103), and
 * `GET /v1/metrics` (JSON:API list; `attributes.sample` holds a metric's cumulative values).
 */
import { LoadctlError } from '../../../contract/loadctl-error.js';

/** k6's lib.ExecutionStatus values the agent waits for. */
export const K6_STATUS = { pausedBeforeRun: 4, running: 7, ended: 9 } as const;

const REQUEST_TIMEOUT_MS = 2000;

/** The REST API did not answer as k6 documents it. */
export class K6RestError extends LoadctlError {
  override readonly code = 'K6_REST';
}

export interface K6Status {
  status: number;
  paused: boolean;
  running: boolean;
  stopped: boolean;
  vus: number;
}

/** One metric's cumulative values: counter {count, rate}, trend {min, max, avg, med, p(90), p(95)}, rate {rate}, gauge {value}. */
export interface K6RestMetric {
  type: string;
  sample: Record<string, number>;
}

/** Metrics by name; sub-metrics that thresholds name appear as `name{tag:value}`. */
export type K6RestMetrics = Record<string, K6RestMetric>;

export interface K6RestClient {
  readonly baseUrl: string;
  getStatus(): Promise<K6Status>;
  /** Releases a paused k6: its VUs are initialised, so the first iterations follow at once. */
  resume(): Promise<void>;
  /** Stops the run; k6 still calls handleSummary, then exits 103. */
  stop(): Promise<void>;
  getMetrics(): Promise<K6RestMetrics>;
}

export function createK6RestClient(address: string): K6RestClient {
  const baseUrl = `http://${address}`;
  return {
    baseUrl,
    getStatus: async () => toStatus(await request(baseUrl, 'GET', '/v1/status')),
    resume: async () => void (await request(baseUrl, 'PATCH', '/v1/status', { paused: false })),
    stop: async () => void (await request(baseUrl, 'PATCH', '/v1/status', { stopped: true })),
    getMetrics: async () => toMetrics(await request(baseUrl, 'GET', '/v1/metrics')),
  };
}

export interface WaitForPausedOptions {
  timeoutMs: number;
  pollMs?: number;
  /** Settles when k6 exits: waiting ends at once (the caller reports why it exited). */
  exited: Promise<unknown>;
}

/**
 * Polls until k6 reports status 4 (PausedBeforeRun). k6 answers 200 before its VUs exist, so an
 * answer alone proves nothing: only status 4 means every VU is initialised. Resolves true at status 4,
 * false when k6 exited first; throws K6RestError on timeout, naming the last status seen.
 */
export async function waitForPausedBeforeRun(client: K6RestClient, options: WaitForPausedOptions): Promise<boolean> {
  let exited = false;
  void options.exited.then(() => (exited = true));
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  while (!exited) {
    try {
      const status = await client.getStatus();
      if (status.status === K6_STATUS.pausedBeforeRun) return true;
      last = `status ${status.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new K6RestError(`k6 did not reach status 4 (PausedBeforeRun) within ${options.timeoutMs} ms at ${client.baseUrl} (last: ${last})`, {
        hint: 'a script with many VUs takes long to initialise: give the instance more time, or fewer VUs per instance',
      });
    }
    await Promise.race([delay(options.pollMs ?? 100), options.exited]);
  }
  return false;
}

async function request(baseUrl: string, method: 'GET' | 'PATCH', path: string, attributes?: Record<string, unknown>): Promise<unknown> {
  const body = attributes && JSON.stringify({ data: { type: 'status', id: 'default', attributes } });
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new K6RestError(`k6's REST API at ${baseUrl} did not answer ${method} ${path}: ${describeFetchError(error)}`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) throw new K6RestError(`k6's REST API answered ${method} ${path} with ${response.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new K6RestError(`k6's REST API answered ${method} ${path} with something that is not JSON: ${text.slice(0, 200)}`, { cause: error });
  }
}

function toStatus(body: unknown): K6Status {
  const attributes = (body as { data?: { attributes?: Record<string, unknown> } } | null)?.data?.attributes;
  if (!attributes || typeof attributes.status !== 'number') {
    throw new K6RestError(`GET /v1/status has no data.attributes.status: ${JSON.stringify(body).slice(0, 200)}`, {
      hint: 'loadctl needs k6 ≥ 1.0 (its status carries the execution status)',
    });
  }
  return {
    status: attributes.status,
    paused: attributes.paused === true,
    running: attributes.running === true,
    stopped: attributes.stopped === true,
    vus: typeof attributes.vus === 'number' ? attributes.vus : 0,
  };
}

function toMetrics(body: unknown): K6RestMetrics {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new K6RestError(`GET /v1/metrics has no data list: ${JSON.stringify(body).slice(0, 200)}`);
  const metrics: K6RestMetrics = {};
  for (const entry of data as Array<{ id?: unknown; attributes?: { type?: unknown; sample?: unknown } }>) {
    if (typeof entry.id !== 'string' || !entry.attributes) continue;
    const sample = entry.attributes.sample && typeof entry.attributes.sample === 'object' ? (entry.attributes.sample as Record<string, number>) : {};
    metrics[entry.id] = { type: String(entry.attributes.type ?? ''), sample };
  }
  return metrics;
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).message;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
