/**
 * A throwaway PKI for TLS tests, made with the system's `openssl` at run time (nothing is checked in):
 * a CA, a server certificate and a client certificate it signed, and an unrelated CA for "wrong CA" tests.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './temp-dir.js';

/** Paths of one PEM certificate and its unencrypted PEM private key. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

export interface TestCertificates {
  /** The temp dir holding every file (removed when the test process exits). */
  dir: string;
  ca: CertificateFiles;
  /** Signed by `ca`; SANs: localhost, 127.0.0.1, ::1 and the requested extra DNS names. */
  server: CertificateFiles;
  /** Signed by `ca`, for client authentication (mTLS). */
  client: CertificateFiles;
  /** A second CA that signed nothing above: trusting it must fail verification. */
  otherCa: CertificateFiles;
  /** A client certificate signed by `otherCa`: a server requiring `ca`'s clients must refuse it. */
  otherClient: CertificateFiles;
}

export interface TestCertificateOptions {
  /** Extra DNS names for the server certificate, besides localhost (e.g. a name the test maps to 127.0.0.1). */
  dnsNames?: string[];
}

/** Creates the CAs and certificates in a fresh temp dir; valid for two days. */
export function createTestCertificates(options: TestCertificateOptions = {}): TestCertificates {
  const dir = makeTempDir('loadctl-tls-');
  const ca = createCa(dir, 'ca', 'loadctl test CA');
  const otherCa = createCa(dir, 'other-ca', 'loadctl unrelated test CA');
  const serverNames = ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1', ...(options.dnsNames ?? []).map((name) => `DNS:${name}`)];
  const server = createSigned(dir, 'server', 'localhost', ca, ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', `subjectAltName=${serverNames.join(',')}`]);
  const clientExtensions = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'];
  const client = createSigned(dir, 'client', 'loadctl test client', ca, clientExtensions);
  const otherClient = createSigned(dir, 'other-client', 'loadctl unrelated test client', otherCa, clientExtensions);
  return { dir, ca, server, client, otherCa, otherClient };
}

function createCa(dir: string, name: string, commonName: string): CertificateFiles {
  const files = filesOf(dir, name);
  openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${commonName}`, '-keyout', files.key, '-out', files.cert,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return files;
}

function createSigned(dir: string, name: string, commonName: string, issuer: CertificateFiles, extensions: string[]): CertificateFiles {
  const files = filesOf(dir, name);
  const request = join(dir, `${name}.csr`);
  const extensionFile = join(dir, `${name}.ext`);
  writeFileSync(extensionFile, extensions.join('\n') + '\n');
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${commonName}`, '-keyout', files.key, '-out', request]);
  openssl(['x509', '-req', '-in', request, '-CA', issuer.cert, '-CAkey', issuer.key, '-set_serial', `0x${randomSerial()}`, '-days', '2', '-extfile', extensionFile, '-out', files.cert]);
  return files;
}

function filesOf(dir: string, name: string): CertificateFiles {
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}-key.pem`) };
}

/** Distinct serials per run, so no TLS stack takes two certificates of one issuer for the same one. */
function randomSerial(): string {
  return randomBytes(8).toString('hex');
}

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (code === 'ENOENT') throw new Error('openssl is not on PATH; the TLS tests need it (Debian: apt-get install openssl)', { cause: error });
    throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${stderr?.toString().trim()}`, { cause: error });
  }
}
