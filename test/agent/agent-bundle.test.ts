/**
 * The single-file agent bundle (dist/loadctl-agent.mjs, issue 8 item 8) runs alone: copied into an empty
 * directory (no node_modules beside it), started with plain `node`, it speaks the agent protocol and
 * sends exactly the schedule, using itself as the worker-thread script.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AgentMessage, ControllerMessage } from '../../src/protocol/agent-protocol.js';
import { AGENT_PROTOCOL_VERSION } from '../../src/protocol/agent-protocol.js';
import { iterationCount } from '../../src/scenario/schedule.js';
import { startTestServer } from '../helpers/http-servers.js';
import { instancePlansOf, planOf } from '../helpers/native-plan.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** dist/test/agent/agent-bundle.test.js → dist/loadctl-agent.mjs */
const BUNDLE = fileURLToPath(new URL('../../loadctl-agent.mjs', import.meta.url));

describe('agent bundle', () => {
  it('runs from an empty directory with only node and sends exactly the schedule', async () => {
    assert.ok(existsSync(BUNDLE), `no bundle at ${BUNDLE}: run \`npm run build\` (or node scripts/bundle-agent.mjs)`);
    const dir = makeTempDir('loadctl-bundle-');
    const copy = join(dir, 'loadctl-agent.mjs');
    copyFileSync(BUNDLE, copy);
    assert.deepEqual(readdirSync(dir), ['loadctl-agent.mjs'], 'the bundle is alone: nothing to resolve imports from');

    const server = await startTestServer();
    // cwd and NODE_PATH point nowhere useful: any unbundled import would fail to resolve.
    const agent = spawn(process.execPath, [copy], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    agent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => agent.on('close', (code) => resolve(code)));
    const messages = createInterface({ input: agent.stdout })[Symbol.asyncIterator]();
    const send = (message: ControllerMessage) => agent.stdin.write(`${JSON.stringify(message)}\n`);
    /** The next message of `type`, skipping progress lines; an error message or a closed stdout fails. */
    const next = async (type: AgentMessage['type']): Promise<AgentMessage> => {
      for (;;) {
        const line = await messages.next();
        assert.ok(!line.done, `agent closed stdout waiting for ${type}; stderr: ${stderr}`);
        const message = JSON.parse(line.value) as AgentMessage;
        assert.notEqual(message.type, 'error', `agent error: ${line.value}; stderr: ${stderr}`);
        if (message.type === type) return message;
      }
    };

    try {
      const plan = planOf(`${server.url}/ingest`, [
        { name: 'single', rate: 100, duration: '1s' },
        { name: 'batch10', rate: 40, duration: '1s', batchSize: 10 },
      ]);
      const scheduled = plan.subScenarios.reduce((sum, sub) => sum + iterationCount(sub.schedule), 0);
      const [instancePlan] = instancePlansOf(plan);

      const hello = await next('hello');
      assert.equal(hello.type === 'hello' && hello.engine.name, 'native');
      send({ type: 'prepare', protocol: AGENT_PROTOCOL_VERSION, instancePlan: instancePlan!, options: { workers: 2 } });
      await next('ready');
      send({ type: 'clock', id: 1, controllerTime: Date.now() });
      const clock = await next('clock');
      assert.equal(clock.type === 'clock' && clock.id, 1);
      send({ type: 'start', at: Date.now() + 200, clockOffsetMs: 0 });
      const result = await next('result');
      assert.ok(result.type === 'result');
      const overall = result.result.overall;

      assert.equal(scheduled, 140);
      assert.equal(overall.droppedIterations, 0);
      assert.equal(overall.requests, scheduled, 'the bundle sent the schedule');
      assert.equal(overall.outcomes['2xx'], scheduled);
      const received = [...server.received.values()].reduce((sum, count) => sum + count, 0);
      assert.equal(received, scheduled, 'the server counted what the agent reports');
      agent.stdin.end();
      assert.equal(await exited, 0, `agent exit code; stderr: ${stderr}`);
    } finally {
      agent.kill();
      await server.close();
    }
  });
});
