/** File problems in words (no raw ENOENT / EISDIR) and as usage errors (exit 2), never "a bug in loadctl". */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFileError } from '../../src/errors/file-error.js';
import { cliPath, repoRoot } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('describeFileError', () => {
  const table: Array<[string, string]> = [
    ['ENOENT', 'does not exist'],
    ['EISDIR', 'is a directory, not a file'],
    ['ENOTDIR', 'is under a path that is a file, not a directory'],
    ['EEXIST', 'is under a path that is a file, not a directory'],
    ['EACCES', 'is not accessible (permission denied)'],
    ['EROFS', 'is on a read-only file system'],
  ];
  for (const [code, words] of table) it(code, () => assert.equal(describeFileError(Object.assign(new Error(code), { code })), words));
  it('anything else keeps its message', () => assert.equal(describeFileError(new Error('odd')), 'cannot be used: odd'));
});

const dir = makeTempDir();
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a directory\n');
const missing = join(dir, 'missing.json');
/** A 1-second run against a closed port: it finishes (critical, refused) and then writes --out. */
const SHORT_RUN = ['run', 'scenarios/simple.ts', '--rate', '10', '--duration', '1', '--instances', '1', '--target', 'http://127.0.0.1:9', '--target-metrics', 'none', '--no-color', '--no-preflight'];  // a dead target on purpose: the file problem must still be named

describe('file problems through the real CLI: the path, what happened in words, the next step; exit 2', () => {
  const table: Array<[string, string[], string, RegExp]> = [
    ['gate: a missing report', ['gate', missing], `cannot read the report ${missing}: it does not exist`, /loadctl run.*--out FILE/],
    ['gate: a directory as the report', ['gate', dir], `cannot read the report ${dir}: it is a directory, not a file`, /--out FILE/],
    ['merge: a missing instance result', ['merge', missing], `cannot read the instance result ${missing}: it does not exist`, /engine run --out FILE/],
    ['run: a missing scenario', ['run', join(dir, 'nope.ts'), '--dry-run'], `scenario file ${join(dir, 'nope.ts')} does not exist`, /relative to the working directory .*scenarios\/simple\.ts/],
    ['run: a directory as the scenario', ['run', dir, '--dry-run'], `scenario ${dir} is a directory, not a file`, /one scenario file/],
    ['run --config: a missing config file', ['run', '--dry-run', '--config', missing], `cannot read the config file ${missing}: it does not exist`, /--config PATH/],
    ['compile -o under a file', ['compile', 'scenarios/simple.ts', '-o', join(aFile, 'x.js')], `cannot write ${join(aFile, 'x.js')}: it is under a path that is a file, not a directory`, /directory you can write to/],
    ['run --out under a file (was "a bug in loadctl")', [...SHORT_RUN, '--out', join(aFile, 'r.json')], `cannot write ${join(aFile, 'r.json')}: it is under a path that is a file, not a directory`, /directory you can write to/],
    ['run --out a directory', [...SHORT_RUN, '--out', dir], `cannot write ${dir}: it is a directory, not a file`, /directory you can write to/],
    ['run --junit under a file, as --out', [...SHORT_RUN, '--junit', join(aFile, 'j.xml')], `cannot write ${join(aFile, 'j.xml')}: it is under a path that is a file, not a directory`, /directory you can write to/],
  ];
  for (const [name, args, message, hint] of table) {
    it(name, () => {
      const result = spawnSync(process.execPath, [cliPath(), ...args], { cwd: repoRoot(), encoding: 'utf8', timeout: 60_000 });
      assert.equal(result.status, 2, result.stderr);
      assert.ok(result.stderr.includes(`loadctl: ${message}\n  → `), result.stderr);
      assert.match(result.stderr.slice(result.stderr.indexOf(message)), hint);
      assert.doesNotMatch(result.stderr, /ENOENT|EISDIR|ENOTDIR|EEXIST|a bug in loadctl|\n\s+at /);
    });
  }
});
