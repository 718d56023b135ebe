/**
 * Preflight (issue 18, TLS in issue 19): before any instance is launched, the controller checks the
 * target with probeTarget — a TCP connection, for https a handshake with the run's trust and client
 * certificate. A run against a port where nothing listens used to spend its whole duration and then
 * report CRITICAL with "0 ms" percentiles; now it stops in seconds, naming the URL, the cause and the
 * fix. Checked from the controller only; `fleet check` runs the same probe from every SSH host.
 */
import { EXIT_CODES, LoadctlError } from '../../contract/loadctl-error.js';
import { serverNameOf, targetAddressOf } from '../net/target-address.js';
import { CLOSED_AFTER_HANDSHAKE, describeTlsFailure, isTlsErrorCode, type TlsMaterial } from '../net/tls-material.js';
import { probeTarget, type TargetProbeRequest } from '../net/probe-target.js';

/** How long the connection may take before the target counts as unreachable. */
export const PREFLIGHT_TIMEOUT_MS = 3000;

/** The target's TLS handshake failed with the run's settings (certificate, host name, client certificate): exit 5, nothing launched. */
export class TargetTlsError extends LoadctlError {
  override readonly code = 'TARGET_TLS';
  override readonly exitCode = EXIT_CODES.service;
}

/** The target did not accept a TCP connection: the fleet could not start (exit 5), nothing was launched. */
export class TargetUnreachableError extends LoadctlError {
  override readonly code = 'TARGET_UNREACHABLE';
  override readonly exitCode = EXIT_CODES.service;
}

/** TLS options for the preflight handshake: those the engines use (policy from the config, PEM from readTlsMaterial). */
export interface PreflightTls {
  insecure: boolean;
  material: TlsMaterial;
}

/**
 * Resolves once the target accepted a TCP connection — and for https completed a TLS handshake with the
 * run's own trust and client certificate and answered (probeTarget) — then closes it. Throws
 * TargetUnreachableError or TargetTlsError otherwise, before any instance exists.
 */
export async function preflightTarget(url: string, tls: PreflightTls = { insecure: false, material: {} }, timeoutMs = PREFLIGHT_TIMEOUT_MS): Promise<void> {
  const outcome = await probeTarget(probeRequestOf(url, tls, timeoutMs));
  if (outcome.ok) return;
  const problem = describeProbeFailure(outcome.code, url);
  const Failure = problem.tls ? TargetTlsError : TargetUnreachableError;
  throw new Failure(`the target ${url} ${problem.tls ? 'failed the TLS check' : 'is unreachable'}: ${problem.cause}; no load was started`, { hint: `${problem.fix}. --no-preflight skips this check` });
}

/** What probeTarget needs for a target URL and the run's TLS settings. */
export function probeRequestOf(url: string, tls: PreflightTls, timeoutMs = PREFLIGHT_TIMEOUT_MS): TargetProbeRequest {
  const address = targetAddressOf(url);
  const servername = serverNameOf(address.hostname);
  return {
    host: address.hostname,
    port: address.port,
    tls: address.tls,
    ...(servername ? { servername } : {}),
    hostHeader: address.hostHeader,
    basePath: address.basePath,
    insecure: tls.insecure,
    ...tls.material,
    timeoutMs,
  };
}

/** A failed probe in words, with the fix: a TLS problem, or a target that is not there. */
export function describeProbeFailure(code: string, url: string): { tls: boolean; cause: string; fix: string } {
  const { hostname, port } = targetAddressOf(url);
  if (isTlsErrorCode(code) || code === CLOSED_AFTER_HANDSHAKE) return { tls: true, ...describeTlsFailure(code, hostname) };
  const cause = code === 'TIMEOUT' ? `timed out after ${PREFLIGHT_TIMEOUT_MS / 1000} s` : describeConnectError(code);
  return {
    tls: false,
    cause: `${cause} (${hostname}:${port})`,
    fix: 'is the service running and listening there? Check --target (or API_URL / target.url in the config); `loadctl target start` runs the bundled service',
  };
}

/** A connect error in words: the three a user can act on by name, else the system's code. */
function describeConnectError(code: string): string {
  switch (code) {
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
      return code;
  }
}
