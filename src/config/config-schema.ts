/**
 * JSON Schema of `loadctl.config.yaml` (what `parseConfigText` validates). Two keywords of loadctl's own
 * hold the one grammars: `duration` (scenario/duration-setting.ts) and `percentage` (config/percentage-setting.ts).
 */
import { OUTCOME_CLASSES } from '../protocol/outcomes.js';
import { THRESHOLD_NAMES, type ThresholdName } from '../verdict/threshold-levels.js';
import type { PercentageRange } from './percentage-setting.js';

/** The thresholds that are shares of all requests (written `5%`); the others are milliseconds. */
export function isRateThreshold(name: ThresholdName): boolean {
  return !name.endsWith('Ms');
}

const share = (range: PercentageRange) => ({ percentage: range });
const WHOLE: PercentageRange = { min: 0, max: 1 };
const msLimit = { anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] };
// The percentage branch first: anyOf keeps the first branch's error, and "is ambiguous: write 5%" says more.
const rateLimit = { anyOf: [share(WHOLE), { type: 'null' }] };
const level = (name: ThresholdName) => {
  const limit = isRateThreshold(name) ? rateLimit : msLimit;
  return { type: 'object', additionalProperties: false, properties: { warning: limit, critical: limit } };
};
const duration = { duration: 'positive' };
const rate = { type: 'number', exclusiveMinimum: 0 };

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
        ca: { type: 'string', minLength: 1 },
        cert: { type: 'string', minLength: 1 },
        key: { type: 'string', minLength: 1 },
        insecure: { type: 'boolean' },
      },
    },
    thresholds: { type: 'object', additionalProperties: false, properties: Object.fromEntries(THRESHOLD_NAMES.map((name) => [name, level(name)])) },
    abort: { type: 'object', additionalProperties: false, properties: { errorRate: share(WHOLE), window: { duration: 'zeroAllowed' } } },
    run: {
      type: 'object',
      additionalProperties: false,
      properties: {
        instances: { type: 'integer', minimum: 1 },
        engine: { enum: ['auto', 'node', 'native', 'rust', 'k6'] },
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
          properties: { scheduleLagP99Ms: { type: 'number', minimum: 0 }, iterationTolerance: share(WHOLE), cpuSaturation: share({ min: 0, exclusive: true }) },
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
          properties: { from: rate, precision: share({ min: 0, max: 1, exclusive: true }), stepDuration: duration, maxSteps: { type: 'integer', minimum: 1 } },
        },
      },
    },
    fleet: {},
    kubernetes: {}, // owned by the kubernetes runner (src/runners/kubernetes/kubernetes-config.ts)
  },
} as const;
