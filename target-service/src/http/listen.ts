/** Server plumbing shared by the single-process service and the cluster primary. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { ServiceError } from '../../../contract/loadctl-error.js';

/** Serves Prometheus text at /metrics from `render` (one process's registry, or the cluster's aggregate). */
export function createMetricsServer(render: () => Promise<string>, contentType: string): Server {
  return createServer((req, res) => {
    if (req.url?.split('?', 1)[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are at /metrics\n');
      return;
    }
    render().then(
      (text) => res.writeHead(200, { 'content-type': contentType }).end(text),
      (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${error.message}\n`),
    );
  });
}

/** Listens, turning EADDRINUSE and friends into an actionable ServiceError. */
export async function listen(server: Server, port: number, host: string, what: string): Promise<void> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ServiceError(`cannot listen for ${what} on ${host}:${port}: ${code ?? (error as Error).message}`, {
      hint: code === 'EADDRINUSE' ? `another process uses port ${port}; pick another with --${what === 'metrics' ? 'metrics-port' : 'port'}` : undefined,
      cause: error,
    });
  }
}
