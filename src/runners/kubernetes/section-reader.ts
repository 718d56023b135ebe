/**
 * Reads one section of the config file value by value, collecting every problem (key path, bad value,
 * fix) instead of stopping at the first, so a user fixes the whole section in one go.
 */
import type { ConfigProblem } from '../../errors/config-section-error.js';

export class SectionReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly section: string) {}

  problem(path: string, value: unknown, message: string, fix: string): void {
    this.problems.push({ path, value, message, fix });
  }

  /** A YAML mapping, or null (with a problem) when `raw` is anything else. */
  mapping(raw: unknown, path: string, fix: string): Record<string, unknown> | null {
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as Record<string, unknown>;
    this.problem(path, raw, 'must be a mapping', fix);
    return null;
  }

  /** Flags keys the section does not know, suggesting the near one (`namespce` → `namespace`). */
  unknownKeys(raw: Record<string, unknown>, path: string, known: readonly string[]): void {
    const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, '');
    for (const key of Object.keys(raw)) {
      if (known.includes(key)) continue;
      const near = known.find((name) => normalise(name) === normalise(key) || editDistance(normalise(name), normalise(key)) <= 2);
      this.problem(`${path}.${key}`, undefined, `unknown key in the ${this.section} section`, near ? `did you mean \`${near}\`?` : `known keys: ${known.join(', ')}`);
    }
  }

  /** An optional string matching `pattern`; undefined when absent or invalid (then with a problem). */
  string(value: unknown, path: string, pattern: RegExp, fix: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && pattern.test(value)) return value;
    this.problem(path, value, typeof value === 'string' ? 'is not valid here' : 'must be a string', fix);
    return undefined;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    if (value === undefined || value === null) return undefined;
    if (allowed.includes(value as T)) return value as T;
    this.problem(path, value, 'is not one of the allowed values', `one of ${allowed.join(', ')}`);
    return undefined;
  }

  integer(value: unknown, path: string, min: number, max: number, fix: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.problem(path, value, `must be an integer from ${min} to ${max}`, fix);
    return undefined;
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = current;
  }
  return previous[b.length]!;
}
