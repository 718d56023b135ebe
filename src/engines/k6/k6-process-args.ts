/**
 * The `k6 run` command line of one k6 instance (DESIGN.md, k6 facts): paused until the controller's
 * start instant, its REST API on a loopback port of its own, and this instance's execution segment
 * of a sequence shared by the whole fleet, so k6 stripes the iterations exactly as loadctl's split does.
 * Pure: table-tested.
 */

/** The compiled script's environment knobs for the agent (read by k6-entry.ts's handleSummary and setup). */
export const K6_SCRIPT_ENV = {
  resultFile: 'LOADCTL_RESULT',
  runId: 'LOADCTL_RUN_ID',
  host: 'LOADCTL_HOST',
  k6Version: 'LOADCTL_K6_VERSION',
} as const;

export interface K6RunArgsInput {
  scriptPath: string;
  /** `127.0.0.1:<port>`: k6 v2 starts its REST API only when given `--address` (v1 defaulted to localhost:6565). */
  address: string;
  instance: { index: number; count: number };
  /** `-e KEY=VALUE` pairs, in order. */
  env: Record<string, string>;
}

export function buildK6RunArgs(input: K6RunArgsInput): string[] {
  const { index, count } = input.instance;
  const env = Object.entries(input.env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
  return [
    'run',
    // k6 initialises every VU, then waits at status 4 (PausedBeforeRun) for a PATCH paused:false.
    '--paused',
    '--address',
    input.address,
    '--execution-segment',
    executionSegment(index, count),
    '--execution-segment-sequence',
    executionSegmentSequence(count),
    '--no-usage-report',
    // No progress bar: nobody watches this terminal, the agent reports progress over the protocol.
    '--quiet',
    ...env,
    input.scriptPath,
  ];
}

/** Instance `index` of `count`: `0:1/3`, `1/3:2/3`, `2/3:1` (what k6-summary's instanceOfSegment reads back). */
export function executionSegment(index: number, count: number): string {
  if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1 || index < 0 || index >= count) {
    throw new RangeError(`instance ${index} of ${count} is not an instance of the fleet`);
  }
  return `${fraction(index, count)}:${fraction(index + 1, count)}`;
}

/** `0,1/3,2/3,1`: the same on every instance, so k6 stripes iterations over equal segments. */
export function executionSegmentSequence(count: number): string {
  return Array.from({ length: count + 1 }, (_, k) => fraction(k, count)).join(',');
}

function fraction(numerator: number, denominator: number): string {
  if (numerator === 0) return '0';
  if (numerator === denominator) return '1';
  return `${numerator}/${denominator}`;
}
