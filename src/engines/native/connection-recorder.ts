/**
 * A worker's record of how its connections opened (issue 19): per address, TCP connect and TLS
 * handshake times, resumed sessions, TLS failures by code. The connection events are rare (one per
 * connection, not per request), so this is plain bookkeeping.
 */
import type { ConnectionFigures } from '../../protocol/instance-result.js';
import type { ConnectionEvents } from './http-connection.js';
import { LatencyRecorder } from './latency-recorder.js';

export class ConnectionRecorder implements ConnectionEvents {
  private readonly perAddress: Record<string, number>;
  private readonly connect = new LatencyRecorder();
  private readonly handshake = new LatencyRecorder();
  private resumed = 0;
  private readonly failures: Record<string, { count: number; message: string }> = {};

  /** `tls` is null for a plain http target; else whether verification is off. */
  constructor(
    addresses: readonly string[],
    private readonly tls: { insecure: boolean } | null,
  ) {
    this.perAddress = Object.fromEntries(addresses.map((address) => [address, 0]));
  }

  connected(address: string, connectMs: number): void {
    this.perAddress[address] = (this.perAddress[address] ?? 0) + 1;
    this.connect.record(connectMs);
  }

  handshaken(handshakeMs: number, resumed: boolean): void {
    this.handshake.record(handshakeMs);
    if (resumed) this.resumed++;
  }

  tlsFailed(code: string, message: string): void {
    const failure = (this.failures[code] ??= { count: 0, message });
    failure.count++;
  }

  figures(): ConnectionFigures {
    return {
      addresses: { ...this.perAddress },
      opened: this.connect.count,
      connectMs: this.connect.summary(),
      tls: this.tls ? { insecure: this.tls.insecure, handshakes: this.handshake.count, resumed: this.resumed, handshakeMs: this.handshake.summary(), failures: structuredClone(this.failures) } : null,
    };
  }
}
