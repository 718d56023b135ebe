/**
 * One `k6 run` child process of the k6 agent: started from the user's k6 binary (never one loadctl
 * obtains: DESIGN.md, "Two engines"), its output kept as a bounded tail (k6's stdout is not the agent's:
 * the protocol owns that), its end reported once in one shape, and stopped for sure: SIGTERM, then
 * SIGKILL after a grace, so no k6 outlives its agent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { K6Exit } from './k6-process-exit.js';

const OUTPUT_TAIL_CHARS = 8000;

export interface K6Process {
  readonly pid: number | undefined;
  /** Settles (never rejects) when k6 is gone. */
  readonly exited: Promise<K6Exit>;
  readonly running: boolean;
  /** The last output so far (stderr and stdout interleaved). */
  outputTail(): string;
  /** SIGTERM (k6 stops gracefully and still runs handleSummary), SIGKILL after `graceMs`; resolves once gone. */
  terminate(graceMs: number): Promise<K6Exit>;
}

export interface StartK6Options {
  cwd: string;
  /** Added to the agent's environment for k6 (e.g. SSL_CERT_FILE). */
  env?: Record<string, string>;
  /** Called with every chunk k6 writes (for the agent's stderr log when asked to be verbose). */
  onOutput?: (text: string) => void;
}

export function startK6Process(k6Path: string, args: string[], options: StartK6Options): K6Process {
  // Not detached: k6 stays in the agent's process group, so killing that group (as a runner may) ends both.
  const env = options.env && Object.keys(options.env).length > 0 ? { ...process.env, ...options.env } : process.env;
  const child = spawn(k6Path, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-OUTPUT_TAIL_CHARS);
    options.onOutput?.(text);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let running = true;
  const exited = waitForExit(child, () => tail).then((exit) => {
    running = false;
    return exit;
  });
  return {
    pid: child.pid,
    exited,
    get running() {
      return running;
    },
    outputTail: () => tail,
    terminate: (graceMs) => terminate(child, exited, () => running, graceMs),
  };
}

function waitForExit(child: ChildProcess, tail: () => string): Promise<K6Exit> {
  return new Promise((resolve) => {
    let spawnError: string | undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      spawnError = error.code === 'ENOENT' ? `${error.message} (no such file: pass --k6 with the path of your k6)` : error.message;
      // A process that never started emits no 'close'.
      if (child.pid === undefined) resolve({ exitCode: null, signal: null, outputTail: tail(), spawnError });
    });
    // 'close' (not 'exit'): the output streams are drained, so the tail is complete.
    child.once('close', (code, signal) => {
      resolve({ exitCode: code, signal, outputTail: tail(), ...(spawnError ? { spawnError } : {}) });
    });
  });
}

async function terminate(child: ChildProcess, exited: Promise<K6Exit>, running: () => boolean, graceMs: number): Promise<K6Exit> {
  if (!running()) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (running()) child.kill('SIGKILL');
  }, graceMs);
  const exit = await exited;
  clearTimeout(timer);
  return exit;
}
