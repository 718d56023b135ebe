import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judgeSystem, type CheckStatus } from '../../src/doctor/judge-system.js';
import type { SystemFacts } from '../../src/doctor/system-facts.js';

const GIB = 1024 ** 3;
const healthy: SystemFacts = {
  openFilesLimit: 65_535,
  localPortRange: [1024, 65_535],
  tcpTwReuse: 1,
  cores: 8,
  memoryBytes: 16 * GIB,
  goVersion: '1.26.8',
  k6: { path: '/usr/bin/k6', source: 'PATH', version: { major: 1, minor: 8, patch: 1, text: 'v1.8.1' }, versionOutput: 'k6 v1.8.1' },
  rustEngine: { path: '/opt/loadctl/dist/engine/loadctl-engine', version: '0.1.0' },
};

const statusOf = (facts: SystemFacts, name: string): CheckStatus | undefined => judgeSystem(facts).find((check) => check.name === name)?.status;

describe('judgeSystem', () => {
  it('passes a machine tuned as the guide says', () => {
    for (const check of judgeSystem(healthy)) assert.equal(check.status, 'ok', `${check.name}: ${check.value}`);
  });

  const cases: Array<[string, Partial<SystemFacts>, string, CheckStatus, RegExp?]> = [
    ['no rust engine built: node only, and how to build it', { rustEngine: undefined }, 'engines', 'warn', /npm run build:engine/],
    ['a rust engine that does not run here', { rustEngine: { path: '/x/loadctl-engine', version: null, error: 'Exec format error' } }, 'engines', 'fail', /rebuild/],
    ['no k6 anywhere (optional: the native engine needs none)', { k6: undefined }, 'k6', 'warn', /--k6 PATH or set LOADCTL_K6/],
    ['a k6 0.x', { k6: { ...healthy.k6!, version: { major: 0, minor: 49, patch: 0, text: 'v0.49.0' } } }, 'k6', 'fail', /k6 ≥ 1\.0/],
    ['a k6 that prints no version', { k6: { ...healthy.k6!, version: undefined, versionOutput: 'segfault' } }, 'k6', 'fail', /working k6/],
    ['20,000 open files', { openFilesLimit: 20_000 }, 'open files (ulimit -n)', 'warn', /ulimit -n 65535/],
    ['unlimited open files', { openFilesLimit: Number.POSITIVE_INFINITY }, 'open files (ulimit -n)', 'ok'],
    ['the default port range', { localPortRange: [32_768, 60_999] }, 'local port range', 'warn', /ip_local_port_range="1024 65535"/],
    ['tcp_tw_reuse 2 (loopback only)', { tcpTwReuse: 2 }, 'tcp_tw_reuse', 'warn', /tcp_tw_reuse=1/],
    ['tcp_tw_reuse 0', { tcpTwReuse: 0 }, 'tcp_tw_reuse', 'warn'],
    ['one core', { cores: 1 }, 'cores', 'warn', /generator-limited/],
    ['2 GiB of memory', { memoryBytes: 2 * GIB }, 'memory', 'warn'],
    ['Go 1.22', { goVersion: '1.22.5' }, 'go', 'warn', /1\.25/],
    ['Go 2.0', { goVersion: '2.0' }, 'go', 'ok'],
    ['no Go', { goVersion: undefined }, 'go', 'warn'],
  ];
  for (const [name, change, check, status, fix] of cases) {
    it(name, () => {
      const facts = { ...healthy, ...change };
      assert.equal(statusOf(facts, check), status);
      if (fix) assert.match(judgeSystem(facts).find((c) => c.name === check)!.fix ?? '', fix);
    });
  }
});
