/**
 * Reads InstanceResult files for `loadctl merge` and checks each one's shape before anything is
 * merged, so a wrong file is named with what is wrong instead of failing deep inside the merge.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { describeFileError } from '../errors/file-error.js';
import { INSTANCE_RESULT_SCHEMA_VERSION, type InstanceResult } from '../protocol/instance-result.js';
import { OUTCOME_CLASSES, V1_OUTCOME_CLASSES } from '../protocol/outcomes.js';
import { MergeError } from './merge-results.js';

const count = { type: 'number', minimum: 0 };
// Classes added since version 1 (`tls`) may be absent: mergeInstanceResults counts them 0.
const outcomes = { type: 'object', required: [...V1_OUTCOME_CLASSES], properties: Object.fromEntries(OUTCOME_CLASSES.map((o) => [o, count])) };
const distribution = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['hdr', 'quantiles'] }, encoded: { type: 'string' }, points: { type: 'array', items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } } } },
};
const latency = { type: 'object', required: ['count', 'minMs', 'maxMs', 'meanMs', 'p50Ms', 'p95Ms', 'p99Ms', 'p999Ms', 'distribution'], properties: { count, distribution } };
const figures = {
  type: 'object',
  required: ['requests', 'events', 'iterations', 'droppedIterations', 'outcomes', 'latency', 'maxInFlight'],
  properties: { requests: count, events: count, iterations: count, droppedIterations: count, outcomes, latency, maxInFlight: count },
};

/** The fields merge, verdict and report read; the full schema is docs/instance-result.md's. */
const INSTANCE_RESULT_SHAPE = {
  type: 'object',
  required: ['schemaVersion', 'engine', 'host', 'runId', 'instance', 'planDigest', 'scheduledStartAt', 'firstSendAt', 'endedAt', 'status', 'plannedIterations', 'overall', 'subScenarios', 'timeline', 'generator'],
  properties: {
    engine: { type: 'object', required: ['name', 'version'], properties: { name: { enum: ['native', 'rust', 'k6'] }, version: { type: 'string' } } },
    host: { type: 'string' },
    runId: { type: 'string' },
    planDigest: { type: 'string' },
    instance: { type: 'object', required: ['index', 'count'], properties: { index: { type: 'integer', minimum: 0 }, count: { type: 'integer', minimum: 1 } } },
    scheduledStartAt: { type: 'number' },
    firstSendAt: { type: ['number', 'null'] },
    endedAt: { type: 'number' },
    status: { enum: ['completed', 'stopped', 'failed'] },
    plannedIterations: count,
    overall: figures,
    subScenarios: { type: 'object', additionalProperties: figures },
    timeline: { type: 'array', items: { type: 'object', required: ['second', 'requests', 'outcomes', 'droppedIterations', 'p50Ms', 'p95Ms', 'p99Ms'] } },
    generator: {
      type: 'object',
      required: ['cpuPercentMean', 'cores', 'scheduleLag', 'limited', 'reasons'],
      properties: { scheduleLag: { type: 'object', required: ['p99Ms'] }, limited: { type: 'boolean' }, reasons: { type: 'array', items: { type: 'string' } } },
    },
  },
};

const validateShape = new Ajv({ allErrors: false, strict: false }).compile<InstanceResult>(INSTANCE_RESULT_SHAPE);

/** Checks one parsed document; `file` names it in the error. */
export function checkInstanceResult(document: unknown, file: string): InstanceResult {
  const fail = (what: string, hint: string) => new MergeError(`${file}: ${what}`, { hint });
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw fail('is not a JSON object', 'pass the InstanceResult files an engine wrote (--out of an instance)');
  const record = document as Record<string, unknown>;
  if (record.kind === 'run') throw fail('is a run report, not an InstanceResult', 'pass the per-instance result files; `loadctl gate` reads run reports');
  if (record.schemaVersion !== INSTANCE_RESULT_SCHEMA_VERSION) {
    throw fail(`has schemaVersion ${JSON.stringify(record.schemaVersion)}; this loadctl reads ${INSTANCE_RESULT_SCHEMA_VERSION}`, 'merge with the loadctl version that produced the results');
  }
  if (!validateShape(document)) {
    const error = validateShape.errors![0]!;
    throw fail(`${describe(error)}`, 'the file is not a complete InstanceResult (truncated, or written by something else); re-run that instance');
  }
  return document;
}

function describe(error: ErrorObject): string {
  const at = error.instancePath === '' ? 'the document' : error.instancePath.slice(1).replaceAll('/', '.');
  if (error.keyword === 'required') return `${at} has no '${String(error.params.missingProperty)}'`;
  if (error.keyword === 'enum') return `${at} is not one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  return `${at} ${error.message ?? 'is invalid'}`;
}

/** Reads and checks every file; the first bad one throws MergeError naming it. */
export async function readInstanceResults(files: readonly string[]): Promise<InstanceResult[]> {
  if (files.length === 0) throw new MergeError('no instance result files given', { hint: 'loadctl merge results/*.json --out report.json' });
  return Promise.all(
    files.map(async (file) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (cause) {
        throw new MergeError(`cannot read the instance result ${file}: it ${describeFileError(cause)}`, { cause, hint: 'pass the InstanceResult files that `loadctl engine run --out FILE` wrote' });
      }
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (cause) {
        throw new MergeError(`${file} is not valid JSON: ${(cause as Error).message}`, { cause, hint: 'the file may be truncated; re-run that instance' });
      }
      return checkInstanceResult(document, file);
    }),
  );
}
