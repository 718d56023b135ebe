import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTargetAddresses, serverNameOf, targetAddressOf } from '../../src/net/target-address.js';
import { normaliseTargetUrl } from '../../src/scenario/scale-plan.js';

describe('targetAddressOf: the URL honoured whole (issue 19)', () => {
  const cases: Array<[url: string, tls: boolean, hostname: string, port: number, hostHeader: string, basePath: string]> = [
    ['http://127.0.0.1:3000', false, '127.0.0.1', 3000, '127.0.0.1:3000', ''],
    ['http://example.test', false, 'example.test', 80, 'example.test', ''],
    ['https://example.test/base/path', true, 'example.test', 443, 'example.test', '/base/path'],
    ['https://example.test:8443', true, 'example.test', 8443, 'example.test:8443', ''],
    ['https://example.test:443/api', true, 'example.test', 443, 'example.test', '/api'],
    ['http://[::1]:3000/v2', false, '::1', 3000, '[::1]:3000', '/v2'],
  ];
  for (const [url, tls, hostname, port, hostHeader, basePath] of cases) {
    it(`${url} → ${tls ? 'TLS to ' : ''}${hostname}:${port}, Host ${hostHeader}, base path '${basePath}'`, () => {
      assert.deepEqual(targetAddressOf(normaliseTargetUrl(url)), { tls, hostname, port, hostHeader, basePath });
    });
  }
});

describe('normaliseTargetUrl refuses what it would not send as written', () => {
  const cases: Array<[url: string, message: RegExp]> = [
    ['ftp://example.test', /has the scheme 'ftp'; loadctl speaks http:\/\/ and https:\/\//],
    ['example.test:3000', /is not an http\(s\) URL/],
    ['https://user:secret@example.test', /carries credentials/],
    ['https://example.test/api?key=1', /has a query or fragment/],
    ['http://exa mple.test', /is not a valid http\(s\) URL/],
  ];
  for (const [url, message] of cases) it(`${url} is refused`, () => assert.throws(() => normaliseTargetUrl(url), message));
  it('keeps a base path and lowers the scheme', () => assert.equal(normaliseTargetUrl('HTTPS://Example.test/api/'), 'https://Example.test/api'));
});

describe('resolveTargetAddresses and serverNameOf', () => {
  it('an IP literal is its own address and gets no SNI', async () => {
    assert.deepEqual(await resolveTargetAddresses('127.0.0.9'), ['127.0.0.9']);
    assert.equal(serverNameOf('127.0.0.9'), undefined);
    assert.equal(serverNameOf('::1'), undefined);
    assert.equal(serverNameOf('api.example.test'), 'api.example.test');
  });
  it('localhost resolves to at least one loopback address', async () => {
    const addresses = await resolveTargetAddresses('localhost');
    assert.ok(addresses.length >= 1 && addresses.every((a) => a === '::1' || a.startsWith('127.')), addresses.join());
  });
});
