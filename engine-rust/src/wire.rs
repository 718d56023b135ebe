//! What crosses stdio between the Node agent and this binary (docs/rust-engine.md, "Wire").

use base64::Engine as _;
use std::io::Write;

/// Outcome classes in the order of src/results/outcomes.ts OUTCOME_CLASSES.
pub const OUTCOMES: [&str; 9] = ["2xx", "429", "503", "4xx", "5xx", "timeout", "refused", "tls", "network"];
pub const OUTCOME_TIMEOUT: usize = 5;
pub const OUTCOME_REFUSED: usize = 6;
pub const OUTCOME_TLS: usize = 7;
pub const OUTCOME_NETWORK: usize = 8;

/// outcomes.ts `classifyStatus`.
pub fn classify_status(status: u16) -> usize {
    match status {
        200..=299 => 0,
        429 => 1,
        503 => 2,
        500.. => 4,
        _ => 3,
    }
}

pub fn base64_of(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// One JSON line on stdout, written whole under the lock (threads share stdout).
pub fn emit(value: &serde_json::Value) {
    let mut line = serde_json::to_vec(value).expect("JSON");
    line.push(b'\n');
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let _ = lock.write_all(&line);
    let _ = lock.flush();
}
