/** A plan's identity: sha256 of its JSON, embedded in compiled k6 scripts and every InstanceResult so a merge can tell plans apart. */
import { createHash } from 'node:crypto';
import type { ScenarioPlan } from './plan.js';

export function planDigest(plan: ScenarioPlan): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex');
}
