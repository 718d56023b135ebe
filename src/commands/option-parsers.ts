/** Commander argument parsers that turn bad flag values into clear usage errors. */
import { InvalidArgumentError } from 'commander';

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
