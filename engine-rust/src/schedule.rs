//! Arrival schedules, ported from `src/scenario/schedule.ts` (the reference): the same floating-point
//! operations in the same order, so due times are bit-identical (test/engines/rust/golden.test.ts).

/// Guards `ceil` against floating-point noise (schedule.ts EPSILON).
const EPSILON: f64 = 1e-9;

#[derive(Clone, Debug)]
pub struct Stage {
    pub target: f64,
    pub duration_ms: f64,
}

#[derive(Clone, Debug)]
pub enum Schedule {
    Constant { rate: f64, duration_ms: f64 },
    Ramping { start_rate: f64, stages: Vec<Stage> },
}

#[derive(Clone, Copy, Debug)]
struct Segment {
    start_count: f64,
    start_ms: f64,
    duration_ms: f64,
    from_rate: f64,
    to_rate: f64,
}

impl Schedule {
    /// Reads the plan's JSON form (`Schedule` in src/scenario/plan.ts).
    pub fn from_json(value: &serde_json::Value) -> Result<Schedule, String> {
        let number = |key: &str| value[key].as_f64().ok_or_else(|| format!("schedule.{key} is not a number"));
        match value["executor"].as_str() {
            Some("constant-arrival-rate") => Ok(Schedule::Constant { rate: number("rate")?, duration_ms: number("durationMs")? }),
            Some("ramping-arrival-rate") => {
                let stages = value["stages"].as_array().ok_or("schedule.stages is not a list")?;
                let stages = stages
                    .iter()
                    .map(|s| Ok(Stage { target: s["target"].as_f64().ok_or("stage.target")?, duration_ms: s["durationMs"].as_f64().ok_or("stage.durationMs")? }))
                    .collect::<Result<Vec<_>, &str>>()?;
                Ok(Schedule::Ramping { start_rate: number("startRate")?, stages })
            }
            other => Err(format!("unknown executor {other:?}")),
        }
    }

    fn segments(&self) -> Vec<Segment> {
        match self {
            Schedule::Constant { rate, duration_ms } => {
                vec![Segment { start_count: 0.0, start_ms: 0.0, duration_ms: *duration_ms, from_rate: *rate, to_rate: *rate }]
            }
            Schedule::Ramping { start_rate, stages, .. } => {
                let mut segments = Vec::with_capacity(stages.len());
                let mut count = 0.0;
                let mut start_ms = 0.0;
                let mut rate = *start_rate;
                for stage in stages {
                    segments.push(Segment { start_count: count, start_ms, duration_ms: stage.duration_ms, from_rate: rate, to_rate: stage.target });
                    count += ((rate + stage.target) / 2.0) * (stage.duration_ms / 1000.0);
                    start_ms += stage.duration_ms;
                    rate = stage.target;
                }
                segments
            }
        }
    }

    fn total_arrivals(&self) -> f64 {
        match self {
            Schedule::Constant { rate, duration_ms } => (rate * duration_ms) / 1000.0,
            // Array.reduce from 0, left to right: the same additions in the same order.
            Schedule::Ramping { .. } => self.segments().iter().fold(0.0, |sum, s| sum + ((s.from_rate + s.to_rate) / 2.0) * (s.duration_ms / 1000.0)),
        }
    }

    /// Iterations in the whole schedule (every stripe together).
    pub fn iteration_count(&self) -> u64 {
        let arrivals = self.total_arrivals();
        let n = (arrivals - EPSILON * arrivals.max(1.0)).ceil();
        if n > 0.0 { n as u64 } else { 0 }
    }
}

/// Iterations of stripe `offset` of `stride`.
pub fn stripe_iteration_count(total: u64, offset: u64, stride: u64) -> u64 {
    if offset >= total { 0 } else { (total - 1 - offset) / stride + 1 }
}

fn time_within(segment: &Segment, x: f64) -> f64 {
    let seconds = segment.duration_ms / 1000.0;
    let r0 = segment.from_rate;
    let a = (segment.to_rate - r0) / (2.0 * seconds);
    let t = if x == 0.0 {
        0.0
    } else if a == 0.0 {
        x / r0
    } else {
        (2.0 * x) / (r0 + (r0 * r0 + 4.0 * a * x).sqrt())
    };
    segment.start_ms + js_min(t * 1000.0, segment.duration_ms)
}

/// JavaScript's Math.min of two: NaN if either is NaN (f64::min would drop it).
fn js_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() { f64::NAN } else { a.min(b) }
}

/// Due times (ms from the sub-scenario's start) of one stripe, in order; walks without materialising.
pub struct StripeDueTimes {
    total: u64,
    next: u64,
    stride: u64,
    /// Constant rate: ms per iteration; ramping: unused.
    ms_per_iteration: f64,
    segments: Vec<Segment>,
    index: usize,
    constant: bool,
}

impl StripeDueTimes {
    pub fn new(schedule: &Schedule, offset: u64, stride: u64) -> StripeDueTimes {
        let total = schedule.iteration_count();
        match schedule {
            Schedule::Constant { rate, .. } => StripeDueTimes { total, next: offset, stride, ms_per_iteration: 1000.0 / rate, segments: Vec::new(), index: 0, constant: true },
            Schedule::Ramping { .. } => {
                let segments = schedule.segments().into_iter().filter(|s| s.duration_ms > 0.0).collect();
                StripeDueTimes { total, next: offset, stride, ms_per_iteration: 0.0, segments, index: 0, constant: false }
            }
        }
    }
}

impl Iterator for StripeDueTimes {
    type Item = f64;

    fn next(&mut self) -> Option<f64> {
        if self.next >= self.total {
            return None;
        }
        let i = self.next;
        self.next = self.next.saturating_add(self.stride);
        let x = i as f64;
        if self.constant {
            return Some(x * self.ms_per_iteration);
        }
        while self.index + 1 < self.segments.len() && x >= self.segments[self.index + 1].start_count - EPSILON {
            self.index += 1;
        }
        let segment = self.segments[self.index];
        Some(time_within(&segment, x - segment.start_count))
    }
}
