//! Per-request payload bytes: the templates are built once by the TypeScript PayloadPool (the reference;
//! the event generator stays in one language) and handed over at prepare. Here only the per-request
//! part is ported: copy a template, write the current second (ISO) and fresh event-id counters into
//! its slots — the same bytes as PayloadPool.next (test/engines/rust/golden.test.ts).

use base64::Engine as _;

pub struct Template {
    pub bytes: Vec<u8>,
    pub id_slots: Vec<usize>,
    pub time_slots: Vec<usize>,
}

/// Counter digits in an id: base 36, 8 digits (payload-pool.ts COUNTER_WIDTH).
const COUNTER_WIDTH: usize = 8;
const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

pub struct PayloadPool {
    templates: Vec<Template>,
    counter: u64,
    last_second: f64,
    iso_now: [u8; 24],
    pub events_per_request: u64,
    pub max_bytes: usize,
}

impl PayloadPool {
    /// `{eventsPerRequest, templates: [{bytes: base64, idSlots, timeSlots}]}` from the Node side.
    pub fn from_json(value: &serde_json::Value) -> Result<PayloadPool, String> {
        let list = value["templates"].as_array().ok_or("payload.templates is not a list")?;
        let slots = |v: &serde_json::Value| -> Result<Vec<usize>, String> {
            v.as_array().ok_or("slots are not a list")?.iter().map(|s| s.as_u64().map(|s| s as usize).ok_or_else(|| "slot is not a number".to_string())).collect()
        };
        let mut templates = Vec::with_capacity(list.len());
        for t in list {
            let bytes = base64::engine::general_purpose::STANDARD.decode(t["bytes"].as_str().ok_or("template.bytes")?).map_err(|e| e.to_string())?;
            let template = Template { bytes, id_slots: slots(&t["idSlots"])?, time_slots: slots(&t["timeSlots"])? };
            let fits = template.id_slots.iter().all(|&s| s + COUNTER_WIDTH <= template.bytes.len()) && template.time_slots.iter().all(|&s| s + 24 <= template.bytes.len());
            if !fits {
                return Err("a template slot lies outside its bytes".into());
            }
            templates.push(template);
        }
        if templates.is_empty() {
            return Err("payload has no templates".into());
        }
        let events_per_request = value["eventsPerRequest"].as_u64().ok_or("payload.eventsPerRequest")?;
        let max_bytes = templates.iter().map(|t| t.bytes.len()).max().unwrap_or(0);
        Ok(PayloadPool { templates, counter: 0, last_second: f64::NAN, iso_now: [0; 24], events_per_request, max_bytes })
    }

    /// Writes the next request into `out` (cleared first; no allocation once `out` holds `max_bytes`).
    pub fn next(&mut self, now_ms: f64, out: &mut Vec<u8>) {
        let index = (self.counter % self.templates.len() as u64) as usize;
        let template = &self.templates[index];
        out.clear();
        out.extend_from_slice(&template.bytes);
        let second = (now_ms / 1000.0).floor();
        if second != self.last_second {
            self.last_second = second;
            self.iso_now = iso_of_second(second as i64);
        }
        for &slot in &template.time_slots {
            out[slot..slot + 24].copy_from_slice(&self.iso_now);
        }
        for &slot in &template.id_slots {
            write_counter(&mut out[slot..slot + COUNTER_WIDTH], self.counter);
            self.counter += 1;
        }
    }
}

fn write_counter(out: &mut [u8], counter: u64) {
    let mut rest = counter;
    for digit in (0..COUNTER_WIDTH).rev() {
        out[digit] = BASE36[(rest % 36) as usize];
        rest /= 36;
    }
}

/// `new Date(second * 1000).toISOString()` for years 0..=9999: `YYYY-MM-DDTHH:MM:SS.000Z`.
pub fn iso_of_second(second: i64) -> [u8; 24] {
    let days = second.div_euclid(86_400);
    let of_day = second.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let mut put = |at: usize, width: usize, value: i64| {
        let mut v = value;
        for i in (0..width).rev() {
            out[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, year);
    put(5, 2, month);
    put(8, 2, day);
    put(11, 2, of_day / 3600);
    put(14, 2, of_day % 3600 / 60);
    put(17, 2, of_day % 60);
    out
}
