/**
 * Preflight (issue 18): before any instance is launched, the controller opens one TCP connection to the
 * target's host:port. A run against a port where nothing listens used to spend its whole duration and
 * then report CRITICAL with "0 ms" percentiles; now it stops in seconds, naming the URL and the cause.
 * Checked from the controller only: an SSH fleet host may see the target differently (docs/run-report.md).
 */
import { connect } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { serverNameOf, targetAddressOf } from '../net/target-address.js';
import { CLOSED_AFTER_HANDSHAKE, describeTlsFailure, isTlsErrorCode, secureContextOf, type TlsMaterial } from '../net/tls-material.js';
import { EXIT_CODES, LoadctlError } from '../errors/loadctl-error.js';

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
 * Resolves once the target accepted a TCP connection — and for https, completed a TLS handshake with
 * the run's own trust and client certificate and answered one HEAD request (TLS 1.3 servers reject a
 * missing client certificate only after the handshake) — then closes it. Throws TargetUnreachableError
 * or TargetTlsError otherwise, before any instance exists.
 */
export async function preflightTarget(url: string, tls: PreflightTls = { insecure: false, material: {} }, timeoutMs = PREFLIGHT_TIMEOUT_MS): Promise<void> {
  const address = targetAddressOf(url);
  const { hostname: host, port } = address;
  const failure = await new Promise<{ code: string; tls: boolean } | null>((resolve) => {
    const socket = address.tls
      ? connectTls({
          host,
          port,
          secureContext: secureContextOf(tls.material),
          rejectUnauthorized: !tls.insecure,
          ALPNProtocols: ['http/1.1'],
          ...(serverNameOf(host) ? { servername: serverNameOf(host)! } : {}),
        })
      : connect({ host, port });
    const finish = (outcome: { code: string; tls: boolean } | null) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => finish({ code: `timed out after ${timeoutMs / 1000} s`, tls: false }));
    if (address.tls) {
      socket.once('secureConnect', () => socket.write(`HEAD ${address.basePath}/ HTTP/1.1\r\nHost: ${address.hostHeader}\r\nConnection: close\r\n\r\n`));
      socket.once('data', () => finish(null));
      // Closed with no answer at all: what a server does when it drops a client certificate it does not trust.
      socket.once('end', () => finish({ code: CLOSED_AFTER_HANDSHAKE, tls: true }));
    } else {
      socket.once('connect', () => finish(null));
    }
    socket.once('error', (error: NodeJS.ErrnoException) => finish(isTlsErrorCode(error.code) ? { code: error.code!, tls: true } : { code: describeConnectError(error), tls: false }));
  });
  if (failure === null) return;
  if (failure.tls) {
    const { cause, fix } = describeTlsFailure(failure.code, address.hostname);
    throw new TargetTlsError(`the target ${url} failed the TLS check: ${cause}; no load was started`, { hint: `${fix}. --no-preflight skips this check` });
  }
  throw new TargetUnreachableError(`the target ${url} is unreachable: ${failure.code} (${host}:${port}); no load was started`, {
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
