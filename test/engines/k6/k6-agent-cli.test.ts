// `loadctl agent --engine k6` as a real process over the k6 contract double (test/k6-contract/k6-double.ts), NOT k6: k6 is never run in this project.
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentMessage, ControllerMessage } from '../../../src/protocol/agent-protocol.js';
import { compileK6Script } from '../../../src/engines/k6/compile-k6-script.js';
import { planScenarioFile } from '../../../src/scenario/plan-scenario-file.js';
import { splitPlan } from '../../../src/split/split-plan.js';
import { cliPath, repoRoot } from '../../helpers/repo.js';
import { startTestTarget } from '../../helpers/target.js';
import { installK6Double } from '../../k6-contract/k6-double-install.js';

function processAlive(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false;
  }
}

describe('loadctl agent --engine k6 --k6 <double> (a process, as runners start it)', () => {
  let target: Awaited<ReturnType<typeof startTestTarget>>;
  before(async () => {
    target = await startTestTarget();
  });
  after(async () => target?.stop());

  it('speaks the protocol on its stdio; closing its stdin mid-run ends the agent and k6, nothing left', async () => {
    const plan = await planScenarioFile({ file: 'scenarios/simple.ts', cwd: repoRoot(), target: target.url, rate: 10, durationMs: 30_000 });
    const script = (await compileK6Script(plan)).code;
    const double = installK6Double({ initDelayMs: 200 });
    const agent = spawn(process.execPath, [cliPath(), 'agent', '--engine', 'k6', '--k6', double.path], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => agent.once('exit', (code) => resolve(code)));
    let stderr = '';
    agent.stderr.on('data', (chunk) => (stderr += chunk));
    const messages: AgentMessage[] = [];
    const lines = createInterface({ input: agent.stdout });
    const next = (type: AgentMessage['type']) =>
      new Promise<AgentMessage>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type}; got ${messages.map((m) => m.type).join(',')}; stderr:\n${stderr}`)), 30_000);
        const check = () => {
          const found = messages.find((message) => message.type === type);
          if (!found) return;
          clearTimeout(timer);
          lines.off('line', check);
          resolve(found);
        };
        lines.on('line', check);
        check();
      });
    lines.on('line', (line) => messages.push(JSON.parse(line) as AgentMessage));
    const send = (message: ControllerMessage) => agent.stdin.write(`${JSON.stringify(message)}\n`);

    const hello = await next('hello');
    assert.deepEqual(hello.type === 'hello' && hello.engine, { name: 'k6', version: 'v1.4.0-contract-double' });
    send({ type: 'prepare', protocol: 1, instancePlan: splitPlan(plan, 1, 'k6-agent-cli')[0]!, options: { k6Script: script } });
    await next('ready');
    send({ type: 'start', at: Date.now() + 100, clockOffsetMs: 0 });
    await next('progress');
    const doublePid = double.events().find((event) => event.event === 'spawned')!.pid;
    assert.ok(processAlive(doublePid));

    agent.stdin.end();
    assert.equal(await exited, 0, stderr);
    assert.equal(processAlive(doublePid), false, `k6 double ${doublePid} outlived the agent process`);
    assert.ok(messages.every((message) => message.type !== 'error'), JSON.stringify(messages.filter((m) => m.type === 'error')));
  });
  it('exits non-zero after a fatal error (it used to exit 0): no usable k6 → error instead of hello, exit 2', async () => {
    const agent = spawn(process.execPath, [cliPath(), 'agent', '--engine', 'k6', '--k6', '/bin/true'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    agent.stdout.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => agent.once('close', resolve));
    const messages = stdout.trim().split('\n').map((line) => JSON.parse(line) as AgentMessage);
    assert.deepEqual(messages.map((message) => message.type), ['error']);
    assert.equal(code, 2);
  });

  it('exits non-zero after a protocol error in the middle of a session (exit 2), and the native agent alike', async () => {
    for (const engine of ['k6', 'native']) {
      const double = installK6Double();
      const agent = spawn(process.execPath, [cliPath(), 'agent', '--engine', engine, '--k6', double.path], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      agent.stdout.on('data', (chunk) => (stdout += chunk));
      agent.stdin.write('this is not json\n');
      const code = await new Promise<number | null>((resolve) => agent.once('close', resolve));
      const messages = stdout.trim().split('\n').map((line) => JSON.parse(line) as AgentMessage);
      assert.deepEqual(messages.map((message) => message.type), ['hello', 'error'], engine);
      assert.equal(code, 2, engine);
    }
  });
});
