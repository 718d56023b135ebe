// Test double, NOT k6: installs the k6 contract double (k6-double.ts) as an executable for tests; never used to claim k6 was run.
/**
 * Writes a tiny `k6` shell wrapper into a fresh temporary directory: it execs Node on the compiled
 * double with the test's knobs in its environment, so the agent can be pointed at it with `--k6 PATH`
 * exactly as at a user's k6 (and `exec` keeps one process, so its pid is the double's).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../helpers/temp-dir.js';

export interface K6DoubleOptions {
  /** How long the double "initialises VUs" before reporting status 4 (ms). */
  initDelayMs?: number;
  /** Die during init with this exit code (107: script exception). */
  initExit?: number;
}

export interface InstalledK6Double {
  /** The executable to pass as `--k6`. */
  path: string;
  /** JSON lines the double appends: spawned, paused, resumed, stopped, exit (each with `at` and `pid`). */
  logFile: string;
  events(): Array<{ event: string; at: number; pid: number; [key: string]: unknown }>;
}

export function installK6Double(options: K6DoubleOptions = {}): InstalledK6Double {
  const dir = makeTempDir('loadctl-k6-double-');
  const double = fileURLToPath(new URL('./k6-double.js', import.meta.url));
  if (!existsSync(double)) throw new Error(`${double} is missing: the k6 contract double runs from the compiled tree (npx tsc -p .)`);
  const logFile = join(dir, 'events.jsonl');
  const env: Record<string, string> = { K6_DOUBLE_LOG: logFile };
  if (options.initDelayMs !== undefined) env.K6_DOUBLE_INIT_DELAY_MS = String(options.initDelayMs);
  if (options.initExit !== undefined) env.K6_DOUBLE_INIT_EXIT = String(options.initExit);
  const exports = Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)}`);
  const path = join(dir, 'k6');
  writeFileSync(path, ['#!/bin/sh', '# Test double, NOT k6 (test/k6-contract/k6-double.ts).', ...exports, `exec ${shellQuote(process.execPath)} ${shellQuote(double)} "$@"`, ''].join('\n'));
  chmodSync(path, 0o755);
  return {
    path,
    logFile,
    events: () =>
      existsSync(logFile)
        ? readFileSync(logFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as { event: string; at: number; pid: number })
        : [],
  };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
