// Drives the k6 agent in-process over the k6 contract double (test/k6-contract/k6-double.ts), NOT k6: k6 is never run in this project.
/**
 * An agent on in-memory stdio: the test writes controller messages, reads the agent's JSON lines, and
 * waits for a message type, bounded so a broken agent fails the test instead of hanging it.
 */
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import type { AgentMessage, ControllerMessage } from '../../../src/protocol/agent-protocol.js';
import { runEngineAgent, type AgentOutcome } from '../../../src/agent/run-agent.js';
import type { EngineSettings } from '../../../src/engines/engine.js';

type MessageOf<T extends AgentMessage['type']> = Extract<AgentMessage, { type: T }>;

export interface AgentUnderTest {
  messages: Array<AgentMessage & { receivedAt: number }>;
  logs: string[];
  send(message: ControllerMessage): void;
  next<T extends AgentMessage['type']>(type: T, timeoutMs?: number): Promise<MessageOf<T> & { receivedAt: number }>;
  closeInput(): void;
  done: Promise<AgentOutcome>;
}

export function startAgentUnderTest(settings: EngineSettings): AgentUnderTest {
  const input = new PassThrough();
  const output = new PassThrough();
  const messages: Array<AgentMessage & { receivedAt: number }> = [];
  const logs: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: output }).on('line', (line) => {
    messages.push({ ...(JSON.parse(line) as AgentMessage), receivedAt: Date.now() });
    for (const wake of [...waiters]) wake();
  });
  const done = runEngineAgent('k6', settings, { input, output, log: (line) => logs.push(line) });
  return {
    messages,
    logs,
    send: (message) => input.write(`${JSON.stringify(message)}\n`),
    closeInput: () => input.end(),
    done,
    next(type, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find((message) => message.type === type);
          const error = messages.find((message) => message.type === 'error');
          if (found) finish(() => resolve(found as MessageOf<typeof type> & { receivedAt: number }));
          else if (error && type !== 'error') finish(() => reject(new Error(`agent error instead of ${type}: ${JSON.stringify(error)}\nlog:\n${logs.join('\n')}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${type} within ${timeoutMs} ms; got ${messages.map((m) => m.type).join(', ')}\nlog:\n${logs.join('\n')}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
