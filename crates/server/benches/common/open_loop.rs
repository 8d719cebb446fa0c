//! Open-loop load: requests offered at a constant rate whatever the server's pace, on a fixed
//! number of connections. Request `i` is due at `t0 + i / rate`; a connection takes the next due
//! request when it is free, so when all are busy a request waits, and its latency, measured from
//! when it was due, includes that wait. A closed loop would instead slow its sending down with
//! the server and hide exactly those waits (coordinated omission).

use std::{
    collections::BTreeMap,
    future::Future,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use serde_json::{json, Value};

use super::stats::{percentile, summary};

/// Offers `rate` calls a second for `seconds` over `connections` workers, `call(i)` being the
/// `i`-th: what was offered and achieved, latency percentiles from the intended send times, and
/// how late sends left after they were due (waiting for a free connection, or the client's own
/// lag: the timer, a busy core). Each call answers its kind (`"receive"`, `"error"`); latencies
/// are also given per kind.
pub async fn run<F, Fut>(connections: usize, rate: f64, seconds: f64, call: F) -> Value
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = &'static str> + Send,
{
    let total = (rate * seconds).round().max(1.0) as usize;
    let next = Arc::new(AtomicUsize::new(0));
    // A little ahead, so that every worker is waiting when the first request is due.
    let t0 = Instant::now() + Duration::from_millis(50);
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (next, call) = (next.clone(), call.clone());
            tokio::spawn(async move {
                let (mut latency, mut lag, mut kinds, mut dues) = (vec![], vec![], vec![], vec![]);
                let mut last = t0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let due = t0 + Duration::from_secs_f64(i as f64 / rate);
                    tokio::time::sleep_until(due.into()).await;
                    let sent = Instant::now();
                    let kind = call(i).await;
                    last = Instant::now();
                    latency.push(last - due);
                    lag.push(sent - due);
                    kinds.push(kind);
                    dues.push(i);
                }
                (latency, lag, kinds, dues, last)
            })
        })
        .collect();
    let (mut latency, mut lag, mut end) = (vec![], vec![], t0);
    let mut by_kind: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    // Latency by the 5-second window a call was due in: a tail from warming up, or all along.
    let windows = (seconds / 5.0).ceil().max(1.0) as usize;
    let mut by_window: Vec<Vec<Duration>> = vec![vec![]; windows];
    for w in workers {
        let (l, g, k, due, last) = w.await.unwrap();
        for ((d, kind), i) in l.iter().zip(k).zip(due) {
            by_kind.entry(kind).or_default().push(*d);
            let window = ((i as f64 / rate) / 5.0) as usize;
            by_window[window.min(windows - 1)].push(*d);
        }
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
        "p99_ms_by_5s": by_window.into_iter().map(|mut d| { d.sort(); percentile(&d, 0.99) }).collect::<Vec<_>>(),
        "by_kind": by_kind.into_iter().map(|(k, d)| (k.to_owned(), summary(d))).collect::<serde_json::Map<_, _>>(),
    })
}
