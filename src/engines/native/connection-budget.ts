/**
 * How many connections this process can hold open: the soft open-files limit (less a reserve for the
 * runtime's own files) and the local port range (each connection to one target address takes a port).
 * Derived VU pools are capped by it, so a pool sized for a slow target never fails on EMFILE or
 * EADDRNOTAVAIL instead (issue 18). Linux figures from /proc; elsewhere no budget is known (Infinity).
 */
import { readFileSync } from 'node:fs';

/** Files the runtime, worker threads, logs and the agent channel keep open besides the VUs. */
const RESERVED_FILES = 256;

export interface ConnectionBudget {
  /** The most connections this instance should open (min of the two below). */
  connections: number;
  openFilesLimit: number | null;
  localPorts: number | null;
}

export function readConnectionBudget(): ConnectionBudget {
  const openFilesLimit = readNumber('/proc/self/limits', (text) => /^Max open files\s+(\d+)/m.exec(text)?.[1]);
  const localPorts = readNumber('/proc/sys/net/ipv4/ip_local_port_range', (text) => {
    const [low, high] = text.trim().split(/\s+/).map(Number);
    return low !== undefined && high !== undefined && high >= low ? String(high - low + 1) : undefined;
  });
  const limits = [openFilesLimit === null ? Infinity : Math.max(1, openFilesLimit - RESERVED_FILES), localPorts ?? Infinity];
  return { connections: Math.min(...limits), openFilesLimit, localPorts };
}

function readNumber(path: string, pick: (text: string) => string | undefined): number | null {
  try {
    const value = Number(pick(readFileSync(path, 'utf8')));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

/**
 * Caps derived pools so their sum fits the budget, in proportion to their size, never below what is
 * opened at prepare nor below 1. User-sized pools (`derived` false) are honoured exactly. Pure.
 */
export function fitPoolsToBudget(
  pools: ReadonlyArray<{ name: string; preAllocated: number; max: number; derived: boolean }>,
  budget: number,
): Record<string, number> {
  const fixed = pools.filter((pool) => !pool.derived).reduce((sum, pool) => sum + pool.max, 0);
  const derived = pools.filter((pool) => pool.derived).reduce((sum, pool) => sum + pool.max, 0);
  const room = Math.max(0, budget - fixed);
  const scale = derived > room ? room / derived : 1;
  return Object.fromEntries(
    pools.map((pool) => [pool.name, pool.derived ? Math.max(1, pool.preAllocated, Math.floor(pool.max * scale)) : pool.max]),
  );
}
