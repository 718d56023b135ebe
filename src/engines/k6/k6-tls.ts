/**
 * TLS towards the target in a compiled k6 script (issue 19), the part bundled into the script: which
 * files hold the client certificate. The script never carries PEM (it is written to disk and may be
 * shown): the k6 agent writes the certificate and key to private files and names them here; the
 * script's init code reads them with k6's `open()` into `tlsAuth`. Pure and free of k6 and Node imports.
 * Trust is not the script's business: k6 has no option for a CA (see k6-tls-files.ts).
 */
import { UsageError } from '../../../contract/loadctl-error.js';

/** The script's environment knobs for the client certificate (`k6 run -e KEY=PATH`). */
export const K6_TLS_ENV = {
  certFile: 'LOADCTL_TLS_CERT_FILE',
  keyFile: 'LOADCTL_TLS_KEY_FILE',
} as const;

export interface ClientCertificateFiles {
  certFile: string;
  keyFile: string;
}

/** The client certificate's files named in the environment, or null; one without the other is refused. */
export function clientCertificateFiles(env: Record<string, string | undefined>): ClientCertificateFiles | null {
  const certFile = env[K6_TLS_ENV.certFile];
  const keyFile = env[K6_TLS_ENV.keyFile];
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) {
    const [given, missing] = certFile ? [K6_TLS_ENV.certFile, K6_TLS_ENV.keyFile] : [K6_TLS_ENV.keyFile, K6_TLS_ENV.certFile];
    throw new UsageError(`${given} is set but ${missing} is not: a client certificate needs both files`, {
      hint: `k6 run -e ${K6_TLS_ENV.certFile}=/abs/client.pem -e ${K6_TLS_ENV.keyFile}=/abs/client-key.pem script.js`,
    });
  }
  return { certFile, keyFile };
}
