/**
 * One keep-alive HTTP/1.1 connection = one VU of the native engine: a raw socket (plain `net`, or
 * `tls` for an https target) that writes pre-serialised request bytes and finds where each response
 * ends with ResponseScanner. Plain sockets read into one buffer shared by every socket of the worker
 * (`onread`), so a response costs no allocation and no stream machinery; TLS sockets hand over the
 * decrypted chunks. The engine never pipelines, so one connection carries one request at a time.
 *
 * Connecting and the TLS handshake are timed on their own (k6's http_req_connecting and
 * http_req_tls_handshaking) and never count in a request's latency: a request sent while its connection
 * opens is written, and its latency starts, once the connection is ready (`writtenAt`).
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { classifyStatus, type OutcomeClass } from '../../protocol/outcomes.js';
import { connect as connectTls, type SecureContext, type TLSSocket } from 'node:tls';
import { isTlsErrorCode } from '../../net/tls-material.js';
import { ResponseScanner } from './response-scanner.js';
import { now } from '../engine-clock.js';

/** What a connection's opening tells the worker (rare events: a callback each is fine). */
export interface ConnectionEvents {
  connected(address: string, connectMs: number): void;
  handshaken(handshakeMs: number, resumed: boolean): void;
  tlsFailed(code: string, message: string): void;
}

export interface TlsEndpoint {
  context: SecureContext;
  /** SNI and the name the certificate must carry; undefined for an IP literal (checked against the IP). */
  servername: string | undefined;
  /** Verify nothing (`--insecure`). */
  insecure: boolean;
  /** The last session ticket of this worker for this address: reconnects resume instead of a full handshake. */
  session: { last: Buffer | undefined };
}

export interface Endpoint {
  /** The resolved address this connection opens to (DNS is resolved once, at prepare). */
  address: string;
  port: number;
  tls: TlsEndpoint | null;
  events: ConnectionEvents;
}

/** Called exactly once per request: the outcome class and, for answered requests, the end time. */
export type RequestDone = (outcome: OutcomeClass, endedAt: number) => void;

/**
 * Every plain socket of this thread reads into this buffer; its bytes are scanned before the callback
 * returns, so sharing is safe (a worker thread has its own module instance).
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export class HttpConnection {
  private socket: Socket | null = null;
  private connected = false;
  /** The request in flight, kept until the socket is ready (a reconnect writes it then). */
  private pending: Buffer | null = null;
  /** When the request in flight was written to the socket (its latency starts here). */
  writtenAt = 0;
  /** Response bytes read since the last `takeReceivedBytes` (HTTP bytes, after TLS decryption). */
  private receivedBytes = 0;

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
        socket.off(this.endpoint.tls ? 'secureConnect' : 'connect', settle);
        socket.off('close', settle);
        resolve();
      };
      socket.once(this.endpoint.tls ? 'secureConnect' : 'connect', settle);
      socket.once('close', settle);
    });
  }

  /** Sends one request at `at` (now); `done` gets its outcome. The caller guarantees the connection is not busy. */
  send(bytes: Buffer, at: number): void {
    this.pending = bytes;
    this.writtenAt = 0; // until written: a request waiting for its connection has not started
    if (!this.socket) this.open();
    else if (this.connected) this.write(this.socket, bytes, at);
  }

  /** Bytes read since the last call. */
  takeReceivedBytes(): number {
    const bytes = this.receivedBytes;
    this.receivedBytes = 0;
    return bytes;
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

  private write(socket: Socket, bytes: Buffer, at: number): void {
    this.writtenAt = at;
    socket.write(bytes);
  }

  private open(): Socket {
    const { address, port, tls, events } = this.endpoint;
    const scanner = new ResponseScanner((status, keepAlive) => this.answered(socket, status, keepAlive));
    const openedAt = now();
    let tcpAt = openedAt;
    const ready = () => {
      if (this.socket !== socket) return;
      this.connected = true;
      if (this.pending) this.write(socket, this.pending, now());
    };
    let socket: Socket;
    if (tls) {
      const secure: TLSSocket = connectTls({
        host: address,
        port,
        secureContext: tls.context,
        rejectUnauthorized: !tls.insecure,
        ALPNProtocols: ['http/1.1'],
        ...(tls.servername ? { servername: tls.servername } : {}),
        ...(tls.session.last ? { session: tls.session.last } : {}),
      });
      socket = secure;
      secure.setNoDelay(true);
      secure.once('connect', () => {
        tcpAt = now();
        events.connected(address, tcpAt - openedAt);
      });
      secure.once('secureConnect', () => {
        events.handshaken(now() - tcpAt, secure.isSessionReused());
        ready();
      });
      secure.on('session', (session: Buffer) => (tls.session.last = session));
      secure.on('data', (chunk: Buffer) => {
        if (this.socket !== socket) return;
        this.receivedBytes += chunk.length;
        if (!scanner.execute(chunk, 0, chunk.length)) this.fail(socket, 'network');
      });
    } else {
      socket = connectTcp({
        host: address,
        port,
        noDelay: true,
        onread: {
          buffer: READ_BUFFER,
          callback: (nread: number, buffer: Uint8Array) => {
            if (this.socket !== socket) return true;
            this.receivedBytes += nread;
            if (!scanner.execute(buffer, 0, nread)) this.fail(socket, 'network');
            return true; // keep reading
          },
        },
      });
      socket.once('connect', () => {
        events.connected(address, now() - openedAt);
        ready();
      });
    }
    this.socket = socket;
    socket.on('end', () => {
      // A body read until close is complete now; anything else cut off fails on 'close'.
      if (this.socket === socket) scanner.finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.socket !== socket) return;
      if (isTlsErrorCode(error.code)) {
        events.tlsFailed(error.code!, error.message);
        this.fail(socket, 'tls');
      } else {
        this.fail(socket, error.code === 'ECONNREFUSED' ? 'refused' : 'network');
      }
    });
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
