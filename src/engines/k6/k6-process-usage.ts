/**
 * CPU and memory of the k6 process, for generator health (DESIGN.md: a saturated generator is never
 * blamed on the target). k6's REST API does not report them, so the agent reads Linux's /proc; elsewhere
 * the figures are 0 (unknown), never a guess.
 */
import { readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  /** Over the interval since the previous reading, % of one core (can exceed 100: k6 is multi-threaded). */
  cpuPercent: number;
  rssBytes: number;
}

/** Reads a process's CPU and memory repeatedly; each `read()` covers the time since the last one. */
export function createUsageReader(pid: number | undefined): { read(): ProcessUsage } {
  let last = pid === undefined ? null : readCpuSeconds(pid);
  let lastAt = performance.now();
  return {
    read() {
      if (pid === undefined) return { cpuPercent: 0, rssBytes: 0 };
      const cpu = readCpuSeconds(pid);
      const now = performance.now();
      const cpuPercent = cpu !== null && last !== null && now > lastAt ? ((cpu - last) / ((now - lastAt) / 1000)) * 100 : 0;
      last = cpu;
      lastAt = now;
      return { cpuPercent: Math.max(0, Math.round(cpuPercent * 10) / 10), rssBytes: readRssBytes(pid) };
    },
  };
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15; the name in parentheses may hold spaces). */
function readCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function readRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
