/** Which host runs which instance: pure, so `--dry-run` and tests can show it without connecting. */
import { UsageError } from '../../../contract/loadctl-error.js';

export interface HostSlots {
  /** Name for messages. */
  name: string;
  /** Most instances the host takes (`fleet.hosts[i].instances`). */
  instances: number;
}

/** Instance i runs on hosts[placement[i].host] as that host's `ordinal`-th instance. */
export interface Placement {
  host: number;
  ordinal: number;
}

/**
 * Spreads `count` instances over the hosts round-robin (host 0, 1, 2, 0, 1, …), skipping a host once
 * it has its `instances`: as even as the capacities allow, and the same answer every time.
 */
export function spreadInstances(hosts: readonly HostSlots[], count: number): Placement[] {
  const capacity = hosts.reduce((sum, host) => sum + host.instances, 0);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`--instances must be a whole number ≥ 1 (got ${count})`);
  if (count > capacity) {
    const each = hosts.map((host) => `${host.name} ×${host.instances}`).join(', ');
    throw new UsageError(`--instances ${count} is more than the fleet allows: ${capacity} (${each || 'no usable host'})`, {
      hint: `lower --instances to ${capacity} or less, raise fleet.hosts[].instances, or add hosts`,
    });
  }
  const used = hosts.map(() => 0);
  const placements: Placement[] = [];
  for (let host = 0; placements.length < count; host = (host + 1) % hosts.length) {
    if (used[host]! >= hosts[host]!.instances) continue;
    placements.push({ host, ordinal: used[host]! });
    used[host]!++;
  }
  return placements;
}
