/**
 * The `fleet` section of the resolved config, resolved for the SSH runner and the fleet commands. The
 * config file is read once, by the config loader (src/config/load-config.ts); this only resolves the
 * section it passed through (issue 17: the section was parsed twice, by two readers).
 */
import { dirname } from 'node:path';
import { UsageError } from '../../contract/loadctl-error.js';
import type { ResolvedConfig } from '../config/config-types.js';
import { loadConfig } from '../config/load-config.js';
import { resolveFleetConfig, type ResolvedFleetConfig } from './fleet-config.js';

/** The config's fleet section, validated; a config without a file or without the section is refused. */
export function fleetOfConfig(config: Pick<ResolvedConfig, 'file' | 'fleet'>, env: NodeJS.ProcessEnv = process.env): ResolvedFleetConfig {
  if (!config.file) throw new UsageError('no config file, so no `fleet` section', { hint: 'create loadctl.config.yaml with fleet.hosts (docs/ssh-fleet.md) or pass --config PATH' });
  if (config.fleet === null || config.fleet === undefined) throw new UsageError(`${config.file} has no \`fleet\` section`, { hint: 'add `fleet:` with a `hosts:` list (docs/ssh-fleet.md)' });
  return resolveFleetConfig(config.fleet, { baseDir: dirname(config.file), env });
}

/** Loads `configFile` (it must exist) and resolves its fleet section: what `loadctl fleet` calls. */
export function readFleetConfig(configFile: string, env: NodeJS.ProcessEnv = process.env): ResolvedFleetConfig {
  return fleetOfConfig(loadConfig({ configPath: configFile, env }), env);
}
