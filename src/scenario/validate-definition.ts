/**
 * Validates an evaluated scenario file. A scenario file is bundled and run, not type-checked, so every
 * field is checked here: each problem names the file, the field path, the bad value and the fix
 * (`scenarios/full.ts: subScenarios[2].rate: -5 must be > 0`). All problems are reported at once.
 */
import { EVENT_TYPES } from '../../contract/event-schema.js';
import { UsageError } from '../../contract/loadctl-error.js';
import { THRESHOLD_NAMES } from '../verdict/threshold-levels.js';
import type { ScenarioDefinition } from './define-scenario.js';
import { parseDuration } from './duration.js';

export interface DefinitionIssue {
  /** `subScenarios[2].rate`; empty for the whole definition. */
  path: string;
  /** What is wrong, starting with the bad value: `-5 must be > 0`. */
  problem: string;
  fix: string;
}

/** An invalid scenario definition: one line per issue, the first issue's fix as the hint. */
export class ScenarioDefinitionError extends UsageError {
  constructor(
    readonly source: string,
    readonly issues: DefinitionIssue[],
  ) {
    super(issues.map((issue) => `${source}: ${issue.path ? `${issue.path}: ` : ''}${issue.problem}`).join('\n'), {
      hint: issues.length === 1 ? issues[0]!.fix : issues.map((issue) => `${issue.path || 'scenario'}: ${issue.fix}`).join('\n  → '),
    });
  }
}

const SCENARIO_KEYS = ['name', 'description', 'duration', 'seed', 'thresholds', 'subScenarios'];
const SUB_SCENARIO_KEYS = [
  'name', 'executor', 'rate', 'startRate', 'stages', 'duration', 'startTime', 'batchSize', 'eventTypes', 'path', 'method',
  'headers', 'timeout', 'expectStatus', 'preAllocatedVUs', 'maxVUs', 'seed', 'thresholds',
];
const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** The event generator resolves weights to tenths (a lookup table of round(weight × 10) entries per type). */
const MIN_WEIGHT = 0.05;
const MAX_WEIGHT = 1000;
const MAX_BATCH_SIZE = 100_000;

/** Checks `value` and returns it typed, or throws ScenarioDefinitionError listing every problem. */
export function validateDefinition(value: unknown, source: string): ScenarioDefinition {
  const issues: DefinitionIssue[] = [];
  const add = (path: string, problem: string, fix: string) => issues.push({ path, problem, fix });
  if (!isObject(value)) {
    add('', `the default export is ${show(value)}, not a scenario`, 'export default defineScenario({ name, subScenarios: [...] })');
    throw new ScenarioDefinitionError(source, issues);
  }
  checkUnknownKeys(value, SCENARIO_KEYS, '', add);
  if (typeof value.name !== 'string' || value.name.trim() === '') add('name', `${show(value.name)} must be a non-empty string`, "name the scenario, e.g. name: 'checkout-peak'");
  if (value.description !== undefined && typeof value.description !== 'string') add('description', `${show(value.description)} must be a string`, 'write the description as text or remove it');
  if (value.duration !== undefined) checkDuration(value.duration, 'duration', add, { positive: true });
  if (value.seed !== undefined) checkInteger(value.seed, 'seed', add, { min: 0 });
  if (value.thresholds !== undefined) checkThresholds(value.thresholds, 'thresholds', add);
  checkSubScenarios(value.subScenarios, value.duration !== undefined, add);
  if (issues.length > 0) throw new ScenarioDefinitionError(source, issues);
  return value as unknown as ScenarioDefinition;
}

type Add = (path: string, problem: string, fix: string) => void;

