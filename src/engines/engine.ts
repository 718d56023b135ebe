/**
 * The one interface every engine implements (issue 17). The agent loop (src/agent/run-agent.ts) speaks
 * the protocol — hello, JSON-lines framing, the version check, clock replies, dispatch — and an engine
 * only prepares, starts, stops and closes one instance, answering through `EngineOutput`. Engines are
 * looked up by name in engine-registry.ts.
 */
import type { AgentMessage, PrepareOptions } from '../protocol/agent-protocol.js';
import type { InstancePlan } from '../scenario/plan.js';

/** The names `--engine` takes; hello and InstanceResult carry them. */
export type EngineName = Extract<AgentMessage, { type: 'hello' }>['engine']['name'];

/** What an instance says to the controller; the loop writes each as one JSON line. */
export type EngineMessage = Extract<AgentMessage, { type: 'ready' | 'progress' | 'result' | 'error' }>;

/** A fatal problem: `usage` = the plan or options were refused, `internal` = the engine broke. */
export interface EngineFailure {
  kind: Extract<AgentMessage, { type: 'error' }>['kind'];
  message: string;
}

export interface EngineOutput {
  send(message: EngineMessage): void;
  /** To stderr, never to the protocol's stdout. */
  log(line: string): void;
}

/** One instance of an engine. Exactly one `result` or `error` ends it; `ended` settles then. */
export interface EngineInstance {
  /** Answers `ready` once it can start at once (or `error`). */
  prepare(instancePlan: InstancePlan, options: PrepareOptions): void;
  /** Starts the schedule at `startAt`: epoch ms on this host's clock (engine-clock.ts). */
  start(startAt: number): void;
  /** Ends the schedule early; the instance still answers `result`. */
  stop(reason: string): void;
  /** Ends the instance with a fatal `error` (the agent exits after it). */
  fail(failure: EngineFailure): void;
  /** The controller is gone or done: nothing may outlive this (processes, threads, files). */
  close(): Promise<void>;
  readonly ended: Promise<{ error: EngineFailure | null }>;
}

export interface Engine {
  readonly name: EngineName;
  readonly version: string;
  createInstance(output: EngineOutput): EngineInstance;
}

/** What the agent's flags say about the engine (each engine reads its own). */
export interface EngineSettings {
  /** Native: worker threads when `prepare` does not say (default one per core). */
  workers?: number;
  /** Native: the worker-thread script (the single-file bundle passes itself). */
  workerScript?: URL;
  /** k6: `--k6 PATH`; without it LOADCTL_K6, then PATH. */
  k6Path?: string;
  env?: NodeJS.ProcessEnv;
  /** k6: how long k6 may take to initialise its VUs (default 50 s: under the controller's 60 s for `ready`). */
  readyTimeoutMs?: number;
  /** k6: grace before SIGTERM and again before SIGKILL when stopping k6 (default 2 s). */
  stopGraceMs?: number;
}

/** An engine cannot run here at all (no k6, a k6 too old): said instead of hello. */
export class EngineUnavailableError extends Error {}
