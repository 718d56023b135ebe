/**
 * Reads a saved run or phase report for `gate` and `compare`, and checks the fields they read before
 * anything is judged, so a wrong file is named with what is wrong (exit 2) instead of failing deep
 * inside the verdict with a stack trace.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { describeFileError } from '../errors/file-error.js';
import { EXIT_CODES, LoadctlError } from '../../contract/loadctl-error.js';
import { PHASE_REPORT_SCHEMA_VERSION, type PhaseReport } from '../phases/phase-report-types.js';
import { fillMissingOutcomeClasses, OUTCOME_CLASSES, V1_OUTCOME_CLASSES } from '../protocol/outcomes.js';
import { RUN_REPORT_SCHEMA_VERSION, type RunReport } from './run-report-types.js';

/** A report file loadctl cannot read: a usage error naming the file, never a crash. */
export class ReportFileError extends LoadctlError {
  override readonly code = 'REPORT_FILE';
  override readonly exitCode = EXIT_CODES.usage;
}

/** What `gate` and `compare` accept. */
export type LoadReport = RunReport | PhaseReport;

const count = { type: 'number', minimum: 0 };
// Classes added since version 1 (`tls`) are optional here and read as 0 (fillOutcomeClasses).
const outcomes = { type: 'object', required: [...V1_OUTCOME_CLASSES], properties: Object.fromEntries(OUTCOME_CLASSES.map((o) => [o, count])) };
const latency = { type: 'object', required: ['count', 'p50Ms', 'p95Ms', 'p99Ms'], properties: { count, p50Ms: count, p95Ms: count, p99Ms: count } };
const figures = {
  type: 'object',
  required: ['requests', 'events', 'iterations', 'droppedIterations', 'outcomes', 'latency'],
  properties: { requests: count, events: count, iterations: count, droppedIterations: count, outcomes, latency },
};
const level = { type: 'object', required: ['warning', 'critical'], properties: { warning: { type: ['number', 'null'] }, critical: { type: ['number', 'null'] } } };
const levels = { type: 'object', additionalProperties: level };
const instance = {
  type: 'object',
  required: ['index', 'host', 'status', 'plannedIterations', 'overall', 'generator', 'flags'],
  properties: {
    index: { type: 'integer', minimum: 0 },
    host: { type: 'string' },
    status: { enum: ['completed', 'stopped', 'failed', 'lost'] },
    overall: { anyOf: [{ type: 'null' }, figures] },
    generator: { anyOf: [{ type: 'null' }, { type: 'object', required: ['limited', 'reasons', 'scheduleLagP99Ms', 'cpuPercentMean', 'cores'] }] },
    // Not required: v1 reports written before per-instance timelines lack it; checked when present.
    timeline: { type: 'array', items: { type: 'object', required: ['second', 'requests', 'errors', 'p95Ms'], properties: { second: { type: 'number' }, requests: count, errors: count, p95Ms: count } } },
  },
};

/** The fields gate, compare and the renderers read (docs/run-report.md has the whole schema). */
const RUN_REPORT_SHAPE = {
  type: 'object',
  required: ['schemaVersion', 'kind', 'runId', 'engine', 'startedAt', 'durationMs', 'verdict', 'thresholds', 'verdictOptions', 'aborted', 'load', 'overall', 'subScenarios', 'instances', 'timeline'],
  properties: {
    thresholds: { type: 'object', required: ['overall', 'subScenarios'], properties: { overall: levels, subScenarios: { type: 'object', additionalProperties: levels } } },
    verdictOptions: { type: 'object', required: ['errorClasses', 'generator'], properties: { errorClasses: { type: 'array', items: { enum: [...OUTCOME_CLASSES] } } } },
    verdict: { type: 'object', required: ['outcome', 'headline', 'reasons', 'overall', 'subScenarios'] },
    load: { type: 'object', required: ['plannedIterations', 'startedIterations', 'droppedIterations', 'requests'] },
    overall: figures,
    subScenarios: { type: 'object', additionalProperties: figures },
    instances: { type: 'array', items: instance },
    timeline: { type: 'array', items: { type: 'object', required: ['second', 'requests', 'errors', 'outcomes', 'p50Ms', 'p95Ms', 'p99Ms'] } },
  },
};

const validateRun = new Ajv({ allErrors: false, strict: false }).compile<RunReport>(RUN_REPORT_SHAPE);

/** Checks one parsed document; `file` names it in every error. */
export function checkReport(document: unknown, file: string): LoadReport {
  const fail = (what: string, hint: string) => new ReportFileError(`${file}: ${what}`, { hint });
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw fail('is not a JSON object', 'pass a report written by `loadctl run --out` or `loadctl phase --out`');
  const record = document as Record<string, unknown>;
  if (record.kind === 'phase') return checkPhaseReport(record, file);
  if (record.kind !== 'run') {
    const instanceResult = 'instance' in record && 'planDigest' in record;
    throw fail(
      instanceResult ? 'is an InstanceResult, not a run report' : `has kind ${JSON.stringify(record.kind)}; expected "run" or "phase"`,
      instanceResult ? 'merge the instance results first: loadctl merge results/*.json --out report.json' : 'pass a report written by `loadctl run --out` or `loadctl phase --out`',
    );
  }
  return checkRunReport(record, file);
}

