/**
 * One conformance suite for every engine, through the agent protocol (issue 20, STYLE.md §12): the node
 * engine (`native`) and the rust engine run the same cases and must report the same semantics — the exact
 * schedule as the real target-service counts it, every outcome class, HDR against raw samples, drops and
 * their attribution, TLS, stop and stdin EOF, nothing sent before start. No wall-clock time is asserted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { freePort } from '../../src/net/free-port.js';
import { scrapeTargetMetrics } from '../../src/controller/target-metrics.js';
import { iterationCount } from '../../src/scenario/schedule.js';
import { startQueueingServer } from '../helpers/behaving-servers.js';
import { startTestServer, type TestServer } from '../helpers/http-servers.js';
import { instancePlansOf, planOf } from '../helpers/native-plan.js';
import { startTestTarget } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { createTestCertificates } from '../helpers/tls-certs.js';
import { AgentSession, runInstance, type ConformingEngine } from './agent-session.js';

const ENGINES: ConformingEngine[] = ['native', 'rust'];

for (const engine of ENGINES) {
  describe(`engine conformance: ${engine}`, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer()));
    after(() => server.close());

    it('names itself, and sends exactly the schedule the real target-service counts, every event unique', async () => {
      const target = await startTestTarget();
      try {
        const plan = planOf(target.url, [
          { name: 'single', rate: 150, duration: '2s' },
          { name: 'batch10', rate: 50, duration: '2s', batchSize: 10 },
          { name: 'ramp', executor: 'ramping-arrival-rate', startRate: 0, stages: [{ target: 100, duration: '1s' }, { target: 0, duration: '1s' }] },
        ]);
        const scheduled = plan.subScenarios.reduce((sum, sub) => sum + iterationCount(sub.schedule), 0);
        const [first, second] = instancePlansOf(plan, 2);
        const runs = await Promise.all([first!, second!].map((instancePlan) => runInstance(engine, instancePlan, { workers: 2 })));
        assert.equal(runs[0]!.result.engine.name, engine);
        const total = (pick: (r: (typeof runs)[number]['result']) => number) => runs.reduce((sum, run) => sum + pick(run.result), 0);
        assert.equal(total((r) => r.plannedIterations), scheduled);
        assert.equal(total((r) => r.overall.iterations), scheduled);
        assert.equal(total((r) => r.overall.droppedIterations), 0);
        assert.equal(total((r) => r.overall.outcomes['2xx']), scheduled);
        const events = 300 + 100 * 10 + 100;
        assert.equal(total((r) => r.overall.events), events);
        const metrics = await scrapeTargetMetrics(target.metricsUrl!);
        assert.equal(metrics.requests, scheduled, 'the service counted what the engines report');
        assert.equal(metrics.eventsAccepted, events, 'every event id unique and accepted');
        for (const { result } of runs) {
          assert.equal(result.timeline.reduce((sum, s) => sum + s.requests, 0), result.overall.requests, 'the timeline adds up');
          assert.ok(result.timeline.every((s) => s.latency?.kind === 'hdr' && (s.cpuPercent ?? -1) >= 0 && (s.rssBytes ?? 0) > 0));
          assert.ok(result.generator.rssBytesMax > 0 && result.generator.scheduleLag.count === result.overall.iterations);
        }
      } finally {
        await target.stop();
      }
    });

    it('classifies every request into exactly one outcome class', async () => {
      const base = { rate: 20, duration: '1s', timeout: '300ms' as const, maxVUs: 40 };
      const plan = planOf(server.url, [
        { name: 'ok', path: '/ok', ...base },
        { name: 'too_many', path: '/status/429', ...base },
        { name: 'unavailable', path: '/status/503', ...base },
        { name: 'bad', path: '/status/400', ...base },
        { name: 'broken', path: '/status/500', ...base },
        { name: 'hang', path: '/hang', ...base },
        { name: 'reset', path: '/destroy', ...base },
      ]);
      const refusedPlan = planOf(`http://127.0.0.1:${await freePort()}`, [{ name: 'refused', path: '/', ...base }]);
      const { result } = await runInstance(engine, instancePlansOf(plan)[0]!);
      const { result: refused } = await runInstance(engine, instancePlansOf(refusedPlan)[0]!);
      const expected = { ok: '2xx', too_many: '429', unavailable: '503', bad: '4xx', broken: '5xx', hang: 'timeout', reset: 'network' } as const;
      for (const [name, outcome] of Object.entries(expected)) {
        const figures = result.subScenarios[name]!;
        assert.equal(figures.requests, 20, `${name}: ${figures.requests} requests`);
        assert.equal(figures.outcomes[outcome], 20, `${name}: ${JSON.stringify(figures.outcomes)}`);
      }
      assert.equal(refused.overall.outcomes.refused, 20, JSON.stringify(refused.overall.outcomes));
      assert.equal(refused.overall.latency.count, 0, 'refused requests have no latency');
      const hang = result.subScenarios.hang!.latency;
      // The deadline runs from the send, latency from the bytes going out (a connection opened for the
      // request is not its latency), so a timeout's latency is the timeout less that connect.
      assert.ok(hang.count === 20 && hang.maxMs >= 250 && hang.maxMs <= 400, `timeouts are measured at the timeout: ${hang.minMs}–${hang.maxMs} ms`);
    });

    it('HDR percentiles agree with the raw samples within the histogram precision; the histograms hold every sample', async () => {
      const file = join(makeTempDir('loadctl-conformance-'), 'raw.jsonl');
      const plan = planOf(server.url, [
        { name: 'fast', path: '/slow/10', rate: 300, duration: '2s', maxVUs: 100 },
        { name: 'slower', path: '/slow/40', rate: 100, duration: '2s', maxVUs: 100 },
      ]);
      const { result } = await runInstance(engine, instancePlansOf(plan)[0]!, { workers: 2, rawSamplesFile: file });
      const samples = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { sub: string; latencyMs: number | null; outcome: string });
      assert.equal(samples.length, result.overall.iterations);
      const latencies = samples.filter((s) => s.latencyMs !== null).map((s) => s.latencyMs!).sort((a, b) => a - b);
      assert.equal(latencies.length, result.overall.latency.count);
      assert.equal(decodeFromCompressedBase64((result.overall.latency.distribution as { encoded: string }).encoded).totalCount, latencies.length);
      assert.equal(result.overall.latency.minMs, latencies[0]);
      assert.equal(result.overall.latency.maxMs, latencies.at(-1));
      const exact = (q: number) => latencies[Math.ceil(q * latencies.length) - 1]!;
      for (const [q, measured] of [[0.5, result.overall.latency.p50Ms], [0.99, result.overall.latency.p99Ms]] as const) {
        assert.ok(Math.abs(measured - exact(q)) / exact(q) <= 0.001, `p${q * 100}: HDR ${measured} vs exact ${exact(q)}`);
      }
    });

    it('drops what finds no free VU, and a target holding every VU takes the blame', async () => {
      const slow = await startQueueingServer(5);
      try {
        const plan = planOf(slow.url, [{ name: 'slow', rate: 100, duration: '2s', maxVUs: 5, timeout: '10s' }]);
        const { result } = await runInstance(engine, instancePlansOf(plan)[0]!, { workers: 1 });
        assert.equal(result.overall.iterations, 200, 'every scheduled iteration came due');
        assert.equal(result.overall.vuCap, 5);
        assert.equal(result.overall.requests + result.overall.droppedIterations, 200);
        assert.ok(result.overall.droppedIterations >= 150, `${result.overall.droppedIterations} dropped`);
        assert.ok(result.overall.maxInFlight <= 5);
        // Every VU was waiting on the queueing target while the loop kept its schedule (a machine shared
        // with other loads may delay the loop past the attribution's lag bound now and then).
        const drops = result.overall.droppedIterations;
        assert.ok(result.overall.targetBoundDrops! >= 0.9 * drops, `${result.overall.targetBoundDrops} of ${drops} drops target-bound`);
        assert.equal(result.timeline.reduce((sum, s) => sum + s.droppedIterations, 0), result.overall.droppedIterations);
      } finally {
        await slow.close();
      }
    });

    it('TLS: verified with the CA sent in prepare, refused without it (class tls, nothing written), --insecure said in the result', async () => {
      const certs = createTestCertificates();
      const target = await startTestTarget({ tls: { cert: certs.server.cert, key: certs.server.key } });
      try {
        const plan = planOf(target.url.replace('127.0.0.1', 'localhost'), [{ name: 'secure', rate: 100, duration: '1s', maxVUs: 50 }]);
        assert.match(plan.targetUrl, /^https:\/\/localhost:/);
        const ca = readFileSync(certs.ca.cert, 'utf8');
        const { result: trusted } = await runInstance(engine, instancePlansOf(plan)[0]!, { tls: { ca } });
        assert.equal(trusted.overall.outcomes['2xx'], 100, JSON.stringify(trusted.overall.outcomes));
        const tls = trusted.connections?.tls;
        assert.ok(tls && !tls.insecure && tls.handshakes >= 1 && tls.handshakes === trusted.connections!.opened, JSON.stringify(trusted.connections));
        assert.equal(tls.handshakeMs.count, tls.handshakes, 'handshakes are timed on their own');
        assert.ok(trusted.overall.bytesSent! > 100 * 100 && trusted.overall.bytesReceived! > 0);

        const { result: untrusted } = await runInstance(engine, instancePlansOf(plan)[0]!);
        assert.equal(untrusted.overall.outcomes.tls, 100, JSON.stringify(untrusted.overall.outcomes));
        assert.equal(untrusted.overall.bytesSent, 0, 'nothing written before a handshake that never completed');
        assert.equal(untrusted.overall.latency.count, 0);
        assert.ok(untrusted.connections?.tls?.failures.UNABLE_TO_VERIFY_LEAF_SIGNATURE, JSON.stringify(untrusted.connections));

        const insecurePlan = { ...plan, tls: { insecure: true } };
        const { result: insecure } = await runInstance(engine, instancePlansOf(insecurePlan)[0]!);
        assert.equal(insecure.overall.outcomes['2xx'], 100, JSON.stringify(insecure.overall.outcomes));
        assert.equal(insecure.connections?.tls?.insecure, true);
      } finally {
        await target.stop();
      }
    });

    it('sends nothing before start; stop ends the run early with what was sent', async () => {
      const plan = planOf(server.url, [{ name: 'long', path: `/stopped-${engine}`, rate: 200, duration: '60s' }]);
      const session = new AgentSession(engine);
      try {
        await session.prepare(instancePlansOf(plan)[0]!, { workers: 2 });
        const before = server.received.get(`/stopped-${engine}`) ?? 0;
        const at = Date.now() + 300;
        session.start(at);
        await session.next('progress');
        session.send({ type: 'stop', reason: 'test' });
        const { result } = await session.next('result');
        assert.equal(before, 0, 'connections opened at prepare carry no request before start');
        assert.ok(result.firstSendAt !== null && result.firstSendAt >= at, 'the first request went out at or after the start instant');
        assert.equal(result.status, 'stopped');
        assert.ok(result.overall.requests > 0 && result.overall.iterations < result.plannedIterations);
        assert.equal(server.received.get(`/stopped-${engine}`) ?? 0, result.overall.requests, 'the server counted what was sent, nothing after the stop');
        assert.equal(await session.end(), 0);
      } finally {
        session.kill();
      }
    });

    it('a closed stdin (the controller gone) stops the instance and the process exits', async () => {
      const plan = planOf(server.url, [{ name: 'orphan', path: `/orphan-${engine}`, rate: 100, duration: '60s' }]);
      const session = new AgentSession(engine);
      try {
        await session.prepare(instancePlansOf(plan)[0]!);
        session.start(Date.now() + 100);
        await session.next('progress');
        assert.equal(await session.end(), 0, `exit after stdin EOF; stderr: ${session.stderr}`);
        const sent = server.received.get(`/orphan-${engine}`) ?? 0;
        assert.ok(sent > 0 && sent < 6000, `${sent} requests`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(server.received.get(`/orphan-${engine}`) ?? 0, sent, 'nothing is sent once the agent has exited');
      } finally {
        session.kill();
      }
    });
  });
}
