/**
 * `loadctl agent`: the native engine behind the agent protocol (docs/agent-protocol.md). Reads
 * controller messages as JSON lines on `input`, writes agent messages on `output`, logs to `log`.
 * A closed input means the controller is gone: stop, and exit once in-flight requests have ended.
 */
import { availableParallelism, hostname } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { NativeInstance, NATIVE_ENGINE_VERSION, type NativeInstanceOptions } from '../engines/native/native-instance.js';
import { now } from '../engines/native/clock.js';
import { rustInstanceOptions, type RustEngine } from '../engines/rust/rust-instance.js';
import { AGENT_PROTOCOL_VERSION, type AgentMessage, type ControllerMessage } from './protocol.js';

export interface AgentIo {
  input: Readable;
  output: Writable;
  log: (line: string) => void;
}

export interface AgentOptions {
  /** Default worker threads when `prepare` does not say. */
  workers?: number;
  workerScript?: URL;
  /** The rust engine (its binary drives the load; this agent keeps the protocol and the result). */
  rust?: RustEngine;
}

/** Runs the agent until its input closes and its work is done. */
export async function runAgent(io: AgentIo, options: AgentOptions = {}): Promise<void> {
  const send = (message: AgentMessage) => io.output.write(`${JSON.stringify(message)}\n`);
  const engine = options.rust ? { name: 'rust' as const, version: options.rust.version } : { name: 'native' as const, version: NATIVE_ENGINE_VERSION };
  send({ type: 'hello', protocol: AGENT_PROTOCOL_VERSION, engine, host: hostname(), pid: process.pid, cores: availableParallelism() });
  let instance: NativeInstance | null = null;
  let running: Promise<void> | null = null;
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let message: ControllerMessage;
    try {
      message = JSON.parse(line) as ControllerMessage;
    } catch {
      send({ type: 'error', kind: 'usage', message: `not a protocol message: ${line.slice(0, 200)}` });
      return;
    }
    switch (message.type) {
      case 'clock':
        send({ type: 'clock', id: message.id, controllerTime: message.controllerTime, agentTime: now() });
        break;
      case 'prepare':
        if (message.protocol !== AGENT_PROTOCOL_VERSION) {
          send({ type: 'error', kind: 'usage', message: `protocol ${message.protocol} is not supported (this agent speaks ${AGENT_PROTOCOL_VERSION}); use the same loadctl version everywhere` });
          return;
        }
        try {
          const started = now();
          const workers = message.options.workers ?? options.workers;
          const prepareOptions: NativeInstanceOptions = {
            ...(workers ? { workers } : {}),
            ...(message.options.rawSamplesFile ? { rawSamplesFile: message.options.rawSamplesFile } : {}),
            ...(message.options.tls ? { tls: message.options.tls } : {}),
            ...(options.workerScript ? { workerScript: options.workerScript } : {}),
            ...(options.rust ? rustInstanceOptions(options.rust, io.log) : {}),
          };
          instance = await NativeInstance.prepare(message.instancePlan, prepareOptions);
          instance.onProgress((sample) => send({ type: 'progress', sample }));
          io.log(`prepared ${instance.workerCount} worker(s) in ${Math.round(now() - started)} ms`);
          send({ type: 'ready', prepareMs: now() - started });
        } catch (error) {
          send({ type: 'error', kind: 'internal', message: `prepare failed: ${error instanceof Error ? error.message : String(error)}` });
          return;
        }
        break;
      case 'start':
        if (!instance) {
          send({ type: 'error', kind: 'usage', message: 'start before prepare' });
          return;
        }
        running = runToResult(instance, message.at + message.clockOffsetMs, send);
        break;
      case 'stop':
        instance?.stop();
        break;
    }
  }
  // Input closed: the controller is gone or done.
  if (running) {
    instance?.stop();
    await running;
  }
}

async function runToResult(instance: NativeInstance, startAt: number, send: (message: AgentMessage) => void): Promise<void> {
  instance.start(startAt);
  const result = await instance.result();
  send({ type: 'started', firstSendAt: result.firstSendAt ?? startAt });
  send({ type: 'result', result });
}
