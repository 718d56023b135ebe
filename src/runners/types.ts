/**
 * Runners start engine instances somewhere — local processes (execa), SSH hosts (ssh2) or Kubernetes pods — and hand
 * the controller each one's stdio. Everything above this interface speaks only the agent protocol
 * (src/protocol/agent-protocol.ts), so a run behaves the same whichever runner carries it.
 */
import type { Readable, Writable } from 'node:stream';

/** How an instance's process ended (one shape whether it succeeded or failed, like execa's results). */
export interface InstanceExit {
  exitCode: number | null;
  signal: string | null;
  /** Last lines the process wrote to stderr, for messages. */
  stderrTail: string;
}

/** One launched instance: a process speaking the agent protocol on its stdio. */
export interface InstanceProcess {
  /** Names the instance in messages and reports: `local#2`, `gen-3.example.com#1`. */
  readonly label: string;
  /** The machine the instance runs on. */
  readonly host: string;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Settles when the process is gone (never rejects). */
  readonly exited: Promise<InstanceExit>;
  /** Ends the process now (SIGKILL locally; closing the channel remotely). */
  kill(): void;
}

export interface Runner {
  readonly kind: 'local' | 'ssh' | 'kubernetes';
  /** Starts `count` agents; each is idle until the controller sends `prepare`. */
  launch(count: number): Promise<InstanceProcess[]>;
}
