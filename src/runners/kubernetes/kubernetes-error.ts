/** Errors of the kubernetes runner: the cluster unreachable, a permission missing, pods that never run. */
import { ApiException } from '@kubernetes/client-node';
import { EXIT_CODES, LoadctlError } from '../../../contract/loadctl-error.js';

/** Something about the cluster stops the run; the message names the object and the reason, the hint the next step. */
export class KubernetesError extends LoadctlError {
  override readonly code = 'KUBERNETES';
  // As for an SSH host that refuses: the fleet could not start (exit 5).
  override readonly exitCode = EXIT_CODES.service;
}

/** The API server's own words for a failed call (its Status message), else the error's message. */
export function describeApiError(error: unknown): string {
  if (error instanceof ApiException) {
    const status = parseStatus(error.body);
    return status ? `${status} (HTTP ${error.code})` : `HTTP ${error.code}`;
  }
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** The HTTP status of a failed API call, or null when the server never answered. */
export function apiStatusCode(error: unknown): number | null {
  return error instanceof ApiException ? error.code : null;
}

function parseStatus(body: unknown): string | null {
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown } | undefined;
    return typeof status?.message === 'string' ? status.message : null;
  } catch {
    return typeof body === 'string' && body.length > 0 ? body.slice(0, 300) : null;
  }
}
