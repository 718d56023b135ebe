/**
 * Finds where each HTTP/1.x response ends in the bytes of one connection, reading only what the engine
 * needs: the status code, the body's framing (content-length, chunked, or until close) and whether the
 * server keeps the connection. Bytes are scanned in place — no header strings, no objects per response —
 * because http-parser-js's per-header strings were ~15 % of the engine's CPU and much of its garbage
 * (bench/README.md, "native engine"). Chunk boundaries may fall anywhere; several responses may share
 * one chunk. Requests are never HEAD, so every non-1xx/204/304 response has a body by its framing.
 */

/** Called once per complete final response (1xx interim responses are skipped). */
export type ResponseComplete = (status: number, keepAlive: boolean) => void;

const enum State {
  StatusLine,
  HeaderLine,
  BodyLength,
  ChunkSizeLine,
  ChunkData,
  ChunkDataEnd,
  Trailer,
  BodyUntilClose,
  Failed,
}

const LF = 10;
const CR = 13;
/** Longest line kept when it spans chunks (the interesting headers are short; others only need skipping). */
const MAX_LINE_BYTES = 64 * 1024;

const CONTENT_LENGTH = bytesOf('content-length');
const TRANSFER_ENCODING = bytesOf('transfer-encoding');
const CONNECTION = bytesOf('connection');
const CHUNKED = bytesOf('chunked');
const CLOSE = bytesOf('close');
const KEEP_ALIVE = bytesOf('keep-alive');

export class ResponseScanner {
  private state = State.StatusLine;
  private status = 0;
  private http10 = false;
  private contentLength = -1;
  private chunked = false;
  private closeHeader = false;
  private keepAliveHeader = false;
  /** Body or chunk bytes still to skip. */
  private remaining = 0;
  /** A line that spans chunks, assembled here. */
  private line = new Uint8Array(256);
  private lineLength = 0;

  constructor(private readonly onComplete: ResponseComplete) {}

  /** True once the bytes did not parse as HTTP/1.x; the connection is then unusable. */
  get failed(): boolean {
    return this.state === State.Failed;
  }

  /** True while a response has begun but not ended (so the end of the stream would cut it off). */
  get midResponse(): boolean {
    return this.state !== State.StatusLine || this.lineLength > 0;
  }

