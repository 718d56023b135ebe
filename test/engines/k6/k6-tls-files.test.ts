import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { GO_CERT_FILE_ENV, k6TlsProblem, trustBundle, writeK6TlsFiles } from '../../../src/engines/k6/k6-tls-files.js';
import { K6_TLS_ENV } from '../../../src/engines/k6/k6-tls.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const pem = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
const CA = pem('CERTIFICATE', 'user-ca');
const CERT = pem('CERTIFICATE', 'client');
const KEY = pem('PRIVATE KEY', 'client-key');
const SYSTEM = pem('CERTIFICATE', 'system-1') + pem('CERTIFICATE', 'system-2');
const count = (text: string) => text.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;

describe('k6TlsProblem: what a k6 agent cannot honour', () => {
  const cases: Array<[string, Parameters<typeof k6TlsProblem>[0], NodeJS.Platform, RegExp | null]> = [
    ['no material', undefined, 'linux', null],
    ['CA and client certificate on Linux', { ca: CA, cert: CERT, key: KEY }, 'linux', null],
    ['a certificate without its key', { cert: CERT }, 'linux', /client certificate without its key/],
    ['a key without its certificate', { key: KEY }, 'linux', /client key without its certificate/],
    ['a CA on macOS (Go verifies with the keychain, ignores SSL_CERT_FILE)', { ca: CA }, 'darwin', /macOS .* ignores SSL_CERT_FILE/],
    ['a CA on Windows', { ca: CA }, 'win32', /Windows .* ignores SSL_CERT_FILE/],
    ['only a client certificate on macOS (tlsAuth works everywhere)', { cert: CERT, key: KEY }, 'darwin', null],
  ];
  for (const [name, material, platform, expected] of cases) {
    it(name, () => {
      const problem = k6TlsProblem(material, platform);
      if (expected === null) assert.equal(problem, null);
      else assert.match(problem ?? '', expected);
    });
  }
});

describe('writeK6TlsFiles: private files, named by environment', () => {
  it('client certificate → two 0600 files named by -e; CA → SSL_CERT_FILE to Node roots + system bundle + the CA, 0600', async () => {
    const dir = makeTempDir('loadctl-k6-tls-');
    const env = await writeK6TlsFiles(dir, { ca: CA, cert: CERT, key: KEY }, { systemBundle: SYSTEM });
    assert.deepEqual(Object.keys(env.scriptEnv).sort(), [K6_TLS_ENV.certFile, K6_TLS_ENV.keyFile].sort());
    assert.deepEqual(Object.keys(env.processEnv), [GO_CERT_FILE_ENV]);
    assert.equal(readFileSync(env.scriptEnv[K6_TLS_ENV.certFile]!, 'utf8'), CERT);
    assert.equal(readFileSync(env.scriptEnv[K6_TLS_ENV.keyFile]!, 'utf8'), KEY);
    const bundle = readFileSync(env.processEnv[GO_CERT_FILE_ENV]!, 'utf8');
    assert.equal(count(bundle), rootCertificates.length + 2 + 1);
    assert.ok(bundle.includes(SYSTEM.trim()) && bundle.trimEnd().endsWith(CA.trim()));
    for (const file of [...Object.values(env.scriptEnv), ...Object.values(env.processEnv)]) {
      assert.ok(file.startsWith(`${dir}/`), file);
      assert.equal(statSync(file).mode & 0o777, 0o600, file);
    }
  });
  it('no material → nothing written, nothing set; no CA → no SSL_CERT_FILE (k6 keeps its own roots)', async () => {
    assert.deepEqual(await writeK6TlsFiles(makeTempDir(), undefined), { scriptEnv: {}, processEnv: {} });
    assert.deepEqual((await writeK6TlsFiles(makeTempDir(), { cert: CERT, key: KEY })).processEnv, {});
  });
  it('without a system bundle the CA still comes with Node\'s roots: public CAs stay trusted', () => {
    assert.equal(count(trustBundle(CA, undefined)), rootCertificates.length + 1);
  });
});
