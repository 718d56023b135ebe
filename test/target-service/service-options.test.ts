/** resolveTargetServiceOptions for TLS and the base path: a table of options → resolved value or usage error. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../contract/loadctl-error.js';
import { resolveTargetServiceOptions, type TargetServiceOptions } from '../../target-service/src/service-options.js';

describe('resolveTargetServiceOptions: TLS files and base path', () => {
  const resolved: Array<{ given: TargetServiceOptions; tls: unknown; basePath: string }> = [
    { given: {}, tls: null, basePath: '' },
    { given: { tlsCert: 'c.pem', tlsKey: 'k.pem' }, tls: { cert: 'c.pem', key: 'k.pem', clientCa: undefined }, basePath: '' },
    { given: { tlsCert: 'c.pem', tlsKey: 'k.pem', tlsClientCa: 'ca.pem' }, tls: { cert: 'c.pem', key: 'k.pem', clientCa: 'ca.pem' }, basePath: '' },
    { given: { basePath: '/prefix' }, tls: null, basePath: '/prefix' },
    { given: { basePath: '/prefix/' }, tls: null, basePath: '/prefix' },
    { given: { basePath: '/api/v2/ingest' }, tls: null, basePath: '/api/v2/ingest' },
    { given: { basePath: '/' }, tls: null, basePath: '' },
    { given: { basePath: '' }, tls: null, basePath: '' },
  ];
  for (const { given, tls, basePath } of resolved) {
    it(`${JSON.stringify(given)} → tls ${JSON.stringify(tls)}, base path "${basePath}"`, () => {
      const options = resolveTargetServiceOptions(given);
      assert.deepEqual(options.tls, tls);
      assert.equal(options.basePath, basePath);
    });
  }

  const refused: Array<{ given: TargetServiceOptions; message: RegExp }> = [
    { given: { tlsCert: 'c.pem' }, message: /--tls-cert c\.pem was given without --tls-key/ },
    { given: { tlsKey: 'k.pem' }, message: /--tls-key k\.pem was given without --tls-cert/ },
    { given: { tlsClientCa: 'ca.pem' }, message: /--tls-client-ca ca\.pem needs TLS/ },
    { given: { tlsCert: 'c.pem', tlsClientCa: 'ca.pem' }, message: /without --tls-key/ },
    { given: { basePath: 'prefix' }, message: /--base-path "prefix" is not a URL path prefix/ },
    { given: { basePath: '/a//b' }, message: /--base-path "\/a\/\/b"/ },
    { given: { basePath: '/a?b=1' }, message: /--base-path "\/a\?b=1"/ },
    { given: { basePath: '/a b' }, message: /--base-path "\/a b"/ },
  ];
  for (const { given, message } of refused) {
    it(`${JSON.stringify(given)} → usage error`, () => {
      assert.throws(() => resolveTargetServiceOptions(given), (error: unknown) => error instanceof UsageError && message.test(error.message));
    });
  }
});
