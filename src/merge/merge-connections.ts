/** Adds the connection figures of several workers or instances: counts exactly, times through their histograms. */
import type { ConnectionFigures, TlsFigures } from '../protocol/instance-result.js';
import { mergeLatencySummaries } from './merge-latency.js';

/** undefined when no part had any (older results, k6). */
export function mergeConnectionFigures(parts: readonly (ConnectionFigures | undefined)[]): ConnectionFigures | undefined {
  const present = parts.filter((part): part is ConnectionFigures => part !== undefined);
  if (present.length === 0) return undefined;
  const addresses: Record<string, number> = {};
  for (const part of present) for (const [address, count] of Object.entries(part.addresses)) addresses[address] = (addresses[address] ?? 0) + count;
  const tlsParts = present.map((part) => part.tls).filter((tls): tls is TlsFigures => tls !== null);
  return {
    addresses,
    opened: present.reduce((sum, part) => sum + part.opened, 0),
    connectMs: mergeLatencySummaries(present.map((part) => part.connectMs)),
    tls: tlsParts.length === 0 ? null : mergeTls(tlsParts),
  };
}

function mergeTls(parts: readonly TlsFigures[]): TlsFigures {
  const failures: TlsFigures['failures'] = {};
  for (const part of parts) {
    for (const [code, failure] of Object.entries(part.failures)) {
      const sum = (failures[code] ??= { count: 0, message: failure.message });
      sum.count += failure.count;
    }
  }
  return {
    // One instance not verifying makes the run unverified.
    insecure: parts.some((part) => part.insecure),
    handshakes: parts.reduce((sum, part) => sum + part.handshakes, 0),
    resumed: parts.reduce((sum, part) => sum + part.resumed, 0),
    handshakeMs: mergeLatencySummaries(parts.map((part) => part.handshakeMs)),
    failures,
  };
}
