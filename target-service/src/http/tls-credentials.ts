/**
 * Reads the service's TLS files into node:https server options, turning every unreadable, non-PEM or
 * mismatched file into a UsageError that names the flag and the file (exit 2, no stack trace).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import { UsageError } from '../../../contract/loadctl-error.js';
import type { TlsFiles } from '../service-options.js';

/** What `https.createServer` needs: the PEM texts, the mTLS switches and ALPN. */
export type TlsServerOptions = Pick<ServerOptions, 'cert' | 'key' | 'ca' | 'requestCert' | 'rejectUnauthorized' | 'ALPNProtocols'>;

/** Reads and checks the files; with a client CA, clients must present a certificate it signed. */
export function readTlsCredentials(files: TlsFiles): TlsServerOptions {
  const cert = readPem('--tls-cert', files.cert, 'CERTIFICATE');
  const key = readPem('--tls-key', files.key, 'PRIVATE KEY');
  checkCertificate('--tls-cert', files.cert, cert);
  checkPrivateKey(files.key, key);
  const ca = files.clientCa === undefined ? undefined : readPem('--tls-client-ca', files.clientCa, 'CERTIFICATE');
  if (ca !== undefined) checkCertificate('--tls-client-ca', files.clientCa!, ca);
  const options: TlsServerOptions = {
    cert,
    key,
    // The service speaks HTTP/1.1 only; saying so in ALPN keeps clients from offering h2 and failing.
    ALPNProtocols: ['http/1.1'],
    ...(ca === undefined ? {} : { ca, requestCert: true, rejectUnauthorized: true }),
  };
  checkPair(files, options);
  return options;
}

function readPem(flag: string, file: string, label: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`${flag} ${file}: cannot read the file (${code})`, { hint: `pass a readable PEM file to ${flag}`, cause: error });
  }
  // "BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY" and "BEGIN EC PRIVATE KEY" all end in the label.
  if (!new RegExp(`-----BEGIN [A-Z0-9 ]*${label}-----`).test(text)) {
    throw new UsageError(`${flag} ${file}: not a PEM file holding a ${label.toLowerCase()} (no "-----BEGIN …${label}-----" line)`, {
      hint: `convert it with openssl (e.g. \`openssl ${label === 'CERTIFICATE' ? 'x509' : 'pkey'} -inform der -in FILE -out FILE.pem\`) and pass the PEM file to ${flag}`,
    });
  }
  return text;
}

function checkCertificate(flag: string, file: string, pem: string): void {
  try {
    new X509Certificate(pem);
  } catch (error) {
    throw new UsageError(`${flag} ${file}: the PEM certificate cannot be parsed (${(error as Error).message})`, { hint: `pass a valid PEM certificate to ${flag}`, cause: error });
  }
}

function checkPrivateKey(file: string, pem: string): void {
  try {
    createPrivateKey(pem);
  } catch (error) {
    throw new UsageError(`--tls-key ${file}: the PEM private key cannot be read (${(error as Error).message})`, {
      hint: 'pass an unencrypted PEM private key to --tls-key (encrypted keys are not supported)',
      cause: error,
    });
  }
}

/** A certificate and a key that do not belong together would only fail at the first handshake. */
function checkPair(files: TlsFiles, options: TlsServerOptions): void {
  try {
    createSecureContext(options);
  } catch (error) {
    throw new UsageError(`--tls-cert ${files.cert} and --tls-key ${files.key} do not go together (${(error as Error).message})`, {
      hint: 'pass the private key that belongs to the certificate',
      cause: error,
    });
  }
}
