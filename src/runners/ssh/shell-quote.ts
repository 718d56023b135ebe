/**
 * POSIX shell quoting for remote commands. Every argument of every command loadctl runs over SSH goes
 * through `quoteShellArg`: the remote login shell parses the command line, so an unquoted path, env
 * value or scenario name could run code there.
 */
import { SshError } from './ssh-error.js';

/**
 * One argument as a single-quoted POSIX shell word. Inside single quotes nothing is special, so the
 * only character to handle is `'` itself: end the quote, add an escaped quote, reopen. Newlines,
 * `$(…)`, backticks, `;` and globs stay literal. NUL cannot be passed in an argv at all: refused.
 */
export function quoteShellArg(value: string): string {
  if (value.includes('\0')) throw new SshError(`a remote command argument contains a NUL byte: ${JSON.stringify(value)}`, { hint: 'remove the NUL character from the value' });
  if (/^[A-Za-z0-9_\-+=.,/:@%]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line from an argv, every word quoted. */
export function quoteShellCommand(argv: readonly string[]): string {
  return argv.map(quoteShellArg).join(' ');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `NAME=value` words for a remote environment (set by the remote wrapper, not sshd's AcceptEnv). */
export function envAssignments(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name)) throw new SshError(`invalid environment variable name for a remote command: ${JSON.stringify(name)}`, { hint: 'names must match [A-Za-z_][A-Za-z0-9_]*' });
    return `${name}=${value}`;
  });
}
