/**
 * The agent protocol (DESIGN.md, "Instance lifecycle"): JSON lines over stdio (a local child process
 * or an ssh2 exec channel). The controller writes `ControllerMessage`s to the agent's stdin, the agent
 * writes `AgentMessage`s to stdout, one JSON object per line; anything else on stdout is a bug, so
 * agents log to stderr.
 *
 *   controller → agent: hello? prepare → (ready) → clock* → start{at} → … stop? → (result)
 *   agent → controller: hello, ready, clock, progress (1/s), result, error
 */
import type { InstancePlan } from '../scenario/plan.js';
import type { InstanceResult, LatencyDistribution } from './instance-result.js';
import type { OutcomeCounts } from './outcomes.js';
import type { TlsMaterial } from '../net/tls-material.js';

export const AGENT_PROTOCOL_VERSION = 1;

export interface PrepareOptions {
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Write every request's due/send/latency/outcome to this file (oracle mode). */
  rawSamplesFile?: string;
  /** `--engine k6`: the script compiled once from the plan (compileK6Script); the k6 agent runs it. */
  k6Script?: string;
  /** https targets: the CA to trust and the client certificate, as PEM text (read once by the controller). */
  tls?: TlsMaterial;
}

export type ControllerMessage =
  | { type: 'prepare'; protocol: typeof AGENT_PROTOCOL_VERSION; instancePlan: InstancePlan; options: PrepareOptions }
  /** Clock-offset probe: the agent answers at once with its own clock. */
  | { type: 'clock'; id: number; controllerTime: number }
  /** Start the schedule at `at` (epoch ms in the controller's clock; the agent applies its offset). */
  | { type: 'start'; at: number; clockOffsetMs: number }
  /** Stop early: finish in-flight requests (bounded by their timeout), then send `result`. */
  | { type: 'stop'; reason: string };

export interface ProgressSample {
  /** Seconds since the scheduled start. */
  second: number;
  requests: number;
  outcomes: OutcomeCounts;
  droppedIterations: number;
  /** That second's latency histogram: the controller merges them across instances. */
  latency: LatencyDistribution;
  p95Ms: number;
  scheduleLagP99Ms: number;
  inFlight: number;
  cpuPercent: number;
  rssBytes: number;
  /** HTTP bytes written / read that second (absent from engines that do not count them: k6). */
  bytesSent?: number;
  bytesReceived?: number;
}

export type AgentMessage =
  | { type: 'hello'; protocol: typeof AGENT_PROTOCOL_VERSION; engine: { name: 'native' | 'rust' | 'k6'; version: string }; host: string; pid: number; cores: number }
  | { type: 'ready'; prepareMs: number }
  | { type: 'clock'; id: number; controllerTime: number; agentTime: number }
  | { type: 'progress'; sample: ProgressSample }
  | { type: 'result'; result: InstanceResult }
  /** A fatal problem; the agent exits after sending it. `usage` = the plan or options were refused. */
  | { type: 'error'; kind: 'usage' | 'internal'; message: string };
