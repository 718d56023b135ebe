/**
 * `fleet check`'s output for a person: one OK/WARN/FAIL table per host (the doctor's layout), then
 * every WARN/FAIL in full below it — the table truncates long words, and a host-key fingerprint or
 * a path must be readable and copyable whole.
 */
import { renderChecks } from '../doctor/render-checks.js';
import type { FleetCheckResult } from './check-fleet.js';

export function renderFleetChecks(result: FleetCheckResult): string {
  const sections = result.hosts.map((host) => {
    const problems = host.checks
      .filter((check) => check.status !== 'ok')
      .map((check) => `  ${check.status.toUpperCase()} ${check.name}: ${check.value}${check.fix ? `\n    fix: ${check.fix}` : ''}`);
    return [`${host.name} (${host.keyPath})`, renderChecks(host.checks), ...problems].join('\n');
  });
  const failing = result.hosts.filter((host) => host.checks.some((check) => check.status === 'fail'));
  const summary = failing.length === 0 ? `all ${result.hosts.length} hosts ready` : `${failing.length} of ${result.hosts.length} hosts not ready: ${failing.map((host) => host.name).join(', ')}`;
  return `${sections.join('\n\n')}\n\n${summary}`;
}
