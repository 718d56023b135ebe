/**
 * `import { defineScenario } from 'loadctl'` (README) in a scenario project outside this repository, through a
 * packed copy of the package (`npm pack`): tsc resolves it by package.json `exports`/`types` and checks the
 * scenario. The shipped files hold no compiled tests.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const TSC = join(repoRoot(), 'node_modules', 'typescript', 'bin', 'tsc');

describe('a packed loadctl in a scenario project of its own', () => {
  const project = makeTempDir('loadctl-user-project-');
  let files: string[] = [];
  before(() => {
    const packDir = makeTempDir('loadctl-pack-');
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: repoRoot(), stdio: 'ignore' });
    const tarball = join(packDir, readdirSync(packDir).find((name) => name.endsWith('.tgz'))!);
    files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const installed = join(project, 'node_modules', 'loadctl');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components', '1']);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, types: [] }, include: ['*.ts'] }),
    );
  });

  const typecheck = (code: string) => {
    writeFileSync(join(project, 'scenario.ts'), code);
    return spawnSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8' });
  };

  it('type-checks a scenario that imports from loadctl', () => {
    const result = typecheck(`import { defineScenario } from 'loadctl';\nexport default defineScenario({ name: 'mine', duration: '10s', subScenarios: [{ name: 'single', rate: 100, eventTypes: { page_view: 1 } }] });\n`);
    assert.equal(result.status, 0, result.stdout);
  });

  it('and refuses a wrong one, as an editor would show it', () => {
    const result = typecheck(`import { defineScenario } from 'loadctl';\nexport default defineScenario({ name: 'mine', subScenarios: [{ name: 'single', rate: 'fast' }] });\n`);
    assert.notEqual(result.status, 0);
    assert.match(result.stdout, /scenario\.ts.*'string' is not assignable to type 'number'/s);
  });

  it('ships no compiled tests, benches or scripts', () => {
    assert.ok(files.includes('package/dist/src/cli.js'));
    assert.ok(files.includes('package/dist/types/src/index.d.ts'));
    assert.deepEqual(files.filter((file) => /^package\/dist\/(test|bench|scripts)\//.test(file)), []);
  });
});