function checkSubScenarios(value: unknown, hasDefaultDuration: boolean, add: Add): void {
  if (!Array.isArray(value) || value.length === 0) {
    add('subScenarios', `${show(value)} must be a non-empty array`, "add at least one sub-scenario, e.g. subScenarios: [{ name: 'single', rate: 1000 }]");
    return;
  }
  const names = new Set<string>();
  value.forEach((sub: unknown, index) => {
    const path = `subScenarios[${index}]`;
    if (!isObject(sub)) return add(path, `${show(sub)} must be an object`, "write it as { name: 'single', rate: 1000 }");
    checkUnknownKeys(sub, SUB_SCENARIO_KEYS, path, add);
    checkName(sub.name, `${path}.name`, names, add);
    const executor = sub.executor ?? 'constant-arrival-rate';
    if (executor === 'constant-arrival-rate') checkConstant(sub, path, hasDefaultDuration, add);
    else if (executor === 'ramping-arrival-rate') checkRamping(sub, path, add);
    else add(`${path}.executor`, `${show(executor)} is not an executor loadctl knows`, "use 'constant-arrival-rate' (the default) or 'ramping-arrival-rate'");
    checkRequest(sub, path, add);
  });
}

function checkName(value: unknown, path: string, seen: Set<string>, add: Add): void {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    add(path, `${show(value)} must match [a-z][a-z0-9_]* (it becomes a k6 scenario name and metric tag)`, "use lower case, digits and _, e.g. name: 'batch_10'");
  } else if (seen.has(value)) {
    add(path, `${show(value)} is used by an earlier sub-scenario`, 'give every sub-scenario its own name');
  } else {
    seen.add(value);
  }
}

function checkConstant(sub: Record<string, unknown>, path: string, hasDefaultDuration: boolean, add: Add): void {
  if (sub.rate === undefined) add(`${path}.rate`, 'is missing', 'give the requests per second, e.g. rate: 1000');
  else checkNumber(sub.rate, `${path}.rate`, add, { greaterThan: 0 }, 'give the requests per second, e.g. rate: 1000');
  if (sub.duration !== undefined) checkDuration(sub.duration, `${path}.duration`, add, { positive: true });
  else if (!hasDefaultDuration) add(`${path}.duration`, 'is missing (and the scenario has no duration)', "give duration: '30s' here or on the scenario");
  for (const key of ['stages', 'startRate'] as const) {
    if (sub[key] !== undefined) add(`${path}.${key}`, `is only for ramping-arrival-rate`, `set executor: 'ramping-arrival-rate' or remove ${key}`);
  }
}

function checkRamping(sub: Record<string, unknown>, path: string, add: Add): void {
  if (sub.rate !== undefined) add(`${path}.rate`, `is only for constant-arrival-rate`, 'a ramp starts at startRate and follows its stages; remove rate');
  if (sub.duration !== undefined) add(`${path}.duration`, 'is the sum of the stages for ramping-arrival-rate', 'remove duration, or change the stages');
  if (sub.startRate !== undefined) checkNumber(sub.startRate, `${path}.startRate`, add, { min: 0 }, 'give the rate at the start, e.g. startRate: 0');
  const stages = sub.stages;
  if (!Array.isArray(stages) || stages.length === 0) {
    add(`${path}.stages`, `${show(stages)} must be a non-empty array`, "give the ramps, e.g. stages: [{ duration: '1m', target: 1000 }]");
    return;
  }
  let totalMs = 0;
  let peak = typeof sub.startRate === 'number' ? sub.startRate : 0;
  stages.forEach((stage: unknown, index) => {
    const stagePath = `${path}.stages[${index}]`;
    if (!isObject(stage)) return add(stagePath, `${show(stage)} must be an object`, "write it as { duration: '30s', target: 1000 }");
    checkUnknownKeys(stage, ['duration', 'target'], stagePath, add);
    totalMs += checkDuration(stage.duration, `${stagePath}.duration`, add, { positive: false }) ?? 0;
    if (checkNumber(stage.target, `${stagePath}.target`, add, { min: 0 }, 'give the rate at the end of the stage, e.g. target: 1000')) peak = Math.max(peak, stage.target as number);
  });
  if (totalMs <= 0) add(`${path}.stages`, 'last 0 ms in total', "give the stages a duration, e.g. duration: '30s'");
  if (peak <= 0) add(`${path}.stages`, 'never rise above 0 req/s', 'give at least one stage a target > 0');
}

