/**
 * One instance in a pod: `loadctl agent` started over the API server's `pods/exec` WebSocket, carried
 * as an InstanceProcess so the controller speaks the agent protocol to it as to a local process.
 * Frames are Kubernetes' channel protocol: one byte of stream id (0 stdin, 1 stdout, 2 stderr, 3 the
 * exit Status, 255 close-a-stream in v5) then the bytes. Own code rather than client-node's Exec: that
 * one ends the process's own stdout when the server closes a stream, and has no stdin half-close.
 */
import { PassThrough, Writable } from 'node:stream';
import WebSocket from 'ws';
import type { InstanceExit, InstanceProcess } from '../types.js';
import type { KubeClient } from './kube-client.js';
import { describeApiError, KubernetesError } from './kubernetes-error.js';

const STDERR_TAIL_BYTES = 4000;
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const CLOSE = 255;
// v5 can half-close stdin (the agent exits on EOF); v4 cannot, so closing input closes the socket.
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export interface ExecInstanceOptions {
  client: KubeClient;
  pod: string;
  container: string;
  command: readonly string[];
  label: string;
  host: string;
  connectTimeoutMs?: number;
}

/** An exec'd instance; `loseWith` ends it saying why (its pod was deleted, evicted or failed). */
export interface ExecInstance extends InstanceProcess {
  loseWith(reason: string): void;
}

/** Opens the exec stream; rejects (with the API server's reason) if the exec is refused. */
export async function startExecInstance(options: ExecInstanceOptions): Promise<ExecInstance> {
  const socket = await openExecSocket(options);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const state = { stderrTail: '', status: null as ExecStatus | null, lostReason: null as string | null };
  socket.on('message', (data: Buffer) => routeFrame(data, { stdout, stderr, state }));
  const exited = new Promise<InstanceExit>((resolve) => {
    socket.on('error', (error) => (state.lostReason ??= `exec stream: ${error.message}`));
    socket.on('close', () => {
      stdout.end();
      stderr.end();
      resolve(exitOf(state));
    });
  });
  const stdin = stdinOf(socket);
  return {
    label: options.label,
    host: options.host,
    stdin,
    stdout,
    stderr,
    exited,
    // Closing the stream closes the agent's stdin in the pod; the agent exits on EOF.
    kill: () => socket.terminate(),
    loseWith: (reason) => {
      state.lostReason ??= reason;
      socket.terminate();
    },
  };
}

async function openExecSocket(options: ExecInstanceOptions): Promise<WebSocket> {
  const { client } = options;
  const query = new URLSearchParams({ container: options.container, stdin: 'true', stdout: 'true', stderr: 'true', tty: 'false' });
  for (const word of options.command) query.append('command', word);
  const path = `/api/v1/namespaces/${encodeURIComponent(client.namespace)}/pods/${encodeURIComponent(options.pod)}/exec?${query}`;
  const url = `${client.server.replace(/^http/, 'ws').replace(/\/$/, '')}${path}`;
  const tls: WebSocket.ClientOptions = { handshakeTimeout: options.connectTimeoutMs ?? 15_000 };
  await client.config.applyToHTTPSOptions(tls);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, PROTOCOLS, tls);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => {
        const error = Object.assign(new Error(body), { statusCode: response.statusCode });
        reject(new KubernetesError(`exec into pod ${options.pod} refused: ${describeRefusal(response.statusCode ?? 0, body)}`, { cause: error, hint: 'check `pods/exec` get and create in the namespace (`loadctl kube check`)' }));
      });
    });
    socket.once('error', (cause) => reject(new KubernetesError(`exec into pod ${options.pod} failed: ${describeApiError(cause)}`, { cause })));
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

interface ExecStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

function routeFrame(data: Buffer, sinks: { stdout: PassThrough; stderr: PassThrough; state: { stderrTail: string; status: ExecStatus | null } }): void {
  if (data.length === 0) return;
  const body = data.subarray(1);
  switch (data[0]) {
    case STDOUT:
      sinks.stdout.write(body);
      break;
    case STDERR:
      sinks.state.stderrTail = (sinks.state.stderrTail + body.toString('utf8')).slice(-STDERR_TAIL_BYTES);
      sinks.stderr.write(body);
      break;
    case STATUS:
      try {
        sinks.state.status = JSON.parse(body.toString('utf8')) as ExecStatus;
      } catch {
        sinks.state.status = { status: 'Failure', message: body.toString('utf8') };
      }
      break;
    default:
      // CLOSE of a stream, or a channel we did not ask for: nothing to carry.
      break;
  }
}

/** Exit code from the Status frame (`NonZeroExitCode` carries it as a cause); no Status = the stream was cut. */
function exitOf(state: { stderrTail: string; status: ExecStatus | null; lostReason: string | null }): InstanceExit {
  const { status } = state;
  if (state.lostReason !== null) return { exitCode: null, signal: 'SIGKILL', stderrTail: `${state.stderrTail}\n${state.lostReason}` };
  if (status?.status === 'Success') return { exitCode: 0, signal: null, stderrTail: state.stderrTail };
  const code = status?.details?.causes?.find((cause) => cause.reason === 'ExitCode')?.message;
  if (code !== undefined && /^\d+$/.test(code)) return { exitCode: Number(code), signal: null, stderrTail: state.stderrTail };
  const why = status?.message ?? 'the exec stream closed without an exit status';
  return { exitCode: null, signal: 'SIGKILL', stderrTail: `${state.stderrTail}\n${why}` };
}

/** The agent's stdin: each write is one stdin frame; ending it half-closes stdin (v5) or closes the socket. */
function stdinOf(socket: WebSocket): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (socket.readyState !== WebSocket.OPEN) return callback(new Error('exec stream closed'));
      socket.send(Buffer.concat([Buffer.from([STDIN]), chunk]), callback);
    },
    final(callback) {
      if (socket.readyState !== WebSocket.OPEN) return callback();
      if (socket.protocol === 'v5.channel.k8s.io') socket.send(Buffer.from([CLOSE, STDIN]), () => callback());
      else {
        socket.close();
        callback();
      }
    },
  });
}
