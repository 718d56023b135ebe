/** The capacity lines of `run --dry-run` (issue 17): events/s, bandwidth, cores per instance, and the warning when local cores fall short. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { NATIVE_REQUESTS_PER_CORE, planCapacity } from '../../src/report/capacity-plan.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { planOfConfig } from '../../src/scenario/plan-of-config.js';
import { describeSplit, splitPlan } from '../../src/split/split-plan.js';
import { cliPath, repoRoot } from '../helpers/repo.js';

describe('planCapacity', () => {
  it('the headline run: full.ts at 1M req/s over 10 instances', async () => {
    const plan = planOfConfig(await loadScenario('scenarios/full.ts', repoRoot()), resolveConfig({ flags: { rate: 1_000_000 } }));
    const shares = describeSplit(splitPlan(plan, 10, 'capacity'));
    const capacity = planCapacity(plan, shares, { engine: 'native', local: true, coresHere: 8 });
    assert.equal(capacity.requestsPerSecond, 1_000_000);
    assert.equal(capacity.eventsPerSecond, 200_000 + 200_000 * 10 + 600_000 * 100);
    assert.ok(capacity.bytesPerSecond > 15e9 && capacity.bytesPerSecond < 30e9, `${capacity.bytesPerSecond} B/s: batch-100 bodies are ~35 KB`);
    assert.equal(capacity.coresPerInstance, Math.ceil(100_000 / NATIVE_REQUESTS_PER_CORE));
    assert.match(capacity.warning ?? '', /10 local instances × 3 cores = 30 cores, and this machine has 8/);
    assert.equal(planCapacity(plan, shares, { engine: 'native', local: false, coresHere: 8 }).warning, null, 'over SSH the hosts, not this machine, run them');
    assert.equal(planCapacity(plan, shares, { engine: 'k6', local: true, coresHere: 8 }).coresPerInstance, null);
  });
});

it('run --dry-run prints the capacity lines under the split (node engine: its measured per-core rate)', () => {
  const result = spawnSync(process.execPath, [cliPath(), 'run', '--rate', '1000000', '--instances', '10', '--engine', 'node', '--dry-run', '--no-color'], { cwd: repoRoot(), encoding: 'utf8', env: { ...process.env, RATE: '', DURATION: '', INSTANCES: '', API_URL: '' } });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /capacity: 1,000,000 req\/s at peak = 62,200,000 events\/s; requests ≈ \d+\.\d GB\/s/);
  assert.match(result.stdout, /per instance: up to 100,000 req\/s ≈ 3 cores/);
});

it("run --dry-run with the rust engine says its per-core ceiling is not measured rather than guess one", () => {
  const result = spawnSync(process.execPath, [cliPath(), 'run', '--rate', '1000000', '--instances', '10', '--engine', 'rust', '--dry-run', '--no-color'], { cwd: repoRoot(), encoding: 'utf8', env: { ...process.env, RATE: '', DURATION: '', INSTANCES: '', API_URL: '' } });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /per instance: up to 100,000 req\/s \(the rust engine's per-core ceiling is not measured yet/);
});
