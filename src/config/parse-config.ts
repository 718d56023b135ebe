/**
 * Reads `loadctl.config.yaml`: YAML syntax, then the schema, every problem reported with its line,
 * key path, bad value and fix (yaml's LineCounter maps node ranges to lines). `parseConfigText` is
 * pure; `loadConfigFile` only adds the read.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { describeFileError } from '../errors/file-error.js';
import { configErrorOf, ConfigError, type ConfigProblem } from './config-error.js';
import { CONFIG_SCHEMA } from './config-schema.js';
import type { LoadctlConfigFile } from './config-types.js';
import { DURATION_FORMS, parseDurationSetting } from '../scenario/duration-setting.js';
import { parsePercentageSetting, PERCENTAGE_FORMS, type PercentageRange } from './percentage-setting.js';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
// `duration: 'positive' | 'zeroAllowed'` in the schema: text or a number, one grammar (a YAML number is seconds, as a flag's).
ajv.addKeyword({
  keyword: 'duration',
  schemaType: 'string',
  validate: (bound: string, value: unknown) => (typeof value === 'string' || typeof value === 'number') && parseDurationSetting(value, { zeroAllowed: bound === 'zeroAllowed' }) !== null,
});
// `percentage: { min, max, exclusive }` in the schema: `10%`, never a bare number but 0 (percentage-setting.ts).
ajv.addKeyword({ keyword: 'percentage', schemaType: 'object', errors: true, validate: validatePercentage });
ajv.addFormat('http-url', (value: string) => /^https?:\/\/[^\s/]+/.test(value));
const validateSchema = ajv.compile<LoadctlConfigFile>(CONFIG_SCHEMA);

/** Parses and validates config text; `file` names it in messages. Throws ConfigError. */
export function parseConfigText(text: string, file: string): LoadctlConfigFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    throw configErrorOf(
      file,
      document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return { line: position.line, column: position.col, keyPath: '', message: `invalid YAML: ${error.message.split('\n')[0]}`, fix: 'fix the YAML syntax at that position' };
      }),
    );
  }
  const value: unknown = document.toJS() ?? {};
  if (validateSchema(value)) return value;
  const problems = (validateSchema.errors ?? []).filter(isReportable).map((error) => problemOf(error, document, lineCounter, value));
  throw configErrorOf(file, dedupe(problems));
}

/** Reads and validates a config file. */
export function loadConfigFile(file: string): LoadctlConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read the config file ${file}: it ${describeFileError(cause)}`, {
      cause,
      hint: 'pass --config PATH to an existing file, or copy loadctl.config.yaml from the repository root',
    });
  }
  return parseConfigText(text, file);
}

function validatePercentage(range: PercentageRange, value: unknown): boolean {
  const result = typeof value === 'string' || typeof value === 'number' ? parsePercentageSetting(value, range) : { problem: `is not a percentage: write ${PERCENTAGE_FORMS}` };
  if ('fraction' in result) return true;
  validatePercentage.errors = [{ keyword: 'percentage', message: result.problem, params: {} }];
  return false;
}
validatePercentage.errors = [] as Array<Partial<ErrorObject>>;

/** anyOf reports every branch plus itself; the branch errors say more, the anyOf line says "one of". */
function isReportable(error: ErrorObject): boolean {
  return error.keyword !== 'if';
}

function problemOf(error: ErrorObject, document: Document, lineCounter: LineCounter, root: unknown): ConfigProblem {
  const segments = error.instancePath.split('/').slice(1).map(decodePointer);
  const extra = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : null;
  const keySegments = extra === null ? segments : [...segments, extra];
  const node = extra === null ? (document.getIn(segments, true) as Node | undefined) : keyNode(document, segments, extra);
  const position = node?.range ? lineCounter.linePos(node.range[0]) : null;
  const bad = extra === null ? valueAt(root, segments) : undefined;
  return {
    line: position?.line ?? null,
    column: position?.col ?? null,
    keyPath: keySegments.join('.'),
    message: messageOf(error, bad, extra),
    fix: fixOf(error, keySegments),
  };
}

function keyNode(document: Document, segments: string[], key: string): Node | undefined {
  const parent = segments.length === 0 ? document.contents : document.getIn(segments, true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

function valueAt(root: unknown, segments: string[]): unknown {
  let value = root;
  for (const segment of segments) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}

function messageOf(error: ErrorObject, bad: unknown, extra: string | null): string {
  if (extra !== null) return `unknown key '${extra}'`;
  const shown = JSON.stringify(bad);
  switch (error.keyword) {
    case 'type':
      return `${shown} is not ${article(String(error.params.type))}`;
    case 'enum':
      return `${shown} is not one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'duration':
      return `${shown} is not a duration ${error.schema === 'zeroAllowed' ? '≥' : '>'} 0`;
    case 'percentage':
      return `${shown} ${error.message ?? 'is not a percentage'}`;
    case 'format':
      return `${shown} is not an http(s) URL`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${shown} ${error.message ?? 'is out of range'}`;
    case 'anyOf':
      return `${shown} is not valid here`;
    default:
      return `${shown} ${error.message ?? 'is invalid'}`;
  }
}

function fixOf(error: ErrorObject, keySegments: string[]): string {
  const key = keySegments.at(-1) ?? '';
  if (error.keyword === 'additionalProperties') return `remove it or correct its spelling (known here: ${knownKeys(keySegments.slice(0, -1)).join(', ')})`;
  if (error.keyword === 'enum') return `use one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  if (error.keyword === 'percentage') return `write ${PERCENTAGE_FORMS} (5% is the fraction 0.05)`;
  if (error.keyword === 'duration') return `write ${DURATION_FORMS}, e.g. 30s, 2m or 90`;
  if (error.params.format === 'http-url') return 'write a base URL such as http://127.0.0.1:3000';
  if (keySegments[0] === 'thresholds') return 'give milliseconds (e.g. 500), or null to switch the level off';
  if (key === 'instances' || key === 'maxSteps') return 'give a whole number ≥ 1';
  if (key === 'rate' || key === 'from') return 'give requests per second, a number > 0';
  return `give ${article(String(error.params.type ?? 'a valid value'))}`;
}

function knownKeys(segments: string[]): string[] {
  let schema: { properties?: Record<string, unknown> } = CONFIG_SCHEMA as never;
  for (const segment of segments) schema = (schema.properties?.[segment] ?? {}) as typeof schema;
  return Object.keys(schema.properties ?? {});
}

function article(type: string): string {
  if (type === 'integer') return 'a whole number';
  if (type === 'object') return 'a mapping (key: value lines)';
  if (type === 'array') return 'a list';
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** anyOf produces one error per branch at the same key: keep the first per key path. */
function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.keyPath}@${p.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
