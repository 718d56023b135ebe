/** Reads what `loadctl doctor` judges: limits, kernel settings, cores, memory, Go, k6, the rust engine. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { findK6, type K6Location } from '../engines/k6/find-k6.js';
import { findRustEngine, rustEngineVersion } from '../engines/rust/engine-binary.js';

export interface SystemFacts {
  openFilesLimit: number | undefined;
  localPortRange: [number, number] | undefined;
  tcpTwReuse: number | undefined;
  cores: number;
  memoryBytes: number;
  goVersion: string | undefined;
  k6: K6Location | undefined;
  /** loadctl-engine (the rust engine): where, and its `--version` (or why it did not run). */
  rustEngine: { path: string; version: string | null; error?: string } | undefined;
}

export function readSystemFacts(options: { k6Flag?: string; env?: NodeJS.ProcessEnv } = {}): SystemFacts {
  return {
    openFilesLimit: readOpenFilesLimit(),
    localPortRange: readNumbers('/proc/sys/net/ipv4/ip_local_port_range') as [number, number] | undefined,
    tcpTwReuse: readNumbers('/proc/sys/net/ipv4/tcp_tw_reuse')?.[0],
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    goVersion: readGoVersion(),
    k6: findK6({ flag: options.k6Flag, env: options.env }),
    rustEngine: readRustEngine(),
  };
}

function readRustEngine(): SystemFacts['rustEngine'] {
  const path = findRustEngine();
  if (!path) return undefined;
  try {
    return { path, version: rustEngineVersion(path) };
  } catch (error) {
    return { path, version: null, error: (error as Error).message.split('\n')[0]! };
  }
}

function readOpenFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === 'unlimited' ? Number.POSITIVE_INFINITY : soft ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

function readNumbers(file: string): number[] | undefined {
  try {
    return readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
  } catch {
    return undefined;
  }
}

function readGoVersion(): string | undefined {
  try {
    return /go(\d+\.\d+(\.\d+)?)/.exec(execFileSync('go', ['version'], { encoding: 'utf8', timeout: 10_000 }))?.[1];
  } catch {
    return undefined;
  }
}
