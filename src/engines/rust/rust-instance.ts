/**
 * The rust engine as NativeInstance options: the same instance (split into worker stripes, VU pools,
 * progress, InstanceResult assembly, health) with `loadctl-engine` threads as its workers, CPU and memory
 * counted for this process and the child together, and the result naming the rust engine.
 */
import { readFileSync } from 'node:fs';
import { memoryUsage } from 'node:process';
import { UsageError } from '../../../contract/loadctl-error.js';
import { CpuSampler, type UsageReader } from '../native/cpu-sampler.js';
import type { NativeInstanceOptions } from '../native/native-instance.js';
import { findRustEngine, rustEngineVersion } from './engine-binary.js';
import { startRustWorkers } from './rust-workers.js';

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ: 100 on every Linux ABI loadctl runs on). */
const USER_HZ = 100;
const PAGE_BYTES = 4096;

export interface RustEngine {
  binary: string;
  version: string;
}

/** The binary and its version, or a UsageError saying how to build it. */
export function requireRustEngine(): RustEngine {
  const binary = findRustEngine();
  if (!binary) throw new UsageError('the rust engine binary (loadctl-engine) is not on this machine', { hint: 'run `npm run build:engine`, set LOADCTL_ENGINE, or use --engine node' });
  return { binary, version: rustEngineVersion(binary) };
}

/** Options that make a NativeInstance run on the rust engine. */
export function rustInstanceOptions(engine: RustEngine, log: (line: string) => void): Pick<NativeInstanceOptions, 'startWorkers' | 'engine' | 'cpu'> {
  let childPid: () => number | undefined = () => undefined;
  return {
    engine: { name: 'rust', version: engine.version },
    startWorkers: (data) => {
      const started = startRustWorkers(engine.binary, data, log);
      childPid = started.pid;
      return started.workers;
    },
    cpu: new CpuSampler(withChild(() => childPid())),
  };
}

/** This process's usage plus the child's (from /proc; 0 once it has gone). */
function withChild(pid: () => number | undefined): UsageReader {
  // Once the child has gone its last reading stands (its CPU time does not vanish).
  let child = { cpuMicros: 0, rssBytes: 0 };
  return () => {
    const own = process.cpuUsage();
    child = childUsage(pid()) ?? child;
    return { cpuMicros: own.user + own.system + child.cpuMicros, rssBytes: memoryUsage.rss() + child.rssBytes };
  };
}

function childUsage(pid: number | undefined): { cpuMicros: number; rssBytes: number } | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15, rss 24.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { cpuMicros: (ticks / USER_HZ) * 1e6, rssBytes: Number(fields[21]) * PAGE_BYTES };
  } catch {
    return null;
  }
}
