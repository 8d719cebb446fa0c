//! Open-loop load: requests offered at a constant rate whatever the server's pace, on a fixed
//! number of connections. Request `i` is due at `t0 + i / rate`; a connection takes the next due
//! request when it is free, so when all are busy a request waits, and its latency, measured from
//! when it was due, includes that wait. A closed loop would instead slow its sending down with
//! the server and hide exactly those waits (coordinated omission).

use std::{
    future::Future,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use super::percentile;

/// Offers `rate` calls a second for `seconds` over `connections` workers, `call(i)` being the
/// `i`-th: what was offered and achieved, latency percentiles from the intended send times, and
/// how late sends left after they were due (waiting for a free connection, or the client's own
/// lag: the timer, a busy core).
pub async fn run<F, Fut>(connections: usize, rate: f64, seconds: f64, call: F) -> Value
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let total = (rate * seconds).round().max(1.0) as usize;
    let next = Arc::new(AtomicUsize::new(0));
    // A little ahead, so that every worker is waiting when the first request is due.
    let t0 = Instant::now() + Duration::from_millis(50);
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (next, call) = (next.clone(), call.clone());
            tokio::spawn(async move {
                let (mut latency, mut lag) = (vec![], vec![]);
                let mut last = t0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let due = t0 + Duration::from_secs_f64(i as f64 / rate);
                    tokio::time::sleep_until(due.into()).await;
                    let sent = Instant::now();
                    call(i).await;
                    last = Instant::now();
                    latency.push(last - due);
                    lag.push(sent - due);
                }
                (latency, lag, last)
            })
        })
        .collect();
    let (mut latency, mut lag, mut end) = (vec![], vec![], t0);
    for w in workers {
        let (l, g, last) = w.await.unwrap();
        latency.extend(l);
        lag.extend(g);
        end = end.max(last);
    }
    latency.sort();
    lag.sort();
    let achieved = latency.len() as f64 / (end - t0).as_secs_f64().max(1e-9);
    json!({
        "offered_per_second": rate, "seconds": seconds, "orders": latency.len(),
        "achieved_per_second": achieved.round(),
        "p50_ms": percentile(&latency, 0.5), "p99_ms": percentile(&latency, 0.99), "p999_ms": percentile(&latency, 0.999),
        "max_ms": percentile(&latency, 1.0),
        "send_lag_p99_ms": percentile(&lag, 0.99),
    })
}
