//! `loadctl-engine`: the rust engine's hot loop. The Node agent (src/engines/rust/) starts it as a child
//! process, hands it the prepared plan on stdin (one JSON line), then `start` / `stop` lines; it answers
//! with JSON lines per worker thread (ready, seconds, result). Stdin closed = stop. `golden <kind>`
//! replays the cross-language golden cases (test/engines/rust/golden.test.ts). See docs/rust-engine.md.

mod clock;
mod engine;
mod golden;
mod payload;
mod recorder;
mod scanner;
mod schedule;
mod tls;
mod wire;

use engine::{Control, SubConfig, Target, Worker, WorkerConfig};
use serde_json::Value;
use std::io::BufRead;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("--version") | Some("version") => {
            println!("loadctl-engine {VERSION}");
            0
        }
        Some("run") => run().map(|()| 0).unwrap_or_else(|message| fatal(&message)),
        Some("golden") => golden::run(args.get(1).map(String::as_str).unwrap_or("")).map(|()| 0).unwrap_or_else(|message| fatal(&message)),
        _ => {
            eprintln!("usage: loadctl-engine --version | run | golden <schedule|scanner|payload|hdr>\n(started by the loadctl agent: `loadctl agent --engine rust`)");
            2
        }
    };
    std::process::exit(code);
}

fn fatal(message: &str) -> i32 {
    wire::emit(&serde_json::json!({ "type": "error", "message": message }));
    eprintln!("loadctl-engine: {message}");
    1
}

fn run() -> Result<(), String> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let first = lines.next().ok_or("stdin closed before the prepare line")?.map_err(|e| e.to_string())?;
    let prepare: Value = serde_json::from_str(&first).map_err(|e| format!("prepare is not JSON: {e}"))?;
    let target = Arc::new(target_of(&prepare["target"])?);
    let configs = prepare["workers"].as_array().ok_or("prepare.workers is not a list")?.iter().map(worker_config).collect::<Result<Vec<_>, _>>()?;
    let control = Arc::new(Control { start_at_bits: AtomicU64::new(0), stop: AtomicBool::new(false) });
    let mut wakers = Vec::new();
    let mut threads = Vec::new();
    for config in configs {
        let index = config.index;
        let (mut worker, waker) = Worker::new(config, target.clone(), control.clone()).map_err(|e| format!("worker {index}: {e}"))?;
        wakers.push(waker);
        let thread = std::thread::Builder::new().name(format!("worker-{index}")).spawn(move || {
            if let Err(e) = worker.warm_up().and_then(|()| worker.run()) {
                wire::emit(&serde_json::json!({ "w": index, "type": "error", "message": e.to_string() }));
            }
        });
        threads.push(thread.map_err(|e| e.to_string())?);
    }
    let wake = |wakers: &[Arc<mio::Waker>]| wakers.iter().for_each(|w| drop(w.wake()));
    for line in lines {
        let Ok(line) = line else { break };
        let Ok(message) = serde_json::from_str::<Value>(&line) else { continue };
        match message["type"].as_str() {
            Some("start") => {
                if let Some(now) = message["now"].as_f64() {
                    clock::align_to(now);
                }
                let at = message["startAt"].as_f64().ok_or("start.startAt is not a number")?;
                control.start_at_bits.store(at.to_bits(), Ordering::Release);
                wake(&wakers);
            }
            Some("stop") => {
                control.stop.store(true, Ordering::Relaxed);
                wake(&wakers);
            }
            _ => {}
        }
    }
    // Stdin closed: the agent is gone or done — stop, and exit once in-flight requests have ended.
    control.stop.store(true, Ordering::Relaxed);
    wake(&wakers);
    for thread in threads {
        let _ = thread.join();
    }
    Ok(())
}

/// `{addresses: [ip…], port, tls: {…} | null}`: names are resolved by the agent (a static binary has no NSS).
fn target_of(target: &Value) -> Result<Target, String> {
    let port = target["port"].as_u64().ok_or("target.port")? as u16;
    let names: Vec<String> = target["addresses"].as_array().ok_or("target.addresses")?.iter().filter_map(|a| a.as_str().map(str::to_string)).collect();
    let addresses = names.iter().map(|name| name.parse::<std::net::IpAddr>().map(|ip| SocketAddr::new(ip, port)).map_err(|e| format!("address {name}: {e}"))).collect::<Result<Vec<_>, _>>()?;
    if addresses.is_empty() {
        return Err("target.addresses is empty".into());
    }
    let tls = if target["tls"].is_object() { Some(tls::tls_target(&target["tls"])?) } else { None };
    Ok(Target { addresses, names, tls })
}

fn worker_config(value: &Value) -> Result<WorkerConfig, String> {
    let subs = value["subs"].as_array().ok_or("worker.subs")?;
    Ok(WorkerConfig {
        index: value["index"].as_u64().ok_or("worker.index")? as usize,
        offset: value["offset"].as_u64().ok_or("worker.offset")?,
        stride: value["stride"].as_u64().ok_or("worker.stride")?,
        raw_samples_file: value["rawSamplesFile"].as_str().map(str::to_string),
        subs: subs.iter().map(sub_config).collect::<Result<_, _>>()?,
    })
}

fn sub_config(value: &Value) -> Result<SubConfig, String> {
    Ok(SubConfig {
        name: value["name"].as_str().ok_or("sub.name")?.to_string(),
        start_time_ms: value["startTimeMs"].as_f64().ok_or("sub.startTimeMs")?,
        schedule: schedule::Schedule::from_json(&value["schedule"])?,
        timeout_ms: value["timeoutMs"].as_f64().ok_or("sub.timeoutMs")?,
        pool: payload::PayloadPool::from_json(&value["payload"])?,
        pre_allocated: value["preAllocated"].as_u64().ok_or("sub.preAllocated")? as usize,
        max: value["max"].as_u64().ok_or("sub.max")? as usize,
    })
}
