/**
 * One keep-alive HTTP/1.1 connection = one VU of the native engine: a raw `net` socket that writes
 * pre-serialised request bytes and reads responses with http-parser-js (autocannon's parser). DESIGN.md
 * measured raw sockets + this parser at 1.4× undici's requests per CPU-second on this machine kind;
 * the engine never pipelines, so one connection carries one request at a time.
 */
import { connect, type Socket } from 'node:net';
import { HTTPParser } from 'http-parser-js';
import { classifyStatus, type OutcomeClass } from '../../results/outcomes.js';

export interface Endpoint {
  host: string;
  port: number;
}

/** Called exactly once per request: the outcome class and, for answered requests, the end time. */
export type RequestDone = (outcome: OutcomeClass, endedAt: number) => void;

export class HttpConnection {
  private socket: Socket | null = null;
  private connected = false;
  private parser = new HTTPParser(HTTPParser.RESPONSE);
  private pending: { bytes: Buffer; done: RequestDone } | null = null;
  private status = 0;
  busy = false;

  constructor(private readonly endpoint: Endpoint) {}

  /** Opens the socket ahead of the first request (prepare); failures are left for the first request to report. */
  warmUp(): Promise<void> {
    return new Promise((resolve) => {
      const socket = this.open();
      const settle = () => {
        socket.off('connect', settle);
        socket.off('close', settle);
        resolve();
      };
      socket.once('connect', settle);
      socket.once('close', settle);
    });
  }

  /** Sends one request; `done` gets its outcome. The caller guarantees the connection is not busy. */
  send(bytes: Buffer, done: RequestDone): void {
    this.busy = true;
    this.pending = { bytes, done };
    if (!this.socket) this.open();
    if (this.connected) this.socket!.write(bytes);
  }

  /** Gives up on the request in flight (its timeout passed): the socket is closed, the next request reconnects. */
  abort(outcome: OutcomeClass, endedAt: number): void {
    this.finish(outcome, endedAt);
    this.reset();
  }

  close(): void {
    this.pending = null;
    this.reset();
  }

  private open(): Socket {
    const socket = connect({ host: this.endpoint.host, port: this.endpoint.port, noDelay: true });
    this.socket = socket;
    this.parser = new HTTPParser(HTTPParser.RESPONSE);
    this.parser[HTTPParser.kOnHeadersComplete] = (info) => {
      this.status = info.statusCode;
    };
    this.parser[HTTPParser.kOnMessageComplete] = () => {
      this.finish(classifyStatus(this.status), now());
    };
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      this.connected = true;
      if (this.pending) socket.write(this.pending.bytes);
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      const result = this.parser.execute(chunk);
      if (result instanceof Error) this.fail(socket, 'network');
    });
    socket.on('end', () => {
      if (this.socket === socket) this.parser.finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(socket, error.code === 'ECONNREFUSED' ? 'refused' : 'network'));
    socket.on('close', () => this.fail(socket, 'network'));
    return socket;
  }

  /** The socket broke: the request in flight (if any) ends with `outcome`; the next one reconnects. */
  private fail(socket: Socket, outcome: OutcomeClass): void {
    if (this.socket !== socket) return;
    this.finish(outcome, now());
    this.reset();
  }

  private finish(outcome: OutcomeClass, endedAt: number): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    this.busy = false;
    pending.done(outcome, endedAt);
  }

  private reset(): void {
    const socket = this.socket;
    this.socket = null;
    this.connected = false;
    socket?.destroy();
  }
}

/** Epoch ms with sub-ms precision, comparable across worker threads. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
