/**
 * The run report (`--out report.json`): a versioned JSON document that `gate`, `compare` and the
 * Markdown/HTML/JUnit renderers read. Documented field by field in docs/run-report.md; bump
 * `RUN_REPORT_SCHEMA_VERSION` whenever a field changes meaning or a required field is added.
 */
import type { EngineName } from '../config/config-types.js';
import type { LatencySummary, LoadFigures, TlsFigures } from '../protocol/instance-result.js';
import type { OutcomeCounts } from '../protocol/outcomes.js';
import type { Verdict, VerdictOptions, VerdictThresholds } from '../verdict/classify-verdict.js';
import type { InstanceHealth } from '../verdict/fleet-health.js';

export const RUN_REPORT_SCHEMA_VERSION = 1;

/** LoadFigures without the distribution: what people and the verdict read. */
export type ReportFigures = Omit<LoadFigures, 'latency'> & { latency: Omit<LatencySummary, 'distribution'> };

export type InstanceFlag = 'lost' | 'failed' | 'stopped' | 'generator-limited' | 'dropped' | 'lagging' | 'late-start';

export interface ReportInstance {
  index: number;
  /** The agent machine's hostname, as the agent reported it. */
  host: string;
  /**
   * Where the runner started it: `local#0`, or the fleet address over SSH (`10.0.0.7:22#0`, `#n` = the
   * n-th instance on that host). Absent in reports from `loadctl merge` and from before this field.
   */
  runner?: string;
  status: InstanceHealth['status'];
  error: string | null;
  engine: { name: EngineName; version: string } | null;
  plannedIterations: number;
  /** Null for a lost instance. */
  overall: ReportFigures | null;
  subScenarios: Record<string, ReportFigures>;
  /** First request sent − its first due time, ms (clock of that instance); null if it sent nothing. */
  startLagMs: number | null;
  generator: {
    limited: boolean;
    reasons: string[];
    scheduleLagP99Ms: number;
    cpuPercentMean: number;
    cpuPercentMax: number;
    cores: number;
    rssBytesMax: number;
  } | null;
  /** Short markers for the summary table, derived from the fields above. */
  flags: InstanceFlag[];
  /**
   * This instance's seconds, from its InstanceResult's timeline; empty for a lost instance. Optional
   * because reports written before it existed (same schema version 1) lack it: readers treat a
   * missing timeline as unknown, never as "sent nothing". `buildRunReport` always writes it.
   */
  timeline?: ReportInstanceSecond[];
}

/** One second of one instance: what its row of the per-instance charts needs, nothing more. */
export interface ReportInstanceSecond {
  /** Seconds since the scheduled start, by the second a request ended (as the fleet timeline). */
  second: number;
  requests: number;
  /** Requests in the verdict's error classes (`verdictOptions.errorClasses`), as `ReportSecond.errors`. */
  errors: number;
  droppedIterations: number;
  p95Ms: number;
  /** Generator CPU, % of one core; null when the engine gives none (k6). */
  cpuPercent: number | null;
  inFlight: number | null;
}

export interface ReportSecond {
  /** Seconds since the scheduled start. */
  second: number;
  /** Requests that ended in this second (the achieved rate, req/s). */
  requests: number;
  /** Requests the schedule had due in this second, all instances (null without the plan). */
  plannedRequests: number | null;
  errors: number;
  outcomes: OutcomeCounts;
  droppedIterations: number;
  /** Of those, target-bound (every VU waiting on the target); absent in older reports. */
  targetBoundDrops?: number;
  /** Requests sent in this second (the verdict's backlog growth compares them with `requests`); absent in older reports. */
  started?: number;
  /** HTTP bytes written / read in this second, all instances (absent in older reports and from k6). */
  bytesSent?: number;
  bytesReceived?: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  cpuPercent: number | null;
  inFlight: number | null;
}

/** The target's own view, from its Prometheus endpoint (counts are deltas over the run). */
export interface TargetSideCounts {
  metricsUrl: string;
  /** Why the counts are missing or partial (endpoint down…); null when all scrapes worked. */
  error: string | null;
  requests: number | null;
  requestsByStatus: Record<string, number>;
  eventsAccepted: number | null;
  eventsStored: number | null;
  /** The client's counts beside them. */
  clientRequests: number;
  clientEvents: number;
  timeline: Array<{ second: number; requests: number; eventsAccepted: number; bufferSize: number | null; bufferCapacity: number | null }>;
}

export interface RunReport {
  schemaVersion: typeof RUN_REPORT_SCHEMA_VERSION;
  kind: 'run';
  runId: string;
  planDigest: string;
  scenario: { name: string; source: string; targetUrl: string } | null;
  engine: { name: EngineName; version: string; mixed: boolean };
  /** ISO 8601 times of the scheduled start and the last instance's end. */
  startedAt: string;
  endedAt: string;
  durationMs: number;
  verdict: Verdict;
  /** What the verdict was judged with, so `gate` can judge the report again identically. */
  thresholds: VerdictThresholds;
  verdictOptions: VerdictOptions;
  generatorLimited: boolean;
  degraded: boolean;
  aborted: { reason: string; atSecond: number } | null;
  /**
   * Stopped by Ctrl-C / SIGTERM before the schedule's end: the verdict covers only `load.ranMs`, and
   * `gate` never passes it (docs/run-report.md, "Interrupted and aborted runs"). Optional: reports
   * written before it lack it and read as not interrupted. `buildRunReport` always writes it.
   */
  interrupted?: boolean;
  load: {
    /** The plan's peak total rate (req/s); null without the plan. */
    plannedPeakRate: number | null;
    /** Iterations due, and iterations started, per second of `ranMs` (the time that ran, not the planned duration). */
    plannedMeanRate: number | null;
    achievedMeanRate: number | null;
    /**
     * ms of the schedule that ran, the rates' denominator: the planned duration, or scheduled start →
     * stop for an interrupted or aborted run; null without the plan. Optional: absent from older reports.
     */
    ranMs?: number | null;
    /** The plan's duration, ms (what `ranMs` is out of); null without the plan. Optional: absent from older reports. */
    plannedDurationMs?: number | null;
    plannedIterations: number;
    startedIterations: number;
    droppedIterations: number;
    requests: number;
    events: number;
  };
  startSkew: {
    /** Largest minus smallest start lag over the instances that sent, ms; null when fewer than one sent. */
    maxMs: number | null;
    instances: number;
  };
  overall: ReportFigures;
  subScenarios: Record<string, ReportFigures>;
  instances: ReportInstance[];
  timeline: ReportSecond[];
  target: TargetSideCounts | null;
  /**
   * How the fleet reached the target (issue 19): addresses used, connections, connect and TLS handshake
   * times, TLS failures; `tls.insecure` when certificates were not verified. Absent in older reports and from k6.
   */
  connections?: ReportConnections;
}

/** ConnectionFigures without the histograms. */
export interface ReportConnections {
  addresses: Record<string, number>;
  opened: number;
  connectMs: Omit<LatencySummary, 'distribution'>;
  tls: (Omit<TlsFigures, 'handshakeMs'> & { handshakeMs: Omit<LatencySummary, 'distribution'> }) | null;
}
