//! The Bird intake benchmark: starts the real `entrepot` binary on SQLite and on PostgreSQL and
//! prints, as JSON, what the issue asks to measure:
//! - `Post-Pending-Consignment-With-Products-Json` with 1,000 orders per request (orders/s), sent
//!   over `BENCH_UPLOADERS` (default 4) connections at once, as an ERP importing a backlog would;
//! - carrier booking of those orders, which runs beside intake (orders booked/s, from the first
//!   upload until `/metrics` shows none waiting); the rest is measured once booking has caught up;
//! - the storage ceiling of that intake on SQLite (`ceiling`): a plain rusqlite loop writing the
//!   same rows, 1,000 orders a transaction; intake is printed as a share of it (`intake_to_ceiling`);
//! - 32 concurrent clients creating single orders (orders/s, p50/p99 latency), closed loop;
//! - open loop: 32 connections sending single orders at constant offered rates (`BENCH_OPEN_RATES`,
//!   default 1,000, 2,000 and 4,000 orders/s, `BENCH_OPEN_SECONDS` each, default 20), latency
//!   measured from each request's intended send time, so a request that waited for a busy
//!   connection counts its wait (no coordinated omission): p50/p99/p99.9 and the achieved rate;
//! - `Get-Product-Available-Quantity` at 100,000 SKUs (p50/p99 latency);
//! - for scale, the same 32 clients on requests that write nothing: an unknown path (HTTP alone)
//!   and an order upload refused after authentication and parsing (the floor under an order).
//!   The server's CPU time per request (`/proc/<pid>/stat`) is printed beside these rates (and
//!   beside the single orders'): on a small machine the client shares the cores, so requests/s
//!   alone is noisy.
//!
//! `cargo bench -p entrepot-server --bench bird`. Sizes can be reduced for a quick look with
//! `BENCH_ORDERS`, `BENCH_SKUS`, `BENCH_SINGLE`, `BENCH_OPEN_SECONDS` and `BENCH_BACKENDS=sqlite`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "bird/ceiling.rs"]
mod ceiling;
#[path = "common/open_loop.rs"]
mod open_loop;
#[path = "common/seller.rs"]
mod seller;
#[path = "common/server.rs"]
mod server;
#[path = "common/stats.rs"]
mod stats;

use std::{
    process::Command,
    time::{Duration, Instant},
};

use entrepot_store::Store;
use entrepot_testkit::{Backend, TestDb};
use seller::{order, post_pending, seed, upload};
use serde_json::{json, Value};
use server::{env_num, env_text, start, Server};
use stats::percentile;

impl Server {
    /// The server's CPU time so far (user + system, all threads), in seconds.
    fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.0.id())).unwrap_or_default();
        // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
        let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, f)| f.split_whitespace().collect()).unwrap_or_default();
        let ticks = |k: usize| fields.get(k - 3).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        (ticks(14) + ticks(15)) / clock_ticks()
    }
}

/// Clock ticks per second of `/proc` times (`getconf CLK_TCK`, 100 on Linux in practice).
fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Microseconds of server CPU per request between two [`Server::cpu_seconds`] readings.
fn cpu_us_per_request(before: f64, after: f64, requests: usize) -> f64 {
    ((after - before) * 1e6 / requests.max(1) as f64).round()
}

