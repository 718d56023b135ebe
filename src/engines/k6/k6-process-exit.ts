/**
 * How a k6 process ended, in one shape whether it succeeded or failed (STYLE.md §5, execa's result
 * objects), and what its exit code means. The codes are k6's own (errext/exitcodes; DESIGN.md, k6 facts).
 * Pure: tests feed it exits.
 */

export interface K6Exit {
  /** null when k6 was killed by a signal or could not be started at all. */
  exitCode: number | null;
  signal: string | null;
  /** The last lines k6 wrote (stderr and stdout), for messages. */
  outputTail: string;
  /** Why k6 could not be started (spawn error), if that is what happened. */
  spawnError?: string;
}

/** k6's exit codes (errext/exitcodes) → what they mean, in words a user can act on. */
export const K6_EXIT_MEANINGS: Readonly<Record<number, string>> = {
  0: 'success',
  97: 'cloud test run failed',
  98: 'cloud progress could not be fetched',
  99: 'thresholds failed',
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'generic timeout',
  103: 'stopped via the REST API',
  104: 'invalid configuration',
  105: 'aborted by a signal (SIGINT/SIGTERM)',
  106: 'the REST API could not start (is the --address port in use?)',
  107: 'script exception',
  108: 'script aborted with exec.test.abort()',
  109: 'k6 crashed (Go panic)',
  110: 'script marked the test as failed with exec.test.fail()',
  255: 'k6 error (bad flag, unreadable script, …)',
};

/** Exits after which the script's handleSummary ran and wrote the InstanceResult (a finished or stopped run). */
export const K6_SUMMARY_EXIT_CODES: ReadonlySet<number> = new Set([0, 99, 103, 105]);

/** "exit code 107 (script exception)" / "killed by SIGKILL" / "could not be started: …". */
export function describeK6ExitCode(exit: K6Exit): string {
  if (exit.spawnError) return `could not be started: ${exit.spawnError}`;
  if (exit.exitCode === null) return `was killed by ${exit.signal ?? 'a signal'}`;
  const meaning = K6_EXIT_MEANINGS[exit.exitCode];
  return `exited with code ${exit.exitCode}${meaning ? ` (${meaning})` : ''}`;
}

/** The full message for a k6 that ended without a result: how it ended plus the last lines it wrote. */
export function describeK6Failure(exit: K6Exit, when: string): string {
  const tail = lastLines(exit.outputTail, 6);
  return `k6 ${describeK6ExitCode(exit)} ${when}${tail ? `; its last output:\n${tail}` : ' and wrote nothing'}`;
}

function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}
