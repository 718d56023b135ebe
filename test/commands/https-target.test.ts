/**
 * HTTPS targets through the real CLI (issue 19): the bundled target-service serving TLS with a CA and
 * certificates made by openssl at run time; names from /etc/hosts (scripts/provision-test-hosts.sh):
 * loadctl-multi.test → 127.0.0.2 and 127.0.0.3, loadctl-wrong.test → 127.0.0.1 (on no certificate).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../src/report/run-report-types.js';
import { runCli } from '../helpers/run-cli.js';
import { spawnTargetCli, type TargetProcess } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { createTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';

const readReport = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunReport;
const LOAD = ['scenarios/simple.ts', '--rate', '150', '--duration', '2s', '--no-color'];

describe('https targets: TLS in the node engine, the URL honoured whole', () => {
  let certs: TestCertificates;
  let service: TargetProcess;
  let mtls: TargetProcess;
  let port: string;
  before(async () => {
    certs = createTestCertificates({ dnsNames: ['loadctl-multi.test'] });
    // On every loopback address, so the two addresses of loadctl-multi.test both reach it; events only under /prefix.
    service = await spawnTargetCli(['--host', '0.0.0.0', '--store', makeTempDir('loadctl-https-store-')], { tls: { cert: certs.server.cert, key: certs.server.key }, basePath: '/prefix' });
    port = new URL(service.url).port;
    mtls = await spawnTargetCli(['--store', makeTempDir('loadctl-mtls-store-')], { tls: { cert: certs.server.cert, key: certs.server.key, clientCa: certs.ca.cert } });
  });
  after(async () => {
    await service.stop();
    await mtls.stop();
  });
  const run = (url: string, ...args: string[]) => {
    const out = join(makeTempDir('loadctl-https-run-'), 'report.json');
    return runCli(['run', ...LOAD, '--target', url, '--out', out, ...args]).then((result) => ({ ...result, out }));
  };

  it('with the test CA (--ca): good over 2 instances, the base path is sent, the server counted what the client sent', async () => {
    const { code, stdout, stderr, out } = await run(`https://localhost:${port}/prefix`, '--ca', certs.ca.cert, '--instances', '2', '--target-metrics', service.metricsUrl!);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    const report = readReport(out);
    assert.equal(report.verdict.outcome, 'good', report.verdict.reasons.join('; '));
    // Only /prefix/v1/events accepts events: had the base path been dropped, every answer would be a 404.
    assert.equal(report.overall.outcomes['2xx'], report.load.plannedIterations);
    assert.equal(report.target?.requests, report.overall.requests, 'server count == client count');
    const tls = report.connections?.tls;
    assert.ok(tls && !tls.insecure && tls.handshakes > 0 && Object.keys(tls.failures).length === 0, JSON.stringify(report.connections));
    assert.ok(report.overall.bytesSent! > report.overall.requests * 100 && report.overall.bytesReceived! > 0, 'data sent and received are counted');
    assert.match(stdout, /certificates verified/);
    assert.doesNotMatch(stdout, /VERIFICATION WAS OFF/);
  });

  it('without the CA: fails fast (exit 5, nothing started) naming the certificate problem and the fix', async () => {
    const { code, stderr } = await run(`https://localhost:${port}/prefix`);
    assert.equal(code, 5, stderr);
    assert.match(stderr, /not signed by a CA the generator trusts \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); no load was started/);
    assert.match(stderr, /--ca FILE/);
    assert.doesNotMatch(stderr, /launching/);
  });

  it('without the CA and without the preflight: every request ends as `tls`, and the verdict names the fix', async () => {
    const { code, out } = await run(`https://localhost:${port}/prefix`, '--no-preflight', '--instances', '1', '--target-metrics', 'none');
    assert.equal(code, 10);
    const report = readReport(out);
    assert.equal(report.overall.outcomes.tls, report.overall.requests);
    assert.equal(report.overall.outcomes.network, 0);
    assert.equal(report.overall.bytesSent, 0, 'nothing was written on a connection that never completed its handshake');
    assert.ok(report.connections?.tls?.failures.UNABLE_TO_VERIFY_LEAF_SIGNATURE, JSON.stringify(report.connections));
    assert.match(report.verdict.reasons[0]!, /failed TLS: the certificate of the target is not signed by a CA the generator trusts .* → pass --ca FILE/);
  });

  it('--insecure works, and the output and the report say verification was off', async () => {
    const { code, stdout, stderr, out } = await run(`https://localhost:${port}/prefix`, '--insecure', '--instances', '1', '--target-metrics', 'none');
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /TLS VERIFICATION WAS OFF \(--insecure\)/);
    assert.equal(readReport(out).connections?.tls?.insecure, true);
  });

  it('a host name the certificate does not carry is refused, even with the right CA', async () => {
    const { code, stderr } = await run(`https://loadctl-wrong.test:${port}/prefix`, '--ca', certs.ca.cert);
    assert.equal(code, 5, stderr);
    assert.match(stderr, /the certificate does not name the host loadctl-wrong\.test \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
  });

  it('a name with two addresses gets connections on both', async () => {
    const { code, stdout, stderr, out } = await run(`https://loadctl-multi.test:${port}/prefix`, '--ca', certs.ca.cert, '--instances', '1', '--target-metrics', 'none');
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    const addresses = readReport(out).connections?.addresses ?? {};
    assert.deepEqual(Object.keys(addresses).sort(), ['127.0.0.2', '127.0.0.3']);
    assert.ok(addresses['127.0.0.2']! > 0 && addresses['127.0.0.3']! > 0, JSON.stringify(addresses));
  });

  it('mTLS: the client certificate the service requires is presented; without one, or with one of another CA, the run is refused', async () => {
    const url = mtls.url;
    const good = await run(url, '--ca', certs.ca.cert, '--cert', certs.client.cert, '--key', certs.client.key, '--instances', '1', '--target-metrics', 'none');
    assert.equal(good.code, 0, `${good.stdout}\n${good.stderr}`);
    assert.equal(readReport(good.out).verdict.outcome, 'good');
    const missing = await run(url, "--ca", certs.ca.cert);
    assert.equal(missing.code, 5, missing.stderr);
    assert.match(missing.stderr, /requires a client certificate \(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED\)/);
    const foreign = await run(url, '--ca', certs.ca.cert, '--cert', certs.otherClient.cert, '--key', certs.otherClient.key);
    assert.equal(foreign.code, 5, foreign.stderr);
    assert.match(foreign.stderr, /refused the client certificate/);
  });

  it('engine run takes the same TLS flags: one instance over verified TLS, every request answered', async () => {
    const out = join(makeTempDir('loadctl-https-engine-'), 'result.json');
    const { code, stdout, stderr } = await runCli(['engine', 'run', 'scenarios/simple.ts', '--target', `https://localhost:${port}/prefix`, '--ca', certs.ca.cert, '--rate', '50', '--duration', '1s', '--out', out]);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { overall: { outcomes: Record<string, number> }; connections?: { tls: { handshakes: number; insecure: boolean } | null } };
    assert.equal(result.overall.outcomes['2xx'], 50);
    assert.ok(result.connections?.tls && result.connections.tls.handshakes > 0 && !result.connections.tls.insecure, JSON.stringify(result.connections));
  });

  it('bad TLS input is refused before anything starts, naming the flag', async () => {
    const noKey = await run(`https://localhost:${port}`, '--cert', certs.client.cert);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /--cert is given without --key/);
    const notPem = await run(`https://localhost:${port}`, '--ca', certs.ca.key);
    assert.equal(notPem.code, 2);
    assert.match(notPem.stderr, /--ca: .* holds no PEM certificate/);
    const plain = await run('http://127.0.0.1:9', '--ca', certs.ca.cert);
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /--ca applies to https targets only/);
    const scheme = await run('ftp://127.0.0.1:9');
    assert.equal(scheme.code, 2);
    assert.match(scheme.stderr, /has the scheme 'ftp'/);
  });
});
