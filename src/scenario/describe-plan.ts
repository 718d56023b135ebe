/**
 * What `loadctl compile --dry-run` shows per sub-scenario: rate, duration, iterations, VU sizing with
 * its derivation, and the payload size range measured on real generated payloads.
 */
import Table from 'cli-table3';
import { createEventGenerator } from '../events/event-generator.js';
import { formatDuration } from './duration.js';
import type { ScenarioPlan, SubScenarioPlan } from './plan.js';
import { peakRate } from './schedule.js';

export interface SubScenarioDescription {
  name: string;
  executor: string;
  /** `10000/s`, or `0→1000→5000→0/s` for a ramp. */
  rate: string;
  startTime: string;
  duration: string;
  iterations: number;
  vus: string;
  derivation: string;
  batchSize: number;
  /** Bytes of a request body, smallest and largest of `samples` generated ones. */
  payloadBytes: { min: number; max: number };
}

/** Payload bodies sampled per sub-scenario for the size range (deterministic: the plan's seed). */
const PAYLOAD_SAMPLES = 200;

export function describePlan(plan: ScenarioPlan): SubScenarioDescription[] {
  return plan.subScenarios.map((sub) => ({
    name: sub.name,
    executor: sub.schedule.executor,
    rate: rateOf(sub),
    startTime: formatDuration(sub.startTimeMs),
    duration: formatDuration(sub.schedule.durationMs),
    iterations: sub.iterations,
    vus: `${sub.vus.preAllocated} pre-allocated, ${sub.vus.max} max`,
    derivation: derivationOf(sub),
    batchSize: sub.payload.batchSize,
    payloadBytes: (({ min, max }) => ({ min, max }))(payloadSizeRange(sub)),
  }));
}

export function renderPlanTable(plan: ScenarioPlan, styled = Boolean(process.stdout.isTTY)): string {
  const style = styled ? {} : { head: [], border: [] };
  const table = new Table({ head: ['sub-scenario', 'rate', 'start', 'duration', 'iterations', 'VUs', 'VU derivation', 'batch', 'payload bytes'], style });
  for (const row of describePlan(plan)) {
    table.push([row.name, row.rate, row.startTime, row.duration, row.iterations.toLocaleString('en-US'), row.vus, row.derivation, row.batchSize, `${row.payloadBytes.min}–${row.payloadBytes.max}`]);
  }
  const header = `${plan.source}: scenario '${plan.name}' → ${plan.targetUrl}, peak ${plan.totalRate.toLocaleString('en-US')} req/s over ${formatDuration(plan.durationMs)}`;
  return `${header}\n${table.toString()}`;
}

function rateOf(sub: SubScenarioPlan): string {
  const schedule = sub.schedule;
  if (schedule.executor === 'constant-arrival-rate') return `${schedule.rate}/s`;
  return `${[schedule.startRate, ...schedule.stages.map((stage) => stage.target)].join('→')}/s (peak ${peakRate(schedule)})`;
}

function derivationOf(sub: SubScenarioPlan): string {
  const derivation = sub.vus.derivation;
  if (derivation.from === 'definition') return 'given in the scenario';
  const opened = `ceil(${derivation.peakRate}/s × ${derivation.expectedLatencyMs} ms × ${derivation.headroom} headroom)`;
  // Plans from before growing pools opened their whole cap at prepare.
  if (derivation.slowLatencyMs === undefined) return opened;
  return `${opened}, growing to ${derivation.peakRate}/s × ${derivation.slowLatencyMs} ms × ${derivation.headroom}`;
}

/** Bytes of a sub-scenario's request bodies over generated samples: smallest, largest and mean (the capacity plan's bandwidth). */
export function payloadSizeRange(sub: SubScenarioPlan): { min: number; max: number; mean: number } {
  const generator = createEventGenerator({ seed: sub.payload.seed, typeWeights: sub.payload.eventTypeWeights, now: () => 0 });
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let total = 0;
  for (let i = 0; i < PAYLOAD_SAMPLES; i++) {
    const body = sub.payload.batchSize === 1 ? generator.nextEventJson() : generator.nextBatchJson(sub.payload.batchSize);
    const bytes = new TextEncoder().encode(body).length;
    min = Math.min(min, bytes);
    max = Math.max(max, bytes);
    total += bytes;
  }
  return { min, max, mean: total / PAYLOAD_SAMPLES };
}
