/**
 * Durations as scenario files and the seed's `DURATION` knob write them: k6's syntax (`'30s'`, `'2m'`,
 * `'1m30s'`, `'500ms'`, `'1h'`) or a number of milliseconds. Plain ES: the compiled k6 script uses it too.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART_PATTERN = /(\d+(?:\.\d+)?)(ms|s|m|h)/;

/** Milliseconds of a duration, or null when `value` is not one (callers word the error). */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!DURATION_PATTERN.test(text)) return null;
  let total = 0;
  // An exec loop rather than matchAll: this runs in k6's JS runtime too.
  const parts = new RegExp(PART_PATTERN.source, 'g');
  for (let match = parts.exec(text); match; match = parts.exec(text)) total += Number(match[1]) * UNIT_MS[match[2]!]!;
  return Math.round(total * 1000) / 1000;
}

/** A duration for people and for k6 options: whole units where exact (`'30s'`, `'2m'`), else `'1500ms'`. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
