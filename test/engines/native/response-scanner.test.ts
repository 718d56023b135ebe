import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseScanner } from '../../../src/engines/native/response-scanner.js';

type Seen = Array<[status: number, keepAlive: boolean]>;

/** Feeds `parts` in order (then the end of the stream when `end`); what completed and whether all parsed. */
function scan(parts: Array<string | Uint8Array>, end = false): { seen: Seen; ok: boolean; finished: boolean | null } {
  const seen: Seen = [];
  const scanner = new ResponseScanner((status, keepAlive) => seen.push([status, keepAlive]));
  let ok = true;
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    ok = scanner.execute(bytes, 0, bytes.length) && ok;
  }
  return { seen, ok, finished: end ? scanner.finish() : null };
}

/** Every way to cut `text` in two, and byte by byte: the result must not depend on the chunk boundaries. */
function everySplit(text: string): Array<string[]> {
  const splits = Array.from({ length: text.length - 1 }, (_, at) => [text.slice(0, at + 1), text.slice(at + 1)]);
  return [[text], ...splits, [...text]];
}

const OK = 'HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 14\r\nConnection: keep-alive\r\n\r\n{"accepted":1}';
const CHUNKED = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n';

describe('ResponseScanner', () => {
  const table: Array<{ name: string; text: string; end?: boolean; seen: Seen; ok?: boolean; finished?: boolean }> = [
    { name: 'content-length', text: OK, seen: [[202, true]] },
    { name: 'chunked, with an extension and a trailer', text: CHUNKED, seen: [[200, true]] },
    { name: 'chunked when it is the last coding', text: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', seen: [[200, true]] },
    { name: 'two responses in one chunk', text: OK + CHUNKED, seen: [[202, true], [200, true]] },
    { name: 'connection: close', text: 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\nConnection: Close\r\n\r\n{}', seen: [[503, false]] },
    { name: 'connection: close among other tokens', text: 'HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 0\r\n\r\n', seen: [[200, false]] },
    { name: 'HTTP/1.0 closes by default', text: 'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx', seen: [[200, false]] },
    { name: 'HTTP/1.0 keep-alive', text: 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx', seen: [[200, true]] },
    { name: 'no framing: the body runs until the end of the stream', text: 'HTTP/1.1 500 Oops\r\n\r\nsome body\r\nmore', end: true, seen: [[500, false]], finished: true },
    { name: '204 and 304 have no body', text: 'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n' + OK, seen: [[204, true], [304, true], [202, true]] },
    { name: 'a 1xx interim response is skipped', text: 'HTTP/1.1 100 Continue\r\n\r\n' + OK, seen: [[202, true]] },
    { name: 'bare LF line endings, no reason phrase', text: 'HTTP/1.1 429\nContent-Length: 2\n\n{}', seen: [[429, true]] },
    { name: 'header names in any case, values with spaces', text: 'HTTP/1.1 200 OK\r\nCONTENT-LENGTH:   3  \r\n\r\nabc', seen: [[200, true]] },
    { name: 'an empty line before the status line', text: '\r\n' + OK, seen: [[202, true]] },
    { name: 'not HTTP', text: 'SSH-2.0-OpenSSH_9.6\r\n', seen: [], ok: false },
    { name: 'a bad status code', text: 'HTTP/1.1 2x2 OK\r\n\r\n', seen: [], ok: false },
    { name: 'a bad content-length', text: 'HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n', seen: [], ok: false },
    { name: 'two different content-lengths', text: 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', seen: [], ok: false },
    { name: 'a header line without a colon', text: 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n', seen: [], ok: false },
    { name: 'a bad chunk size', text: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', seen: [], ok: false },
    { name: 'chunk data not followed by CRLF', text: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n', seen: [], ok: false },
    { name: 'cut off in the body', text: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', end: true, seen: [], finished: false },
    { name: 'cut off in the headers', text: 'HTTP/1.1 200 OK\r\nContent-Le', end: true, seen: [], finished: false },
    { name: 'the stream ends between responses', text: OK, end: true, seen: [[202, true]], finished: true },
  ];
  for (const row of table) {
    it(`${row.name}, at every chunk boundary`, () => {
      for (const parts of everySplit(row.text)) {
        const result = scan(parts, row.end ?? false);
        const where = `split ${parts.map((part) => part.length).join('+')}`;
        assert.deepEqual(result.seen, row.seen, where);
        assert.equal(result.ok, row.ok ?? true, where);
        if (row.end) assert.equal(result.finished, row.finished, where);
      }
    });
  }

  it('reads only up to the end it is given (the shared read buffer holds stale bytes after it)', () => {
    const stale = Buffer.alloc(200, 'x');
    Buffer.from('\r\nContent-Length: 999\r\n\r\n').copy(stale, 40);
    const first = 'HTTP/1.1 202 Accepted\r\nContent-Le';
    stale.write(first, 0, 'latin1');
    const seen: Seen = [];
    const scanner = new ResponseScanner((status, keepAlive) => seen.push([status, keepAlive]));
    assert.ok(scanner.execute(stale, 0, first.length));
    const rest = Buffer.from('ngth: 1\r\n\r\nz');
    assert.ok(scanner.execute(rest, 0, rest.length));
    assert.deepEqual(seen, [[202, true]]);
  });

  it('a header longer than a read spans many chunks', () => {
    const cookie = `Set-Cookie: ${'c'.repeat(100_000 / 2)}\r\n`;
    const text = `HTTP/1.1 200 OK\r\n${cookie}Content-Length: 2\r\n\r\nok`;
    const parts = text.match(/[^]{1,1000}/g)!;
    assert.deepEqual(scan(parts).seen, [[200, true]]);
  });
});
