/** `fleet check`'s output for a person: one OK/WARN/FAIL table per host, the doctor's layout. */
import { renderChecks } from '../doctor/render-checks.js';
import type { FleetCheckResult } from './check-fleet.js';

export function renderFleetChecks(result: FleetCheckResult): string {
  const sections = result.hosts.map((host) => `${host.name} (${host.keyPath})\n${renderChecks(host.checks)}`);
  const failing = result.hosts.filter((host) => host.checks.some((check) => check.status === 'fail'));
  const summary = failing.length === 0 ? `all ${result.hosts.length} hosts ready` : `${failing.length} of ${result.hosts.length} hosts not ready: ${failing.map((host) => host.name).join(', ')}`;
  return `${sections.join('\n\n')}\n\n${summary}`;
}
