/** The service over HTTPS (--tls-cert/--tls-key) and mTLS (--tls-client-ca), in-process, with a CA made at run time. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEventGenerator } from '../../../src/events/event-generator.js';
import { postEventsOverTls, requestOverTls } from '../../helpers/http.js';
import { startTestTarget } from '../../helpers/target.js';
import { createTestCertificates } from '../../helpers/tls-certs.js';

const generator = createEventGenerator({ seed: 19 });
const certs = createTestCertificates({ dnsNames: ['target.loadctl.test'] });
/** Node's TLS errors for a server certificate no trusted CA signed. */
const UNTRUSTED = /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN/;

describe('target-service over HTTPS', () => {
  let service: Awaited<ReturnType<typeof startTestTarget>>;
  before(async () => {
    service = await startTestTarget({ tls: certs.server });
  });
  after(() => service.stop());

  it('answers 202 to an event POSTed over https by a client trusting the test CA, over HTTP/1.1 by ALPN', async () => {
    assert.match(service.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const response = await postEventsOverTls(`${service.url}/v1/events`, generator.nextEventJson(), { ca: certs.ca.cert });
    assert.equal(response.status, 202, JSON.stringify(response.body));
    assert.deepEqual(response.body, { accepted: 1 });
    assert.equal(response.alpnProtocol, 'http/1.1', 'the client offered h2 first; the service must pick http/1.1');
  });

  it('/health says TLS is on, without client certificates', async () => {
    const health = await requestOverTls(`${service.url}/health`, { ca: certs.ca.cert });
    assert.equal(health.status, 200);
    assert.deepEqual(health.body.tls, { enabled: true, clientCertificates: 'none' });
  });

  it('the server certificate carries the extra DNS name asked of the helper', async () => {
    const health = await requestOverTls(`${service.url}/health`, { ca: certs.ca.cert, servername: 'target.loadctl.test' });
    assert.equal(health.status, 200);
    await assert.rejects(requestOverTls(`${service.url}/health`, { ca: certs.ca.cert, servername: 'elsewhere.test' }), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('a client that does not trust the test CA refuses the certificate', async () => {
    await assert.rejects(requestOverTls(`${service.url}/health`, {}), (error: NodeJS.ErrnoException) => UNTRUSTED.test(error.code ?? ''));
    await assert.rejects(requestOverTls(`${service.url}/health`, { ca: certs.otherCa.cert }), (error: NodeJS.ErrnoException) => UNTRUSTED.test(error.code ?? ''));
  });

  it('plain HTTP to the TLS port gets no answer', async () => {
    await assert.rejects(fetch(`${service.url.replace('https:', 'http:')}/health`));
  });
});

describe('target-service with --tls-client-ca (mTLS)', () => {
  let service: Awaited<ReturnType<typeof startTestTarget>>;
  before(async () => {
    service = await startTestTarget({ tls: { ...certs.server, clientCa: certs.ca.cert } });
  });
  after(() => service.stop());

  it('a client with a certificate the CA signed gets 202, and /health says client certificates are required', async () => {
    const client = { ca: certs.ca.cert, ...certs.client };
    const response = await postEventsOverTls(`${service.url}/v1/events`, generator.nextEventJson(), client);
    assert.equal(response.status, 202, JSON.stringify(response.body));
    const health = await requestOverTls(`${service.url}/health`, client);
    assert.deepEqual(health.body.tls, { enabled: true, clientCertificates: 'required' });
  });

  it('a client without a certificate fails the handshake', async () => {
    await assert.rejects(postEventsOverTls(`${service.url}/v1/events`, generator.nextEventJson(), { ca: certs.ca.cert }), isHandshakeRefusal);
  });

  it('a client whose certificate another CA signed fails the handshake', async () => {
    await assert.rejects(postEventsOverTls(`${service.url}/v1/events`, generator.nextEventJson(), { ca: certs.ca.cert, ...certs.otherClient }), isHandshakeRefusal);
  });
});

/**
 * In TLS 1.3 the client finishes its side of the handshake before the server has checked the client's
 * certificate, so the refusal arrives as an alert on the first read (or a reset), not as a connect error.
 */
function isHandshakeRefusal(error: NodeJS.ErrnoException): boolean {
  return /CERTIFICATE_REQUIRED|UNKNOWN_CA|BAD_CERTIFICATE|ECONNRESET|EPIPE/.test(`${error.code} ${error.message}`);
}
