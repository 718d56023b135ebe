/**
 * The k6 agent: speaks the agent protocol (src/agent/protocol.ts) like `loadctl agent`, but instead of
 * generating load itself drives a k6 the user installed (`--k6 PATH`, `LOADCTL_K6`, PATH: find-k6.ts;
 * loadctl never downloads or builds k6). The controller and runners need nothing k6-specific beyond
 * sending the compiled script in `prepare.options.k6Script`. JSON lines in on `input`, out on `output`;
 * logs go to `log` (stderr), never to `output`.
 */
import { availableParallelism, hostname } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { AGENT_PROTOCOL_VERSION, type AgentMessage, type ControllerMessage } from '../../agent/protocol.js';
import { findK6 } from '../../k6/find-k6.js';
import { isSupportedK6 } from '../../k6/k6-version.js';
import { K6Session } from './k6-agent-session.js';

export interface K6AgentIo {
  input: Readable;
  output: Writable;
  log: (line: string) => void;
}

export interface K6AgentOptions {
  /** `--k6 PATH`; without it LOADCTL_K6, then PATH. */
  k6Path?: string;
  env?: NodeJS.ProcessEnv;
  /** How long k6 may take to initialise its VUs (default 50 s: under the controller's 60 s for `ready`). */
  readyTimeoutMs?: number;
  /** Grace before SIGTERM and again before SIGKILL when stopping k6 (default 2 s: the controller waits 4 s for results). */
  stopGraceMs?: number;
}

/** How the agent ended: `error` is the fatal message it sent, if any. The entry point picks the exit code. */
export interface K6AgentOutcome {
  error: string | null;
}

export async function runK6Agent(io: K6AgentIo, options: K6AgentOptions = {}): Promise<K6AgentOutcome> {
  const send = createSender(io.output);
  const located = locateK6(options);
  if ('error' in located) {
    send({ type: 'error', kind: 'usage', message: located.error });
    return { error: located.error };
  }
  send({ type: 'hello', protocol: AGENT_PROTOCOL_VERSION, engine: { name: 'k6', version: located.version }, host: hostname(), pid: process.pid, cores: availableParallelism() });
  const session = new K6Session({
    k6Path: located.path,
    k6Version: located.version,
    readyTimeoutMs: options.readyTimeoutMs ?? 50_000,
    stopGraceMs: options.stopGraceMs ?? 2_000,
    send,
    log: io.log,
  });
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  const inputClosed = new Promise<'closed'>((resolve) => lines.once('close', () => resolve('closed')));
  // A signal (Ctrl-C on a local run, a runner giving up) ends the agent like a closed input: k6 is
  // stopped and the temp dir — the script and any TLS key — removed, rather than the process dying as is.
  const signalled = onceSignalled();
  const ended = Promise.race([inputClosed, signalled.promise]);
  lines.on('line', (line) => dispatch(line, session, send));
  // A fatal error ends the agent at once; after a result it waits for the controller to close its input.
  const first = await Promise.race([session.ended, ended]);
  if (first !== 'closed' && first.error === null) await ended;
  await session.shutdown();
  signalled.dispose();
  lines.close();
  return { error: first === 'closed' ? null : first.error };
}

const ENDING_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

function onceSignalled(): { promise: Promise<'closed'>; dispose(): void } {
  let handler = () => {};
  const promise = new Promise<'closed'>((resolve) => (handler = () => resolve('closed')));
  for (const signal of ENDING_SIGNALS) process.on(signal, handler);
  return { promise, dispose: () => ENDING_SIGNALS.forEach((signal) => process.off(signal, handler)) };
}

function dispatch(line: string, session: K6Session, send: (message: AgentMessage) => void): void {
  if (line.trim() === '') return;
  let message: ControllerMessage;
  try {
    message = JSON.parse(line) as ControllerMessage;
  } catch {
    return session.fail('usage', `a line on stdin is not a protocol message: ${JSON.stringify(line.slice(0, 200))}`);
  }
  switch (message.type) {
    case 'prepare':
      if (message.protocol !== AGENT_PROTOCOL_VERSION) {
        return session.fail('usage', `prepare speaks protocol ${String(message.protocol)}; this agent speaks ${AGENT_PROTOCOL_VERSION}: run the same loadctl version on both sides`);
      }
      return void session.prepare(message.instancePlan, message.options ?? {});
    case 'clock':
      return send({ type: 'clock', id: message.id, controllerTime: message.controllerTime, agentTime: Date.now() });
    case 'start':
      return void session.start(message.at, message.clockOffsetMs ?? 0);
    case 'stop':
      return void session.stop(message.reason ?? 'stop');
    default:
      return session.fail('usage', `unknown message type ${JSON.stringify((message as { type?: unknown }).type)}`);
  }
}

/** The user's k6 and its version, or a message saying what to do. */
function locateK6(options: K6AgentOptions): { path: string; version: string } | { error: string } {
  const k6 = findK6({ flag: options.k6Path, env: options.env ?? process.env });
  if (!k6) {
    return { error: 'k6 not found (no --k6, LOADCTL_K6 unset, none on PATH): install k6 yourself (loadctl never downloads it) and pass --k6 PATH or set LOADCTL_K6' };
  }
  if (!k6.version) return { error: `${k6.path} (from ${k6.source}) is not a usable k6: \`version\` gave ${JSON.stringify(k6.versionOutput.slice(0, 160))}; point --k6 at a k6 ≥ 1.0 binary` };
  if (!isSupportedK6(k6.version)) return { error: `k6 ${k6.version.text} at ${k6.path} is too old: loadctl needs k6 ≥ 1.0 (execution segments, REST status codes); upgrade it or point --k6 at a newer binary` };
  return { path: k6.path, version: k6.version.text };
}

/** One JSON line per message; after the output closed (the controller went away) messages are dropped. */
function createSender(output: Writable): (message: AgentMessage) => void {
  output.on('error', () => {}); // EPIPE once the controller is gone: the session is shutting down anyway
  return (message) => {
    if (output.destroyed || output.writableEnded) return;
    output.write(`${JSON.stringify(message)}\n`);
  };
}
