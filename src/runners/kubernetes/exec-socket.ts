/**
 * The API server's `pods/exec` over WebSocket: Kubernetes' channel protocol, one byte of stream id
 * (0 stdin, 1 stdout, 2 stderr, 3 the exit Status, 255 close-a-stream in v5) then the bytes. Own code
 * rather than client-node's Exec: that one ends the process's own stdout when the server closes a
 * stream, and cannot half-close stdin.
 */
import WebSocket from 'ws';
import type { KubeClient } from './kube-client.js';
import { describeApiError, KubernetesError } from './kubernetes-error.js';

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, status: 3, close: 255 } as const;
// v5 can half-close stdin (the agent exits on EOF); v4 cannot, so closing input closes the socket.
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const HANDSHAKE_TIMEOUT_MS = 15_000;

/** Which container of which pod. */
export interface ExecTarget {
  client: KubeClient;
  pod: string;
  container: string;
}

/** Opens an exec stream running `command`; rejects with the API server's reason if it is refused. */
export async function openExecSocket(target: ExecTarget, command: readonly string[]): Promise<WebSocket> {
  const { client } = target;
  const query = new URLSearchParams({ container: target.container, stdin: 'true', stdout: 'true', stderr: 'true', tty: 'false' });
  for (const word of command) query.append('command', word);
  const path = `/api/v1/namespaces/${encodeURIComponent(client.namespace)}/pods/${encodeURIComponent(target.pod)}/exec?${query}`;
  const url = `${client.server.replace(/^http/, 'ws').replace(/\/$/, '')}${path}`;
  const tls: WebSocket.ClientOptions = { handshakeTimeout: HANDSHAKE_TIMEOUT_MS };
  await client.config.applyToHTTPSOptions(tls);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, PROTOCOLS, tls);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => {
        const error = Object.assign(new Error(body), { statusCode: response.statusCode });
        reject(new KubernetesError(`exec into pod ${target.pod} refused: ${describeRefusal(response.statusCode ?? 0, body)}`, { cause: error, hint: 'check `pods/exec` get and create in the namespace (`loadctl kube check`)' }));
      });
    });
    socket.once('error', (cause) => reject(new KubernetesError(`exec into pod ${target.pod} failed: ${describeApiError(cause)}`, { cause })));
  });
}

/** How a short exec ended: `ok` when its Status said Success; `output` is what it wrote (stdout, then stderr). */
export interface ExecOutcome {
  ok: boolean;
  output: string;
}

/** Runs a short command in the container and waits for it to end (or `timeoutMs`); null if it could not run. Never rejects. */
export async function runExecOnce(target: ExecTarget, command: readonly string[], timeoutMs: number): Promise<ExecOutcome | null> {
  let socket: WebSocket;
  try {
    socket = await openExecSocket(target, command);
  } catch {
    return null; // The pod is gone, or exec refused: nothing more to do from here.
  }
  let output = '';
  let ok = false;
  socket.on('message', (data: Buffer) => {
    if (data[0] === CHANNEL.stdout || data[0] === CHANNEL.stderr) output += data.subarray(1).toString('utf8');
    if (data[0] === CHANNEL.status) ok = /"status":"Success"/.test(data.subarray(1).toString('utf8'));
  });
  // Nothing to send: close stdin at once, so a command that reads it ends.
  if (socket.protocol === 'v5.channel.k8s.io') socket.send(Buffer.from([CHANNEL.close, CHANNEL.stdin]));
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.terminate(), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ ok, output: output.trim() });
    });
  });
}

function describeRefusal(statusCode: number, body: string): string {
  try {
    const status = JSON.parse(body) as { message?: string };
    if (status.message) return `${status.message} (HTTP ${statusCode})`;
  } catch {
    // Not a Status object: show the start of what came.
  }
  return `HTTP ${statusCode}${body ? `: ${body.slice(0, 200)}` : ''}`;
}
