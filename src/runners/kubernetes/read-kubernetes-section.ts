/** Reads the `kubernetes` section of loadctl.config.yaml (all defaults without a file or a section). */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { describeFileError } from '../../errors/file-error.js';
import { UsageError } from '../../../contract/loadctl-error.js';
import { resolveKubernetesConfig, type ResolvedKubernetesConfig } from './kubernetes-config.js';

/** Loads and validates the section; `configFile` null means every default (KUBECONFIG, namespace default). */
export function readKubernetesConfig(configFile: string | null, env: NodeJS.ProcessEnv = process.env): ResolvedKubernetesConfig {
  if (configFile === null) return resolveKubernetesConfig(undefined, { baseDir: process.cwd(), env });
  const path = resolve(configFile);
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    const why = (cause as NodeJS.ErrnoException).code ? `it ${describeFileError(cause)}` : `it is not valid YAML: ${(cause as Error).message}`;
    throw new UsageError(`cannot read the config file ${path}: ${why}`, { cause, hint: 'pass --config PATH (docs/kubernetes.md shows the kubernetes section)' });
  }
  const section = typeof document === 'object' && document !== null ? (document as Record<string, unknown>).kubernetes : undefined;
  return resolveKubernetesConfig(section, { baseDir: dirname(path), env });
}
