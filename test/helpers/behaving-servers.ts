/**
 * Small real HTTP servers that fail the way real services do — by slowing down, not by answering 503
 * (issue 18): one with a hard capacity that queues beyond it, one that stalls for a while mid-run. They
 * answer 202 to any path (the scenario's events endpoint) and count what they answered.
 */
import { startTestServer, type TestServer } from './http-servers.js';

export interface BehavingServer extends TestServer {
  /** Requests answered so far. */
  answered(): number;
}

/**
 * Answers in arrival order at most `capacityPerSecond` requests a second: request n is answered at
 * max(its arrival, the previous answer) + 1/capacity. Below capacity answers are immediate; above it they
 * queue and wait longer and longer — never an error.
 */
export async function startQueueingServer(capacityPerSecond: number): Promise<BehavingServer> {
  const serviceMs = 1000 / capacityPerSecond;
  let nextFreeAt = 0;
  let answered = 0;
  const server = await startTestServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const now = performance.now();
      nextFreeAt = Math.max(now, nextFreeAt) + serviceMs;
      setTimeout(() => {
        answered++;
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1}');
      }, nextFreeAt - now);
    });
  });
  return { ...server, answered: () => answered };
}

/**
 * Answers at once, except that from `stallAfterMs` after the first request for `stallMs` it holds every
 * answer until the stall ends (a GC pause, a lock, a failover), then answers everything it held.
 */
export async function startStallingServer(options: { stallAfterMs: number; stallMs: number }): Promise<BehavingServer> {
  let firstAt: number | null = null;
  let answered = 0;
  const server = await startTestServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const now = performance.now();
      firstAt ??= now;
      const stallStart = firstAt + options.stallAfterMs;
      const stallEnd = stallStart + options.stallMs;
      const answer = () => {
        answered++;
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1}');
      };
      if (now >= stallStart && now < stallEnd) setTimeout(answer, stallEnd - now);
      else answer();
    });
  });
  return { ...server, answered: () => answered };
}
