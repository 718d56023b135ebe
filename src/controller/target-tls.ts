/**
 * The controller's side of TLS towards the target (issue 19): the files a user named are read once,
 * here, checked (PEM of the right kind, a key that matches its certificate), and shipped to every
 * agent in `prepare`. A bad file stops the run before anything starts, naming the flag or config key.
 */
import { readFile } from 'node:fs/promises';
import type { NamedFile, ResolvedConfig, TlsSettings } from '../config/config-types.js';
import { describeFileError } from '../errors/file-error.js';
import { UsageError } from '../../contract/loadctl-error.js';
import { secureContextOf, type TlsMaterial } from '../net/tls-material.js';
import type { ScenarioPlan } from '../scenario/plan.js';

/** The plan with the TLS policy of an https target (insecure or verified); an http plan as it is. */
export function withTlsPolicy(plan: ScenarioPlan, config: ResolvedConfig): ScenarioPlan {
  return /^https:/i.test(plan.targetUrl) ? { ...plan, tls: { insecure: config.target.tls.insecure } } : plan;
}

/** The PEM text of the CA and client certificate, checked; undefined when none was named. */
export async function readTlsMaterial(settings: TlsSettings): Promise<TlsMaterial | undefined> {
  const material: TlsMaterial = {};
  if (settings.ca) material.ca = await readPem(settings.ca, 'CERTIFICATE', 'a CA certificate');
  if (settings.cert) material.cert = await readPem(settings.cert, 'CERTIFICATE', 'a certificate');
  if (settings.key) material.key = await readPem(settings.key, 'PRIVATE KEY', 'a private key');
  if (Object.keys(material).length === 0) return undefined;
  try {
    secureContextOf(material, undefined);
  } catch (cause) {
    const files = [settings.ca, settings.cert, settings.key].filter((file): file is NamedFile => file !== null).map((file) => `${file.from} ${file.path}`);
    throw new UsageError(`the TLS files cannot be used (${files.join(', ')}): ${(cause as Error).message}`, {
      cause,
      hint: (cause as Error).message.includes('key values mismatch') ? '--key must be the private key of --cert' : 'pass PEM files: a CA certificate with --ca, a client certificate and its key with --cert and --key',
    });
  }
  return material;
}

async function readPem(file: NamedFile, label: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file.path, 'utf8');
  } catch (cause) {
    throw new UsageError(`${file.from}: ${file.path} ${describeFileError(cause)}`, { cause, hint: `give the path of ${what} in PEM form` });
  }
  if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) {
    throw new UsageError(`${file.from}: ${file.path} holds no PEM ${label.toLowerCase()} (no '-----BEGIN … ${label}-----' line)`, { hint: `give ${what} in PEM form (convert DER with: openssl x509 -inform der -in FILE -out FILE.pem)` });
  }
  return text;
}