function checkRequest(sub: Record<string, unknown>, path: string, add: Add): void {
  if (sub.startTime !== undefined) checkDuration(sub.startTime, `${path}.startTime`, add, { positive: false });
  if (sub.batchSize !== undefined) checkInteger(sub.batchSize, `${path}.batchSize`, add, { min: 1, max: MAX_BATCH_SIZE });
  if (sub.eventTypes !== undefined) checkEventTypes(sub.eventTypes, `${path}.eventTypes`, add);
  if (sub.path !== undefined && (typeof sub.path !== 'string' || !sub.path.startsWith('/'))) add(`${path}.path`, `${show(sub.path)} must start with /`, "give the path on the target, e.g. path: '/v1/events'");
  if (sub.method !== undefined && sub.method !== 'POST' && sub.method !== 'PUT') add(`${path}.method`, `${show(sub.method)} must be 'POST' or 'PUT'`, "use method: 'POST' (the default)");
  if (sub.headers !== undefined) checkHeaders(sub.headers, `${path}.headers`, add);
  if (sub.timeout !== undefined) checkDuration(sub.timeout, `${path}.timeout`, add, { positive: true });
  if (sub.expectStatus !== undefined) checkStatuses(sub.expectStatus, `${path}.expectStatus`, add);
  if (sub.preAllocatedVUs !== undefined) checkInteger(sub.preAllocatedVUs, `${path}.preAllocatedVUs`, add, { min: 1 });
  if (sub.maxVUs !== undefined) checkInteger(sub.maxVUs, `${path}.maxVUs`, add, { min: 1 });
  if (typeof sub.preAllocatedVUs === 'number' && typeof sub.maxVUs === 'number' && sub.preAllocatedVUs > sub.maxVUs) {
    add(`${path}.preAllocatedVUs`, `${sub.preAllocatedVUs} must be ≤ maxVUs (${sub.maxVUs})`, 'raise maxVUs or lower preAllocatedVUs');
  }
  if (sub.seed !== undefined) checkInteger(sub.seed, `${path}.seed`, add, { min: 0 });
  if (sub.thresholds !== undefined) checkThresholds(sub.thresholds, `${path}.thresholds`, add);
}

function checkEventTypes(value: unknown, path: string, add: Add): void {
  if (!isObject(value)) return add(path, `${show(value)} must be an object of weights`, 'e.g. eventTypes: { page_view: 5, purchase: 1 }');
  checkUnknownKeys(value, EVENT_TYPES, path, add);
  let positive = 0;
  for (const type of EVENT_TYPES) {
    const weight = value[type];
    if (weight === undefined) continue;
    const ok = typeof weight === 'number' && Number.isFinite(weight) && (weight === 0 || (weight >= MIN_WEIGHT && weight <= MAX_WEIGHT));
    if (!ok) add(`${path}.${type}`, `${show(weight)} must be 0 or between ${MIN_WEIGHT} and ${MAX_WEIGHT}`, 'weights are relative: e.g. 5 and 1 send five times as many of the first');
    else if (weight > 0) positive++;
  }
  if (positive === 0 && Object.keys(value).every((key) => (EVENT_TYPES as readonly string[]).includes(key))) {
    add(path, 'gives every event type weight 0', 'give at least one type a weight > 0, or remove eventTypes for all ten');
  }
}

function checkHeaders(value: unknown, path: string, add: Add): void {
  if (!isObject(value)) return add(path, `${show(value)} must be an object of strings`, "e.g. headers: { authorization: 'Bearer …' }");
  for (const [name, headerValue] of Object.entries(value)) {
    if (!HEADER_NAME_PATTERN.test(name)) add(`${path}.${name}`, `${show(name)} is not a valid header name`, 'use letters, digits and -');
    else if (typeof headerValue !== 'string') add(`${path}.${name}`, `${show(headerValue)} must be a string`, 'quote the header value');
  }
}

