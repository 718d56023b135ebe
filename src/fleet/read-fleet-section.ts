/**
 * Reads the `fleet` section of a loadctl.config.yaml for the fleet commands. A stop-gap until the
 * config loader (src/config/) resolves the whole file and calls `resolveFleetConfig` itself.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { describeFileError } from '../errors/file-error.js';
import { UsageError } from '../../contract/loadctl-error.js';
import { resolveFleetConfig, type ResolvedFleetConfig } from './fleet-config.js';

/** Loads and validates the fleet section of `configFile`. */
export function readFleetConfig(configFile: string, env: NodeJS.ProcessEnv = process.env): ResolvedFleetConfig {
  const path = resolve(configFile);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read the config file ${path}: it ${describeFileError(cause)}`, { cause, hint: 'pass --config PATH, or create loadctl.config.yaml with a `fleet:` section (docs/ssh-fleet.md)' });
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (cause) {
    throw new UsageError(`${path} is not valid YAML: ${(cause as Error).message}`, { cause, hint: 'fix the YAML syntax at the position shown' });
  }
  const fleet = typeof document === 'object' && document !== null ? (document as Record<string, unknown>).fleet : undefined;
  if (fleet === undefined) throw new UsageError(`${path} has no \`fleet\` section`, { hint: 'add `fleet:` with a `hosts:` list (docs/ssh-fleet.md)' });
  return resolveFleetConfig(fleet, { baseDir: dirname(path), env });
}
