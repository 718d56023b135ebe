/**
 * `import { defineScenario } from 'loadctl'`: the package's public entry (package.json `exports`), for a
 * scenario project outside this repository. Types come from dist/types (tsconfig.types.json).
 */
export { defineScenario, SCENARIO_DEFAULTS } from './scenario/define-scenario.js';
export type { DurationInput, EventType, ExecutorName, ScenarioDefinition, StageDefinition, SubScenarioDefinition, ThresholdOverrides } from './scenario/define-scenario.js';
