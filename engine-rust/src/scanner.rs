//! Finds where each HTTP/1.x response ends, ported from `src/engines/native/response-scanner.ts` (the
//! reference; its cases at every chunk split are replayed here by test/engines/rust/golden.test.ts).
//! Reads only the status, the body's framing and keep-alive; scans in place, allocates nothing per response.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
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

const LF: u8 = 10;
const CR: u8 = 13;
const MAX_LINE_BYTES: usize = 64 * 1024;

pub struct ResponseScanner {
    state: State,
    status: u16,
    http10: bool,
    content_length: i64,
    chunked: bool,
    close_header: bool,
    keep_alive_header: bool,
    remaining: u64,
    line: Vec<u8>,
}

impl Default for ResponseScanner {
    fn default() -> Self {
        Self::new()
    }
}

impl ResponseScanner {
    pub fn new() -> ResponseScanner {
        ResponseScanner {
            state: State::StatusLine,
            status: 0,
            http10: false,
            content_length: -1,
            chunked: false,
            close_header: false,
            keep_alive_header: false,
            remaining: 0,
            line: Vec::with_capacity(256),
        }
    }

    /// Back to a fresh connection's state (the line buffer keeps its capacity).
    pub fn reset(&mut self) {
        self.state = State::StatusLine;
        self.line.clear();
    }

    pub fn mid_response(&self) -> bool {
        self.state != State::StatusLine || !self.line.is_empty()
    }

    /// Scans `bytes`; `on_complete(status, keep_alive)` once per final response. False when not HTTP/1.x.
    pub fn execute(&mut self, bytes: &[u8], on_complete: &mut dyn FnMut(u16, bool)) -> bool {
        let mut at = 0;
        let end = bytes.len();
        while at < end && self.state != State::Failed {
            match self.state {
                State::BodyLength | State::ChunkData => {
                    let take = self.remaining.min((end - at) as u64);
                    self.remaining -= take;
                    at += take as usize;
                    if self.remaining == 0 {
                        if self.state == State::BodyLength {
                            self.complete(on_complete);
                        } else {
                            self.state = State::ChunkDataEnd;
                        }
                    }
                }
                State::BodyUntilClose => at = end,
                _ => at = self.scan_line(bytes, at, on_complete),
            }
        }
        self.state != State::Failed
    }

    /// The stream ended: a body read until close is complete; false if a response was cut off.
    pub fn finish(&mut self, on_complete: &mut dyn FnMut(u16, bool)) -> bool {
        if self.state == State::BodyUntilClose {
            self.complete(on_complete);
            return true;
        }
        !self.mid_response()
    }

    fn scan_line(&mut self, bytes: &[u8], start: usize, on_complete: &mut dyn FnMut(u16, bool)) -> usize {
        match memchr(LF, &bytes[start..]) {
            None => {
                self.append_line(&bytes[start..]);
                bytes.len()
            }
            Some(rel) => {
                let lf = start + rel;
                if self.line.is_empty() {
                    let stop = trim_cr(&bytes[start..lf]);
                    self.on_line(&bytes[start..start + stop], on_complete);
                } else {
                    self.append_line(&bytes[start..lf]);
                    if self.state != State::Failed {
                        let line = std::mem::take(&mut self.line);
                        let stop = trim_cr(&line);
                        self.on_line(&line[..stop], on_complete);
                        self.line = line;
                    }
                    self.line.clear();
                }
                lf + 1
            }
        }
    }

    fn append_line(&mut self, bytes: &[u8]) {
        if self.line.len() + bytes.len() > MAX_LINE_BYTES {
            self.state = State::Failed;
            return;
        }
        self.line.extend_from_slice(bytes);
    }

    fn on_line(&mut self, line: &[u8], on_complete: &mut dyn FnMut(u16, bool)) {
        match self.state {
            State::StatusLine => self.on_status_line(line),
            State::HeaderLine => {
                if line.is_empty() {
                    self.on_headers_end(on_complete)
                } else {
                    self.on_header(line)
                }
            }
            State::ChunkSizeLine => self.on_chunk_size(line),
            State::ChunkDataEnd => self.state = if line.is_empty() { State::ChunkSizeLine } else { State::Failed },
            State::Trailer if line.is_empty() => self.complete(on_complete),
            _ => {}
        }
    }

    fn on_status_line(&mut self, b: &[u8]) {
        if b.is_empty() {
            return;
        }
        let ok = b.len() >= 12
            && &b[0..7] == b"HTTP/1."
            && (b[7] == b'0' || b[7] == b'1')
            && b[8] == b' '
            && b[9].is_ascii_digit()
            && b[10].is_ascii_digit()
            && b[11].is_ascii_digit()
            && (b.len() == 12 || b[12] == b' ');
        if !ok {
            self.state = State::Failed;
            return;
        }
        self.http10 = b[7] == b'0';
        self.status = (b[9] - b'0') as u16 * 100 + (b[10] - b'0') as u16 * 10 + (b[11] - b'0') as u16;
        self.content_length = -1;
        self.chunked = false;
        self.close_header = false;
        self.keep_alive_header = false;
        self.state = State::HeaderLine;
    }

