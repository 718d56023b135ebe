/**
 * Who is to blame (issue 18), through the real CLI and the real native engine against small real
 * servers that fail the way real services do (test/helpers/behaving-servers.ts): a target that stalls
 * or hiccups is judged against the target, never generator-limited; a generator whose process really
 * is starved (stopped with SIGSTOP for 1.5 s mid-run, as a busy core or a VM steal would) still is.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../src/report/run-report-types.js';
import { startStallingServer, type BehavingServer } from '../helpers/behaving-servers.js';
import { agentsOf, childrenOf, waitUntil } from '../helpers/processes.js';
import { startCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const readReport = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunReport;

async function runAgainst(server: BehavingServer, rate: number, seconds: number, during?: (pid: number) => Promise<void>) {
  const out = join(makeTempDir('loadctl-blame-'), 'report.json');
  const run = startCli(['run', 'scenarios/simple.ts', '--rate', String(rate), '--duration', `${seconds}s`, '--instances', '1', '--target', server.url, '--target-metrics', 'none', '--out', out, '--no-color']);
  if (during) await during(run.child.pid!);
  const { code, stdout, stderr } = await run.done;
  return { code, output: `${stdout}\n${stderr}`, report: readReport(out) };
}

describe('verdicts blame the right party (real engine, real servers)', () => {
  const servers: BehavingServer[] = [];
  after(() => Promise.all(servers.map((server) => server.close())));

  it('a target that stalls 2 s mid-run at 1,000 req/s is judged against the target, never generator-limited', async () => {
    const server = await startStallingServer({ stallAfterMs: 4000, stallMs: 2000 });
    servers.push(server);
    const { code, output, report } = await runAgainst(server, 1000, 10);
    const verdict = report.verdict;
    assert.ok(['warning', 'critical'].includes(verdict.outcome), `${verdict.outcome}: ${verdict.headline}\n${output}`);
    assert.equal(verdict.generatorLimited, false, verdict.generatorReasons.join('; '));
    assert.equal(code, verdict.outcome === 'critical' ? 10 : 0, output);
    const drops = report.overall.droppedIterations;
    assert.ok(drops > 0, 'the stall held every VU, so iterations were dropped');
    assert.equal(report.overall.targetBoundDrops, drops, 'every drop is target-bound: the generator kept its schedule');
    assert.match(verdict.reasons.join('\n'), /iterations \([\d.]+ %\) not sent: all [\d,]+ VUs \(connections\) were waiting on the target, answers up to [12]\.\d s/);
  });

  it('a ~150 ms hiccup in a 1,000 req/s run: good or warning, never generator-limited', async () => {
    const server = await startStallingServer({ stallAfterMs: 2000, stallMs: 150 });
    servers.push(server);
    const { code, output, report } = await runAgainst(server, 1000, 5);
    assert.ok(['good', 'warning'].includes(report.verdict.outcome), `${report.verdict.outcome}: ${report.verdict.headline}\n${output}`);
    assert.equal(report.verdict.generatorLimited, false);
    assert.equal(code, 0, output);
    assert.equal(report.overall.droppedIterations, 0, 'the pool grew to hold the hiccup: latency, not drops');
  });

  it('a generator that really is starved (its agent stopped 1.5 s mid-run) is still generator-limited', async () => {
    const server = await startStallingServer({ stallAfterMs: 60_000, stallMs: 0 });
    servers.push(server);
    const { code, output, report } = await runAgainst(server, 1000, 6, async (cli) => {
      assert.ok(await waitUntil(() => agentsOf(cli).length === 1, 10_000), 'the agent started');
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const [agent] = agentsOf(cli);
      // The agent and its children: the rust engine's load loop is the agent's loadctl-engine child.
      const generator = [agent!, ...childrenOf(agent!)];
      for (const pid of generator) process.kill(pid, 'SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      for (const pid of generator) process.kill(pid, 'SIGCONT');
    });
    assert.equal(report.verdict.outcome, 'generator-limited', `${report.verdict.headline}\n${output}`);
    assert.equal(code, 12, output);
    assert.match(report.verdict.generatorReasons.join('\n'), /fell behind its schedule|behind its own schedule/);
    assert.equal(report.overall.targetBoundDrops ?? 0, 0, 'nothing is blamed on the target');
  });
});
