/**
 * One `loadctl agent --engine <name>` process driven through the agent protocol, the way the controller
 * drives it (docs/agent-protocol.md): for the conformance suite, which holds every engine to one semantics.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AGENT_PROTOCOL_VERSION, type AgentMessage, type ControllerMessage, type PrepareOptions, type ProgressSample } from '../../src/protocol/agent-protocol.js';
import type { InstanceResult } from '../../src/protocol/instance-result.js';
import type { InstancePlan } from '../../src/scenario/plan.js';
import { cliPath } from '../helpers/repo.js';

export type ConformingEngine = 'native' | 'rust';

export class AgentSession {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  readonly progress: ProgressSample[] = [];
  stderr = '';
  private readonly lines: AsyncIterator<string>;

  constructor(readonly engine: ConformingEngine) {
    this.child = spawn(process.execPath, [cliPath(), 'agent', '--engine', engine], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  send(message: ControllerMessage): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /** The next message of `type`, collecting progress on the way; an error message or a closed stdout fails. */
  async next<T extends AgentMessage['type']>(type: T): Promise<Extract<AgentMessage, { type: T }>> {
    for (;;) {
      const line = await this.lines.next();
      assert.ok(!line.done, `${this.engine} agent closed stdout waiting for ${type}; stderr: ${this.stderr}`);
      const message = JSON.parse(line.value) as AgentMessage;
      assert.notEqual(message.type, 'error', `${this.engine} agent error: ${line.value}; stderr: ${this.stderr}`);
      if (message.type === 'progress') this.progress.push(message.sample);
      if (message.type === type) return message as Extract<AgentMessage, { type: T }>;
    }
  }

  /** hello → prepare → ready. */
  async prepare(instancePlan: InstancePlan, options: PrepareOptions = {}): Promise<Extract<AgentMessage, { type: 'hello' }>> {
    const hello = await this.next('hello');
    this.send({ type: 'prepare', protocol: AGENT_PROTOCOL_VERSION, instancePlan, options });
    await this.next('ready');
    return hello;
  }

  start(at: number): void {
    this.send({ type: 'start', at, clockOffsetMs: 0 });
  }

  async result(): Promise<InstanceResult> {
    return (await this.next('result')).result;
  }

  /** Closes stdin and waits for the exit code. */
  async end(): Promise<number | null> {
    this.child.stdin.end();
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** A whole run of one instance: prepare, start shortly after ready, the result, a clean exit. */
export async function runInstance(engine: ConformingEngine, instancePlan: InstancePlan, options: PrepareOptions = {}): Promise<{ result: InstanceResult; session: AgentSession }> {
  const session = new AgentSession(engine);
  try {
    await session.prepare(instancePlan, options);
    session.start(Date.now() + 150);
    const result = await session.result();
    assert.equal(await session.end(), 0, `${engine} agent exit code; stderr: ${session.stderr}`);
    return { result, session };
  } finally {
    session.kill();
  }
}