    fn on_header(&mut self, b: &[u8]) {
        let colon = match memchr(b':', b) {
            Some(c) if c > 0 => c,
            _ => {
                self.state = State::Failed;
                return;
            }
        };
        let name = &b[..colon];
        let mut vs = colon + 1;
        let mut ve = b.len();
        while vs < ve && is_space(b[vs]) {
            vs += 1;
        }
        while ve > vs && is_space(b[ve - 1]) {
            ve -= 1;
        }
        let value = &b[vs..ve];
        if name.len() == 14 && equals_ignore_case(name, b"content-length") {
            let length = parse_decimal(value);
            if length < 0 || (self.content_length != -1 && self.content_length != length) {
                self.state = State::Failed;
            } else {
                self.content_length = length;
            }
        } else if name.len() == 17 && equals_ignore_case(name, b"transfer-encoding") {
            self.chunked = value.len() >= 7 && equals_ignore_case(&value[value.len() - 7..], b"chunked");
        } else if name.len() == 10 && equals_ignore_case(name, b"connection") {
            if has_token(value, b"close") {
                self.close_header = true;
            }
            if has_token(value, b"keep-alive") {
                self.keep_alive_header = true;
            }
        }
    }

    fn on_headers_end(&mut self, on_complete: &mut dyn FnMut(u16, bool)) {
        let status = self.status;
        if status < 200 {
            self.state = State::StatusLine;
        } else if status == 204 || status == 304 {
            self.complete(on_complete);
        } else if self.chunked {
            self.state = State::ChunkSizeLine;
        } else if self.content_length >= 0 {
            self.remaining = self.content_length as u64;
            if self.remaining == 0 {
                self.complete(on_complete);
            } else {
                self.state = State::BodyLength;
            }
        } else {
            self.state = State::BodyUntilClose;
        }
    }

    fn on_chunk_size(&mut self, b: &[u8]) {
        let mut size: u64 = 0;
        let mut digits = 0;
        let mut at = 0;
        while at < b.len() {
            let value = hex_value(b[at]);
            if value < 0 {
                break;
            }
            size = size.wrapping_mul(16).wrapping_add(value as u64);
            digits += 1;
            at += 1;
        }
        while at < b.len() && is_space(b[at]) {
            at += 1;
        }
        if digits == 0 || digits > 12 || (at < b.len() && b[at] != b';') {
            self.state = State::Failed;
            return;
        }
        if size == 0 {
            self.state = State::Trailer;
        } else {
            self.remaining = size;
            self.state = State::ChunkData;
        }
    }

    fn complete(&mut self, on_complete: &mut dyn FnMut(u16, bool)) {
        let keep_alive = self.state != State::BodyUntilClose && !self.close_header && (!self.http10 || self.keep_alive_header);
        self.state = State::StatusLine;
        on_complete(self.status, keep_alive);
    }
}

/// `bytes` equals the lower-case ASCII `word` with every byte OR 0x20 — exactly the reference's test.
fn equals_ignore_case(bytes: &[u8], word: &[u8]) -> bool {
    bytes.len() == word.len() && bytes.iter().zip(word).all(|(&b, &w)| (b | 0x20) == w)
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn trim_cr(b: &[u8]) -> usize {
    if !b.is_empty() && b[b.len() - 1] == CR { b.len() - 1 } else { b.len() }
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn hex_value(b: u8) -> i32 {
    if b.is_ascii_digit() {
        return (b - b'0') as i32;
    }
    let lower = b | 0x20;
    if (b'a'..=b'f').contains(&lower) { (lower - b'a' + 10) as i32 } else { -1 }
}

fn parse_decimal(b: &[u8]) -> i64 {
    if b.is_empty() || b.len() > 15 {
        return -1;
    }
    let mut value: i64 = 0;
    for &byte in b {
        if !byte.is_ascii_digit() {
            return -1;
        }
        value = value * 10 + (byte - b'0') as i64;
    }
    value
}

fn has_token(b: &[u8], token: &[u8]) -> bool {
    let mut at = 0;
    let end = b.len();
    while at < end {
        while at < end && (is_space(b[at]) || b[at] == b',') {
            at += 1;
        }
        let mut item_end = at;
        while item_end < end && b[item_end] != b',' {
            item_end += 1;
        }
        let mut trimmed = item_end;
        while trimmed > at && is_space(b[trimmed - 1]) {
            trimmed -= 1;
        }
        if trimmed - at == token.len() && equals_ignore_case(&b[at..trimmed], token) {
            return true;
        }
        at = item_end;
    }
    false
}
