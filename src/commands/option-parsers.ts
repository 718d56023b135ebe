/** Commander argument parsers that turn bad flag values into clear usage errors. */
import { InvalidArgumentError } from 'commander';
import { DURATION_FORMS, parseDurationSetting } from '../scenario/duration-setting.js';
import { parsePercentageSetting, type PercentageRange } from '../config/percentage-setting.js';

/** An integer ≥ `min`. */
export function parseInteger(min: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}, got "${value}"`);
    }
    return parsed;
  };
}

export function parsePort(value: string): number {
  const port = parseInteger(0)(value);
  if (port > 65535) throw new InvalidArgumentError(`expected a port 0–65535, got "${value}"`);
  return port;
}

/**
 * A duration flag (`--duration`, `--step-duration`, …) in milliseconds, > 0, in the grammar the environment
 * and the config file share (scenario/duration-setting.ts). Commander puts the flag's name before the message.
 */
export function parseDurationFlag(value: string): number {
  const ms = parseDurationSetting(value);
  if (ms === null) throw new InvalidArgumentError(`expected a duration such as 30s or 2m (${DURATION_FORMS}), got "${value}"`);
  return ms;
}

/**
 * A percentage flag (`--precision`, `--max-regression`, …) as a fraction: `10%` → 0.1, in the grammar the
 * config file shares (config/percentage-setting.ts); a bare number other than 0 is refused as ambiguous.
 */
export function parsePercentageFlag(range: PercentageRange): (value: string) => number {
  return (value) => {
    const result = parsePercentageSetting(value, range);
    if ('problem' in result) throw new InvalidArgumentError(`${value.trim()} ${result.problem}`);
    return result.fraction;
  };
}

/** `--max-regression` / `--warn-regression`: `10%`, of any size (a metric may get twice as bad: 100%). */
export const parseRegressionLimitFlag = parsePercentageFlag({ min: 0 });
