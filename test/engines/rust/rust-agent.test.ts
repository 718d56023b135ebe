/**
 * The rust engine's agent where the binary is and where it is not: the single-file bundle finds
 * `engine/loadctl-engine` beside itself (where `fleet provision` puts it) and names the rust engine in
 * hello; alone, it answers `error` instead of hello, saying how to get the binary.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRustEngine } from '../../../src/engines/rust/engine-binary.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** dist/test/engines/rust/rust-agent.test.js → dist/loadctl-agent.mjs */
const BUNDLE = fileURLToPath(new URL('../../../loadctl-agent.mjs', import.meta.url));

function firstLine(dir: string): { message: { type: string; engine?: { name: string }; message?: string }; status: number | null } {
  const env = { PATH: process.env.PATH ?? '' };
  const result = spawnSync(process.execPath, [join(dir, 'loadctl-agent.mjs'), '--engine', 'rust'], { cwd: dir, env, input: '', encoding: 'utf8', timeout: 20_000 });
  return { message: JSON.parse(result.stdout.split('\n')[0]!) as never, status: result.status };
}

describe('agent --engine rust', () => {
  it('the bundle with loadctl-engine beside it says hello as the rust engine', () => {
    const binary = findRustEngine();
    assert.ok(binary, 'no loadctl-engine: run `npm run build:engine`');
    const dir = makeTempDir('loadctl-rust-agent-');
    copyFileSync(BUNDLE, join(dir, 'loadctl-agent.mjs'));
    mkdirSync(join(dir, 'engine'));
    copyFileSync(binary, join(dir, 'engine', 'loadctl-engine'));
    const { message, status } = firstLine(dir);
    assert.equal(message.type, 'hello');
    assert.equal(message.engine?.name, 'rust');
    assert.equal(status, 0);
  });

  it('without the binary it answers error instead of hello, with the way to get one', () => {
    const dir = makeTempDir('loadctl-rust-agent-');
    copyFileSync(BUNDLE, join(dir, 'loadctl-agent.mjs'));
    const { message, status } = firstLine(dir);
    assert.equal(message.type, 'error');
    assert.match(message.message ?? '', /loadctl-engine\) is not on this machine: run `npm run build:engine`/);
    assert.equal(status, 2);
  });
});
