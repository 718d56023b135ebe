//! Per-second buckets of one worker thread, as `src/engines/native/worker-recorder.ts` keeps them: by
//! the second a request ended (drops by the second they were due, lag by the second sent); something
//! recorded for a second already taken counts in the oldest second not yet taken. Only the raw
//! material is kept here — counts, exact min/max/sum and an HDR histogram per sub-scenario and second —
//! and handed to the Node side, which builds every summary and sum with the TypeScript merge code.

use crate::wire::{base64_of, OUTCOMES};
use hdrhistogram::serialization::{Serializer, V2DeflateSerializer};
use hdrhistogram::Histogram;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// An HDR histogram (µs, 3 significant digits, auto-resizing: merge-latency.ts's layout) and exact figures.
pub struct Latency {
    histogram: Histogram<u64>,
    count: u64,
    min: f64,
    max: f64,
    sum: f64,
}

impl Latency {
    pub fn new() -> Latency {
        Latency { histogram: Histogram::new(3).expect("3 significant digits"), count: 0, min: f64::INFINITY, max: 0.0, sum: 0.0 }
    }

    /// latency-recorder.ts `record`: max(1, round(ms × 1000)) µs.
    pub fn record(&mut self, ms: f64) {
        let us = (ms * 1000.0).round().max(1.0) as u64;
        let _ = self.histogram.record(us);
        self.count += 1;
        self.sum += ms;
        if ms < self.min {
            self.min = ms;
        }
        if ms > self.max {
            self.max = ms;
        }
    }

    /// `{count, minMs, maxMs, sumMs, hdr}`: hdr is the V2 deflate encoding in base64 (hdr-histogram-js reads it).
    pub fn to_json(&self) -> Value {
        let mut bytes = Vec::new();
        V2DeflateSerializer::new().serialize(&self.histogram, &mut bytes).expect("serialize into memory");
        json!({ "count": self.count, "minMs": if self.count == 0 { 0.0 } else { self.min }, "maxMs": self.max, "sumMs": self.sum, "hdr": base64_of(&bytes) })
    }
}

#[derive(Default, Clone)]
pub struct ScopeCounts {
    pub requests: u64,
    pub events: u64,
    pub started: u64,
    pub dropped: u64,
    pub target_bound: u64,
    pub max_in_flight: u64,
    pub vu_cap: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub outcomes: [u64; OUTCOMES.len()],
}

impl ScopeCounts {
    fn to_json(&self) -> Value {
        json!({
            "requests": self.requests, "events": self.events, "started": self.started,
            "droppedIterations": self.dropped, "targetBoundDrops": self.target_bound,
            "maxInFlight": self.max_in_flight, "vuCap": self.vu_cap, "outcomes": outcomes_json(&self.outcomes),
            "bytesSent": self.bytes_sent, "bytesReceived": self.bytes_received,
        })
    }
}

struct Bucket {
    requests: u64,
    started: u64,
    dropped: u64,
    target_bound: u64,
    max_in_flight: u64,
    bytes_sent: u64,
    bytes_received: u64,
    outcomes: [u64; OUTCOMES.len()],
    latency: Vec<Option<Latency>>,
    lag: Latency,
}

pub struct Recorder {
    pub start_at: f64,
    pub first_send_at: Option<f64>,
    pub subs: Vec<ScopeCounts>,
    pub max_in_flight: u64,
    seconds: BTreeMap<i64, Bucket>,
    taken_before: i64,
}

impl Recorder {
    pub fn new(subs: usize) -> Recorder {
        Recorder { start_at: 0.0, first_send_at: None, subs: vec![ScopeCounts::default(); subs], max_in_flight: 0, seconds: BTreeMap::new(), taken_before: 0 }
    }

    pub fn second_of(&self, t: f64) -> i64 {
        ((t - self.start_at) / 1000.0).floor().max(0.0) as i64
    }

    fn bucket(&mut self, t: f64) -> &mut Bucket {
        let second = self.second_of(t).max(self.taken_before);
        let subs = self.subs.len();
        self.seconds.entry(second).or_insert_with(|| Bucket {
            requests: 0,
            started: 0,
            dropped: 0,
            target_bound: 0,
            max_in_flight: 0,
            bytes_sent: 0,
            bytes_received: 0,
            outcomes: [0; OUTCOMES.len()],
            latency: (0..subs).map(|_| None).collect(),
            lag: Latency::new(),
        })
    }

    pub fn sent(&mut self, sub: usize, due_at: f64, sent_at: f64, sub_in_flight: u64, in_flight: u64) {
        if self.first_send_at.is_none() {
            self.first_send_at = Some(sent_at);
        }
        let scope = &mut self.subs[sub];
        scope.started += 1;
        scope.max_in_flight = scope.max_in_flight.max(sub_in_flight);
        self.max_in_flight = self.max_in_flight.max(in_flight);
        let bucket = self.bucket(sent_at);
        bucket.started += 1;
        bucket.lag.record((sent_at - due_at).max(0.0));
        bucket.max_in_flight = bucket.max_in_flight.max(in_flight);
    }

