// Runs `loadctl run --engine k6` over the k6 contract double (k6-double.ts), NOT k6: k6 is never run in this project.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../src/report/run-report-types.js';
import { runCli } from '../helpers/run-cli.js';
import { spawnTargetCli, type TargetProcess } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { createTestCertificates } from '../helpers/tls-certs.js';
import { installK6Double } from './k6-double-install.js';
import type { DoubleTlsSeen } from './k6-double-tls.js';

describe('loadctl run --engine k6 (over the contract double of k6, not k6)', () => {
  let target: TargetProcess;
  before(async () => (target = await spawnTargetCli(['--store', makeTempDir('loadctl-k6-run-store-')])));
  after(() => target.stop());

  it('drives one k6 per instance through the same run core: paused, started together, merged, judged', async () => {
    const double = installK6Double({ initDelayMs: 300 });
    const out = join(makeTempDir('loadctl-k6-run-'), 'report.json');
    const { code, stdout, stderr } = await runCli([
      'run', 'scenarios/simple.ts', '--engine', 'k6', '--k6', double.path, '--rate', '50', '--duration', '2s', '--instances', '2',
      '--target', target.url, '--target-metrics', target.metricsUrl!, '--out', out, '--no-color',
    ]);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as RunReport;
    assert.equal(report.engine.name, 'k6');
    assert.equal(report.instances.length, 2);
    assert.equal(report.overall.requests, 100);
    assert.equal(report.target?.requests, report.overall.requests, 'server count == client count');
    const events = double.events();
    assert.equal(events.filter((e) => e.event === 'paused').length, 2, 'both started --paused');
    assert.equal(events.filter((e) => e.event === 'resumed').length, 2, 'both resumed through the REST API');
  });

  it('https with --ca --cert --key against a target requiring client certificates: the files reach every k6, all accepted', async () => {
    const certs = createTestCertificates();
    const mtls = await spawnTargetCli(['--store', makeTempDir('loadctl-k6-mtls-store-')], { tls: { cert: certs.server.cert, key: certs.server.key, clientCa: certs.ca.cert } });
    try {
      const double = installK6Double({ initDelayMs: 100 });
      const out = join(makeTempDir('loadctl-k6-run-'), 'report.json');
      const { code, stdout, stderr } = await runCli([
        'run', 'scenarios/simple.ts', '--engine', 'k6', '--k6', double.path, '--rate', '20', '--duration', '1s', '--instances', '2',
        '--target', mtls.url, '--ca', certs.ca.cert, '--cert', certs.client.cert, '--key', certs.client.key,
        '--target-metrics', mtls.metricsUrl!, '--out', out, '--no-color',
      ]);
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      const report = JSON.parse(readFileSync(out, 'utf8')) as RunReport;
      assert.equal(report.overall.outcomes['2xx'], 20);
      assert.equal(report.target?.requests, report.overall.requests, 'server count == client count');
      const seen = double.events().filter((e) => e.event === 'tls') as unknown as DoubleTlsSeen[];
      assert.equal(seen.length, 2);
      for (const instance of seen) assert.ok(instance.tlsAuth === 1 && instance.sslCertFile?.mode === 0o600 && !instance.insecureSkipTLSVerify, JSON.stringify(instance));
    } finally {
      await mtls.stop();
    }
  });
});
