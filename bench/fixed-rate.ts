/**
 * An open-loop, fixed-rate HTTP load generator for the "p95 at a fixed 10K RPS" number of
 * `bench/target-service.sh`. wrk cannot hold a rate, and autocannon's `-R` is a per-connection budget
 * per second that is spent as fast as possible (a burst at saturation, then idle), so neither measures
 * latency at a steady rate. This one schedules request k at start + k/rate, sends it on an idle
 * keep-alive connection (or queues it if none is idle), and measures latency from the *scheduled*
 * time, so a slow server cannot hide its queueing delay by slowing the sender (coordinated omission).
 * Every latency is kept, so p95 is exact, not a histogram bucket.
 *
 * Usage: node dist/bench/fixed-rate.js --url http://127.0.0.1:P/v1/events --payloads FILE
 *          [--rate 10000] [--duration 10] [--warmup 2] [--connections 64] [--watch-cpu N]
 * Prints one JSON line: {rate, sent, completed, lost, achievedRps, status, p50Ms, p90Ms, p95Ms, p99Ms,
 * p999Ms, maxMs, maxSendLagMs, errors, cpuBusy}. `maxSendLagMs` is how late this generator itself ever
 * was (it counts in the latencies); `cpuBusy` is the busy share of core N (from /proc/stat) during the
 * measured part, i.e. how loaded the server's core was at this rate.
 */
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    payloads: { type: 'string' },
    rate: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '64' },
    'watch-cpu': { type: 'string' },
  },
});
if (!values.url || !values.payloads) {
  console.error('usage: fixed-rate --url URL --payloads FILE [--rate N] [--duration S] [--warmup S] [--connections N]');
  process.exit(2);
}
const url = new URL(values.url);
if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error('fixed-rate only targets 127.0.0.1');
const rate = Number(values.rate);
const durationS = Number(values.duration);
const warmupS = Number(values.warmup);
const connectionCount = Number(values.connections);

// Each body split right after each event_id value: parts.join(suffix) appends suffix to every id, so
// every pass over the file sends new events (real inserts for the store, not duplicate skips).
const bodies = readFileSync(values.payloads, 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)
  .map((body) => body.split(/(?<="event_id":"[^"]*)(?=")/));
const requestHead = `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: `;
const runTag = `f${process.pid.toString(36)}`;
let pass = 0;

interface Connection {
  socket: Socket;
  busy: boolean;
  /** Scheduled time (ms, performance.now) of the request in flight. */
  scheduledAt: number;
  buffered: Buffer;
}

const total = Math.ceil(rate * (warmupS + durationS));
const warmupCount = Math.ceil(rate * warmupS);
const latencies = new Float64Array(total);
let recorded = 0;
let sent = 0;
let completed = 0;
let errors = 0;
let maxSendLag = 0;
const status = new Map<number, number>();
/** Scheduled times of requests that were due while every connection was busy. */
const backlog: number[] = [];
let backlogHead = 0;
const idle: Connection[] = [];
let nextRequest = 0;
let start = 0;

function send(connection: Connection, scheduledAt: number): void {
  connection.busy = true;
  connection.scheduledAt = scheduledAt;
  const body = bodies[nextRequest]!.join(`~${runTag}.${pass}`);
  connection.socket.write(`${requestHead}${Buffer.byteLength(body)}\r\n\r\n${body}`);
  if (++nextRequest === bodies.length) {
    nextRequest = 0;
    pass++;
  }
}

/** Minimal HTTP/1.1 response reader: status line + content-length framing is all both servers use. */
function onData(connection: Connection, chunk: Buffer): void {
  connection.buffered = connection.buffered.length ? Buffer.concat([connection.buffered, chunk]) : chunk;
  for (;;) {
    const headerEnd = connection.buffered.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = connection.buffered.toString('latin1', 0, headerEnd);
    const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!match) throw new Error(`response without content-length: ${head}`);
    const end = headerEnd + 4 + Number(match[1]);
    if (connection.buffered.length < end) return;
    connection.buffered = connection.buffered.subarray(end);
    finish(connection, Number(head.slice(9, 12)));
  }
}

/** Busy and total jiffies of core N, or undefined when not watched / not Linux. */
function cpuTicks(core: string | undefined): { busy: number; total: number } | undefined {
  if (core === undefined) return undefined;
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((row) => row.startsWith(`cpu${core} `));
    const fields = line!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idleTicks = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idleTicks, total };
  } catch {
    return undefined;
  }
}
let cpuAtMeasureStart: ReturnType<typeof cpuTicks>;

