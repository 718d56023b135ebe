/**
 * Records InstanceResults from real native-engine runs into test/fixtures/, for the merge, verdict
 * and report tests (STYLE.md §9: pure logic is tested on recorded engine output). Each case runs a
 * small fleet of local `loadctl agent` instances through `runTest` against a node:http server on
 * 127.0.0.1 that answers the way the case needs (fast, slow, erroring, backpressure, too few VUs).
 *
 *   npx tsc -p . && flock /tmp/loadctl-bench.lock node dist/scripts/record-fixtures.js
 *
 * Compiled, not through tsx: the local runner starts `dist/src/cli.js agent`, the build this runs from.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalRunner } from '../src/runners/local-runner.js';
import { runTest } from '../src/controller/run-test.js';
import { buildPlan } from '../src/scenario/build-plan.js';
import type { ScenarioDefinition } from '../src/scenario/define-scenario.js';
import { splitPlan } from '../src/split/split-plan.js';
import { DEFAULT_THRESHOLD_LEVELS } from '../src/verdict/threshold-levels.js';

interface FixtureCase {
  name: string;
  instances: number;
  definition: ScenarioDefinition;
  /** How the target answers request number n. */
  answer: (n: number, response: ServerResponse) => void;
}

const accept = (delayMs: number) => (_n: number, response: ServerResponse) => {
  setTimeout(() => response.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}'), delayMs);
};

const CASES: FixtureCase[] = [
  { name: 'good', instances: 3, definition: simple(300, '4s', 64), answer: accept(2) },
  { name: 'slow', instances: 2, definition: simple(40, '4s', 128), answer: accept(1300) },
  {
    name: 'erroring',
    instances: 2,
    definition: simple(200, '4s', 64),
    // Every 7th request gets a 503 (14 %): critical on errors and on 503s.
    answer: (n, response) => (n % 7 === 0 ? response.writeHead(503).end() : accept(2)(n, response)),
  },
  {
    name: 'backpressure',
    instances: 2,
    definition: simple(200, '4s', 64),
    // Every 14th request is throttled with 429 (~7 %): a warning on the error rate.
    answer: (n, response) => (n % 14 === 0 ? response.writeHead(429, { 'retry-after': '1' }).end() : accept(2)(n, response)),
  },
  // Two VUs per instance against a 200-ms target at 100 req/s: the fleet drops iterations.
  { name: 'dropped', instances: 2, definition: simple(100, '4s', 4), answer: accept(200) },
];

function simple(rate: number, duration: string, maxVUs: number): ScenarioDefinition {
  return { name: 'fixture', duration, subScenarios: [{ name: 'single', rate, maxVUs, preAllocatedVUs: maxVUs }] };
}

async function recordCase(fixture: FixtureCase, outDir: string): Promise<void> {
  let count = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => fixture.answer(++count, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const targetUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const plan = buildPlan(fixture.definition, { source: `scripts/record-fixtures.ts#${fixture.name}`, targetUrl, baseThresholds: DEFAULT_THRESHOLD_LEVELS });
    const instancePlans = splitPlan(plan, fixture.instances, `fixture-${fixture.name}`);
    const run = await runTest({ plan, instancePlans, runner: createLocalRunner(), workersPerInstance: 1, targetMetricsUrl: null });
    const dir = join(outDir, fixture.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
    for (const outcome of run.instances) {
      if (!outcome.result) throw new Error(`${fixture.name}: instance ${outcome.index} sent no result (${outcome.lostReason})`);
      writeFileSync(join(dir, `instance-${outcome.index}.json`), `${JSON.stringify(outcome.result)}\n`);
    }
    console.log(`${fixture.name}: ${run.instances.length} results, ${count} requests served → ${dir}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const repo = fileURLToPath(new URL('../../', import.meta.url));
const only = process.argv.slice(2);
for (const fixture of CASES.filter((c) => only.length === 0 || only.includes(c.name))) {
  await recordCase(fixture, join(repo, 'test', 'fixtures'));
}
