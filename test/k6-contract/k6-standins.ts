// Test double, NOT k6: stands in for the k6 modules a compiled script imports (k6, k6/http, k6/metrics, k6/execution); never used to claim k6 was run.
/**
 * Just enough of k6's JavaScript API, as documented (grafana.com/docs/k6/latest/javascript-api/), for
 * the compiled script to run in Node: `http.post`/`put` are synchronous (Atomics.wait on a worker that
 * does the request), metrics record samples with the running scenario's tag, `exec` is set by the
 * harness, the global `open()` reads a file as text (absolute paths only: k6 resolves relative ones
 * against the script's directory, which the stand-in does not know). State lives on globalThis so the bundle and the harness share it whatever module copy each has.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Worker } from 'node:worker_threads';

export interface Sample {
  metric: string;
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  value: number;
  tags: Record<string, string>;
}

export interface StandinState {
  worker: Worker | null;
  samples: Sample[];
  /** Every request the script made, as sent. */
  requests: Array<{ method: string; url: string; body: string; headers: Record<string, string>; status: number }>;
  checks: Map<string, { passes: number; fails: number }>;
  /** Every file the script read with `open()`, with its permission bits when it was read. */
  opened: Array<{ path: string; mode: number }>;
  exec: {
    scenario: { name: string; executor: string; startTime: number; progress: number; iterationInInstance: number; iterationInTest: number };
    vu: { idInInstance: number; idInTest: number; iterationInInstance: number; iterationInScenario: number };
    instance: { vusActive: number; vusInitialized: number; iterationsCompleted: number; iterationsInterrupted: number; currentTestRunDuration: number };
    test: { options: Record<string, unknown>; abort(reason?: string): never; fail(reason?: string): void };
  };
}

const KEY = '__loadctlK6Standins';

export function standinState(): StandinState {
  const holder = globalThis as unknown as Record<string, StandinState | undefined>;
  return (holder[KEY] ??= {
    worker: null,
    samples: [],
    requests: [],
    checks: new Map(),
    opened: [],
    exec: {
      scenario: { name: 'default', executor: 'constant-arrival-rate', startTime: Date.now(), progress: 0, iterationInInstance: 0, iterationInTest: 0 },
      vu: { idInInstance: 1, idInTest: 1, iterationInInstance: 0, iterationInScenario: 0 },
      instance: { vusActive: 1, vusInitialized: 1, iterationsCompleted: 0, iterationsInterrupted: 0, currentTestRunDuration: 0 },
      test: {
        options: {},
        abort: (reason) => {
          throw new Error(`exec.test.abort(${reason ?? ''})`);
        },
        fail: () => {},
      },
    },
  });
}

/** What k6 tags every sample with: the scenario (plus what the caller adds). */
function record(metric: string, type: Sample['type'], value: number, tags: Record<string, string> = {}): void {
  standinState().samples.push({ metric, type, value, tags: { scenario: standinState().exec.scenario.name, ...tags } });
}

class Metric {
  constructor(
    readonly name: string,
    private readonly type: Sample['type'],
  ) {}
  add(value: number | boolean, tags?: Record<string, string>): void {
    record(this.name, this.type, Number(value), tags);
  }
}
export class Counter extends Metric {
  constructor(name: string) {
    super(name, 'counter');
  }
}
export class Trend extends Metric {
  constructor(name: string) {
    super(name, 'trend');
  }
}
export class Rate extends Metric {
  constructor(name: string) {
    super(name, 'rate');
  }
}
export class Gauge extends Metric {
  constructor(name: string) {
    super(name, 'gauge');
  }
}

export function check<T>(value: T, sets: Record<string, (value: T) => boolean>, tags?: Record<string, string>): boolean {
  let all = true;
  for (const [name, predicate] of Object.entries(sets)) {
    const ok = predicate(value);
    all &&= ok;
    record('checks', 'rate', ok ? 1 : 0, { check: name, ...tags });
    const counts = standinState().checks.get(name) ?? { passes: 0, fails: 0 };
    counts[ok ? 'passes' : 'fails']++;
    standinState().checks.set(name, counts);
  }
  return all;
}

export function sleep(): void {}

export function fail(message?: string): never {
  throw new Error(message);
}

interface Params {
  headers?: Record<string, string>;
  timeout?: string | number;
}

/** k6/http's request: synchronous, records http_reqs / http_req_duration / http_req_failed like k6 does. */
function request(method: string, url: string, body: string, params: Params = {}) {
  const state = standinState();
  if (!state.worker) throw new Error('the k6 stand-in has no service thread (call startServiceThread first)');
  const timeoutMs = typeof params.timeout === 'number' ? params.timeout : Number(/^(\d+)ms$/.exec(params.timeout ?? '60000ms')?.[1] ?? 60_000);
  const shared = new SharedArrayBuffer(24);
  const flags = new Int32Array(shared, 0, 3);
  state.worker.postMessage({ kind: 'request', method, url, body, headers: params.headers ?? {}, timeoutMs, shared });
  Atomics.wait(flags, 0, 0, timeoutMs + 5000);
  const status = flags[1]!;
  const errorCode = flags[2]!;
  const duration = new Float64Array(shared, 16, 1)[0]!;
  state.requests.push({ method, url, body, headers: params.headers ?? {}, status });
  const expected = status >= 200 && status < 400;
  const tags = { method, status: String(status), expected_response: String(expected) };
  record('http_reqs', 'counter', 1, tags);
  record('http_req_duration', 'trend', duration, tags);
  record('http_req_failed', 'rate', expected ? 0 : 1, tags);
  return { status, error_code: errorCode, body: null, timings: { duration }, headers: {} };
}

export const http = {
  post: (url: string, body: string, params?: Params) => request('POST', url, body, params),
  put: (url: string, body: string, params?: Params) => request('PUT', url, body, params),
};

export const exec = {
  get scenario() {
    return standinState().exec.scenario;
  },
  get vu() {
    return standinState().exec.vu;
  },
  get instance() {
    return standinState().exec.instance;
  },
  get test() {
    return standinState().exec.test;
  },
};

/** k6's global `open(path)` (init context only in k6; the stand-in does not enforce that): the file as text. */
export function open(path: string, mode?: 'b'): string {
  if (mode !== undefined) throw new Error(`open('${path}', '${mode}'): the stand-in reads text only`);
  if (!isAbsolute(path)) throw new Error(`open('${path}'): the stand-in opens absolute paths only (k6 resolves relative ones against the script)`);
  const text = readFileSync(path, 'utf8');
  standinState().opened.push({ path, mode: statSync(path).mode & 0o777 });
  return text;
}
