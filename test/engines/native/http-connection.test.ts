import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpConnection, type ConnectionEvents } from '../../../src/engines/native/http-connection.js';
import type { OutcomeClass } from '../../../src/protocol/outcomes.js';

const REQUEST = Buffer.from('POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');

/** A real TCP server that answers each complete request (by its blank line + 2-byte body) with `answer`. */
async function rawServer(answer: (socket: Socket, index: number) => Promise<void> | void): Promise<{ port: number; connections: number; server: Server }> {
  let requests = 0;
  const state = { port: 0, connections: 0, server: createServer() };
  state.server.on('connection', (socket) => {
    state.connections++;
    let seen = '';
    socket.on('data', (chunk) => {
      seen += chunk.toString('latin1');
      while (seen.includes('\r\n\r\n{}')) {
        seen = seen.slice(seen.indexOf('\r\n\r\n{}') + 6);
        void answer(socket, requests++);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

const IGNORED_EVENTS: ConnectionEvents = { connected: () => {}, handshaken: () => {}, tlsFailed: () => {} };

/** Sends `count` requests one after another on one HttpConnection; the outcomes in order. */
async function sendSequentially(port: number, count: number): Promise<OutcomeClass[]> {
  const outcomes: OutcomeClass[] = [];
  let settle: () => void = () => {};
  const connection = new HttpConnection({ address: '127.0.0.1', port, tls: null, events: IGNORED_EVENTS }, (outcome) => {
    outcomes.push(outcome);
    settle();
  });
  for (let i = 0; i < count; i++) {
    const ended = new Promise<void>((resolve) => (settle = resolve));
    connection.send(REQUEST, performance.timeOrigin + performance.now());
    await ended;
  }
  connection.close();
  return outcomes;
}

describe('HttpConnection against raw servers', () => {
  const servers: Server[] = [];
  after(() => servers.forEach((server) => server.close()));
  const start = async (answer: Parameters<typeof rawServer>[0]) => {
    const state = await rawServer(answer);
    servers.push(state.server);
    return state;
  };

  it('a chunked answer written in pieces, cut mid-line, ends once; the connection is reused', async () => {
    const answer = 'HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\ne\r\n{"accepted":1}\r\n0\r\n\r\n';
    const state = await start(async (socket) => {
      for (const piece of [answer.slice(0, 20), answer.slice(20, 45), answer.slice(45, 60), answer.slice(60)]) {
        socket.write(piece);
        await sleep(5);
      }
    });
    assert.deepEqual(await sendSequentially(state.port, 3), ['2xx', '2xx', '2xx']);
    assert.equal(state.connections, 1);
  });

  it('connection: close — every request gets its answer on a new connection, none fails', async () => {
    const state = await start((socket) => {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}');
    });
    assert.deepEqual(await sendSequentially(state.port, 3), ['503', '503', '503']);
    assert.equal(state.connections, 3);
  });

  it('a body without framing ends when the server closes', async () => {
    const state = await start((socket) => {
      socket.write('HTTP/1.1 500 Internal Server Error\r\n\r\npartial ');
      setTimeout(() => socket.end('body'), 10);
    });
    assert.deepEqual(await sendSequentially(state.port, 2), ['5xx', '5xx']);
  });

  it('a close in the middle of the body and bytes that are not HTTP are network failures', async () => {
    const cut = await start((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort');
    });
    const garbage = await start((socket) => {
      socket.write('220 smtp.example.com ESMTP\r\n');
    });
    assert.deepEqual(await sendSequentially(cut.port, 2), ['network', 'network']);
    assert.deepEqual(await sendSequentially(garbage.port, 2), ['network', 'network']);
  });
});
