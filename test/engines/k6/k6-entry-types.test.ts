import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/repo.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const tsc = () => join(repoRoot(), 'node_modules', 'typescript', 'bin', 'tsc');

function typeCheck(project: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [tsc(), '-p', project], { cwd: repoRoot(), encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the k6 entry module against @types/k6 (tsconfig.k6.json)', () => {
  it('type-checks with no errors', () => {
    const { status, output } = typeCheck(join(repoRoot(), 'tsconfig.k6.json'));
    assert.equal(status, 0, output);
  });

  it('the same setup rejects a script that misuses the k6 API (so the check above can fail)', () => {
    const dir = makeTempDir('loadctl-k6-types-');
    writeFileSync(join(dir, 'bad.ts'), `import http from 'k6/http';\nhttp.post(42, null, { timeout: true });\nexport const options = { discardResponseBodies: 'yes' };\n`);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: join(repoRoot(), 'tsconfig.k6.json'), compilerOptions: { typeRoots: [join(repoRoot(), 'node_modules', '@types')] }, files: [join(dir, 'bad.ts')] }),
    );
    const { status, output } = typeCheck(join(dir, 'tsconfig.json'));
    assert.notEqual(status, 0);
    assert.match(output, /bad\.ts\(2,11\): error TS2345/);
  });
});
