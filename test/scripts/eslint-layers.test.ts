/** The layer rule (scripts/eslint-layers.js) through ESLint itself, as `npx eslint .` runs it: arrows drawn the wrong way are errors. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../helpers/repo.js';

const CASES: Array<[file: string, code: string, refused: boolean]> = [
  ['src/engines/native/probe.ts', "import { runTest } from '../../controller/run-test.js';", true],
  ['src/engines/native/probe.ts', "import { runGate } from '../../cores/run-gate.js';", true],
  ['src/agent/probe.ts', "import { writeReports } from '../report/write-reports.js';", true],
  ['src/merge/probe.ts', "import { executeRun } from '../cores/execute-run.js';", true],
  ['src/scenario/probe.ts', "import { DEFAULT_LIMITS } from '../../target-service/src/contract/openapi.js';", true],
  ['src/commands/probe.ts', "const service = await import('../../target-service/src/run-target-service.js');", true],
  ['target-service/src/probe.ts', "import { UsageError } from '../../src/errors/file-error.js';", true],
  ['contract/probe.ts', "import { planDigest } from '../src/scenario/plan-digest.js';", true],
  ['src/protocol/probe.ts', "import { planDigest } from '../scenario/plan-digest.js';", true],
  // Allowed arrows.
  ['src/protocol/probe.ts', "import type { InstancePlan } from '../scenario/plan.js';", false],
  ['src/commands/probe.ts', "const service = await import('../../target-service/index.js');", false],
  ['src/cores/probe.ts', "import { runTest } from '../controller/run-test.js';", false],
  ['src/engines/native/probe.ts', "import { UsageError } from '../../../contract/loadctl-error.js';", false],
  ['target-service/src/probe.ts', "import { EVENTS_PATH } from '../../contract/event-schema.js';", false],
];

describe('eslint layers rule', () => {
  const eslint = new ESLint({ cwd: repoRoot() });
  for (const [file, code, refused] of CASES) {
    it(`${refused ? 'refuses' : 'allows'} in ${file}: ${code}`, async () => {
      const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: join(repoRoot(), file) });
      const layerErrors = result!.messages.filter((message) => message.ruleId === 'loadctl/layers');
      assert.equal(layerErrors.length, refused ? 1 : 0, JSON.stringify(layerErrors));
    });
  }
});
