/** Where this loadctl's single-file agent bundle is (built by `npm run build`), for `fleet provision`. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../contract/loadctl-error.js';
import { AGENT_BUNDLE_FILE } from '../runners/ssh/ssh-runner.js';

/** dist/src/fleet/agent-bundle.js → dist/loadctl-agent.mjs */
const DEFAULT_BUNDLE = fileURLToPath(new URL(`../../${AGENT_BUNDLE_FILE}`, import.meta.url));

/** The bundle to push: `flag` if given, else the build's; refuses a path that does not exist. */
export function resolveAgentBundle(flag?: string): string {
  const path = flag ? resolve(flag) : DEFAULT_BUNDLE;
  if (!existsSync(path)) {
    throw new UsageError(`agent bundle not found: ${path}`, { hint: flag ? 'check --agent-bundle' : 'run `npm run build` (it bundles the agent), or pass --agent-bundle PATH' });
  }
  return path;
}
