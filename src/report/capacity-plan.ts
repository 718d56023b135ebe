/**
 * What a capacity plan needs beside `--dry-run`'s split (issue 17): events/s, bandwidth, and cores per
 * instance at the native engine's measured rate, with a warning when local instances would need more
 * cores than this machine has. Pure: the plan, its split and the machine in; lines out.
 */
import type { EngineName } from '../engines/engine.js';
import { payloadSizeRange } from '../scenario/describe-plan.js';
import type { ScenarioPlan } from '../scenario/plan.js';
import type { InstanceShare } from '../split/split-plan.js';

/**
 * Small requests one native worker (one core) sustains: a steady 36–37K req/s of single events
 * (bench/README.md, "Findings for the engine", re-measured after commit 2bb14bf). Bigger bodies cost more.
 */
export const NATIVE_REQUESTS_PER_CORE = 36_000;
/** Request line and headers of one POST, beside its body. */
const HTTP_OVERHEAD_BYTES = 150;

export interface CapacityPlan {
  requestsPerSecond: number;
  eventsPerSecond: number;
  /** Request bytes (bodies and headers) per second, all instances. */
  bytesPerSecond: number;
  /** The busiest instance's peak rate, and the cores it needs at NATIVE_REQUESTS_PER_CORE (null for k6: k6's cost is its own). */
  instancePeakRate: number;
  coresPerInstance: number | null;
  warning: string | null;
  engine: EngineName;
}

export interface CapacityOptions {
  engine: EngineName;
  /** Instances run on this machine (the local runner), so its cores are the bound. */
  local: boolean;
  coresHere: number;
  /** Mean request size (head + body) per sub-scenario as the engine builds it (meanRequestBytes); else estimated. */
  requestBytes?: Record<string, number>;
}

export function planCapacity(plan: ScenarioPlan, shares: readonly InstanceShare[], options: CapacityOptions): CapacityPlan {
  const subs = new Map(plan.subScenarios.map((sub) => [sub.name, { batchSize: sub.payload.batchSize, bytes: options.requestBytes?.[sub.name] ?? payloadSizeRange(sub).mean + HTTP_OVERHEAD_BYTES }]));
  let requestsPerSecond = 0;
  let eventsPerSecond = 0;
  let bytesPerSecond = 0;
  for (const share of shares) {
    for (const sub of share.subScenarios) {
      const shape = subs.get(sub.name)!;
      requestsPerSecond += sub.peakRate;
      eventsPerSecond += sub.peakRate * shape.batchSize;
      bytesPerSecond += sub.peakRate * shape.bytes;
    }
  }
  const instancePeakRate = Math.max(0, ...shares.map((share) => share.peakRate));
  const coresPerInstance = options.engine === 'native' ? Math.max(1, Math.ceil(instancePeakRate / NATIVE_REQUESTS_PER_CORE)) : null;
  const needed = coresPerInstance === null ? null : coresPerInstance * shares.length;
  const warning =
    options.local && needed !== null && needed > options.coresHere
      ? `${shares.length} local instances × ${coresPerInstance} cores = ${needed} cores, and this machine has ${options.coresHere}: they would be generator-limited here. Spread them over hosts (--runner ssh, fleet.hosts), or lower --instances or --rate`
      : null;
  return { requestsPerSecond, eventsPerSecond, bytesPerSecond, instancePeakRate, coresPerInstance, warning, engine: options.engine };
}

export function renderCapacityPlan(capacity: CapacityPlan): string {
  const lines = [
    `capacity: ${count(capacity.requestsPerSecond)} req/s at peak = ${count(capacity.eventsPerSecond)} events/s; requests ≈ ${bandwidth(capacity.bytesPerSecond)}`,
    capacity.coresPerInstance === null
      ? `per instance: up to ${count(capacity.instancePeakRate)} req/s (${capacity.engine === 'rust' ? "the rust engine's per-core ceiling is not measured yet (bench/rust-engine.ts measures its cost per request)" : "k6's CPU cost is k6's own: measure it"})`
      : `per instance: up to ${count(capacity.instancePeakRate)} req/s ≈ ${capacity.coresPerInstance} core${capacity.coresPerInstance === 1 ? '' : 's'} at the native engine's measured ${count(NATIVE_REQUESTS_PER_CORE)} small requests/s per core (bigger bodies cost more)`,
  ];
  if (capacity.warning) lines.push(`warning: ${capacity.warning}`);
  return lines.join('\n');
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function bandwidth(bytesPerSecond: number): string {
  const gigabytes = bytesPerSecond / 1e9;
  if (gigabytes >= 1) return `${gigabytes.toFixed(1)} GB/s (${(gigabytes * 8).toFixed(0)} Gbit/s)`;
  return `${(bytesPerSecond / 1e6).toFixed(1)} MB/s (${((bytesPerSecond * 8) / 1e6).toFixed(0)} Mbit/s)`;
}
