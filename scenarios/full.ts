/**
 * The seed's full load test (load-test.js): 5M requests/s in three sub-scenarios running side by side —
 * single events at 1M RPS, batches of 10 at 1M RPS, batches of 100 at 3M RPS. `--rate R` scales the mix
 * 20/20/60 to exactly R (e.g. `--rate 1000` → 200/200/600). No single host generates this: split it over
 * a fleet (`loadctl run … --instances N`).
 */
import { defineScenario } from '../src/scenario/define-scenario.js';

export default defineScenario({
  name: 'full',
  description: '5M RPS: 1M single + 1M batch-10 + 3M batch-100 (seed: load-test.js)',
  duration: '60s',
  subScenarios: [
    { name: 'single', rate: 1_000_000, batchSize: 1 },
    { name: 'batch10', rate: 1_000_000, batchSize: 10 },
    // 100 events of ~300 bytes: ~30 KB per request, well under the service's 512 KB request limit.
    { name: 'batch100', rate: 3_000_000, batchSize: 100, timeout: '30s', thresholds: { p95Ms: { warning: 800, critical: 1500 } } },
  ],
});
