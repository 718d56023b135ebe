import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { K6_TLS_ENV, clientCertificateFiles } from '../../../src/engines/k6/k6-tls.js';
import { UsageError } from '../../../contract/loadctl-error.js';

describe('clientCertificateFiles: the mTLS files a compiled script reads', () => {
  it('both named → both paths; none → null', () => {
    assert.deepEqual(clientCertificateFiles({ [K6_TLS_ENV.certFile]: '/d/c.pem', [K6_TLS_ENV.keyFile]: '/d/k.pem' }), { certFile: '/d/c.pem', keyFile: '/d/k.pem' });
    assert.equal(clientCertificateFiles({}), null);
    assert.equal(clientCertificateFiles({ [K6_TLS_ENV.certFile]: '', [K6_TLS_ENV.keyFile]: '' }), null);
  });
  it('one without the other is refused, naming the missing one', () => {
    assert.throws(() => clientCertificateFiles({ [K6_TLS_ENV.certFile]: '/d/c.pem' }), (error: Error) => error instanceof UsageError && /LOADCTL_TLS_CERT_FILE is set but LOADCTL_TLS_KEY_FILE is not/.test(error.message));
    assert.throws(() => clientCertificateFiles({ [K6_TLS_ENV.keyFile]: '/d/k.pem' }), /LOADCTL_TLS_KEY_FILE is set but LOADCTL_TLS_CERT_FILE is not/);
  });
});
