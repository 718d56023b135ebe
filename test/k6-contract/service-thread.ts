// Test double, NOT k6: a worker thread that runs the real target-service and performs the HTTP requests of the k6 stand-in (k6-standins.ts).
/**
 * k6's `http.post` is synchronous. The stand-in blocks the main thread with Atomics.wait while this
 * thread sends the request on its own event loop (to the real target-service it also runs, via
 * startTestTarget) and writes the outcome into shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Agent, fetch as undiciFetch } from 'undici';
import { startTestTarget } from '../helpers/target.js';
import { k6TlsErrorCode, type DoubleClientTls } from './k6-double-tls.js';

/** Shared layout: Int32 [0] = done flag, [1] = status, [2] = k6 error_code; Float64 [2] = duration ms (bytes 16–23). */
export interface SyncRequestMessage {
  kind: 'request';
  method: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  shared: SharedArrayBuffer;
}

interface ServiceThreadData {
  /** false (the k6 contract double): only perform requests, to a service the test started itself. */
  withService?: boolean;
  /** The double's TLS (k6-double-tls.ts): trust, verification and client certificate for https. */
  tls?: DoubleClientTls;
}
const data = (workerData ?? {}) as ServiceThreadData;
const service = data.withService === false ? null : await startTestTarget();
// Only when given something: otherwise Node's own fetch, with Node's default roots.
const dispatcher = data.tls && (data.tls.insecure || data.tls.ca || data.tls.cert)
  ? new Agent({ connect: { rejectUnauthorized: !data.tls.insecure, ...(data.tls.ca ? { ca: data.tls.ca } : {}), ...(data.tls.cert ? { cert: data.tls.cert, key: data.tls.key } : {}) } })
  : undefined;
parentPort!.postMessage({ kind: 'ready', url: service?.url, metricsUrl: service?.metricsUrl });

parentPort!.on('message', (message: SyncRequestMessage | { kind: 'stop' }) => {
  if (message.kind === 'stop') {
    void (service ? service.stop() : Promise.resolve()).then(() => parentPort!.postMessage({ kind: 'stopped' }));
    return;
  }
  void perform(message);
});

async function perform(message: SyncRequestMessage): Promise<void> {
  const flags = new Int32Array(message.shared, 0, 3);
  const numbers = new Float64Array(message.shared, 16, 1);
  const started = performance.now();
  let status = 0;
  let errorCode = 0;
  try {
    const init = { method: message.method, body: message.body, headers: message.headers, signal: AbortSignal.timeout(message.timeoutMs) };
    const response = dispatcher ? await undiciFetch(message.url, { ...init, dispatcher }) : await fetch(message.url, init);
    await response.arrayBuffer();
    status = response.status;
    // k6 sets error_code 1000 + status for 4xx / 5xx answers.
    errorCode = status >= 400 ? 1000 + status : 0;
  } catch (error) {
    errorCode = k6ErrorCode(error);
  }
  numbers[0] = performance.now() - started;
  flags[1] = status;
  flags[2] = errorCode;
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
}

/** k6's codes (lib/netext/httpext/error_codes.go): 1050 timeout, 1212 refused, 13xx TLS (k6-double-tls.ts), 1000 anything else. */
function k6ErrorCode(error: unknown): number {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return 1050;
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 1212;
  return k6TlsErrorCode(cause?.code) ?? 1000;
}
