//! `loadctl-engine golden <kind>`: runs the ported pieces on cases the TypeScript reference generated
//! (stdin JSON) and prints what they produce (stdout JSON), for test/engines/rust/golden.test.ts.

use crate::payload::PayloadPool;
use crate::recorder::encode_values;
use crate::scanner::ResponseScanner;
use crate::schedule::{stripe_iteration_count, Schedule, StripeDueTimes};
use crate::wire::base64_of;
use base64::Engine as _;
use serde_json::{json, Value};
use std::io::Read;

pub fn run(kind: &str) -> Result<(), String> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).map_err(|e| e.to_string())?;
    let input: Value = serde_json::from_str(&input).map_err(|e| e.to_string())?;
    let output = match kind {
        "schedule" => schedules(&input)?,
        "scanner" => scanner_cases(&input)?,
        "payload" => payloads(&input)?,
        "hdr" => encode_values(&input["values"].as_array().ok_or("values")?.iter().filter_map(Value::as_f64).collect::<Vec<_>>()),
        other => return Err(format!("unknown golden kind {other:?}")),
    };
    println!("{output}");
    Ok(())
}

/// `[{schedule, offset, stride, limit}]` → `[{total, stripe, due: [ms…]}]` (the first `limit` due times).
fn schedules(input: &Value) -> Result<Value, String> {
    let cases = input.as_array().ok_or("cases")?;
    let mut out = Vec::new();
    for case in cases {
        let schedule = Schedule::from_json(&case["schedule"])?;
        let offset = case["offset"].as_u64().ok_or("offset")?;
        let stride = case["stride"].as_u64().ok_or("stride")?;
        let limit = case["limit"].as_u64().unwrap_or(u64::MAX) as usize;
        let total = schedule.iteration_count();
        let due: Vec<f64> = StripeDueTimes::new(&schedule, offset, stride).take(limit).collect();
        out.push(json!({ "total": total, "stripe": stripe_iteration_count(total, offset, stride), "due": due }));
    }
    Ok(Value::Array(out))
}

/// `{cases: [base64]}` → per case, per split point k (0..=len): the responses seen, and whether
/// execute / finish accepted the bytes.
fn scanner_cases(input: &Value) -> Result<Value, String> {
    let cases = input["cases"].as_array().ok_or("cases")?;
    let mut out = Vec::new();
    for case in cases {
        let bytes = base64::engine::general_purpose::STANDARD.decode(case.as_str().ok_or("case")?).map_err(|e| e.to_string())?;
        let mut splits = Vec::new();
        for k in 0..=bytes.len() {
            let mut scanner = ResponseScanner::new();
            let mut responses: Vec<Value> = Vec::new();
            let mut on = |status: u16, keep_alive: bool| responses.push(json!([status, keep_alive]));
            let ok = scanner.execute(&bytes[..k], &mut on) && scanner.execute(&bytes[k..], &mut on);
            let finished = ok && scanner.finish(&mut on);
            splits.push(json!({ "responses": responses, "ok": ok, "finished": finished }));
        }
        out.push(Value::Array(splits));
    }
    Ok(Value::Array(out))
}

/// `{payload, times: [epoch ms]}` → the request bytes (base64) for each time, in order.
fn payloads(input: &Value) -> Result<Value, String> {
    let mut pool = PayloadPool::from_json(&input["payload"])?;
    let mut out = Vec::with_capacity(pool.max_bytes);
    let times = input["times"].as_array().ok_or("times")?;
    Ok(Value::Array(times.iter().map(|t| {
        pool.next(t.as_f64().unwrap_or(0.0), &mut out);
        Value::String(base64_of(&out))
    }).collect()))
}
