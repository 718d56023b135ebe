/**
 * The seed's simple load test (load-test-simple.js): 10,000 requests/s for 30 s, one event per request,
 * all ten event types, every request expected to get 202. `loadctl compile scenarios/simple.ts --dry-run`
 * shows the plan; `--rate 1000` is the guide's phase 1 (validate).
 */
import { defineScenario } from '../src/scenario/define-scenario.js';

export default defineScenario({
  name: 'simple',
  description: '10K RPS for 30 s, single events of all ten types (seed: load-test-simple.js)',
  duration: '30s',
  subScenarios: [
    {
      name: 'single',
      rate: 10_000,
      batchSize: 1,
      expectStatus: 202,
      // VUs left out: derived from the rate (10K req/s × 50 ms × 2 = 1000, the seed's "1000 max VUs").
    },
  ],
});