function finish(connection: Connection, code: number): void {
  const now = performance.now();
  const index = completed++;
  if (index === warmupCount) cpuAtMeasureStart = cpuTicks(values['watch-cpu']);
  if (index >= warmupCount && recorded < latencies.length) {
    latencies[recorded++] = now - connection.scheduledAt;
    status.set(code, (status.get(code) ?? 0) + 1);
  }
  connection.busy = false;
  if (backlogHead < backlog.length) {
    send(connection, backlog[backlogHead++]!);
    if (backlogHead === backlog.length) {
      backlog.length = 0;
      backlogHead = 0;
    }
  } else {
    idle.push(connection);
  }
}

function tick(): void {
  const now = performance.now();
  const due = Math.min(total, Math.floor(((now - start) / 1000) * rate));
  while (sent < due) {
    const scheduledAt = start + (sent / rate) * 1000;
    maxSendLag = Math.max(maxSendLag, now - scheduledAt);
    sent++;
    // FIFO: every connection stays in use, so none sits idle long enough for a keep-alive timeout.
    const connection = idle.shift();
    if (connection) send(connection, scheduledAt);
    else backlog.push(scheduledAt);
  }
  if (sent < total) setImmediate(tick);
  else setTimeout(report, 0);
}

function report(): void {
  // Give the last requests up to 2 s to come back, then report what arrived.
  const deadline = performance.now() + 2000;
  const waitForLast = () => {
    if (completed < sent && performance.now() < deadline) return setTimeout(waitForLast, 5);
    const cpuEnd = cpuTicks(values['watch-cpu']);
    for (const connection of connections) connection.socket.destroy();
    const cpuBusy =
      cpuEnd && cpuAtMeasureStart && cpuEnd.total > cpuAtMeasureStart.total
        ? round((cpuEnd.busy - cpuAtMeasureStart.busy) / (cpuEnd.total - cpuAtMeasureStart.total))
        : null;
    const sorted = latencies.subarray(0, recorded).sort();
    const pick = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN);
    console.log(
      JSON.stringify({
        rate,
        durationS,
        sent: sent - warmupCount,
        completed: recorded,
        lost: sent - completed,
        achievedRps: Math.round(recorded / durationS),
        status: Object.fromEntries(status),
        p50Ms: pick(50),
        p90Ms: pick(90),
        p95Ms: pick(95),
        p99Ms: pick(99),
        p999Ms: pick(99.9),
        maxMs: round(sorted[sorted.length - 1] ?? NaN),
        maxSendLagMs: round(maxSendLag),
        errors,
        cpuBusy,
      }),
    );
  };
  waitForLast();
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

const connections: Connection[] = [];
let open = 0;
for (let i = 0; i < connectionCount; i++) {
  const socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  const connection: Connection = { socket, busy: false, scheduledAt: 0, buffered: Buffer.alloc(0) };
  connections.push(connection);
  socket.on('data', (chunk: Buffer) => onData(connection, chunk));
  socket.on('error', (error) => {
    errors++;
    if (errors === 1) console.error(`fixed-rate: ${error.message}`);
  });
  socket.on('close', () => {
    if (connection.busy && sent < total) errors++;
  });
  socket.once('connect', () => {
    idle.push(connection);
    if (++open === connectionCount) {
      start = performance.now();
      tick();
    }
  });
}
