/**
 * The k6 agent's side of TLS towards the target (issue 19): the PEM that `prepare` carries becomes
 * private files (mode 0600, in the session's own 0700 temp dir, removed with it when the agent ends)
 * named to k6 by environment — never written into the script, which may be shown.
 * - Client certificate: `-e LOADCTL_TLS_CERT_FILE / LOADCTL_TLS_KEY_FILE`; the script's init reads them
 *   with `open()` into `tlsAuth` (k6-tls.ts, k6-entry.ts).
 * - CA: k6 has no script option for one. Go's crypto/x509 on Linux and the other Unixes takes its roots
 *   from the file `SSL_CERT_FILE` names, instead of its default file list (root_unix.go; its default
 *   directories are still read). So k6 starts with SSL_CERT_FILE = a bundle of the roots the node engine
 *   trusts (Node's bundled roots, the system's bundle) plus the user's CA: public CAs stay trusted.
 *   macOS and Windows verify through the OS and ignore SSL_CERT_FILE: there a CA is refused up front.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemCaBundle, trustedCaPems, type TlsMaterial } from '../../net/tls-material.js';
import { K6_TLS_ENV } from './k6-tls.js';

/** Where Go reads extra roots from (crypto/x509, root_unix.go). */
export const GO_CERT_FILE_ENV = 'SSL_CERT_FILE';

export interface K6TlsEnvironment {
  /** `-e KEY=VALUE` for the script (the client certificate's files). */
  scriptEnv: Record<string, string>;
  /** Added to k6's process environment (SSL_CERT_FILE). */
  processEnv: Record<string, string>;
}

export interface WriteK6TlsOptions {
  /** The system's CA bundle (default: the one the node engine reads, tls-material.ts). */
  systemBundle?: string | undefined;
}

/** Why this k6 agent cannot honour the TLS material, or null: the message for a `usage` error. */
export function k6TlsProblem(material: TlsMaterial | undefined, platform: NodeJS.Platform): string | null {
  if (!material) return null;
  if (Boolean(material.cert) !== Boolean(material.key)) {
    return `prepare's options.tls has a client ${material.cert ? 'certificate without its key' : 'key without its certificate'}: send both (--cert FILE --key FILE)`;
  }
  if (material.ca && (platform === 'darwin' || platform === 'win32')) {
    return `k6 on ${platform === 'darwin' ? 'macOS' : 'Windows'} verifies certificates with the system's trust store and ignores SSL_CERT_FILE, so --ca cannot reach it: install the CA in the system's trust store and run without --ca, or run the k6 instances on Linux hosts`;
  }
  return null;
}

/** Writes the files into `dir` (the session's private temp dir) and says how to name them to k6. */
export async function writeK6TlsFiles(dir: string, material: TlsMaterial | undefined, options: WriteK6TlsOptions = {}): Promise<K6TlsEnvironment> {
  const environment: K6TlsEnvironment = { scriptEnv: {}, processEnv: {} };
  if (!material) return environment;
  if (material.cert && material.key) {
    environment.scriptEnv[K6_TLS_ENV.certFile] = await writePrivate(join(dir, 'client-cert.pem'), material.cert);
    environment.scriptEnv[K6_TLS_ENV.keyFile] = await writePrivate(join(dir, 'client-key.pem'), material.key);
  }
  if (material.ca) {
    const systemBundle = 'systemBundle' in options ? options.systemBundle : systemCaBundle();
    environment.processEnv[GO_CERT_FILE_ENV] = await writePrivate(join(dir, 'ca-bundle.pem'), trustBundle(material.ca, systemBundle));
  }
  return environment;
}

/** The node engine's trust (tls-material.ts secureContextOf) as one PEM file: Node's roots, the system's bundle, the user's CA. */
export function trustBundle(ca: string, systemBundle: string | undefined): string {
  return trustedCaPems(ca, systemBundle).map((pem) => pem.trim()).join('\n') + '\n';
}

async function writePrivate(path: string, pem: string): Promise<string> {
  // `mode` applies on creation; the dir is fresh, so the file is new.
  await writeFile(path, pem, { mode: 0o600, flag: 'wx' });
  return path;
}
