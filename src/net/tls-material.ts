/**
 * TLS towards the target (issue 19): what a generator trusts and presents. The controller reads the
 * files a user named (`--ca`, `--cert`, `--key`, or `target.ca|cert|key` in the config) and ships their
 * PEM text to every agent in `prepare`, so a fleet host needs no copy of them. Trust is the system's
 * CA store (Node's bundled roots plus the distribution's bundle) plus the user's CA; `insecure` (k6's
 * insecureSkipTLSVerify) verifies nothing and every report says so.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

/** PEM text, as it travels in the agent protocol. */
export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Distribution CA bundles, first found wins (SSL_CERT_FILE first, as OpenSSL and Go read it). */
const SYSTEM_CA_FILES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/** The system's extra CA certificates (a corporate root installed there is trusted like a browser would), or none. */
export function systemCaBundle(env: Record<string, string | undefined> = process.env): string | undefined {
  for (const file of [env.SSL_CERT_FILE, ...SYSTEM_CA_FILES]) {
    if (!file) continue;
    try {
      return readFileSync(file, 'utf8');
    } catch {
      // not this distribution's path
    }
  }
  return undefined;
}

/**
 * What every engine trusts, as PEM texts: Node's bundled roots, the system's bundle (none when
 * undefined) and the user's CA. The node engine builds its context from it; the rust engine and k6
 * (through SSL_CERT_FILE) get it joined into one bundle.
 */
export function trustedCaPems(ca: string | undefined, systemBundle: string | undefined): string[] {
  return [...rootCertificates, ...(systemBundle ? [systemBundle] : []), ...(ca ? [ca] : [])];
}

/**
 * One context per worker (parsing a CA bundle per connection would cost more than the request): the
 * trusted roots and the client certificate. Throws what OpenSSL says of unusable PEM (the controller
 * builds one first, so a bad file is refused before anything starts).
 */
export function secureContextOf(material: TlsMaterial, systemBundle = systemCaBundle()): SecureContext {
  const ca = trustedCaPems(material.ca, systemBundle);
  return createSecureContext({ ca, ...(material.cert ? { cert: material.cert } : {}), ...(material.key ? { key: material.key } : {}) });
}

/** OpenSSL / Node codes of a failed TLS handshake or certificate check (the `tls` outcome class). */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A socket error that is a TLS failure rather than a network one. */
export function isTlsErrorCode(code: string | undefined): boolean {
  return code !== undefined && (CERTIFICATE_CODES.has(code) || /^ERR_(SSL|TLS)_/.test(code));
}

/** The preflight's code for a server that closed the connection after the handshake without answering a request. */
export const CLOSED_AFTER_HANDSHAKE = 'CLOSED_AFTER_HANDSHAKE';

/** What a TLS failure means and what to do about it, in the words of the verdict and the preflight. */
export function describeTlsFailure(code: string, host: string): { cause: string; fix: string } {
  const verifyOrSkip = 'or --insecure to skip verification (the report then says it was off)';
  switch (code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_UNTRUSTED':
    case 'INVALID_CA':
      return { cause: `the certificate of ${host} is not signed by a CA the generator trusts (${code})`, fix: `pass --ca FILE (or target.ca in the config) with the CA that signed it, ${verifyOrSkip}` };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH':
      return { cause: `the certificate does not name the host ${host} (${code})`, fix: `use in --target a host name the certificate was issued for, ${verifyOrSkip}` };
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return { cause: `the certificate of ${host} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'} (${code})`, fix: `renew it (or check the generator's clock), ${verifyOrSkip}` };
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
      return { cause: `${host} requires a client certificate (${code})`, fix: 'pass --cert FILE --key FILE (or target.cert / target.key) with one its CA accepts' };
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN':
      return { cause: `${host} refused the client certificate (${code})`, fix: 'pass with --cert / --key a certificate signed by a CA the target trusts' };
    case CLOSED_AFTER_HANDSHAKE:
      return { cause: `${host} closed the connection after the TLS handshake without answering: it refused the client certificate, or serves no HTTP there`, fix: 'pass with --cert / --key a client certificate its CA accepts, and check the URL' };
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return { cause: `${host} did not answer in TLS (${code}): it may serve plain HTTP on that port`, fix: 'use an http:// target URL, or the port where the service serves HTTPS' };
    default:
      return { cause: `the TLS handshake with ${host} failed (${code})`, fix: `check the target's TLS setup; --ca, --cert/--key ${verifyOrSkip}` };
  }
}
