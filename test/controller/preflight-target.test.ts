import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { preflightTarget } from '../../src/controller/preflight-target.js';
import { freePort } from '../../src/net/free-port.js';

describe('preflightTarget', () => {
  it('passes when something listens', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await preflightTarget(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    } finally {
      server.close();
    }
  });

  it('names a refused connection, with exit code 5', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await assert.rejects(preflightTarget(url), (error: Error & { exitCode: number }) => {
      assert.equal(error.exitCode, 5);
      assert.match(error.message, /unreachable: connection refused/);
      return true;
    });
  });

  it('names a host that does not resolve', async () => {
    await assert.rejects(preflightTarget('http://no-such-host.invalid:3000'), /unreachable: host not found/);
  });
});
