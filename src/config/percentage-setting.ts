/**
 * The one percentage grammar of flags and loadctl.config.yaml (issue 17): a percentage is written with
 * its % sign, `10%` (= the fraction 0.1) or `0.5%`. A bare number is refused, because it reads two ways
 * (`--max-regression 0.1` meant 0.1 % while `precision: 0.1` meant 10 %) — except 0, which is the same
 * either way. Scenario files are TypeScript and keep their fractions (0.05 = 5 %).
 */

/** The accepted forms, for every message that refuses a percentage. */
export const PERCENTAGE_FORMS = 'a number with the % sign, e.g. 10% or 0.5%';

/** Bounds of one setting, as fractions (1 = 100 %). */
export interface PercentageRange {
  min: number;
  max?: number;
  /** The bounds themselves are refused (`--precision` must lie strictly between 0 % and 100 %). */
  exclusive?: boolean;
}

export type PercentageResult = { fraction: number } | { problem: string };

const WITH_SIGN = /^(\d+(?:\.\d+)?)\s*%$/;
const BARE = /^\d+(?:\.\d+)?$/;

/** The fraction of `10%` (0.1), or what is wrong, in words that follow the value ("is ambiguous: …"). */
export function parsePercentageSetting(value: string | number, range: PercentageRange): PercentageResult {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const signed = WITH_SIGN.exec(text);
  if (!signed && !BARE.test(text)) return { problem: `is not a percentage: write ${PERCENTAGE_FORMS}` };
  const number = Number(signed ? signed[1] : text);
  if (!signed && number !== 0) return { problem: `is ambiguous: write ${percentOf(number)} or ${text}%` };
  const fraction = Number((number / 100).toPrecision(12));
  return inRange(fraction, range) ? { fraction } : { problem: `is out of range: ${describeRange(range)}` };
}

/** `10%` for the fraction 0.1, exactly as a person writes it. */
export function percentOf(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(12))}%`;
}

function inRange(fraction: number, { min, max, exclusive }: PercentageRange): boolean {
  if (exclusive) return fraction > min && (max === undefined || fraction < max);
  return fraction >= min && (max === undefined || fraction <= max);
}

function describeRange({ min, max, exclusive }: PercentageRange): string {
  const [above, below] = exclusive ? ['more than', 'less than'] : ['at least', 'at most'];
  return max === undefined ? `give ${above} ${percentOf(min)}` : `give ${above} ${percentOf(min)} and ${below} ${percentOf(max)}`;
}
