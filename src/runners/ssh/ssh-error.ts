/** Errors of the SSH fleet: a host unreachable, refused, unauthenticated or misconfigured. */
import { EXIT_CODES, LoadctlError } from '../../errors/loadctl-error.js';

/** Something about an SSH host stops the fleet; the message names the host, the hint the next step. */
export class SshError extends LoadctlError {
  override readonly code = 'SSH';
  // Same code as `doctor` failing: the machines, not the invocation, need fixing.
  override readonly exitCode = EXIT_CODES.environment;
}
