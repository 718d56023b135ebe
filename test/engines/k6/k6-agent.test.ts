// The k6 agent against the k6 contract double (test/k6-contract/k6-double.ts), NOT k6: k6 is never run in this project.
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileK6Script } from '../../../src/engines/k6/compile-k6-script.js';
import type { InstancePlan, ScenarioPlan } from '../../../src/scenario/plan.js';
import { planScenarioFile } from '../../../src/scenario/plan-scenario-file.js';
import { splitPlan } from '../../../src/split/split-plan.js';
import { repoRoot } from '../../helpers/repo.js';
import { startTestTarget } from '../../helpers/target.js';
import { installK6Double, type InstalledK6Double } from '../../k6-contract/k6-double-install.js';
import { startAgentUnderTest, type AgentUnderTest } from './k6-agent-harness.js';

type Target = Awaited<ReturnType<typeof startTestTarget>>;

/** Requests the target-service answered on /v1/events, by its own Prometheus counter. */
async function serviceRequestCount(target: Target): Promise<number> {
  const text = await (await fetch(target.metricsUrl!)).text();
  return [...text.matchAll(/^http_requests_total\{route="\/v1\/events",[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

async function compiledPlan(target: Target, rate: number, durationMs: number): Promise<{ plan: ScenarioPlan; script: string }> {
  const plan = await planScenarioFile({ file: 'scenarios/simple.ts', cwd: repoRoot(), target: target.url, rate, durationMs });
  return { plan, script: (await compileK6Script(plan)).code };
}

async function prepared(double: InstalledK6Double, instancePlan: InstancePlan, script: string): Promise<AgentUnderTest> {
  const agent = startAgentUnderTest({ k6Path: double.path, stopGraceMs: 2000 });
  await agent.next('hello');
  agent.send({ type: 'prepare', protocol: 1, instancePlan, options: { k6Script: script } });
  await agent.next('ready');
  return agent;
}

/** True while a process with this pid exists (and is not a zombie), by `ps`. */
function processAlive(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false; // ps exits 1 when no such process
  }
}

describe('k6 agent over the k6 contract double (NOT k6), against the real target-service', () => {
  let target: Target;
  before(async () => {
    target = await startTestTarget();
  });
  after(async () => target?.stop());

  it('2 instances: hello names k6, ready only after status 4, start at the agreed instant, results add up to the service count', async () => {
    const { plan, script } = await compiledPlan(target, 20, 1000);
    const instancePlans = splitPlan(plan, 2, 'k6-agent-test');
    const double = installK6Double({ initDelayMs: 600 });
    const before = await serviceRequestCount(target);
    const agents = instancePlans.map(() => startAgentUnderTest({ k6Path: double.path }));
    const hellos = await Promise.all(agents.map((agent) => agent.next('hello')));
    for (const hello of hellos) assert.deepEqual(hello.engine, { name: 'k6', version: 'v1.4.0-contract-double' });
    for (const [index, agent] of agents.entries()) agent.send({ type: 'prepare', protocol: 1, instancePlan: instancePlans[index]!, options: { k6Script: script } });
    const readies = await Promise.all(agents.map((agent) => agent.next('ready')));

    // Each double said "paused" (status 4) before its agent reported ready, though it answered REST long before.
    const events = double.events();
    const paused = events.filter((event) => event.event === 'paused');
    assert.equal(paused.length, 2);
    for (const ready of readies) assert.ok(paused.some((event) => event.at <= ready.receivedAt));
    assert.ok(Math.max(...paused.map((e) => e.at)) <= Math.max(...readies.map((r) => r.receivedAt)));
    // …and the agents did poll during init: answers with status < 4 came first, yet were not taken as ready.
    const answers = events.filter((event) => event.event === 'status-answered').map((event) => event.status as number);
    assert.ok(answers.some((status) => status < 4), `no answer before status 4: ${answers.join(',')}`);
    assert.ok(answers.includes(4));

    agents[0]!.send({ type: 'clock', id: 7, controllerTime: 1 });
    const clock = await agents[0]!.next('clock');
    assert.equal(clock.id, 7);
    assert.equal(typeof clock.agentTime, 'number');

    const at = Date.now() + 400;
    for (const agent of agents) agent.send({ type: 'start', at, clockOffsetMs: 0 });
    const results = (await Promise.all(agents.map((agent) => agent.next('result')))).map((message) => message.result);
    const resumed = double.events().filter((event) => event.event === 'resumed');
    assert.equal(resumed.length, 2);
    for (const event of resumed) assert.ok(event.at >= at, `double resumed at ${event.at}, before ${at}`);
    for (const agent of agents) agent.closeInput();
    assert.deepEqual(await Promise.all(agents.map((agent) => agent.done)), [{ error: null, exitCode: 0 }, { error: null, exitCode: 0 }]);

    assert.deepEqual(results.map((r) => r.instance).sort((a, b) => a.index - b.index), [{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    for (const result of results) {
      assert.equal(result.status, 'completed');
      assert.deepEqual(result.engine, { name: 'k6', version: 'v1.4.0-contract-double' });
      assert.equal(result.runId, 'k6-agent-test');
      assert.equal(result.scheduledStartAt, at);
      assert.ok(result.firstSendAt !== null && result.firstSendAt >= at);
      assert.equal(result.plannedIterations, 10);
    }
    const served = (await serviceRequestCount(target)) - before;
    assert.equal(results.reduce((sum, r) => sum + r.overall.requests, 0), served);
    assert.equal(served, plan.subScenarios[0]!.iterations);
    assert.equal(results.reduce((sum, r) => sum + r.overall.outcomes['2xx'], 0), served);
  });

  it('stop goes to k6 as PATCH stopped:true: k6 exits 103, the result is delivered as stopped', async () => {
    const { plan, script } = await compiledPlan(target, 10, 30_000);
    const double = installK6Double({ initDelayMs: 100 });
    const before = await serviceRequestCount(target);
    const agent = await prepared(double, splitPlan(plan, 1, 'k6-agent-stop')[0]!, script);
    agent.send({ type: 'start', at: Date.now() + 100, clockOffsetMs: 0 });
    const progress = await agent.next('progress', 10_000);
    assert.equal(progress.sample.second, 0);
    assert.ok(progress.sample.requests > 0, 'the first second counted requests');
    assert.equal(progress.sample.outcomes['2xx'], progress.sample.requests, 'classes from the tagged counter');
    assert.equal(progress.sample.latency.kind, 'quantiles');
    assert.ok(progress.sample.p95Ms > 0);
    agent.send({ type: 'stop', reason: 'test' });
    const { result } = await agent.next('result', 15_000);
    agent.closeInput();
    await agent.done;
    assert.equal(result.status, 'stopped');
    const served = (await serviceRequestCount(target)) - before;
    assert.equal(result.overall.requests, served);
    assert.ok(served < plan.subScenarios[0]!.iterations);
    const events = double.events();
    assert.deepEqual(events.find((event) => event.event === 'stopped')?.by, 'rest');
    assert.equal(events.find((event) => event.event === 'exit')?.code, 103);
  });

  it('k6 exiting with 107 during init → an error naming the exit code and what it means, with its output', async () => {
    const { plan, script } = await compiledPlan(target, 10, 1000);
    const double = installK6Double({ initDelayMs: 50, initExit: 107 });
    const agent = startAgentUnderTest({ k6Path: double.path });
    await agent.next('hello');
    agent.send({ type: 'prepare', protocol: 1, instancePlan: splitPlan(plan, 1, 'k6-agent-107')[0]!, options: { k6Script: script } });
    const error = await agent.next('error');
    assert.equal(error.kind, 'internal');
    assert.match(error.message, /k6 exited with code 107 \(script exception\) before its VUs were ready/);
    assert.match(error.message, /simulated failure during init/);
    assert.equal((await agent.done).error, error.message);
    assert.equal(agent.messages.filter((m) => m.type === 'ready').length, 0);
  });

  it('stdin closed mid-run → k6 is stopped and no double process is left', async () => {
    const { plan, script } = await compiledPlan(target, 10, 30_000);
    const double = installK6Double({ initDelayMs: 100 });
    const agent = await prepared(double, splitPlan(plan, 1, 'k6-agent-orphan')[0]!, script);
    agent.send({ type: 'start', at: Date.now() + 100, clockOffsetMs: 0 });
    await agent.next('progress', 10_000);
    const pid = double.events().find((event) => event.event === 'spawned')!.pid;
    assert.ok(processAlive(pid), 'the double runs while the agent runs');
    agent.closeInput();
    assert.deepEqual(await agent.done, { error: null, exitCode: 0 });
    assert.equal(processAlive(pid), false, `k6 double ${pid} outlived its agent`);
  });

  it('stdin closed while k6 initialises → no double process left either', async () => {
    const { plan, script } = await compiledPlan(target, 10, 30_000);
    const double = installK6Double({ initDelayMs: 5000 });
    const agent = startAgentUnderTest({ k6Path: double.path });
    await agent.next('hello');
    agent.send({ type: 'prepare', protocol: 1, instancePlan: splitPlan(plan, 1, 'k6-agent-early-close')[0]!, options: { k6Script: script } });
    while (!double.events().some((event) => event.event === 'spawned')) await new Promise((resolve) => setTimeout(resolve, 20));
    const pid = double.events().find((event) => event.event === 'spawned')!.pid;
    agent.closeInput();
    assert.deepEqual(await agent.done, { error: null, exitCode: 0 });
    assert.equal(processAlive(pid), false, `k6 double ${pid} outlived its agent`);
    assert.equal(agent.messages.filter((m) => m.type === 'ready').length, 0);
  });

  it('refuses what it cannot run: a prepare without the compiled script, a k6 path that is not k6', async () => {
    const double = installK6Double();
    const { plan } = await compiledPlan(target, 10, 1000);
    const agent = startAgentUnderTest({ k6Path: double.path });
    await agent.next('hello');
    agent.send({ type: 'prepare', protocol: 1, instancePlan: splitPlan(plan, 1, 'k6-agent-noscript')[0]!, options: {} });
    const error = await agent.next('error');
    assert.equal(error.kind, 'usage');
    assert.match(error.message, /options\.k6Script/);
    await agent.done;

    const notK6 = startAgentUnderTest({ k6Path: '/bin/true' });
    const refused = await notK6.next('error');
    assert.match(refused.message, /\/bin\/true .* is not a usable k6/);
    assert.equal(notK6.messages[0]!.type, 'error', 'no hello from an agent without k6');
    await notK6.done;
  });
});
