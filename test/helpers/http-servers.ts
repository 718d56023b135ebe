/** Tiny real HTTP servers for engine tests: answer by path, count what they received. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  /** Requests received, by path. */
  received: Map<string, number>;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Routes: `/status/NNN` answers NNN; `/slow/MS` answers 202 after MS; `/hang` never answers; `/destroy` resets the socket; anything else 202. */
export const ROUTES: Handler = (req, res) => {
  const path = req.url ?? '/';
  const status = /^\/status\/(\d{3})/.exec(path);
  const slow = /^\/slow\/(\d+)/.exec(path);
  req.resume();
  req.on('end', () => {
    if (status) return void res.writeHead(Number(status[1]), { 'content-type': 'application/json' }).end('{}');
    if (slow) return void setTimeout(() => res.writeHead(202).end('{"accepted":1}'), Number(slow[1]));
    if (path.startsWith('/hang')) return;
    if (path.startsWith('/destroy')) return void req.socket.destroy();
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1}');
  });
};

export async function startTestServer(handler: Handler = ROUTES): Promise<TestServer> {
  const received = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    received.set(path, (received.get(path) ?? 0) + 1);
    handler(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