function checkStatuses(value: unknown, path: string, add: Add): void {
  const statuses = Array.isArray(value) ? value : [value];
  if (statuses.length === 0) add(path, '[] must name at least one status', 'e.g. expectStatus: 202');
  statuses.forEach((status, index) => {
    if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599) {
      add(Array.isArray(value) ? `${path}[${index}]` : path, `${show(status)} must be an HTTP status 100–599`, 'e.g. expectStatus: 202');
    }
  });
}

/** Override levels: `{ p95Ms: { warning: 300, critical: 800 } }`; null switches a level off. */
function checkThresholds(value: unknown, path: string, add: Add): void {
  if (!isObject(value)) return add(path, `${show(value)} must be an object`, 'e.g. thresholds: { p95Ms: { warning: 300, critical: 800 } }');
  checkUnknownKeys(value, THRESHOLD_NAMES, path, add);
  for (const name of THRESHOLD_NAMES) {
    const level = value[name];
    if (level === undefined) continue;
    const levelPath = `${path}.${name}`;
    if (!isObject(level)) {
      add(levelPath, `${show(level)} must be an object`, `e.g. ${name}: { warning: …, critical: … }`);
      continue;
    }
    checkUnknownKeys(level, ['warning', 'critical'], levelPath, add);
    for (const key of ['warning', 'critical'] as const) {
      const limit = level[key];
      if (limit === undefined || limit === null) continue;
      const isRate = !name.endsWith('Ms');
      if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0 || (isRate && limit > 1)) {
        add(`${levelPath}.${key}`, `${show(limit)} must be ${isRate ? 'a fraction 0–1 (0.05 = 5 %)' : 'milliseconds ≥ 0'} or null`, isRate ? 'write 5 % as 0.05; null switches the level off' : 'give milliseconds; null switches the level off');
      }
    }
    if (typeof level.warning === 'number' && typeof level.critical === 'number' && level.warning > level.critical) {
      add(levelPath, `warning ${level.warning} must be ≤ critical ${level.critical}`, 'swap them, or raise critical');
    }
  }
}

function checkDuration(value: unknown, path: string, add: Add, options: { positive: boolean }): number | null {
  const ms = parseDuration(value);
  if (ms === null || ms < 0 || (options.positive && ms === 0)) {
    add(path, `${show(value)} must be a duration ${options.positive ? '> 0' : '≥ 0'}`, "write it like k6: '30s', '2m', '1m30s', '500ms', or a number of milliseconds");
    return null;
  }
  return ms;
}

function checkNumber(value: unknown, path: string, add: Add, bound: { min?: number; greaterThan?: number }, fix: string): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    add(path, `${show(value)} must be a number`, fix);
    return false;
  }
  if (bound.greaterThan !== undefined && !(value > bound.greaterThan)) add(path, `${value} must be > ${bound.greaterThan}`, fix);
  else if (bound.min !== undefined && value < bound.min) add(path, `${value} must be ≥ ${bound.min}`, fix);
  else return true;
  return false;
}

function checkInteger(value: unknown, path: string, add: Add, bound: { min: number; max?: number }): void {
  const max = bound.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || (value as number) < bound.min || (value as number) > max) {
    add(path, `${show(value)} must be a whole number ${bound.max === undefined ? `≥ ${bound.min}` : `${bound.min}–${max}`}`, `give a whole number, e.g. ${bound.min === 0 ? 42 : Math.max(bound.min, 10)}`);
  }
}

function checkUnknownKeys(value: Record<string, unknown>, known: readonly string[], path: string, add: Add): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    add(path ? `${path}.${key}` : key, 'is not a field loadctl knows', guess ? `did you mean ${guess}?` : `known fields: ${known.join(', ')}`);
  }
}

/** The known name within edit distance 2 (typos such as `ratee`, `maxVus`), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as the user wrote it: `-5`, `'fast'`, `undefined`. */
function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}…` : json;
  } catch {
    return String(value);
  }
}
