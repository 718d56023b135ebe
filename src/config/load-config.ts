/** Reads the config file (if any) and resolves it with the environment and flags: what commands call. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigFlags, ResolvedConfig } from './config-types.js';
import { loadConfigFile } from './parse-config.js';
import { DEFAULT_CONFIG_FILE } from './config-defaults.js';
import { resolveConfig } from './resolve-config.js';

export interface LoadConfigOptions {
  /** `--config PATH`; without it `loadctl.config.yaml` in `cwd` is read when it exists. */
  configPath?: string;
  flags?: ConfigFlags;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** An explicit `--config` must exist; the default file is optional. */
export function loadConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, options.configPath ?? DEFAULT_CONFIG_FILE);
  const read = options.configPath !== undefined || existsSync(path);
  return resolveConfig({
    flags: options.flags ?? {},
    ...(read ? { file: loadConfigFile(path), filePath: path } : {}),
    env: options.env ?? process.env,
  });
}
