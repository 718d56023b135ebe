/** Starts the real target-service for tests: in-process (fast) or as the real CLI process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { startTargetService, type RunningTargetService } from '../../target-service/src/service.js';
import type { TargetServiceOptions } from '../../target-service/src/service-options.js';
import { cliPath } from './repo.js';
import { makeTempDir } from './temp-dir.js';

/** TLS files for a test service, as `createTestCertificates` (tls-certs.ts) makes them. */
export interface TestTargetTls {
  cert: string;
  key: string;
  /** Require client certificates signed by this CA (mTLS). */
  clientCa?: string;
}

/** What a test may add to a service's start: TLS and a prefix for the events route. */
export interface TestTargetExtras {
  tls?: TestTargetTls;
  /** e.g. '/prefix': events go to POST /prefix/v1/events. */
  basePath?: string;
}

/** In-process service on free ports with a fresh SQLite store; logs are collected, not printed. */
export async function startTestTarget(options: TargetServiceOptions & TestTargetExtras = {}): Promise<RunningTargetService & { logs: string[] }> {
  const logs: string[] = [];
  const { tls, ...rest } = options;
  const service = await startTargetService({
    port: 0,
    metricsPort: 0,
    store: makeTempDir('loadctl-store-'),
    log: (line) => logs.push(line),
    ...(tls ? { tlsCert: tls.cert, tlsKey: tls.key, tlsClientCa: tls.clientCa } : {}),
    ...rest,
  });
  return Object.assign(service, { logs });
}

export interface TargetProcess {
  child: ChildProcess;
  /** The origin, https:// with TLS. */
  url: string;
  /** Where POST events go: the url, the base path if any, /v1/events. */
  eventsUrl: string;
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

export interface SpawnTargetOptions extends TestTargetExtras {
  timeoutMs?: number;
}

/** Runs `loadctl target start …` as a child process and waits for its "listening on" line. */
export async function spawnTargetCli(args: string[], options: SpawnTargetOptions = {}): Promise<TargetProcess> {
  const { timeoutMs = 15_000 } = options;
  const child = spawn(process.execPath, [cliPath(), 'target', 'start', '--port', '0', '--metrics-port', '0', ...extraFlags(options), ...args], {
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
  const url = /listening on (https?:\/\/\S+)/.exec(line)![1]!;
  return {
    child,
    url,
    eventsUrl: `${url}${/events POST (\S+)/.exec(line)?.[1] ?? '/v1/events'}`,
    metricsUrl: /metrics (http:\/\/\S+)/.exec(line)?.[1],
    output: () => output,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

/** The `target start` flags for `extras`, so CLI tests and in-process tests describe a service alike. */
function extraFlags({ tls, basePath }: TestTargetExtras): string[] {
  const flags = tls ? ['--tls-cert', tls.cert, '--tls-key', tls.key] : [];
  if (tls?.clientCa) flags.push('--tls-client-ca', tls.clientCa);
  if (basePath !== undefined) flags.push('--base-path', basePath);
  return flags;
}
