/**
 * The scenarios loadctl ships in `scenarios/` at its package root, the defaults of `run` and `phase`. Found
 * from loadctl's install, not the working directory: `cd /tmp && loadctl phase validate` looked for
 * /tmp/scenarios/simple.ts (issue 17). A scenario the user names stays relative to the working directory.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ShippedScenario = 'simple.ts' | 'full.ts';

/** Absolute path of a shipped scenario. */
export function shippedScenarioPath(name: ShippedScenario): string {
  return join(packageRoot(), 'scenarios', name);
}

/** The directory of loadctl's package.json, from this module (src/scenario/ under tsx, dist/src/scenario/ built). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`loadctl's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}
