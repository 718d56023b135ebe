import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { planScenarioFile, resolveTargetUrl } from '../../src/scenario/plan-scenario-file.js';
import { ScenarioDefinitionError } from '../../src/scenario/validate-definition.js';
import { UsageError } from '../../contract/loadctl-error.js';
import { repoRoot } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** Writes `code` as a scenario file in a fresh directory; returns [dir, file name]. */
function scenarioFile(code: string, name = 'scenario.ts'): [string, string] {
  const dir = makeTempDir('loadctl-scenario-');
  writeFileSync(join(dir, name), code);
  return [dir, name];
}

async function usageErrorOf(promise: Promise<unknown>): Promise<UsageError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error;
  }
  assert.fail('loading succeeded');
}

describe('loadScenario', () => {
  for (const name of ['simple', 'full', 'ramp']) {
    it(`loads the shipped scenarios/${name}.ts`, async () => {
      const loaded = await loadScenario(`scenarios/${name}.ts`, repoRoot());
      assert.equal(loaded.definition.name, name);
      assert.equal(loaded.source, `scenarios/${name}.ts`);
    });
  }

  it("maps `import { defineScenario } from 'loadctl'` to the DSL", async () => {
    const [dir, file] = scenarioFile(`import { defineScenario } from 'loadctl';\nexport default defineScenario({ name: 'x', duration: '1s', subScenarios: [{ name: 'a', rate: 5 }] });\n`);
    const loaded = await loadScenario(file, dir);
    assert.equal(loaded.definition.subScenarios[0]!.rate, 5);
  });

  it('reports a syntax error with file:line:column and the line', async () => {
    const [dir, file] = scenarioFile(`export default {\n  name: 'x',\n  subScenarios: [{ name: 'a', rate: 5 ]\n};\n`, 'broken.ts');
    const error = await usageErrorOf(loadScenario(file, dir));
    assert.match(error.message, /^broken\.ts could not be compiled:\n {2}broken\.ts:3:\d+: Expected "}" but found "]"/);
    assert.match(error.message, /subScenarios: \[\{ name: 'a', rate: 5 \]/);
    assert.equal(error.exitCode, 2);
  });

  it('reports a throw while evaluating', async () => {
    const [dir, file] = scenarioFile(`throw new Error('no rate configured');\n`);
    const error = await usageErrorOf(loadScenario(file, dir));
    assert.equal(error.message, 'scenario.ts threw while loading: no rate configured');
  });

  it('reports a missing default export', async () => {
    const [dir, file] = scenarioFile(`export const scenario = { name: 'x' };\n`);
    assert.match((await usageErrorOf(loadScenario(file, dir))).hint ?? '', /export default defineScenario/);
  });

  it('reports a missing file', async () => {
    const error = await usageErrorOf(loadScenario('nope.ts', makeTempDir()));
    assert.equal(error.message, 'scenario file nope.ts does not exist');
  });

  it('validates what the file exports, naming the file', async () => {
    const [dir, file] = scenarioFile(`export default { name: 'x', duration: '1s', subScenarios: [{ name: 'a', rate: -5 }] };\n`, 'bad.ts');
    const error = await usageErrorOf(loadScenario(file, dir));
    assert.ok(error instanceof ScenarioDefinitionError);
    assert.equal(error.message, 'bad.ts: subScenarios[0].rate: -5 must be > 0');
  });
});

describe('planScenarioFile', () => {
  it('target: --target, else API_URL, else the default', () => {
    assert.equal(resolveTargetUrl('http://flag:1', { API_URL: 'http://env:2' }), 'http://flag:1');
    assert.equal(resolveTargetUrl(undefined, { API_URL: 'http://env:2' }), 'http://env:2');
    assert.equal(resolveTargetUrl(undefined, {}), 'http://127.0.0.1:3000');
  });

  it('plans a shipped scenario with the overrides', async () => {
    const plan = await planScenarioFile({ file: 'scenarios/full.ts', cwd: repoRoot(), rate: 1000, env: { API_URL: 'http://env:9/' } });
    assert.equal(plan.targetUrl, 'http://env:9');
    assert.deepEqual(plan.subScenarios.map((sub) => [sub.name, sub.payload.batchSize]), [['single', 1], ['batch10', 10], ['batch100', 100]]);
    assert.equal(plan.totalRate, 1000);
  });
});
