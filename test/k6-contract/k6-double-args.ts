// Test double, NOT k6: parses the part of k6's documented `k6 run` command line the loadctl k6 agent uses; never used to claim k6 was run.
/**
 * Flags per k6's `k6 run --help`: `--paused`/`-P`, `--address`/`-a host:port`, `--execution-segment`,
 * `--execution-segment-sequence`, `--no-usage-report`, `--quiet`/`-q`, `-e`/`--env KEY=VALUE`, then the
 * script. Anything else is refused the way k6 refuses an unknown flag (exit 255), so the agent cannot
 * come to rely on a flag the contract does not have.
 */

export interface DoubleRunArgs {
  paused: boolean;
  address: string | null;
  executionSegment: string | null;
  executionSegmentSequence: string | null;
  env: Record<string, string>;
  script: string;
}

export class DoubleUsageError extends Error {}

const VALUE_FLAGS: Record<string, 'address' | 'executionSegment' | 'executionSegmentSequence' | 'env'> = {
  '--address': 'address',
  '-a': 'address',
  '--execution-segment': 'executionSegment',
  '--execution-segment-sequence': 'executionSegmentSequence',
  '--env': 'env',
  '-e': 'env',
};
const BOOLEAN_FLAGS = new Set(['--paused', '-P', '--no-usage-report', '--quiet', '-q', '--no-color']);

export function parseDoubleRunArgs(argv: string[]): DoubleRunArgs {
  const args: DoubleRunArgs = { paused: false, address: null, executionSegment: null, executionSegmentSequence: null, env: {}, script: '' };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitInline(argv[i]!);
    if (BOOLEAN_FLAGS.has(flag)) {
      if (flag === '--paused' || flag === '-P') args.paused = true;
      continue;
    }
    const key = VALUE_FLAGS[flag];
    if (key) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new DoubleUsageError(`flag needs an argument: ${flag}`);
      if (key === 'env') addEnv(args.env, value);
      else args[key] = value;
      continue;
    }
    if (flag.startsWith('-')) throw new DoubleUsageError(`unknown flag: ${flag}`);
    positional.push(argv[i]!);
  }
  if (positional.length !== 1) throw new DoubleUsageError(`accepts 1 arg(s), received ${positional.length}`);
  args.script = positional[0]!;
  return args;
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
  return eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function addEnv(env: Record<string, string>, pair: string): void {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new DoubleUsageError(`invalid environment variable '${pair}': expected KEY=VALUE`);
  env[pair.slice(0, eq)] = pair.slice(eq + 1);
}
