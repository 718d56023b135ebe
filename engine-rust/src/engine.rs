//! The open-model load loop of one worker thread, with load-loop.ts's semantics (the reference): every
//! sub-scenario walks its stripe of the schedule; a due iteration goes out on a free VU (one keep-alive
//! connection, never pipelined), the pool growing on demand up to its cap, or — every VU busy — is
//! dropped and attributed when due (target-bound: on schedule and the thread had headroom; else
//! generator-bound). Latency is send → response complete; schedule lag is due → send. One mio poll
//! per thread; per request nothing is allocated (the VU's buffer, the scanner and the deadline ring are reused).

use crate::clock::now_ms;
use crate::payload::PayloadPool;
use crate::recorder::{ConnectionRecorder, Recorder};
use crate::tls::{failure_code, TlsTarget};
use crate::scanner::ResponseScanner;
use crate::schedule::{stripe_iteration_count, Schedule, StripeDueTimes};
use crate::wire::{classify_status, emit, OUTCOMES, OUTCOME_NETWORK, OUTCOME_REFUSED, OUTCOME_TIMEOUT, OUTCOME_TLS};
use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token, Waker};
use rustls::pki_types::ServerName;
use rustls::ClientConnection;
use serde_json::json;
use std::collections::VecDeque;
use std::io::{self, BufWriter, Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// load-loop.ts TARGET_BOUND_MAX_LAG_MS / TARGET_BOUND_MAX_UTILISATION / windows and budgets.
const TARGET_BOUND_MAX_LAG_MS: f64 = 25.0;
const TARGET_BOUND_MAX_UTILISATION: f64 = 0.9;
const UTILISATION_WINDOW_MS: f64 = 100.0;
const TICK_BUDGET_MS: f64 = 4.0;
const TIMEOUT_CHECK_MS: f64 = 5.0;
const PROGRESS_EVERY_MS: f64 = 200.0;
const WAKER: Token = Token(usize::MAX);

pub struct SubConfig {
    pub name: String,
    pub start_time_ms: f64,
    pub schedule: Schedule,
    pub timeout_ms: f64,
    pub pool: PayloadPool,
    pub pre_allocated: usize,
    pub max: usize,
}

pub struct WorkerConfig {
    pub index: usize,
    pub offset: u64,
    pub stride: u64,
    pub subs: Vec<SubConfig>,
    pub raw_samples_file: Option<String>,
}

/// What the stdin reader tells every worker: the start instant (f64 bits; 0 = not yet) and stop.
pub struct Control {
    pub start_at_bits: AtomicU64,
    pub stop: AtomicBool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// TCP connect in progress.
    Connecting,
    /// TLS handshake in progress.
    Handshaking,
    /// Requests may be written.
    Ready,
}

struct Vu {
    sub: usize,
    /// Index into the target's addresses (VUs are spread over them round-robin).
    address: usize,
    stream: Option<TcpStream>,
    tls: Option<ClientConnection>,
    phase: Phase,
    opened_at: f64,
    tcp_at: f64,
    out: Vec<u8>,
    written: usize,
    /// When the request's bytes went out (0: not yet): its latency starts here, never at connect.
    written_at: f64,
    /// Response bytes read for the request in flight (after TLS decryption).
    received: u64,
    scanner: ResponseScanner,
    /// The request in flight (0: idle).
    token: u64,
    due_at: f64,
    sent_at: f64,
}

struct Sub {
    config: SubConfig,
    free: Vec<usize>,
    count: usize,
    due: StripeDueTimes,
    next_due: f64,
    in_flight: u64,
    /// (vu, token, deadline) in send order: every request of a sub-scenario has the same timeout.
    deadlines: VecDeque<(usize, u64, f64)>,
}

/// Where connections go: every resolved address, and TLS when the target is https.
pub struct Target {
    pub addresses: Vec<SocketAddr>,
    pub names: Vec<String>,
    pub tls: Option<TlsTarget>,
}

pub struct Worker {
    index: usize,
    offset: u64,
    target: Arc<Target>,
    connections: ConnectionRecorder,
    vus_created: u64,
    poll: Poll,
    vus: Vec<Vu>,
    subs: Vec<Sub>,
    recorder: Recorder,
    control: Arc<Control>,
    start_at: f64,
    started: bool,
    stopping: bool,
    in_flight: u64,
    token: u64,
    planned: u64,
    read_buffer: Vec<u8>,
    utilisation: f64,
    raw: Option<BufWriter<std::fs::File>>,
}

impl Worker {
    pub fn new(config: WorkerConfig, target: Arc<Target>, control: Arc<Control>) -> io::Result<(Worker, Arc<Waker>)> {
        let poll = Poll::new()?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
        let raw = match &config.raw_samples_file {
            Some(path) => Some(BufWriter::new(std::fs::File::create(path)?)),
            None => None,
        };
        let mut planned = 0;
        let mut vus = Vec::new();
        let spread = target.addresses.len() as u64;
        let mut subs = Vec::with_capacity(config.subs.len());
        for (s, sub) in config.subs.into_iter().enumerate() {
            planned += stripe_iteration_count(sub.schedule.iteration_count(), config.offset, config.stride);
            let due = StripeDueTimes::new(&sub.schedule, config.offset, config.stride);
            let pre = sub.pre_allocated.min(sub.max);
            let mut free = Vec::with_capacity(sub.max);
            for _ in 0..pre {
                free.push(vus.len());
                let address = ((config.offset + vus.len() as u64) % spread) as usize;
                vus.push(new_vu(s, address, sub.pool.max_bytes));
            }
            subs.push(Sub { free, count: pre, due, next_due: f64::INFINITY, in_flight: 0, deadlines: VecDeque::with_capacity(sub.max.min(1 << 16)), config: sub });
        }
        let mut recorder = Recorder::new(subs.len());
        for (s, sub) in subs.iter().enumerate() {
            recorder.subs[s].vu_cap = sub.config.max as u64;
        }
        let connections = ConnectionRecorder::new(&target.names, target.tls.as_ref().map(|tls| tls.insecure));
        let vus_created = vus.len() as u64;
        let worker = Worker {
            index: config.index,
            offset: config.offset,
            connections,
            vus_created,
            target,
            poll,
            vus,
            subs,
            recorder,
            control,
            start_at: 0.0,
            started: false,
            stopping: false,
            in_flight: 0,
            token: 0,
            planned,
            read_buffer: vec![0; 64 * 1024],
            utilisation: 0.0,
            raw,
        };
        Ok((worker, waker))
    }

    /// Opens every pre-allocated connection; returns once each has connected or failed (failures are
    /// left for the first request to report, as the node engine does).
    pub fn warm_up(&mut self) -> io::Result<()> {
        for id in 0..self.vus.len() {
            self.open(id);
        }
        let mut events = Events::with_capacity(1024);
        while self.vus.iter().any(|vu| vu.stream.is_some() && vu.phase != Phase::Ready) && !self.control.stop.load(Ordering::Relaxed) {
            self.poll.poll(&mut events, Some(Duration::from_millis(100)))?;
            for event in events.iter() {
                if event.token() != WAKER {
                    self.on_event(event.token().0);
                }
            }
        }
        emit(&json!({ "w": self.index, "type": "ready" }));
        Ok(())
    }

    /// Runs until the start instant, the schedule, and every request in flight are done; emits the result.
    pub fn run(&mut self) -> io::Result<()> {
        let mut events = Events::with_capacity(4096);
        let mut next_timeout_check = 0.0;
        let mut next_progress = 0.0;
        let mut window_start = now_ms();
        let mut blocked_in_window = 0.0;
        loop {
            let now = now_ms();
            if !self.started && !self.stopping {
                let start_at = f64::from_bits(self.control.start_at_bits.load(Ordering::Acquire));
                if start_at > 0.0 && now >= start_at {
                    self.start(start_at);
                    next_timeout_check = now + TIMEOUT_CHECK_MS;
                    next_progress = now + PROGRESS_EVERY_MS;
                }
            }
            if self.control.stop.load(Ordering::Relaxed) && !self.stopping {
                self.stopping = true;
            }
            let mut wait = f64::INFINITY;
            if self.started {
                if now >= next_timeout_check {
                    self.expire_timeouts(now);
                    next_timeout_check = now + TIMEOUT_CHECK_MS;
                }
                if now >= next_progress {
                    self.progress(now);
                    next_progress = now + PROGRESS_EVERY_MS;
                }
                if now - window_start >= UTILISATION_WINDOW_MS {
                    self.utilisation = 1.0 - (blocked_in_window / (now - window_start)).min(1.0);
                    window_start = now;
                    blocked_in_window = 0.0;
                }
                if !self.stopping {
                    wait = self.tick();
                }
                if self.stopping && self.in_flight == 0 {
                    break;
                }
                wait = wait.min(next_timeout_check - now).min(next_progress - now);
            } else if self.stopping {
                break;
            } else {
                let start_at = f64::from_bits(self.control.start_at_bits.load(Ordering::Acquire));
                if start_at > 0.0 {
                    wait = start_at - now;
                }
            }
            let timeout = if wait.is_finite() { Some(Duration::from_secs_f64(wait.max(0.0) / 1000.0)) } else { None };
            let before = now_ms();
            match self.poll.poll(&mut events, timeout) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
            // Idle is the wait asked for (epoll wakes ≤ 1 ms late). Past it (a stopped or starved
            // process) the thread wanted to run and could not: that counts as busy, so drops
            // noticed then are generator-bound.
            let asked = if wait.is_finite() { wait.max(0.0) + 1.0 } else { f64::INFINITY };
            blocked_in_window += (now_ms() - before).min(asked);
            for event in events.iter() {
                if event.token() != WAKER {
                    self.on_event(event.token().0);
                }
            }
        }
        self.finish()
    }

    fn start(&mut self, start_at: f64) {
        self.start_at = start_at;
        self.recorder.start_at = start_at;
        self.started = true;
        for s in 0..self.subs.len() {
            self.subs[s].next_due = self.advance(s);
        }
    }

    fn advance(&mut self, s: usize) -> f64 {
        let sub = &mut self.subs[s];
        match sub.due.next() {
            Some(at) => self.start_at + sub.config.start_time_ms + at,
            None => f64::INFINITY,
        }
    }

    /// Dispatches what is due; returns how long (ms) the thread may sleep.
    fn tick(&mut self) -> f64 {
        let t = now_ms();
        let mut earliest = f64::INFINITY;
        let mut budget_left = true;
        for s in 0..self.subs.len() {
            let mut handled = 0u64;
            while self.subs[s].next_due <= t && budget_left {
                let due = self.subs[s].next_due;
                self.dispatch(s, due);
                self.subs[s].next_due = self.advance(s);
                handled += 1;
                // Overloaded: a bounded burst, then I/O gets its turn (load-loop.ts TICK_BUDGET_MS).
                if handled.is_multiple_of(64) && now_ms() - t > TICK_BUDGET_MS {
                    budget_left = false;
                }
            }
            earliest = earliest.min(self.subs[s].next_due);
        }
        if earliest == f64::INFINITY {
            self.stopping = true;
            return f64::INFINITY;
        }
        if !budget_left {
            return 0.0;
        }
        earliest - now_ms()
    }

    fn dispatch(&mut self, s: usize, due_at: f64) {
        let id = match self.subs[s].free.pop() {
            Some(id) => id,
            None => match self.grow(s) {
                Some(id) => id,
                None => {
                    let on_schedule = now_ms() - due_at <= TARGET_BOUND_MAX_LAG_MS && self.utilisation < TARGET_BOUND_MAX_UTILISATION;
                    self.recorder.dropped(s, due_at, on_schedule);
                    if let Some(raw) = self.raw.as_mut() {
                        let cause = if on_schedule { "target" } else { "generator" };
                        let _ = writeln!(raw, "{}", json!({ "sub": self.subs[s].config.name, "dueAt": due_at, "sentAt": null, "latencyMs": null, "outcome": "dropped", "cause": cause }));
                    }
                    return;
                }
            },
        };
        let sub = &mut self.subs[s];
        let vu = &mut self.vus[id];
        sub.config.pool.next(due_at, &mut vu.out);
        let sent_at = now_ms();
        self.token += 1;
        vu.token = self.token;
        vu.due_at = due_at;
        vu.sent_at = sent_at;
        vu.written = 0;
        vu.written_at = 0.0;
        vu.received = 0;
        sub.in_flight += 1;
        self.in_flight += 1;
        sub.deadlines.push_back((id, self.token, sent_at + sub.config.timeout_ms));
        let sub_in_flight = sub.in_flight;
        self.recorder.sent(s, due_at, sent_at, sub_in_flight, self.in_flight);
        if self.vus[id].stream.is_none() {
            self.open(id);
        } else if self.vus[id].phase == Phase::Ready {
            self.write_request(id);
            // TLS: the request sits in rustls's buffer until its records are written out.
            if self.vus[id].tls.is_some() {
                self.drive_tls(id);
            }
        }
    }

    fn grow(&mut self, s: usize) -> Option<usize> {
        let sub = &mut self.subs[s];
        if sub.count >= sub.config.max {
            return None;
        }
        sub.count += 1;
        let address = ((self.offset + self.vus_created) % self.target.addresses.len() as u64) as usize;
        self.vus_created += 1;
        self.vus.push(new_vu(s, address, sub.config.pool.max_bytes));
        Some(self.vus.len() - 1)
    }

    fn open(&mut self, id: usize) {
        let addr = self.target.addresses[self.vus[id].address];
        match TcpStream::connect(addr) {
            Ok(mut stream) => {
                let _ = stream.set_nodelay(true);
                if let Err(e) = self.poll.registry().register(&mut stream, Token(id), Interest::READABLE | Interest::WRITABLE) {
                    return self.fail(id, class_of(&e));
                }
                let vu = &mut self.vus[id];
                vu.stream = Some(stream);
                vu.tls = None;
                vu.phase = Phase::Connecting;
                vu.opened_at = now_ms();
            }
            Err(e) => self.fail(id, class_of(&e)),
        }
    }

    fn on_event(&mut self, id: usize) {
        if self.vus[id].stream.is_none() {
            return;
        }
        if self.vus[id].phase == Phase::Connecting && !self.connected(id) {
            return;
        }
        if self.vus[id].tls.is_some() {
            return self.drive_tls(id);
        }
        if self.vus[id].token != 0 && self.vus[id].written < self.vus[id].out.len() && self.vus[id].written_at > 0.0 {
            self.write_plain(id);
        }
        self.read_plain(id);
    }

    /// The TCP connect finished (or failed); true when the VU may go on.
    fn connected(&mut self, id: usize) -> bool {
        let vu = &mut self.vus[id];
        let Some(stream) = vu.stream.as_mut() else { return false };
        match stream.take_error() {
            Ok(Some(e)) | Err(e) => {
                self.fail(id, class_of(&e));
                return false;
            }
            Ok(None) => {}
        }
        match stream.peer_addr() {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotConnected => return false,
            Err(e) => {
                self.fail(id, class_of(&e));
                return false;
            }
        }
        let at = now_ms();
        self.connections.connected(vu.address, at - vu.opened_at);
        vu.tcp_at = at;
        match &self.target.tls {
            None => {
                vu.phase = Phase::Ready;
                self.write_request(id);
            }
            Some(tls) => {
                let name = tls.server_name.clone().unwrap_or_else(|| ServerName::IpAddress(self.target.addresses[vu.address].ip().into()));
                match ClientConnection::new(tls.config.clone(), name) {
                    Ok(mut connection) => {
                        // Batches of 100 events are ~50 KB: a request is handed over whole.
                        connection.set_buffer_limit(None);
                        vu.tls = Some(connection);
                        vu.phase = Phase::Handshaking;
                    }
                    Err(e) => {
                        self.tls_failed(id, &e);
                        return false;
                    }
                }
            }
        }
        true
    }

    /// Writes the request in flight once the connection is ready; its latency starts now.
    fn write_request(&mut self, id: usize) {
        let vu = &mut self.vus[id];
        if vu.token == 0 || vu.written_at > 0.0 || vu.phase != Phase::Ready {
            return;
        }
        vu.written_at = now_ms();
        match vu.tls.as_mut() {
            None => self.write_plain(id),
            Some(connection) => {
                // Into rustls's buffer whole (no limit); drive_tls sends the records.
                let _ = connection.writer().write_all(&vu.out);
                vu.written = vu.out.len();
            }
        }
    }

    fn write_plain(&mut self, id: usize) {
        let vu = &mut self.vus[id];
        let Some(stream) = vu.stream.as_mut() else { return };
        while vu.written < vu.out.len() {
            match stream.write(&vu.out[vu.written..]) {
                Ok(0) => return self.fail(id, OUTCOME_NETWORK),
                Ok(n) => vu.written += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return self.fail(id, class_of(&e)),
            }
        }
    }

    fn read_plain(&mut self, id: usize) {
        loop {
            let vu = &mut self.vus[id];
            let Some(stream) = vu.stream.as_mut() else { return };
            match stream.read(&mut self.read_buffer) {
                Ok(0) => return self.end_of_stream(id),
                Ok(n) => {
                    if !self.scan(id, n) {
                        return;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return self.fail(id, class_of(&e)),
            }
        }
    }

    /// Feeds `read_buffer[..n]` to the VU's scanner; false when the connection is gone afterwards.
    fn scan(&mut self, id: usize, n: usize) -> bool {
        let vu = &mut self.vus[id];
        vu.received += n as u64;
        let mut answer: Option<(u16, bool)> = None;
        let ok = vu.scanner.execute(&self.read_buffer[..n], &mut |status, keep_alive| {
            if answer.is_none() {
                answer = Some((status, keep_alive));
            }
        });
        if let Some((status, keep_alive)) = answer {
            self.answered(id, status, keep_alive);
        }
        if !ok {
            self.fail(id, OUTCOME_NETWORK);
        }
        self.vus[id].stream.is_some()
    }

    /// The peer closed: a body read until close is complete; anything else cut off is a network error.
    fn end_of_stream(&mut self, id: usize) {
        let mut answer: Option<u16> = None;
        self.vus[id].scanner.finish(&mut |status, _| answer = answer.or(Some(status)));
        if let Some(status) = answer {
            self.answered(id, status, false);
        }
        self.fail(id, OUTCOME_NETWORK);
    }

    /// Moves TLS records both ways until the socket would block: the handshake, the request, the answer.
    fn drive_tls(&mut self, id: usize) {
        loop {
            let vu = &mut self.vus[id];
            let (Some(stream), Some(connection)) = (vu.stream.as_mut(), vu.tls.as_mut()) else { return };
            let mut progressed = false;
            while connection.wants_write() {
                match connection.write_tls(stream) {
                    Ok(_) => progressed = true,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return self.fail(id, class_of(&e)),
                }
            }
            let mut eof = false;
            match connection.read_tls(stream) {
                Ok(0) => eof = true,
                Ok(_) => progressed = true,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => progressed = true,
                Err(e) => return self.fail(id, class_of(&e)),
            }
            if let Err(e) = connection.process_new_packets() {
                // Send the alert rustls queued, then give up on the connection.
                let _ = connection.write_tls(stream);
                return self.tls_failed(id, &e);
            }
            if vu.phase == Phase::Handshaking && !connection.is_handshaking() {
                let resumed = connection.handshake_kind() == Some(rustls::HandshakeKind::Resumed);
                self.connections.handshaken(now_ms() - vu.tcp_at, resumed);
                vu.phase = Phase::Ready;
                self.write_request(id);
                continue;
            }
            // Decrypted bytes into the scanner.
            loop {
                let vu = &mut self.vus[id];
                let Some(connection) = vu.tls.as_mut() else { return };
                match connection.reader().read(&mut self.read_buffer) {
                    Ok(0) => return self.end_of_stream(id),
                    Ok(n) => {
                        if !self.scan(id, n) {
                            return;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(_) => return self.end_of_stream(id),
                }
            }
            if eof {
                return self.end_of_stream(id);
            }
            if !progressed {
                return;
            }
        }
    }

    fn tls_failed(&mut self, id: usize, error: &rustls::Error) {
        let (code, message) = failure_code(error);
        self.connections.tls_failed(code, &message);
        self.fail(id, OUTCOME_TLS);
    }

    fn answered(&mut self, id: usize, status: u16, keep_alive: bool) {
        // The server closes after this response: the next request reconnects.
        if !keep_alive {
            self.reset(id);
        }
        self.ended(id, classify_status(status), now_ms());
    }

    /// The socket broke: the request in flight (if any) ends with `outcome`; the next one reconnects.
    fn fail(&mut self, id: usize, outcome: usize) {
        self.reset(id);
        self.ended(id, outcome, now_ms());
    }

    fn reset(&mut self, id: usize) {
        let vu = &mut self.vus[id];
        if let Some(mut stream) = vu.stream.take() {
            let _ = self.poll.registry().deregister(&mut stream);
        }
        vu.tls = None;
        vu.phase = Phase::Connecting;
        vu.scanner.reset();
    }

    /// A VU's request ended (once per request: the token is cleared here).
    fn ended(&mut self, id: usize, outcome: usize, ended_at: f64) {
        let vu = &mut self.vus[id];
        if vu.token == 0 {
            return;
        }
        vu.token = 0;
        let (s, due_at, sent_at) = (vu.sub, vu.due_at, vu.sent_at);
        // From the bytes going out: a connection opened (and a TLS handshake) for this request is not its latency.
        let written_at = if vu.written_at > 0.0 { vu.written_at } else { sent_at };
        let bytes = (if vu.written_at > 0.0 { vu.out.len() as u64 } else { 0 }, vu.received);
        let sub = &mut self.subs[s];
        sub.in_flight -= 1;
        self.in_flight -= 1;
        let answered = outcome != OUTCOME_REFUSED && outcome != OUTCOME_NETWORK && outcome != OUTCOME_TLS;
        let latency = if answered { Some(ended_at - written_at) } else { None };
        self.recorder.ended(s, outcome, ended_at, latency, sub.config.pool.events_per_request, bytes);
        if let Some(raw) = self.raw.as_mut() {
            let _ = writeln!(raw, "{}", json!({ "sub": sub.config.name, "dueAt": due_at, "sentAt": sent_at, "latencyMs": latency, "outcome": OUTCOMES[outcome] }));
        }
        sub.free.push(id);
    }

    fn expire_timeouts(&mut self, t: f64) {
        for s in 0..self.subs.len() {
            while let Some(&(id, token, deadline)) = self.subs[s].deadlines.front() {
                let live = self.vus[id].token == token;
                if live && deadline > t {
                    break;
                }
                self.subs[s].deadlines.pop_front();
                if live {
                    self.reset(id);
                    self.ended(id, OUTCOME_TIMEOUT, t);
                }
            }
        }
    }

    fn progress(&mut self, now: f64) {
        let before = self.recorder.second_of(now);
        let seconds = self.recorder.take_seconds(Some(before));
        if !seconds.is_empty() {
            emit(&json!({ "w": self.index, "type": "seconds", "seconds": seconds, "inFlight": self.in_flight }));
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        for id in 0..self.vus.len() {
            self.reset(id);
        }
        if let Some(raw) = self.raw.as_mut() {
            raw.flush()?;
        }
        let seconds = self.recorder.take_seconds(None);
        emit(&json!({
            "w": self.index, "type": "result", "firstSendAt": self.recorder.first_send_at,
            "plannedIterations": self.planned, "subs": self.recorder.subs_json(),
            "maxInFlight": self.recorder.max_in_flight, "seconds": seconds, "connections": self.connections.to_json(),
        }));
        Ok(())
    }
}

fn new_vu(sub: usize, address: usize, max_bytes: usize) -> Vu {
    Vu {
        sub,
        address,
        stream: None,
        tls: None,
        phase: Phase::Connecting,
        opened_at: 0.0,
        tcp_at: 0.0,
        out: Vec::with_capacity(max_bytes),
        written: 0,
        written_at: 0.0,
        received: 0,
        scanner: ResponseScanner::new(),
        token: 0,
        due_at: 0.0,
        sent_at: 0.0,
    }
}

fn class_of(error: &io::Error) -> usize {
    if error.kind() == io::ErrorKind::ConnectionRefused { OUTCOME_REFUSED } else { OUTCOME_NETWORK }
}
