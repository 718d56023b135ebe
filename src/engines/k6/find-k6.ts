/** Finds the k6 binary: --k6 PATH, then LOADCTL_K6, then PATH. Never downloads or builds one. */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseK6Version, type K6Version } from './k6-version.js';

export interface K6Location {
  path: string;
  /** Where the path came from, for messages. */
  source: '--k6' | 'LOADCTL_K6' | 'PATH';
  version: K6Version | undefined;
  /** What `k6 version` printed or why it could not run. */
  versionOutput: string;
}

export function findK6(options: { flag?: string; env?: NodeJS.ProcessEnv }): K6Location | undefined {
  const env = options.env ?? process.env;
  const candidate =
    (options.flag && { path: options.flag, source: '--k6' as const }) ||
    (env.LOADCTL_K6 && { path: env.LOADCTL_K6, source: 'LOADCTL_K6' as const }) ||
    searchPath('k6', env.PATH ?? '');
  if (!candidate) return undefined;
  let versionOutput: string;
  try {
    versionOutput = execFileSync(candidate.path, ['version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    versionOutput = `could not run ${candidate.path} version: ${(error as Error).message.split('\n')[0]}`;
  }
  return { ...candidate, version: parseK6Version(versionOutput), versionOutput: versionOutput.trim() };
}

function searchPath(name: string, path: string): { path: string; source: 'PATH' } | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return { path: file, source: 'PATH' };
    } catch {
      // not here
    }
  }
  return undefined;
}
