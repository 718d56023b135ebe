/** The version is written once in code (src/version.ts) and must be package.json's. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NATIVE_ENGINE_VERSION } from '../src/engines/native/native-instance.js';
import { LOADCTL_VERSION } from '../src/version.js';
import { repoRoot } from './helpers/repo.js';

it('src/version.ts is package.json version, and the native engine reports it', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
  assert.equal(LOADCTL_VERSION, pkg.version);
  assert.equal(NATIVE_ENGINE_VERSION, LOADCTL_VERSION);
});
