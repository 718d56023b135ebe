/** Paths inside the repository, valid from the compiled test tree (dist/test/…). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the test tree');
    dir = parent;
  }
  return dir;
}

/** The compiled CLI entry point. */
export function cliPath(): string {
  return join(repoRoot(), 'dist', 'src', 'cli.js');
}
