/** Errors of the SSH fleet: a host unreachable, refused, unauthenticated or misconfigured. */
import { EXIT_CODES, LoadctlError, type LoadctlErrorOptions } from '../../../contract/loadctl-error.js';

/** Where a connection failed: the network, the host-key check, or authentication. */
export type SshStage = 'connect' | 'host-key' | 'auth' | 'remote';

/** Something about an SSH host stops the fleet; the message names the host, the hint the next step. */
export class SshError extends LoadctlError {
  override readonly code = 'SSH';
  // Same code as `doctor` failing: the machines, not the invocation, need fixing.
  override readonly exitCode = EXIT_CODES.environment;
  readonly stage: SshStage;

  constructor(message: string, options: LoadctlErrorOptions & { stage?: SshStage } = {}) {
    super(message, options);
    this.stage = options.stage ?? 'remote';
  }
}
