// Test double, NOT k6: how the k6 contract double takes TLS from what it is given (script options, environment); never used to claim k6 was run.
/**
 * The double honours the three TLS inputs the k6 agent can give k6, with Go's meaning as far as a
 * Node HTTP client can have it, so a test passes only if the agent passed them:
 * - `options.insecureSkipTLSVerify: true` → no certificate is verified;
 * - `options.tlsAuth[0]` (PEM the script's init read with `open()`) → presented as the client certificate
 *   (only the first; `domains` ignored — k6 presents a domain-less one to any server that asks);
 * - `SSL_CERT_FILE` in its process environment → the ONLY roots it trusts (stricter than Go on Linux,
 *   which also reads its default directories); unset → Node's default roots.
 * It does not check what k6 would beyond that: cipher suites, TLS versions, renegotiation, Go's own
 * certificate parsing (a PEM Go refuses may pass here), or k6's exact error codes for every failure.
 */
import { readFileSync, statSync } from 'node:fs';
import type { K6Options } from '../../src/engines/k6/k6-options.js';

/** What the request thread's HTTP client uses (service-thread.ts). */
export interface DoubleClientTls {
  insecure: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

/** What the double saw, logged as its `tls` event so a test can assert what the agent passed. */
export interface DoubleTlsSeen {
  insecureSkipTLSVerify: boolean;
  tlsAuth: number;
  /** SSL_CERT_FILE as k6 would see it, its permission bits and how many certificates it holds. */
  sslCertFile: { path: string; mode: number; certificates: number } | null;
}

export function doubleClientTls(options: K6Options, env: NodeJS.ProcessEnv): { tls: DoubleClientTls; seen: DoubleTlsSeen } {
  const caFile = env.SSL_CERT_FILE;
  const ca = caFile ? readFileSync(caFile, 'utf8') : undefined;
  const auth = options.tlsAuth?.[0];
  return {
    tls: { insecure: options.insecureSkipTLSVerify === true, ...(ca ? { ca } : {}), ...(auth ? { cert: auth.cert, key: auth.key } : {}) },
    seen: {
      insecureSkipTLSVerify: options.insecureSkipTLSVerify === true,
      tlsAuth: options.tlsAuth?.length ?? 0,
      sslCertFile: caFile && ca !== undefined ? { path: caFile, mode: statSync(caFile).mode & 0o777, certificates: ca.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0 } : null,
    },
  };
}

/** Node's code of a failed request → the code k6 gives it (lib/netext/httpext/error_codes.go), or null if not TLS. */
export function k6TlsErrorCode(code: string | undefined): number | null {
  if (!code) return null;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 1311; // x509.HostnameError
  if (/^(UNABLE_TO_|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_)/.test(code)) return 1310; // x509.UnknownAuthorityError (and kin)
  // A server's alert (e.g. it wants a client certificate) reaches Go as net.OpError{Op: "remote error"} with no Net: k6's non-TCP code.
  if (/^ERR_SSL_.*ALERT/.test(code)) return 1010;
  if (/^ERR_SSL_/.test(code)) return 1300; // tls.RecordHeaderError and other handshake failures
  return null;
}
