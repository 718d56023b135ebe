/**
 * One keep-alive HTTP/1.1 connection = one VU of the native engine: a raw `net` socket that writes
 * pre-serialised request bytes and finds where each response ends with ResponseScanner. Reads land in
 * one buffer shared by every socket of the worker (`onread`), so a response costs no allocation and no
 * stream machinery. The engine never pipelines, so one connection carries one request at a time.
 */
import { connect, type Socket } from 'node:net';
import { classifyStatus, type OutcomeClass } from '../../protocol/outcomes.js';
import { ResponseScanner } from './response-scanner.js';
import { now } from '../engine-clock.js';

export interface Endpoint {
  host: string;
  port: number;
}

/** Called exactly once per request: the outcome class and, for answered requests, the end time. */
export type RequestDone = (outcome: OutcomeClass, endedAt: number) => void;

/**
 * Every socket of this thread reads into this buffer; its bytes are scanned before the callback returns,
 * so sharing is safe (a worker thread has its own module instance).
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export class HttpConnection {
  private socket: Socket | null = null;
  private connected = false;
  /** The request in flight, kept until the socket connects (a reconnect writes it then). */
  private pending: Buffer | null = null;

  /** `done` is called once per request sent; it is given once, so sending allocates no callback. */
  constructor(
    private readonly endpoint: Endpoint,
    private readonly done: RequestDone,
  ) {}

  get busy(): boolean {
    return this.pending !== null;
  }

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
  send(bytes: Buffer): void {
    this.pending = bytes;
    if (!this.socket) this.open();
    else if (this.connected) this.socket.write(bytes);
  }

  /** Gives up on the request in flight (its timeout passed): the socket is closed, the next request reconnects. */
  abort(outcome: OutcomeClass, endedAt: number): void {
    this.reset();
    this.finish(outcome, endedAt);
  }

  close(): void {
    this.pending = null;
    this.reset();
  }

  private open(): Socket {
    const scanner = new ResponseScanner((status, keepAlive) => this.answered(socket, status, keepAlive));
    const socket: Socket = connect({
      host: this.endpoint.host,
      port: this.endpoint.port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (nread: number, buffer: Uint8Array) => {
          if (this.socket === socket && !scanner.execute(buffer, 0, nread)) this.fail(socket, 'network');
          return true; // keep reading
        },
      },
    });
    this.socket = socket;
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      this.connected = true;
      if (this.pending) socket.write(this.pending);
    });
    socket.on('end', () => {
      // A body read until close is complete now; anything else cut off fails on 'close'.
      if (this.socket === socket) scanner.finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(socket, error.code === 'ECONNREFUSED' ? 'refused' : 'network'));
    socket.on('close', () => this.fail(socket, 'network'));
    return socket;
  }

  private answered(socket: Socket, status: number, keepAlive: boolean): void {
    if (this.socket !== socket) return;
    // The server closes after this response: reconnect for the next request instead of writing to a closing socket.
    if (!keepAlive) this.reset();
    this.finish(classifyStatus(status), now());
  }

  /** The socket broke: the request in flight (if any) ends with `outcome`; the next one reconnects. */
  private fail(socket: Socket, outcome: OutcomeClass): void {
    if (this.socket !== socket) return;
    this.reset();
    this.finish(outcome, now());
  }

  private finish(outcome: OutcomeClass, endedAt: number): void {
    if (this.pending === null) return;
    this.pending = null;
    this.done(outcome, endedAt);
  }

  private reset(): void {
    const socket = this.socket;
    this.socket = null;
    this.connected = false;
    socket?.destroy();
  }
}