/// `clients` closed-loop clients, each making `calls` calls of `call(client, k)` one after the
/// other: calls per second and every call's latency, sorted.
async fn closed_loop<F, Fut>(clients: usize, calls: usize, call: F) -> (f64, Vec<Duration>)
where
    F: Fn(usize, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let t = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let call = call.clone();
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(calls);
                for k in 0..calls {
                    let s = Instant::now();
                    call(c, k).await;
                    lat.push(s.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut lat = vec![];
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let rate = lat.len() as f64 / t.elapsed().as_secs_f64();
    lat.sort();
    (rate, lat)
}

/// 32 closed-loop clients sending `requests` requests each to `path` (posting `body` as the
/// seller), reading each answer whole: requests/s, p50/p99 latency and the server's CPU time per
/// request.
async fn floor(http: &reqwest::Client, server: &Server, key: &str, path: &str, body: &Value, requests: usize) -> Value {
    let cpu = server.cpu_seconds();
    let (http, url, key, body) = (http.clone(), format!("{}{path}", server.1), key.to_owned(), body.clone());
    let (rate, lat) = closed_loop(32, requests, move |_, _| {
        let r = http.post(&url).header("api_key", &key).header("company_id", "1").json(&body).send();
        async move {
            let _ = r.await.unwrap().bytes().await.unwrap();
        }
    })
    .await;
    json!({"requests_per_second": rate.round(), "p50_ms": percentile(&lat, 0.5), "p99_ms": percentile(&lat, 0.99),
        "server_cpu_us_per_request": cpu_us_per_request(cpu, server.cpu_seconds(), lat.len())})
}

async fn run(backend: Backend) -> Value {
    let orders = env_num::<usize>("BENCH_ORDERS", 100_000);
    let skus = env_num::<usize>("BENCH_SKUS", 100_000);
    let singles = env_num::<usize>("BENCH_SINGLE", 10_000);
    let open_seconds = env_num::<f64>("BENCH_OPEN_SECONDS", 20.0);
    let open_rates: Vec<f64> =
        env_text("BENCH_OPEN_RATES", "1000,2000,4000").split(',').filter_map(|r| r.trim().parse().ok()).collect();
    // The ceiling first, alone on the machine (SQLite only: it is SQLite's own write speed).
    let ceiling = match backend {
        Backend::Sqlite => Some(ceiling::run(orders).await),
        Backend::Postgres => None,
    };
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let store = Store::open(&db.url).await.unwrap();
    let key = seed(&store, skus).await.key;
    store.close().await;
    let seed_s = t0.elapsed().as_secs_f64();
    let server = start(&db.url, dir.path(), &[]);
    let http = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    let url = |p: &str| format!("{}{p}", server.1);

    // 1. Batch intake: `uploaders` connections, each sending its share of the requests in turn.
    let batch = 1_000;
    let uploaders = env_num::<usize>("BENCH_UPLOADERS", 4).max(1);
    let t = Instant::now();
    upload(&http, &server.1, &key, orders, batch, uploaders).await;
    let batch_rate = orders as f64 / t.elapsed().as_secs_f64();

    // Carrier booking runs beside intake; the rest is measured once it has caught up.
    let backlog = || server.awaiting_booking(&http);
    while backlog().await > 0 {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let booking_rate = orders as f64 / t.elapsed().as_secs_f64();

    // For scale: what 32 clients get from requests that write nothing.
    let pending = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";
    let not_found = floor(&http, &server, &key, "/client/No-Such-Resource", &json!([]), 500).await;
    let refused = floor(&http, &server, &key, pending, &json!([{"contact": "no service"}]), 500).await;

    // 2. 32 concurrent clients, single orders.
    let per_client = singles / 32;
    let (h, k, base) = (http.clone(), key.clone(), server.1.clone());
    let cpu = server.cpu_seconds();
    let (single_rate, lat) = closed_loop(32, per_client, move |c, n| {
        let (http, key, base) = (h.clone(), k.clone(), base.clone());
        async move { post_pending(&http, &base, &key, &json!([order(c * per_client + n, 1_000_000 + c)])).await }
    })
    .await;
    let single_cpu = cpu_us_per_request(cpu, server.cpu_seconds(), lat.len());

    // Open loop: constant offered rates, each once the booking of what came before has caught up.
    let mut open = vec![];
    for (k, rate) in open_rates.iter().enumerate() {
        while backlog().await > 0 {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let cpu = server.cpu_seconds();
        let (h, key, base) = (http.clone(), key.clone(), server.1.clone());
        let mut r = open_loop::run(32, *rate, open_seconds, move |i| {
            let (http, key, base) = (h.clone(), key.clone(), base.clone());
            async move {
                post_pending(&http, &base, &key, &json!([order(i, 2_000_000 + k)])).await;
                "order"
            }
        })
        .await;
        let sent = r["orders"].as_u64().unwrap_or(0) as usize;
        r["server_cpu_us_per_order"] = json!(cpu_us_per_request(cpu, server.cpu_seconds(), sent));
        open.push(r);
    }

    // 3. Available quantity at `skus` SKUs: 20 ids per query, spread over the catalogue.
    let mut q = vec![];
    for k in 0..2_000usize {
        let ids: Vec<String> = (0..20).map(|j| (1 + (k * 7919 + j * 104_729) % skus).to_string()).collect();
        let s = Instant::now();
        let r = http
            .get(url(&format!("/client/product/Get-Product-Available-Quantity?ids={}", ids.join(","))))
            .header("api_key", &key)
            .header("company_id", "1")
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        let _ = r.bytes().await;
        q.push(s.elapsed());
    }
    q.sort();
    let mut out = json!({
        "backend": format!("{backend:?}").to_lowercase(),
        "seed_seconds": (seed_s * 10.0).round() / 10.0,
        "batch_intake": {"orders": orders, "orders_per_request": batch, "concurrent_uploads": uploaders, "orders_per_second": batch_rate.round()},
        "carrier_booking": {"orders": orders, "orders_booked_per_second": booking_rate.round()},
        "single_orders_32_clients": {"orders": lat.len(), "orders_per_second": single_rate.round(),
            "p50_ms": percentile(&lat, 0.5), "p99_ms": percentile(&lat, 0.99), "server_cpu_us_per_order": single_cpu},
        "open_loop_single_orders_32_connections": open,
        "floor_32_clients": {"unknown_path": not_found, "refused_order_upload": refused},
        "available_quantity": {"skus": skus, "ids_per_query": 20, "queries": q.len(), "p50_ms": percentile(&q, 0.5), "p99_ms": percentile(&q, 0.99)},
    });
    if let Some(c) = ceiling {
        let ratio = batch_rate / c["orders_per_second"].as_f64().unwrap_or(f64::INFINITY);
        out["ceiling"] = c;
        out["intake_to_ceiling"] = json!((ratio * 100.0).round() / 100.0);
    }
    out
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut results = vec![];
    for backend in server::backends() {
        let r = rt.block_on(run(backend));
        eprintln!("{r}");
        results.push(r);
    }
    println!("{}", serde_json::to_string_pretty(&json!({"benchmark": "bird", "results": results})).unwrap());
}
