/**
 * The bench's batch scenario for the native engine (bench/target-service.sh, scenario 5): batch-100
 * bodies at a constant rate, every request expected to get 202. `--rate` overrides the rate.
 */
import { defineScenario } from '../../src/scenario/define-scenario.js';

export default defineScenario({
  name: 'batch-100',
  description: 'batches of 100 events of all ten types at a constant rate',
  duration: '10s',
  subScenarios: [{ name: 'batch', rate: 500, batchSize: 100, expectStatus: 202 }],
});
