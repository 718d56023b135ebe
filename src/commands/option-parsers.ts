/** Commander argument parsers that turn bad flag values into clear usage errors. */
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../scenario/duration.js';

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

/** A bare number of seconds, as `--duration 30` has always meant for `compile` and `phase`. */
const BARE_SECONDS = /^\d+(\.\d+)?$/;

/**
 * A duration flag (`--duration`, `--step-duration`, …) in milliseconds, > 0: k6's forms (`30s`, `2m`,
 * `1h30m`, `500ms`) or a bare number of seconds. Commander puts the flag's name before the message.
 */
export function parseDurationFlag(value: string): number {
  const ms = parseDuration(BARE_SECONDS.test(value) ? `${value}s` : value);
  if (ms === null || ms <= 0) {
    throw new InvalidArgumentError(`expected a duration such as 30s or 2m (a number with a unit ms, s, m or h, units combined as in 1h30m, or a bare number of seconds), got "${value}"`);
  }
  return ms;
}
