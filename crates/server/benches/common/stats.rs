//! Latency figures as the benchmarks print them.

use std::time::Duration;

use serde_json::{json, Value};

/// The `p` quantile of sorted durations, in milliseconds to the microsecond.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    (sorted[i].as_secs_f64() * 1e6).round() / 1000.0
}

/// Count, p50, p99, p99.9 and max of durations (sorted here).
pub fn summary(mut d: Vec<Duration>) -> Value {
    d.sort();
    json!({"count": d.len(), "p50_ms": percentile(&d, 0.5), "p99_ms": percentile(&d, 0.99),
        "p999_ms": percentile(&d, 0.999), "max_ms": percentile(&d, 1.0)})
}
