/**
 * Where the rust engine's binary is: `$LOADCTL_ENGINE`, else `engine/loadctl-engine` beside the agent
 * bundle or under dist/ (where `npm run build:engine` puts it). `--engine auto` picks rust when it exists.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RUST_ENGINE_BINARY = 'loadctl-engine';

/** Candidate paths, first match wins: the env override, the bundle's neighbour, the compiled tree's dist/engine. */
function candidates(): string[] {
  const fromEnv = process.env.LOADCTL_ENGINE;
  return [
    ...(fromEnv ? [fromEnv] : []),
    // dist/loadctl-agent.mjs → dist/engine/loadctl-engine
    fileURLToPath(new URL(`./engine/${RUST_ENGINE_BINARY}`, import.meta.url)),
    // dist/src/engines/rust/engine-binary.js → dist/engine/loadctl-engine
    fileURLToPath(new URL(`../../../engine/${RUST_ENGINE_BINARY}`, import.meta.url)),
  ];
}

/** The binary's path, or null when this machine has none. */
export function findRustEngine(): string | null {
  for (const path of candidates()) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // next candidate
    }
  }
  return null;
}

/** `loadctl-engine --version` → "0.1.0" (throws when the binary does not run here). */
export function rustEngineVersion(binary: string): string {
  const output = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  return output.replace(/^loadctl-engine\s+/, '');
}
