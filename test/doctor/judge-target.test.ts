import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judgeTarget } from '../../src/doctor/judge-target.js';

describe('judgeTarget: the target row of doctor and fleet check (issue 19)', () => {
  const https = { url: 'https://api.example.test', insecure: false, explicit: true };
  const table: Array<[name: string, outcome: Parameters<typeof judgeTarget>[0], context: Parameters<typeof judgeTarget>[1], status: string, value: RegExp, fix?: RegExp]> = [
    ['reachable over verified TLS', { ok: true }, https, 'ok', /reachable, certificate verified$/],
    ['reachable with --insecure: a warning that says so', { ok: true }, { ...https, insecure: true }, 'warn', /certificate NOT verified/, /--ca FILE instead of --insecure/],
    ['an untrusted certificate', { ok: false, code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: '' }, https, 'fail', /fails the TLS check: .*not signed by a CA/, /--ca FILE/],
    ['a refused connection to a named target', { ok: false, code: 'ECONNREFUSED', message: '' }, { url: 'http://10.0.0.5:3000', insecure: false, explicit: true }, 'fail', /is unreachable: connection refused \(10\.0\.0\.5:3000\)/],
    ['the default target down: only a warning', { ok: false, code: 'ECONNREFUSED', message: '' }, { url: 'http://127.0.0.1:3000', insecure: false, explicit: false }, 'warn', /unreachable/, /loadctl target start/],
    ['a loopback target from a fleet host: the hint says whose loopback', { ok: false, code: 'ECONNREFUSED', message: '' }, { url: 'http://127.0.0.1:3000', insecure: false, explicit: true, remote: true }, 'fail', /unreachable/, /each host's own machine/],
  ];
  for (const [name, outcome, context, status, value, fix] of table) {
    it(name, () => {
      const row = judgeTarget(outcome, context);
      assert.equal(row.status, status);
      assert.match(row.value, value);
      if (fix) assert.match(row.fix ?? '', fix);
    });
  }
});
