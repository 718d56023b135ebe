/**
 * The controller's side of one agent: sends protocol messages, parses the agent's JSON lines, and
 * turns a dead channel into a typed loss (DESIGN.md: "a dead channel is a dead instance"), so the
 * orchestrator never hangs on an instance that is gone.
 */
import { createInterface } from 'node:readline';
import type { AgentMessage, ControllerMessage } from '../protocol/agent-protocol.js';
import type { InstanceExit, InstanceProcess } from '../runners/types.js';

type MessageOf<T extends AgentMessage['type']> = Extract<AgentMessage, { type: T }>;

/** Why an instance is gone: its process exited, it reported a fatal error, or it broke the protocol. */
export class InstanceLostError extends Error {
  constructor(
    readonly label: string,
    readonly reason: string,
  ) {
    super(`${label}: ${reason}`);
  }
}

export class AgentConnection {
  readonly label: string;
  readonly host: string;
  /** Settles (never rejects) with the reason once the instance is gone or broke the protocol. */
  readonly lost: Promise<InstanceLostError>;
  private readonly listeners = new Set<(message: AgentMessage) => void>();
  private markLost!: (error: InstanceLostError) => void;
  private lostError: InstanceLostError | undefined;

  constructor(private readonly process: InstanceProcess) {
    this.label = process.label;
    this.host = process.host;
    this.lost = new Promise((resolve) => (this.markLost = resolve));
    const lines = createInterface({ input: process.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => this.receive(line));
    process.stdin.on('error', () => {}); // EPIPE after the agent died; `exited` reports it.
    void process.exited.then((exit) => this.lose(describeExit(exit)));
  }

  get isLost(): boolean {
    return this.lostError !== undefined;
  }

  /** Why the instance is gone, once it is. */
  get lostReason(): string | null {
    return this.lostError?.reason ?? null;
  }

  send(message: ControllerMessage): void {
    if (this.isLost || this.process.stdin.destroyed) return;
    this.process.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /** Calls `listener` for every message from now on; returns the unsubscribe function. */
  onMessage(listener: (message: AgentMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The next message of `type`; rejects with InstanceLostError if the instance is lost first or `timeoutMs` passes. */
  next<T extends AgentMessage['type']>(type: T, timeoutMs: number, waitingFor = `"${type}"`): Promise<MessageOf<T>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(() => reject(new InstanceLostError(this.label, `no ${waitingFor} within ${timeoutMs} ms`))), timeoutMs);
      const unsubscribe = this.onMessage((message) => {
        if (message.type === type) finish(() => resolve(message as MessageOf<T>));
      });
      void this.lost.then((error) => finish(() => reject(error)));
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        unsubscribe();
        settle();
      };
    });
  }

  /** Ends the instance now and records why. */
  kill(reason: string): void {
    this.lose(reason);
    this.process.kill();
  }

  /** Closes stdin: a well-behaved agent stops and exits. */
  closeInput(): void {
    this.process.stdin.end();
  }

  exited(): Promise<InstanceExit> {
    return this.process.exited;
  }

  private receive(line: string): void {
    if (line.trim() === '') return;
    let message: AgentMessage;
    try {
      message = JSON.parse(line) as AgentMessage;
    } catch {
      this.kill(`wrote something that is not a protocol message: ${JSON.stringify(line.slice(0, 200))}`);
      return;
    }
    if (message.type === 'error') {
      this.lose(`agent error (${message.kind}): ${message.message}`);
      return;
    }
    for (const listener of [...this.listeners]) listener(message);
  }

  private lose(reason: string): void {
    if (this.lostError) return;
    this.lostError = new InstanceLostError(this.label, reason);
    this.markLost(this.lostError);
  }
}

function describeExit(exit: InstanceExit): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
  const tail = exit.stderrTail.trim().split('\n').slice(-3).join(' | ');
  return tail ? `the process ${how}: ${tail}` : `the process ${how}`;
}
