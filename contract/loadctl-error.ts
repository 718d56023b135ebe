/** Typed, actionable errors; the CLI entry point maps them to exit codes (see EXIT_CODES). */

export const EXIT_CODES = {
  ok: 0,
  /** An unexpected failure: a bug in loadctl. */
  internal: 1,
  /** Bad flags, config or input: fix the invocation and retry. */
  usage: 2,
  /** A service could not start or stop cleanly (port in use, store unreachable, drain timed out). */
  service: 5,
  /** `loadctl doctor` found something loadctl cannot work without (e.g. no usable k6). */
  environment: 6,
  /** Verdicts of a run or gate (docs/run-report.md, "Exit codes"): the target failed its critical levels. */
  critical: 10,
  /** A warning level was reached and `--fail-on warning` was given (otherwise a warning exits 0). */
  warning: 11,
  /** The fleet did not produce the planned load: not a verdict on the target. */
  generatorLimited: 12,
  /** An instance was lost or failed: the load was incomplete. */
  degraded: 13,
  /** `gate`: the report is of an interrupted run (its verdict covers only part of the plan), and not critical. */
  interruptedReport: 14,
  /** Stopped by Ctrl-C (128 + SIGINT, the shell convention); a partial report is still written. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export interface LoadctlErrorOptions {
  hint?: string;
  cause?: unknown;
}

/** Base class: `message` says what happened, `hint` the next step. */
export class LoadctlError extends Error {
  readonly code: string = 'LOADCTL_ERROR';
  readonly exitCode: ExitCode = EXIT_CODES.internal;
  readonly hint: string | undefined;

  constructor(message: string, options: LoadctlErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** A flag, config key or input value is invalid. */
export class UsageError extends LoadctlError {
  override readonly code = 'USAGE';
  override readonly exitCode = EXIT_CODES.usage;
}

/** The target-service (or another bundled service) failed to start, run or drain. */
export class ServiceError extends LoadctlError {
  override readonly code = 'SERVICE';
  override readonly exitCode = EXIT_CODES.service;
}
