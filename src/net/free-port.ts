/** A TCP port free a moment ago, for programs that cannot be told to pick one and say which (k6's --address, sshd). */
import { createServer } from 'node:net';

/** Asks the kernel for a free port on `host` and releases it; another process could take it before the caller binds. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
