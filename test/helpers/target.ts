/** Starts the real target-service for tests: in-process (fast) or as the real CLI process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { startTargetService, type RunningTargetService } from '../../target-service/src/service.js';
import type { TargetServiceOptions } from '../../target-service/src/service-options.js';
import { cliPath } from './repo.js';
import { makeTempDir } from './temp-dir.js';

/** In-process service on free ports with a fresh SQLite store; logs are collected, not printed. */
export async function startTestTarget(options: TargetServiceOptions = {}): Promise<RunningTargetService & { logs: string[] }> {
  const logs: string[] = [];
  const service = await startTargetService({
    port: 0,
    metricsPort: 0,
    store: makeTempDir('loadctl-store-'),
    log: (line) => logs.push(line),
    ...options,
  });
  return Object.assign(service, { logs });
}

export interface TargetProcess {
  child: ChildProcess;
  url: string;
  metricsUrl: string | undefined;
  output: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const children = new Set<ChildProcess>();
// A failed assertion must not leave a service (and its cluster workers) holding ports after the test file.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Runs `loadctl target start …` as a child process and waits for its "listening on" line. */
export async function spawnTargetCli(args: string[], timeoutMs = 15_000): Promise<TargetProcess> {
  const child = spawn(process.execPath, [cliPath(), 'target', 'start', '--port', '0', '--metrics-port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`target-service did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const match = /target-service listening on .*/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`target-service exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    child,
    url: /listening on (http:\/\/\S+)/.exec(line)![1]!,
    metricsUrl: /metrics (http:\/\/\S+)/.exec(line)?.[1],
    output: () => output,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}
