/** `fleet provision`'s output for a person, and the check of a user-supplied k6 file. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import Table from 'cli-table3';
import { UsageError } from '../../contract/loadctl-error.js';
import type { FleetProvisionResult } from './provision-fleet.js';

export function renderProvision(result: FleetProvisionResult): string {
  const style = process.stdout.isTTY ? {} : { head: [], border: [] };
  const table = new Table({ head: ['host', 'file', 'result', 'sha256'], wordWrap: true, style });
  for (const host of result.hosts) {
    if (host.error) table.push([host.name, '', 'FAIL', host.error]);
    for (const file of host.files) table.push([host.name, file.remotePath, file.action, file.sha256.slice(0, 16)]);
    if (host.rustEngineVersion) table.push([host.name, 'loadctl-engine --version', host.rustEngineVersion, '']);
    if (host.k6Version) table.push([host.name, 'k6 version', host.k6Version, '']);
  }
  const failed = result.hosts.filter((host) => host.error).length;
  return `${table.toString()}\n${failed === 0 ? `all ${result.hosts.length} hosts provisioned` : `${failed} of ${result.hosts.length} hosts failed`}`;
}

/** The `--k6 PATH` file must exist locally; loadctl pushes it as is and never fetches one. */
export function resolveLocalK6(path: string): string {
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) throw new UsageError(`--k6 ${path}: no such file`, { hint: 'pass the path of a k6 binary you built or downloaded yourself (loadctl never downloads k6)' });
  return absolute;
}
