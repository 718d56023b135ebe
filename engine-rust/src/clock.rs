//! Epoch milliseconds with sub-ms precision from the monotonic clock, aligned to the Node agent's
//! `now()` when the start message says what that is (so `startAt` and every reported time share one clock).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

static BASE: OnceLock<(Instant, f64)> = OnceLock::new();
static OFFSET_BITS: AtomicU64 = AtomicU64::new(0);

fn base() -> &'static (Instant, f64) {
    BASE.get_or_init(|| (Instant::now(), SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)))
}

pub fn now_ms() -> f64 {
    let (instant, epoch) = base();
    epoch + instant.elapsed().as_secs_f64() * 1000.0 + f64::from_bits(OFFSET_BITS.load(Ordering::Relaxed))
}

/// Makes `now_ms()` read `agent_now` at this instant.
pub fn align_to(agent_now: f64) {
    let (instant, epoch) = base();
    let offset = agent_now - (epoch + instant.elapsed().as_secs_f64() * 1000.0);
    OFFSET_BITS.store(offset.to_bits(), Ordering::Relaxed);
}
