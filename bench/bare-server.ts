/**
 * The baseline for `bench/target-service.sh`: the least a Node ingestion endpoint can do — read the
 * body, JSON.parse it, answer 202 `{"accepted":n}` — on bare node:http with no validation, no buffer
 * and no store. The target-service's single-event RPS is reported as a ratio of this one's.
 *
 * Usage: node dist/bench/bare-server.js [port]   (or PORT=…; 0 or nothing picks a free port)
 * Prints `bare-server listening on http://127.0.0.1:P` once ready; SIGTERM/SIGINT close it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let accepted = 1;
    try {
      const parsed = JSON.parse(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')) as unknown;
      // Count a batch like the target-service does, so the same payloads work against both.
      const batch = (parsed as { batch?: unknown } | null)?.batch;
      if (Array.isArray(batch)) accepted = batch.length;
    } catch {
      res.writeHead(400, { 'content-length': 0 }).end();
      return;
    }
    const body = `{"accepted":${accepted}}`;
    res.writeHead(202, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});

// Same keep-alive timeout as the target-service, so neither closes a bench connection the other keeps.
server.keepAliveTimeout = 65_000;

server.listen(port, '127.0.0.1', () => {
  console.log(`bare-server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