  /** Scans `bytes[start, end)`; returns false when they are not valid HTTP/1.x (and stays failed). */
  execute(bytes: Uint8Array, start: number, end: number): boolean {
    let at = start;
    while (at < end && this.state !== State.Failed) {
      switch (this.state) {
        case State.BodyLength:
        case State.ChunkData: {
          const take = Math.min(this.remaining, end - at);
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) {
            if (this.state === State.BodyLength) this.complete();
            else this.state = State.ChunkDataEnd;
          }
          break;
        }
        case State.BodyUntilClose:
          at = end;
          break;
        default:
          at = this.scanLine(bytes, at, end);
      }
    }
    return this.state !== State.Failed;
  }

  /** The stream ended: a body read until close is complete; returns false if a response was cut off. */
  finish(): boolean {
    if (this.state === State.BodyUntilClose) {
      this.complete();
      return true;
    }
    return !this.midResponse;
  }

  /** Consumes up to one line ending; returns where scanning goes on. */
  private scanLine(bytes: Uint8Array, start: number, end: number): number {
    const lf = bytes.indexOf(LF, start);
    const stop = lf === -1 || lf >= end ? end : lf;
    if (lf === -1 || lf >= end) {
      this.appendLine(bytes, start, stop);
      return end;
    }
    if (this.lineLength === 0) {
      this.onLine(bytes, start, trimCr(bytes, start, stop));
    } else {
      this.appendLine(bytes, start, stop);
      const line = this.line;
      const length = this.lineLength;
      this.lineLength = 0;
      if (this.state !== State.Failed) this.onLine(line, 0, trimCr(line, 0, length));
    }
    return lf + 1;
  }

  private appendLine(bytes: Uint8Array, start: number, end: number): void {
    const needed = this.lineLength + (end - start);
    if (needed > MAX_LINE_BYTES) {
      this.state = State.Failed;
      return;
    }
    if (needed > this.line.length) {
      const grown = new Uint8Array(Math.min(MAX_LINE_BYTES, Math.max(needed, this.line.length * 2)));
      grown.set(this.line.subarray(0, this.lineLength));
      this.line = grown;
    }
    this.line.set(bytes.subarray(start, end), this.lineLength);
    this.lineLength = needed;
  }

  /** One complete line `bytes[start, end)` without its CRLF. */
  private onLine(bytes: Uint8Array, start: number, end: number): void {
    switch (this.state) {
      case State.StatusLine:
        return this.onStatusLine(bytes, start, end);
      case State.HeaderLine:
        return end === start ? this.onHeadersEnd() : this.onHeader(bytes, start, end);
      case State.ChunkSizeLine:
        return this.onChunkSize(bytes, start, end);
      case State.ChunkDataEnd:
        this.state = end === start ? State.ChunkSizeLine : State.Failed;
        return;
      case State.Trailer:
        if (end === start) this.complete();
        return;
    }
  }

  /** `HTTP/1.x NNN reason`; a stray empty line before it is tolerated (RFC 9112 §2.2). */
  private onStatusLine(bytes: Uint8Array, start: number, end: number): void {
    if (end === start) return;
    const ok =
      end - start >= 12 &&
      bytes[start] === 72 && bytes[start + 1] === 84 && bytes[start + 2] === 84 && bytes[start + 3] === 80 && // HTTP
      bytes[start + 4] === 47 && bytes[start + 5] === 49 && bytes[start + 6] === 46 && // /1.
      (bytes[start + 7] === 48 || bytes[start + 7] === 49) && bytes[start + 8] === 32 &&
      isDigit(bytes[start + 9]!) && isDigit(bytes[start + 10]!) && isDigit(bytes[start + 11]!) &&
      (end - start === 12 || bytes[start + 12] === 32);
    if (!ok) {
      this.state = State.Failed;
      return;
    }
    this.http10 = bytes[start + 7] === 48;
    this.status = (bytes[start + 9]! - 48) * 100 + (bytes[start + 10]! - 48) * 10 + (bytes[start + 11]! - 48);
    this.contentLength = -1;
    this.chunked = false;
    this.closeHeader = false;
    this.keepAliveHeader = false;
    this.state = State.HeaderLine;
  }

  private onHeader(bytes: Uint8Array, start: number, end: number): void {
    const colon = bytes.indexOf(58, start);
    if (colon === -1 || colon >= end || colon === start) {
      this.state = State.Failed;
      return;
    }
    const nameLength = colon - start;
    let valueStart = colon + 1;
    let valueEnd = end;
    while (valueStart < valueEnd && isSpace(bytes[valueStart]!)) valueStart++;
    while (valueEnd > valueStart && isSpace(bytes[valueEnd - 1]!)) valueEnd--;
    if (nameLength === CONTENT_LENGTH.length && equalsIgnoreCase(bytes, start, CONTENT_LENGTH)) {
      const length = parseDecimal(bytes, valueStart, valueEnd);
      if (length < 0 || (this.contentLength !== -1 && this.contentLength !== length)) this.state = State.Failed;
      else this.contentLength = length;
    } else if (nameLength === TRANSFER_ENCODING.length && equalsIgnoreCase(bytes, start, TRANSFER_ENCODING)) {
      // chunked is only the framing when it is the last coding (RFC 9112 §6.1).
      this.chunked = valueEnd - valueStart >= CHUNKED.length && equalsIgnoreCase(bytes, valueEnd - CHUNKED.length, CHUNKED);
    } else if (nameLength === CONNECTION.length && equalsIgnoreCase(bytes, start, CONNECTION)) {
      if (hasToken(bytes, valueStart, valueEnd, CLOSE)) this.closeHeader = true;
      if (hasToken(bytes, valueStart, valueEnd, KEEP_ALIVE)) this.keepAliveHeader = true;
    }
  }

  private onHeadersEnd(): void {
    const status = this.status;
    if (status < 200) {
      // 1xx is interim: the final response follows on the same connection.
      this.state = State.StatusLine;
    } else if (status === 204 || status === 304) {
      this.complete();
    } else if (this.chunked) {
      this.state = State.ChunkSizeLine;
    } else if (this.contentLength >= 0) {
      this.remaining = this.contentLength;
      if (this.remaining === 0) this.complete();
      else this.state = State.BodyLength;
    } else {
      this.state = State.BodyUntilClose;
    }
  }

  /** `HEX[;extensions]`: 0 starts the trailer section. */
  private onChunkSize(bytes: Uint8Array, start: number, end: number): void {
    let size = 0;
    let digits = 0;
    let at = start;
    for (; at < end; at++) {
      const value = hexValue(bytes[at]!);
      if (value < 0) break;
      size = size * 16 + value;
      digits++;
    }
    while (at < end && isSpace(bytes[at]!)) at++;
    if (digits === 0 || digits > 12 || (at < end && bytes[at] !== 59)) {
      this.state = State.Failed;
      return;
    }
    if (size === 0) {
      this.state = State.Trailer;
    } else {
      this.remaining = size;
      this.state = State.ChunkData;
    }
  }

  private complete(): void {
    const keepAlive = this.state !== State.BodyUntilClose && !this.closeHeader && (!this.http10 || this.keepAliveHeader);
    this.state = State.StatusLine;
    this.onComplete(this.status, keepAlive);
  }
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function trimCr(bytes: Uint8Array, start: number, end: number): number {
  return end > start && bytes[end - 1] === CR ? end - 1 : end;
}

function isDigit(byte: number): boolean {
  return byte >= 48 && byte <= 57;
}

function isSpace(byte: number): boolean {
  return byte === 32 || byte === 9;
}

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  const lower = byte | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** `bytes` from `start` equals the lower-case ASCII `word`, ignoring case. */
function equalsIgnoreCase(bytes: Uint8Array, start: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) {
    if ((bytes[start + i]! | 0x20) !== word[i]) return false;
  }
  return true;
}

/** Decimal digits only (at most 15 of them); -1 if anything else. */
function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  if (end === start || end - start > 15) return -1;
  let value = 0;
  for (let at = start; at < end; at++) {
    const byte = bytes[at]!;
    if (!isDigit(byte)) return -1;
    value = value * 10 + (byte - 48);
  }
  return value;
}

/** The comma-separated list in `bytes[start, end)` holds `token` (case-insensitive). */
function hasToken(bytes: Uint8Array, start: number, end: number, token: Uint8Array): boolean {
  let at = start;
  while (at < end) {
    while (at < end && (isSpace(bytes[at]!) || bytes[at] === 44)) at++;
    let itemEnd = at;
    while (itemEnd < end && bytes[itemEnd] !== 44) itemEnd++;
    let trimmed = itemEnd;
    while (trimmed > at && isSpace(bytes[trimmed - 1]!)) trimmed--;
    if (trimmed - at === token.length && equalsIgnoreCase(bytes, at, token)) return true;
    at = itemEnd;
  }
  return false;
}
