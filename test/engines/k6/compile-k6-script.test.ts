import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileK6Script } from '../../../src/engines/k6/compile-k6-script.js';
import { planDigest } from '../../../src/scenario/plan-digest.js';
import { planScenarioFile } from '../../../src/scenario/plan-scenario-file.js';
import { repoRoot } from '../../helpers/repo.js';

describe('compileK6Script', () => {
  for (const name of ['simple', 'full', 'ramp']) {
    it(`compiles scenarios/${name}.ts into one script that imports only k6's modules`, async () => {
      const plan = await planScenarioFile({ file: `scenarios/${name}.ts`, cwd: repoRoot(), env: {} });
      const { code, planDigest: digest } = await compileK6Script(plan);
      const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]);
      assert.deepEqual(imports.sort(), ['k6', 'k6/execution', 'k6/http', 'k6/metrics']);
      assert.doesNotMatch(code, /require\(|node:/, 'nothing of Node may reach a k6 script');
      for (const exported of ['options', 'setup', 'handleSummary', 'default']) assert.match(code, new RegExp(`\\b${exported}\\b`));
      assert.equal(digest, planDigest(plan));
      assert.ok(code.includes(JSON.stringify(plan.name)), 'the plan is inlined');
      assert.match(code, /nextBatchJson/, 'the event generator is inlined');
    });
  }

  it('the digest changes with the plan', async () => {
    const plan = await planScenarioFile({ file: 'scenarios/simple.ts', cwd: repoRoot(), env: {} });
    assert.notEqual(planDigest(plan), planDigest({ ...plan, targetUrl: 'http://other:1' }));
  });
});
