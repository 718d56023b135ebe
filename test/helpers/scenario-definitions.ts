/** Scenario definitions the scenario and plan tests start from (fresh objects: tests may mutate them). */
import type { ScenarioDefinition } from '../../src/scenario/define-scenario.js';

/** The seed's full test: 1M single + 1M batch-10 + 3M batch-100 RPS for 60 s. */
export function fullDefinition(): ScenarioDefinition {
  return {
    name: 'full',
    duration: '60s',
    subScenarios: [
      { name: 'single', rate: 1_000_000 },
      { name: 'batch10', rate: 1_000_000, batchSize: 10 },
      { name: 'batch100', rate: 3_000_000, batchSize: 100 },
    ],
  };
}