    pub fn dropped(&mut self, sub: usize, due_at: f64, target_bound: bool) {
        let scope = &mut self.subs[sub];
        scope.dropped += 1;
        scope.target_bound += target_bound as u64;
        let bucket = self.bucket(due_at);
        bucket.dropped += 1;
        bucket.target_bound += target_bound as u64;
    }

    /// `latency_ms` is None for refused / tls / network (no response, no timeout); bytes count when the
    /// request ends, in its second (sent is 0 for a request never written).
    pub fn ended(&mut self, sub: usize, outcome: usize, ended_at: f64, latency_ms: Option<f64>, events: u64, bytes: (u64, u64)) {
        let scope = &mut self.subs[sub];
        scope.requests += 1;
        scope.events += events;
        scope.outcomes[outcome] += 1;
        scope.bytes_sent += bytes.0;
        scope.bytes_received += bytes.1;
        let bucket = self.bucket(ended_at);
        bucket.requests += 1;
        bucket.bytes_sent += bytes.0;
        bucket.bytes_received += bytes.1;
        bucket.outcomes[outcome] += 1;
        if let Some(ms) = latency_ms {
            bucket.latency[sub].get_or_insert_with(Latency::new).record(ms);
        }
    }

    /// Seconds before `before` (None: all), removed, oldest first, as JSON.
    pub fn take_seconds(&mut self, before: Option<i64>) -> Vec<Value> {
        if self.start_at == 0.0 {
            return Vec::new();
        }
        let before = before.unwrap_or(i64::MAX);
        self.taken_before = self.taken_before.max(before);
        let keep = self.seconds.split_off(&before);
        let taken = std::mem::replace(&mut self.seconds, keep);
        taken.into_iter().map(|(second, bucket)| second_json(second, &bucket)).collect()
    }

    pub fn subs_json(&self) -> Value {
        Value::Array(self.subs.iter().map(ScopeCounts::to_json).collect())
    }
}

fn second_json(second: i64, b: &Bucket) -> Value {
    json!({
        "second": second, "requests": b.requests, "started": b.started, "outcomes": outcomes_json(&b.outcomes),
        "droppedIterations": b.dropped, "targetBoundDrops": b.target_bound, "inFlight": b.max_in_flight,
        "bytesSent": b.bytes_sent, "bytesReceived": b.bytes_received,
        "lag": b.lag.to_json(),
        "latency": b.latency.iter().map(|l| l.as_ref().map_or(Value::Null, Latency::to_json)).collect::<Vec<_>>(),
    })
}

fn outcomes_json(counts: &[u64]) -> Value {
    Value::Object(OUTCOMES.iter().zip(counts).map(|(name, n)| (name.to_string(), json!(n))).collect())
}

/// The golden HDR check: these µs values recorded, encoded as the engine encodes a second.
pub fn encode_values(values: &[f64]) -> Value {
    let mut latency = Latency::new();
    for &ms in values {
        latency.record(ms);
    }
    latency.to_json()
}

/// How the worker's connections opened (connection-recorder.ts): per address, TCP connect and TLS
/// handshake times, resumed sessions, TLS failures by code. One event per connection, not per request.
pub struct ConnectionRecorder {
    addresses: Vec<(String, u64)>,
    connect: Latency,
    handshake: Latency,
    resumed: u64,
    failures: BTreeMap<String, (u64, String)>,
    tls: Option<bool>,
}

impl ConnectionRecorder {
    /// `insecure`: None for a plain http target.
    pub fn new(addresses: &[String], insecure: Option<bool>) -> ConnectionRecorder {
        ConnectionRecorder { addresses: addresses.iter().map(|a| (a.clone(), 0)).collect(), connect: Latency::new(), handshake: Latency::new(), resumed: 0, failures: BTreeMap::new(), tls: insecure }
    }

    pub fn connected(&mut self, address: usize, connect_ms: f64) {
        self.addresses[address].1 += 1;
        self.connect.record(connect_ms);
    }

    pub fn handshaken(&mut self, handshake_ms: f64, resumed: bool) {
        self.handshake.record(handshake_ms);
        self.resumed += resumed as u64;
    }

    pub fn tls_failed(&mut self, code: &str, message: &str) {
        self.failures.entry(code.to_string()).or_insert_with(|| (0, message.to_string())).0 += 1;
    }

    pub fn to_json(&self) -> Value {
        let addresses: serde_json::Map<String, Value> = self.addresses.iter().map(|(a, n)| (a.clone(), json!(n))).collect();
        let tls = self.tls.map(|insecure| {
            let failures: serde_json::Map<String, Value> = self.failures.iter().map(|(code, (count, message))| (code.clone(), json!({ "count": count, "message": message }))).collect();
            json!({ "insecure": insecure, "handshakes": self.handshake.count, "resumed": self.resumed, "handshake": self.handshake.to_json(), "failures": failures })
        });
        json!({ "addresses": addresses, "opened": self.connect.count, "connect": self.connect.to_json(), "tls": tls })
    }
}
