/**
 * Preflight (issue 18): before any instance is launched, the controller opens one TCP connection to the
 * target's host:port. A run against a port where nothing listens used to spend its whole duration and
 * then report CRITICAL with "0 ms" percentiles; now it stops in seconds, naming the URL and the cause.
 * Checked from the controller only: an SSH fleet host may see the target differently (docs/run-report.md).
 */
import { connect } from 'node:net';
import { EXIT_CODES, LoadctlError } from '../../contract/loadctl-error.js';

/** How long the connection may take before the target counts as unreachable. */
export const PREFLIGHT_TIMEOUT_MS = 3000;

/** The target did not accept a TCP connection: the fleet could not start (exit 5), nothing was launched. */
export class TargetUnreachableError extends LoadctlError {
  override readonly code = 'TARGET_UNREACHABLE';
  override readonly exitCode = EXIT_CODES.service;
}

/** host and port the target URL connects to: its own port, else 443 for https and 80 for http. */
export function targetAddressOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  // URL keeps an IPv6 literal in brackets ([::1]); net.connect wants it bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port !== '' ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { host, port };
}

/** Resolves once a TCP connection to the target's host:port opened (and closes it); throws TargetUnreachableError otherwise. */
export async function preflightTarget(url: string, timeoutMs = PREFLIGHT_TIMEOUT_MS): Promise<void> {
  const { host, port } = targetAddressOf(url);
  const failure = await new Promise<string | null>((resolve) => {
    const socket = connect({ host, port });
    const finish = (outcome: string | null) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => finish(`timed out after ${timeoutMs / 1000} s`));
    socket.once('connect', () => finish(null));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(describeConnectError(error)));
  });
  if (failure === null) return;
  throw new TargetUnreachableError(`the target ${url} is unreachable: ${failure} (${host}:${port}); no load was started`, {
    hint: 'is the service running and listening there? Check --target (or API_URL / target.url in the config); `loadctl target start` runs the bundled service. --no-preflight skips this check',
  });
}

/** A connect error in words: the three a user can act on by name, else the system's code. */
function describeConnectError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ETIMEDOUT':
      return 'timed out';
    default:
      return error.code ?? error.message;
  }
}
