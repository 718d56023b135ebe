/** Bad invocations of `loadctl target start`: a clear message, the documented exit code, no stack trace, no hang. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cliPath } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { createTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';

function runCli(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [cliPath(), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const notADirectory = () => {
  const file = join(makeTempDir(), 'a-file');
  writeFileSync(file, '');
  return join(file, 'store');
};

let madeCertificates: TestCertificates | undefined;
/** Made on first use, so the cases that need no certificate do not wait for openssl. */
const certs = () => (madeCertificates ??= createTestCertificates());
const start = (...args: string[]) => ['target', 'start', '--port', '0', '--metrics-port', '0', '--store', makeTempDir(), ...args];
const notPem = () => {
  const file = join(makeTempDir(), 'cert.der');
  writeFileSync(file, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
  return file;
};

describe('loadctl target start refuses bad input clearly', () => {
  const cases: Array<{ name: string; args: () => string[]; status: number; message: RegExp }> = [
    { name: 'a port out of range', args: () => ['target', 'start', '--port', '99999'], status: 2, message: /--port.*expected a port 0–65535, got "99999"/ },
    { name: 'zero workers', args: () => ['target', 'start', '--workers', '0'], status: 2, message: /--workers.*expected a whole number ≥ 1/ },
    { name: 'a high-water mark above capacity', args: () => ['target', 'start', '--buffer-capacity', '5', '--high-water-mark', '10'], status: 2, message: /high-water mark 10 exceeds the buffer capacity 5\n.*→ lower --high-water-mark/ },
    { name: 'a buffer smaller than one full batch', args: () => ['target', 'start', '--buffer-capacity', '100'], status: 2, message: /buffer capacity 100 is smaller than a full batch \(500 events\)\n.*→ raise --buffer-capacity/ },
    { name: 'an unknown command', args: () => ['target', 'stat'], status: 2, message: /unknown command 'stat'[\s\S]*Did you mean start/ },
    { name: 'a store directory that cannot be created', args: () => ['target', 'start', '--port', '0', '--metrics-port', '0', '--store', notADirectory()], status: 2, message: /cannot open the embedded store in .*ENOTDIR[\s\S]*→ pass --store DIR/ },
    { name: 'an unreachable MongoDB', args: () => ['target', 'start', '--port', '0', '--metrics-port', '0', '--store', 'mongodb://127.0.0.1:1/x'], status: 5, message: /cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1\/x/ },
    { name: '--tls-cert without --tls-key', args: () => start('--tls-cert', certs().server.cert), status: 2, message: /--tls-cert \S+server\.pem was given without --tls-key\n.*→ pass both/ },
    { name: '--tls-key without --tls-cert', args: () => start('--tls-key', certs().server.key), status: 2, message: /--tls-key \S+server-key\.pem was given without --tls-cert/ },
    { name: '--tls-client-ca without TLS', args: () => start('--tls-client-ca', certs().ca.cert), status: 2, message: /--tls-client-ca \S+ca\.pem needs TLS, and TLS is off\n.*→ add --tls-cert FILE and --tls-key FILE/ },
    { name: 'a missing --tls-cert file', args: () => start('--tls-cert', '/nonexistent/server.pem', '--tls-key', certs().server.key), status: 2, message: /--tls-cert \/nonexistent\/server\.pem: cannot read the file \(ENOENT\)/ },
    { name: 'an unreadable --tls-key (a directory)', args: () => start('--tls-cert', certs().server.cert, '--tls-key', certs().dir), status: 2, message: /--tls-key \S+: cannot read the file \(EISDIR\)/ },
    { name: 'a --tls-cert that is not PEM', args: () => start('--tls-cert', notPem(), '--tls-key', certs().server.key), status: 2, message: /--tls-cert \S+cert\.der: not a PEM file holding a certificate/ },
    { name: 'a certificate as --tls-key', args: () => start('--tls-cert', certs().server.cert, '--tls-key', certs().server.cert), status: 2, message: /--tls-key \S+server\.pem: not a PEM file holding a private key/ },
    { name: 'a key that does not belong to the certificate', args: () => start('--tls-cert', certs().server.cert, '--tls-key', certs().client.key), status: 2, message: /--tls-cert \S+server\.pem and --tls-key \S+client-key\.pem do not go together/ },
    { name: 'a --tls-client-ca that is not PEM', args: () => start('--tls-cert', certs().server.cert, '--tls-key', certs().server.key, '--tls-client-ca', notPem()), status: 2, message: /--tls-client-ca \S+cert\.der: not a PEM file holding a certificate/ },
    { name: 'a bad TLS file with --workers 2 (checked before any fork)', args: () => start('--workers', '2', '--tls-cert', certs().server.cert, '--tls-key', '/nonexistent/key.pem'), status: 2, message: /--tls-key \/nonexistent\/key\.pem: cannot read the file \(ENOENT\)/ },
    { name: 'a --base-path without a leading slash', args: () => start('--base-path', 'prefix'), status: 2, message: /--base-path "prefix" is not a URL path prefix\n.*→ use a path such as \/prefix/ },
    { name: 'a bad store with --workers 2 (no half-started fleet)', args: () => ['target', 'start', '--port', '0', '--metrics-port', '0', '--workers', '2', '--store', notADirectory()], status: 2, message: /cannot open the embedded store in .*ENOTDIR[\s\S]*→ pass --store DIR/ },
  ];
  for (const { name, args, status, message } of cases) {
    it(name, () => {
      const result = runCli(args());
      assert.equal(result.status, status, result.output);
      assert.match(result.output, message);
      assert.doesNotMatch(result.output, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    });
  }

  it('a port already in use names the port and the flag', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = runCli(['target', 'start', '--port', String(port), '--metrics-port', '0', '--store', makeTempDir()]);
      assert.equal(result.status, 5, result.output);
      assert.match(result.output, new RegExp(`cannot listen for HTTP on 127\\.0\\.0\\.1:${port}: EADDRINUSE\\n.*pick another with --port`));
    } finally {
      blocker.close();
    }
  });
});
