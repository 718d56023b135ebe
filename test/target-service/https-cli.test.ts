/** `loadctl target start` with TLS, mTLS and a base path through the real CLI, in cluster mode: the flags reach every worker. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createEventGenerator } from '../../src/events/event-generator.js';
import { postEventsOverTls } from '../helpers/http.js';
import { spawnTargetCli } from '../helpers/target.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { createTestCertificates } from '../helpers/tls-certs.js';

it('--workers 2 --tls-cert --tls-key --tls-client-ca --base-path: https:// in the log line, 202 with a client certificate, a clean drain', { timeout: 60_000 }, async () => {
  const certs = createTestCertificates();
  const generator = createEventGenerator({ seed: 31 });
  const target = await spawnTargetCli(['--store', makeTempDir('loadctl-https-'), '--workers', '2'], { tls: { ...certs.server, clientCa: certs.ca.cert }, basePath: '/prefix' });
  assert.match(target.output(), /listening on https:\/\/127\.0\.0\.1:\d+ · events POST \/prefix\/v1\/events · metrics http:\/\//);
  assert.match(target.eventsUrl, /^https:\/\/127\.0\.0\.1:\d+\/prefix\/v1\/events$/);
  // Several requests on fresh connections, so both workers (round-robin) answer at least one.
  for (let i = 0; i < 4; i++) {
    const response = await postEventsOverTls(target.eventsUrl, generator.nextEventJson(), { ca: certs.ca.cert, ...certs.client });
    assert.equal(response.status, 202, JSON.stringify(response.body));
  }
  assert.equal(await target.stop('SIGTERM'), 0, target.output());
});
