import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { freePort } from '../../src/net/free-port.js';

/** Resolves once a server listens on host:port (rejects with EADDRINUSE etc. otherwise), then closes it. */
function bindOnce(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port }, () => server.close(() => resolve()));
  });
}

describe('freePort', () => {
  for (const host of ['127.0.0.1', '127.0.0.2']) {
    it(`gives a port on ${host} that can be bound right away`, async () => {
      const port = await freePort(host);
      assert.ok(port > 0 && port <= 65535, String(port));
      await bindOnce(host, port);
    });
  }
});
