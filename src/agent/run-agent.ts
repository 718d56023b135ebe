/**
 * The one agent loop (docs/agent-protocol.md), whatever the engine: hello, JSON lines in on `input` and
 * out on `output`, the protocol version check, clock replies on the engines' own clock, and dispatch to
 * the engine instance; logs go to `log` (stderr). `loadctl agent` (commander flags) and the single-file
 * agent bundle (parseArgs) both start here. A closed input means the controller is gone: the instance
 * stops and closes, then the agent ends.
 */
import { availableParallelism, hostname } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { EXIT_CODES } from '../../contract/loadctl-error.js';
import { now } from '../engines/engine-clock.js';
import { EngineUnavailableError, type Engine, type EngineFailure, type EngineInstance, type EngineName, type EngineSettings } from '../engines/engine.js';
import { loadEngine } from '../engines/engine-registry.js';
import { AGENT_PROTOCOL_VERSION, type AgentMessage, type ControllerMessage } from '../protocol/agent-protocol.js';

export interface AgentIo {
  input: Readable;
  output: Writable;
  log: (line: string) => void;
}

/** How the agent ended: the fatal message it sent, if any, and the exit code its process should end with. */
export interface AgentOutcome {
  error: string | null;
  exitCode: number;
}

/** Loads the engine called `name` and runs the loop; an engine that cannot run here says why instead of hello. */
export async function runEngineAgent(name: EngineName, settings: EngineSettings, io: AgentIo): Promise<AgentOutcome> {
  let engine: Engine;
  try {
    engine = await loadEngine(name, settings);
  } catch (error) {
    if (!(error instanceof EngineUnavailableError)) throw error;
    createSender(io.output)({ type: 'error', kind: 'usage', message: error.message });
    return outcomeOf({ kind: 'usage', message: error.message });
  }
  return runAgent(engine, io);
}

/** Runs one instance of `engine` until its input closes and its work is done. */
export async function runAgent(engine: Engine, io: AgentIo): Promise<AgentOutcome> {
  const send = createSender(io.output);
  send({ type: 'hello', protocol: AGENT_PROTOCOL_VERSION, engine: { name: engine.name, version: engine.version }, host: hostname(), pid: process.pid, cores: availableParallelism() });
  const instance = engine.createInstance({ send, log: io.log });
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  const inputClosed = new Promise<'closed'>((resolve) => lines.once('close', () => resolve('closed')));
  // A signal (Ctrl-C on a local run, a runner giving up) ends the agent like a closed input: the instance
  // closes — k6 stopped, its temp dir with the script and any TLS key removed — rather than dying as is.
  const signalled = onceSignalled();
  const ended = Promise.race([inputClosed, signalled.promise]);
  lines.on('line', (line) => dispatch(line, instance, send));
  // A fatal error ends the agent at once; after a result it waits for the controller to close its input.
  const first = await Promise.race([instance.ended, ended]);
  if (first !== 'closed' && first.error === null) await ended;
  await (signalled.fired ? Promise.race([instance.close(), new Promise((resolve) => setTimeout(resolve, SIGNALLED_CLOSE_MS).unref())]) : instance.close());
  signalled.dispose();
  lines.close();
  return outcomeOf(first === 'closed' ? null : first.error);
}

const ENDING_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
/** After a signal the instance gets this long to close (k6: its stop grace, then SIGKILL, then the temp dir). */
const SIGNALLED_CLOSE_MS = 6000;

function onceSignalled(): { promise: Promise<'closed'>; readonly fired: boolean; dispose(): void } {
  let fired = false;
  let handler = () => {};
  const promise = new Promise<'closed'>((resolve) => {
    handler = () => {
      fired = true;
      resolve('closed');
    };
  });
  for (const signal of ENDING_SIGNALS) process.on(signal, handler);
  return {
    promise,
    get fired() {
      return fired;
    },
    dispose: () => ENDING_SIGNALS.forEach((signal) => process.off(signal, handler)),
  };
}

function dispatch(line: string, instance: EngineInstance, send: (message: AgentMessage) => void): void {
  if (line.trim() === '') return;
  let message: ControllerMessage;
  try {
    message = JSON.parse(line) as ControllerMessage;
  } catch {
    return instance.fail({ kind: 'usage', message: `a line on stdin is not a protocol message: ${JSON.stringify(line.slice(0, 200))}` });
  }
  switch (message.type) {
    case 'prepare':
      if (message.protocol !== AGENT_PROTOCOL_VERSION) {
        return instance.fail({ kind: 'usage', message: `prepare speaks protocol ${String(message.protocol)}; this agent speaks ${AGENT_PROTOCOL_VERSION}: run the same loadctl version on both sides` });
      }
      return instance.prepare(message.instancePlan, message.options ?? {});
    case 'clock':
      return send({ type: 'clock', id: message.id, controllerTime: message.controllerTime, agentTime: now() });
    case 'start':
      return instance.start(message.at + (message.clockOffsetMs ?? 0));
    case 'stop':
      return instance.stop(message.reason ?? 'stop');
    default:
      return instance.fail({ kind: 'usage', message: `unknown message type ${JSON.stringify((message as { type?: unknown }).type)}` });
  }
}

/** A fatal error is not success: `usage` exits 2, anything else 1 (a k6 agent used to exit 0 after one). */
function outcomeOf(error: EngineFailure | null): AgentOutcome {
  if (!error) return { error: null, exitCode: EXIT_CODES.ok };
  return { error: error.message, exitCode: error.kind === 'usage' ? EXIT_CODES.usage : EXIT_CODES.internal };
}

/** One JSON line per message; after the output closed (the controller went away) messages are dropped. */
function createSender(output: Writable): (message: AgentMessage) => void {
  output.on('error', () => {}); // EPIPE once the controller is gone: the instance is closing anyway
  return (message) => {
    if (output.destroyed || output.writableEnded) return;
    output.write(`${JSON.stringify(message)}\n`);
  };
}
