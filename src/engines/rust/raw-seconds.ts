/**
 * Turns what a rust engine thread reports — per second: counts, and per sub-scenario the raw latency
 * (exact count/min/max/sum beside an HDR histogram in the hdrhistogram crate's V2 deflate encoding) — into
 * the messages a node worker posts (load-worker.ts FromWorker). Every percentile, sum and encoding is made
 * here by the TypeScript merge code, so the binary ports no summary logic (docs/rust-engine.md).
 */
import { emptyLatencySummary, mergeLatencySummaries } from '../../merge/merge-latency.js';
import { addOutcomeCounts } from '../../merge/merge-figures.js';
import type { ConnectionFigures, LatencySummary, LoadFigures } from '../../protocol/instance-result.js';
import type { OutcomeCounts } from '../../protocol/outcomes.js';
import type { FromWorker, WorkerSecond } from '../native/load-worker.js';
import { loadFiguresOf, type ScopeTotals } from '../native/worker-recorder.js';

/** One histogram as the binary sends it (recorder.rs `Latency::to_json`). */
export interface RawLatency {
  count: number;
  minMs: number;
  maxMs: number;
  sumMs: number;
  /** base64 of the V2 deflate encoding; values in µs, 3 significant digits. */
  hdr: string;
}

export interface RawSecond {
  second: number;
  requests: number;
  started: number;
  outcomes: OutcomeCounts;
  droppedIterations: number;
  targetBoundDrops: number;
  inFlight: number;
  bytesSent: number;
  bytesReceived: number;
  lag: RawLatency;
  /** Per sub-scenario (plan order); null when none of its requests ended in this second. */
  latency: Array<RawLatency | null>;
}

export type RawSubCounts = ScopeTotals;

/** How the thread's connections opened (recorder.rs ConnectionRecorder). */
export interface RawConnections {
  addresses: Record<string, number>;
  opened: number;
  connect: RawLatency;
  tls: { insecure: boolean; handshakes: number; resumed: number; handshake: RawLatency; failures: Record<string, { count: number; message: string }> } | null;
}

/** Lines of one thread on the binary's stdout (engine.rs). */
export type RawMessage =
  | { w: number; type: 'ready' }
  | { w: number; type: 'seconds'; seconds: RawSecond[]; inFlight: number }
  | { w: number; type: 'result'; firstSendAt: number | null; plannedIterations: number; subs: RawSubCounts[]; maxInFlight: number; seconds: RawSecond[]; connections: RawConnections }
  | { w?: number; type: 'error'; message: string };

/** A summary of one raw histogram: exact figures from the binary, percentiles from the decoded histogram. */
export function summaryOfRaw(raw: RawLatency): LatencySummary {
  if (raw.count === 0) return emptyLatencySummary();
  const part: LatencySummary = {
    count: raw.count,
    minMs: raw.minMs,
    maxMs: raw.maxMs,
    meanMs: raw.sumMs / raw.count,
    p50Ms: 0,
    p95Ms: 0,
    p99Ms: 0,
    p999Ms: 0,
    distribution: { kind: 'hdr', unit: 'us', encoded: raw.hdr },
  };
  return mergeLatencySummaries([part]);
}

/** One thread's reports made into worker messages; keeps the sums the final figures need. */
export class RawSecondsReader {
  private readonly subLatency: LatencySummary[];
  private scheduleLag = emptyLatencySummary();

  constructor(private readonly subNames: readonly string[]) {
    this.subLatency = subNames.map(() => emptyLatencySummary());
  }

  /** The worker message for a line of the binary (errors are the caller's). */
  read(message: Exclude<RawMessage, { type: 'error' }>, bodyBytes: Record<string, { min: number; max: number }>): FromWorker {
    if (message.type === 'ready') return { type: 'ready', bodyBytes };
    const seconds = message.seconds.map((second) => this.second(second));
    if (message.type === 'seconds') return { type: 'seconds', seconds, inFlight: message.inFlight };
    const subScenarios = Object.fromEntries(this.subNames.map((name, i) => [name, loadFiguresOf(message.subs[i]!, this.subLatency[i]!)]));
    const parts = Object.values(subScenarios);
    const overall: LoadFigures = {
      requests: sum(parts, (f) => f.requests),
      events: sum(parts, (f) => f.events),
      iterations: sum(parts, (f) => f.iterations),
      droppedIterations: sum(parts, (f) => f.droppedIterations),
      targetBoundDrops: sum(parts, (f) => f.targetBoundDrops ?? 0),
      bytesSent: sum(parts, (f) => f.bytesSent ?? 0),
      bytesReceived: sum(parts, (f) => f.bytesReceived ?? 0),
      vuCap: sum(parts, (f) => f.vuCap ?? 0),
      outcomes: addOutcomeCounts(parts.map((f) => f.outcomes)),
      latency: mergeLatencySummaries(this.subLatency),
      maxInFlight: message.maxInFlight,
    };
    const connections = connectionsOf(message.connections);
    return { type: 'result', overall, subScenarios, scheduleLag: this.scheduleLag, firstSendAt: message.firstSendAt, plannedIterations: message.plannedIterations, seconds, connections };
  }

  private second(raw: RawSecond): WorkerSecond {
    const parts = raw.latency.map((latency, i) => {
      if (!latency) return null;
      const summary = summaryOfRaw(latency);
      this.subLatency[i] = mergeLatencySummaries([this.subLatency[i]!, summary]);
      return summary;
    });
    const combined = mergeLatencySummaries(parts.filter((part): part is LatencySummary => part !== null));
    const lag = summaryOfRaw(raw.lag);
    this.scheduleLag = mergeLatencySummaries([this.scheduleLag, lag]);
    return {
      second: raw.second,
      requests: raw.requests,
      started: raw.started,
      outcomes: raw.outcomes,
      droppedIterations: raw.droppedIterations,
      targetBoundDrops: raw.targetBoundDrops,
      bytesSent: raw.bytesSent,
      bytesReceived: raw.bytesReceived,
      p50Ms: combined.p50Ms,
      p95Ms: combined.p95Ms,
      p99Ms: combined.p99Ms,
      latency: combined.distribution,
      inFlight: raw.inFlight,
      scheduleLagP99Ms: lag.p99Ms,
    };
  }

}

function connectionsOf(raw: RawConnections): ConnectionFigures {
  const { addresses, opened, tls } = raw;
  return {
    addresses,
    opened,
    connectMs: summaryOfRaw(raw.connect),
    tls: tls ? { insecure: tls.insecure, handshakes: tls.handshakes, resumed: tls.resumed, handshakeMs: summaryOfRaw(tls.handshake), failures: tls.failures } : null,
  };
}

function sum(parts: readonly LoadFigures[], pick: (f: LoadFigures) => number): number {
  return parts.reduce((total, part) => total + pick(part), 0);
}
