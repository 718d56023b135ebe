/** JSON Schema of `loadctl.config.yaml` (what `parseConfigText` validates); durations: config/duration-setting.ts. */
import { OUTCOME_CLASSES } from '../results/outcomes.js';
import { THRESHOLD_NAMES } from '../verdict/threshold-levels.js';

const limit = { anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] };
const level = { type: 'object', additionalProperties: false, properties: { warning: limit, critical: limit } };
const duration = { duration: true };
const rate = { type: 'number', exclusiveMinimum: 0 };
const fraction = { type: 'number', minimum: 0, maximum: 1 };

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    target: {
      type: 'object',
      additionalProperties: false,
      properties: {
        url: { type: 'string', format: 'http-url' },
        metricsUrl: { anyOf: [{ type: 'string', format: 'http-url' }, { type: 'null' }] },
      },
    },
    thresholds: { type: 'object', additionalProperties: false, properties: Object.fromEntries(THRESHOLD_NAMES.map((name) => [name, level])) },
    abort: { type: 'object', additionalProperties: false, properties: { errorRate: fraction, window: duration } },
    run: {
      type: 'object',
      additionalProperties: false,
      properties: {
        instances: { type: 'integer', minimum: 1 },
        engine: { enum: ['native', 'k6'] },
        duration,
        rate,
        failOn: { enum: ['warning', 'critical'] },
      },
    },
    verdict: {
      type: 'object',
      additionalProperties: false,
      properties: {
        errorClasses: { type: 'array', items: { enum: [...OUTCOME_CLASSES] }, uniqueItems: true },
        generator: {
          type: 'object',
          additionalProperties: false,
          properties: { scheduleLagP99Ms: { type: 'number', minimum: 0 }, iterationTolerance: fraction, cpuSaturation: { type: 'number', exclusiveMinimum: 0 } },
        },
      },
    },
    phases: {
      type: 'object',
      additionalProperties: false,
      properties: {
        validate: { type: 'object', additionalProperties: false, properties: { rate, duration } },
        stress: { type: 'object', additionalProperties: false, properties: { rate, duration } },
        breakpoint: {
          type: 'object',
          additionalProperties: false,
          properties: { from: rate, precision: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, stepDuration: duration, maxSteps: { type: 'integer', minimum: 1 } },
        },
      },
    },
    fleet: {},
  },
} as const;
