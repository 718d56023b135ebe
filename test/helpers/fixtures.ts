/** Recorded native-engine runs (scripts/record-fixtures.ts): one folder per case with plan.json and instance-<i>.json. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstanceResult } from '../../src/protocol/instance-result.js';
import type { ScenarioPlan } from '../../src/scenario/plan.js';
import { repoRoot } from './repo.js';

export type FixtureName = 'good' | 'slow' | 'erroring' | 'backpressure' | 'dropped';

export interface RecordedRun {
  plan: ScenarioPlan;
  results: InstanceResult[];
}

export function recordedRun(name: FixtureName): RecordedRun {
  const dir = join(repoRoot(), 'test', 'fixtures', name);
  const read = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const files = readdirSync(dir).filter((file) => /^instance-\d+\.json$/.test(file)).sort();
  return { plan: read('plan.json') as ScenarioPlan, results: files.map((file) => read(file) as InstanceResult) };
}