function checkRunReport(record: Record<string, unknown>, file: string, where = ''): RunReport {
  if (record.schemaVersion !== RUN_REPORT_SCHEMA_VERSION) {
    throw new ReportFileError(`${file}: ${where ? `${where}.` : ''}schemaVersion is ${JSON.stringify(record.schemaVersion)}; this loadctl reads run reports of version ${RUN_REPORT_SCHEMA_VERSION}`, {
      hint: 'judge it with the loadctl version that wrote it',
    });
  }
  if (!validateRun(record)) {
    throw new ReportFileError(`${file}: ${describe(validateRun.errors![0]!, where)}`, { hint: 'the file is not a complete run report (truncated, edited, or written by something else)' });
  }
  fillOutcomeClasses(record);
  return record;
}

const PHASE_REPORT_SHAPE = {
  type: 'object',
  required: ['schemaVersion', 'kind', 'phase', 'scenario', 'startedAt', 'endedAt', 'outcome', 'headline', 'steps', 'breakingPoint', 'breakpoint'],
  properties: {
    phase: { enum: ['validate', 'stress', 'breakpoint', 'distributed'] },
    scenario: { type: 'object', required: ['name', 'source', 'targetUrl'], properties: { name: { type: 'string' }, targetUrl: { type: 'string' } } },
    outcome: { enum: ['good', 'warning', 'critical', 'generator-limited', 'degraded'] },
    headline: { type: 'string' },
    breakingPoint: { type: ['number', 'null'] },
    breakpoint: { anyOf: [{ type: 'null' }, { type: 'object', required: ['lastGoodRate', 'firstCriticalRate', 'breakingPoint', 'reason'] }] },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['step', 'rate', 'judgement', 'limitedBy', 'report'],
        properties: {
          step: { type: 'integer', minimum: 1 },
          rate: { type: 'number' },
          judgement: { type: 'object', required: ['kind'], properties: { kind: { enum: ['held', 'critical', 'generator-limited'] } } },
          limitedBy: { enum: ['target', 'generator', 'instance lost', null] },
          report: { type: ['object', 'null'] },
        },
      },
    },
  },
};

const validatePhase = new Ajv({ allErrors: false, strict: false }).compile<PhaseReport>(PHASE_REPORT_SHAPE);

/** The phase's own fields, then every step's run report with the run report's checks. */
function checkPhaseReport(record: Record<string, unknown>, file: string): PhaseReport {
  if (record.schemaVersion !== PHASE_REPORT_SCHEMA_VERSION) {
    throw new ReportFileError(`${file}: schemaVersion is ${JSON.stringify(record.schemaVersion)}; this loadctl reads phase reports of version ${PHASE_REPORT_SCHEMA_VERSION}`, {
      hint: 'judge it with the loadctl version that wrote it',
    });
  }
  if (!validatePhase(record)) {
    throw new ReportFileError(`${file}: ${describe(validatePhase.errors![0]!)}`, { hint: 'the file is not a complete phase report (truncated, edited, or written by something else)' });
  }
  record.steps.forEach((step, i) => {
    if (step.report !== null) checkRunReport(step.report as unknown as Record<string, unknown>, file, `steps.${i}.report`);
  });
  return record;
}

/** `overall.requests must be number`; `base` prefixes the path of a nested document (a phase's step report). */
function describe(error: ErrorObject, base = ''): string {
  const path = [base, error.instancePath.slice(1).replaceAll('/', '.')].filter((part) => part !== '').join('.');
  const at = path === '' ? 'the document' : path;
  if (error.keyword === 'required') return `${at} has no '${String(error.params.missingProperty)}'`;
  if (error.keyword === 'enum') return `${at} is not one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  return `${at} ${error.message ?? 'is invalid'}`;
}

/** Reads and checks one report file. */
export async function readReportFile(file: string): Promise<LoadReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ReportFileError(`cannot read the report ${file}: it ${describeFileError(cause)}`, { cause, hint: 'pass the JSON report that `loadctl run` or `loadctl phase` wrote with --out FILE' });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    throw new ReportFileError(`${file} is not valid JSON: ${(cause as Error).message}`, { cause, hint: 'the file may be truncated; write it again with --out' });
  }
  return checkReport(document, file);
}

/** Every `outcomes` count object in a report gets the classes its writer did not know yet, at 0. */
function fillOutcomeClasses(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) fillOutcomeClasses(item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'outcomes' && typeof child === 'object' && child !== null && !Array.isArray(child)) fillMissingOutcomeClasses(child);
    else fillOutcomeClasses(child);
  }
}
