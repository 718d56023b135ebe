/** Prints an error for a person and returns the exit code: actionable text for ours, a stack for bugs. */
import { EXIT_CODES, LoadctlError } from './loadctl-error.js';

export function reportError(error: unknown, write: (line: string) => void = (line) => console.error(line)): number {
  if (error instanceof LoadctlError) {
    write(`loadctl: ${error.message}`);
    if (error.hint) write(`  → ${error.hint}`);
    return error.exitCode;
  }
  write(`loadctl: unexpected error (this is a bug in loadctl; please report it with the output below)`);
  write(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return EXIT_CODES.internal;
}
