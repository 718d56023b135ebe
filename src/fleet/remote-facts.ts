/**
 * What `fleet check` reads on a host, over one exec channel: the host's Node runs a small script that
 * prints the facts the local `doctor` reads (open-files limit as the agent would get it, port range,
 * tcp_tw_reuse, cores, memory) as one JSON line, then answers clock probes (one line in → its
 * Date.now() out) so the offset is measured the way the run measures it.
 */
import { createInterface } from 'node:readline';
import type { ResolvedFleetHost } from './fleet-config.js';
import type { SshSession } from '../runners/ssh/ssh-session.js';

export interface RemoteFacts {
  nodeVersion: string;
  openFilesLimit: number | undefined;
  localPortRange: [number, number] | undefined;
  tcpTwReuse: number | undefined;
  cores: number;
  memoryBytes: number;
  platform: string;
}

export interface ClockReading {
  /** host clock − controller clock, ms. */
  offsetMs: number;
  /** Round trip of the best probe; the offset is within ± half of it. */
  rttMs: number;
}

export type FactsProbe = { ok: true; facts: RemoteFacts; clock: ClockReading } | { ok: false; exitCode: number | null; output: string };

/** Plain ES5-ish CommonJS so even an old Node answers (and the check can say it is too old). */
const FACTS_SCRIPT = `
var fs = require('fs'), os = require('os');
function read(f) { try { return fs.readFileSync(f, 'utf8').trim(); } catch (e) { return null; } }
var limits = read('/proc/self/limits'), openFiles = null;
if (limits) { var line = limits.split('\\n').filter(function (l) { return l.indexOf('Max open files') === 0; })[0];
  var soft = line && line.split(/\\s{2,}/)[1]; openFiles = soft === 'unlimited' ? -1 : soft ? Number(soft) : null; }
var range = read('/proc/sys/net/ipv4/ip_local_port_range'), reuse = read('/proc/sys/net/ipv4/tcp_tw_reuse');
process.stdout.write(JSON.stringify({ nodeVersion: process.version, openFiles: openFiles,
  portRange: range ? range.split(/\\s+/).map(Number) : null, tcpTwReuse: reuse === null ? null : Number(reuse),
  cores: os.availableParallelism ? os.availableParallelism() : os.cpus().length, memoryBytes: os.totalmem(),
  platform: process.platform }) + '\\n');
process.stdin.setEncoding('utf8');
process.stdin.on('data', function (d) { for (var i = 0; i < d.length; i++) if (d[i] === '\\n') process.stdout.write(Date.now() + '\\n'); });
process.stdin.on('end', function () { process.exit(0); });
`;

const CLOCK_PROBES = 5;

/** Runs the facts script with the host's Node and measures its clock offset; bounded by `timeoutMs`. */
export async function probeRemoteFacts(session: SshSession, host: ResolvedFleetHost, timeoutMs = 15_000): Promise<FactsProbe> {
  const channel = await session.openChannel([host.node, '-e', FACTS_SCRIPT]);
  let stderr = '';
  channel.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  const lines = createInterface({ input: channel, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const exit = new Promise<number | null>((resolve) => channel.on('exit', (code: number | null) => resolve(code ?? null)));
  const timer = setTimeout(() => channel.close(), timeoutMs);
  try {
    const first = await lines.next();
    const facts = first.done ? undefined : parseFacts(first.value);
    if (!facts) {
      channel.end();
      return { ok: false, exitCode: await Promise.race([exit, new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000))]), output: `${first.done ? '' : first.value}\n${stderr}`.trim() };
    }
    let best: ClockReading | undefined;
    for (let probe = 0; probe < CLOCK_PROBES; probe++) {
      const sentAt = Date.now();
      channel.write('\n');
      const reply = await lines.next();
      const receivedAt = Date.now();
      if (reply.done) break;
      const reading = { offsetMs: Number(reply.value) - (sentAt + receivedAt) / 2, rttMs: receivedAt - sentAt };
      if (!best || reading.rttMs < best.rttMs) best = reading;
    }
    channel.end();
    return best ? { ok: true, facts, clock: best } : { ok: false, exitCode: null, output: `no answer to clock probes\n${stderr}`.trim() };
  } finally {
    clearTimeout(timer);
  }
}

function parseFacts(line: string): RemoteFacts | undefined {
  try {
    const raw = JSON.parse(line) as { nodeVersion: string; openFiles: number | null; portRange: number[] | null; tcpTwReuse: number | null; cores: number; memoryBytes: number; platform: string };
    return {
      nodeVersion: raw.nodeVersion,
      openFilesLimit: raw.openFiles === null ? undefined : raw.openFiles === -1 ? Number.POSITIVE_INFINITY : raw.openFiles,
      localPortRange: raw.portRange?.length === 2 ? [raw.portRange[0]!, raw.portRange[1]!] : undefined,
      tcpTwReuse: raw.tcpTwReuse ?? undefined,
      cores: raw.cores,
      memoryBytes: raw.memoryBytes,
      platform: raw.platform,
    };
  } catch {
    return undefined;
  }
}
