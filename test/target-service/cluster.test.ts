/** `--workers 2` (node:cluster): one port, metrics aggregated over all workers, a clean drain. */
import { it } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { metricValue } from '../helpers/http.js';
import { sendLoad } from '../helpers/load.js';
import { countStoredEvents } from '../helpers/sqlite-count.js';
import { spawnTargetCli } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';

it('--workers 2: metrics count every worker\'s requests, and SIGTERM drains all of them', { timeout: 60_000 }, async () => {
  const store = makeTempDir('loadctl-cluster-');
  const target = await spawnTargetCli(['--store', store, '--workers', '2']);
  assert.match(target.output(), /2 processes/);
  const load = await sendLoad({ url: target.url, concurrency: 8, batchSize: 5, maxRequests: 2000, maxDurationMs: 20_000, seed: 12 });
  assert.equal(load.statuses.get(202), 2000, `${[...load.statuses]}`);

  const metrics = await (await fetch(target.metricsUrl!)).text();
  // With round-robin over two workers, one worker's view would show about half of these.
  assert.equal(metricValue(metrics, 'http_requests_total', '{route="/v1/events",status="202"}'), 2000);
  assert.equal(metricValue(metrics, 'events_accepted_total'), load.acceptedEvents);
  assert.match(metrics, /^event_buffer_size /m);
  // Every worker's /health names the primary's metrics port (a worker serves none itself).
  const ports = new Set<number>();
  for (let i = 0; i < 6; i++) ports.add(((await (await fetch(`${target.url}/health`)).json()) as { metrics: { port: number } }).metrics.port);
  assert.deepEqual([...ports], [Number(new URL(target.metricsUrl!).port)]);

  assert.equal(await target.stop('SIGTERM'), 0, target.output());
  assert.equal(countStoredEvents(store), load.acceptedEvents);
});

it('--workers 2: workers that keep dying are not re-forked forever; the primary gives up with exit 5', { timeout: 60_000 }, async () => {
  const target = await spawnTargetCli(['--store', makeTempDir('loadctl-crashloop-'), '--workers', '2']);
  const exited = new Promise<number | null>((resolve) => target.child.once('exit', resolve));
  // Kill every worker as soon as it appears, until the primary stops forking replacements.
  let primaryGone = false;
  void exited.then(() => (primaryGone = true));
  const deadline = Date.now() + 20_000;
  while (!primaryGone && Date.now() < deadline) {
    for (const pid of childPids(target.child.pid!)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(await exited, 5, target.output());
  assert.match(target.output(), /workers died within 10 s: not restarting them/);
});

function childPids(parent: number): number[] {
  const result = spawnSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' });
  return result.stdout.split('\n').map((line) => Number(line.trim())).filter((pid) => pid > 0);
}
