//! The floor benchmark: the real `entrepot` binary on SQLite and on PostgreSQL, a database holding
//! `BENCH_ORDERS` orders (default 10⁶, uploaded through Bird and booked) and `BENCH_SKUS` SKUs
//! (default 10⁵), and then what the issue asks to measure, printed as JSON:
//! - scan commands from `BENCH_DEVICES` handhelds (default 50, each with its own bearer token and
//!   `Idempotency-Key`s, as a handheld replaying its queue sends them) offered open-loop at
//!   `BENCH_RATE` scans/s (default 500) for `BENCH_SECONDS` (default 30), after a warm-up at that
//!   rate of `BENCH_WARMUP_SECONDS` (default 5, reported apart): two receive scans for
//!   every putaway scan, each device on its own inbound of `BENCH_LINES` SKUs (default 20).
//!   Latency is from each scan's intended send time (no coordinated omission), p50/p99 per kind;
//! - the native API's lists with filters, following `next_cursor` (`BENCH_LIST_ROUNDS` rounds
//!   each, default 200), p50/p99 per list, one client at a time;
//! - the outbound floor (`floor/outbound.rs`): waves of 10,000 due orders released, pick, pack
//!   and ship scans offered the same way, and the cut-off board;
//! - every console page (`floor/console.rs`), p50/p99 per page, one request at a time.
//!
//! `BENCH_PARTS` (default `inbound,lists,outbound,console`) runs only some of them.
//! It exits non-zero when any scan was refused. `cargo bench -p entrepot-server --bench floor`;
//! for a quick look, e.g. `BENCH_ORDERS=20000
//! BENCH_SKUS=5000 BENCH_SECONDS=10 BENCH_BACKENDS=sqlite`. `BENCH_IDEMPOTENCY=0` sends scans
//! without `Idempotency-Key` (their `scan_id` alone keeps replays counted once).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "floor/console.rs"]
mod console;
#[path = "floor/devices.rs"]
mod devices;
#[path = "floor/lists.rs"]
mod lists;
#[path = "common/open_loop.rs"]
mod open_loop;
#[path = "floor/outbound.rs"]
mod outbound;
#[path = "floor/seed.rs"]
mod seed;
#[path = "common/seller.rs"]
mod seller;
#[path = "common/server.rs"]
mod server;
#[path = "common/stats.rs"]
mod stats;

use std::time::{Duration, Instant};

use entrepot_store::Store;
use entrepot_testkit::{Backend, TestDb};
use serde_json::{json, Value};
use server::{env_num, env_text, start};

async fn run(backend: Backend) -> Value {
    let orders = env_num::<usize>("BENCH_ORDERS", 1_000_000);
    let skus = env_num::<usize>("BENCH_SKUS", 100_000);
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let store = Store::open(&db.url).await.unwrap();
    let seller = seller::seed(&store, skus).await;
    let floor = seed::floor(&store, &seller).await;
    console::seed_user(&store, &seller).await;
    store.close().await;
    let server = start(&db.url, dir.path(), &[]);
    let http = reqwest::Client::builder().pool_max_idle_per_host(256).build().unwrap();
    seller::upload(&http, &server.1, &seller.key, orders, 1_000, 4).await;
    while server.awaiting_booking(&http).await > 0 {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    drop(server);
    seed::history(&db.url, orders, env_num::<usize>("BENCH_DUE_ORDERS", 40_000)).await;
    let server = start(&db.url, dir.path(), &[]);
    let seed_seconds = (t0.elapsed().as_secs_f64() * 10.0).round() / 10.0;
    let tokens = seed::tokens(&http, &server.1, &floor).await;

    let parts = env_text("BENCH_PARTS", "inbound,lists,outbound,console");
    let part = |p: &str| parts.split(',').any(|x| x.trim() == p);
    let mut scans = Value::Null;
    if part("inbound") {
        scans = devices::run(&http, &server.1, &seller, &floor, &tokens).await;
    }
    let mut lists = Value::Null;
    if part("lists") {
        lists = lists::run(&http, &server.1, &seller, &floor, &tokens[0]).await;
    }
    let mut outbound = Value::Null;
    if part("outbound") {
        // A mark in the output for a profiler to start on.
        eprintln!("bench: outbound starts, server pid {}", server.0.id());
        outbound = outbound::run(&http, &server.1, &tokens).await;
    }
    let mut pages = Value::Null;
    if part("console") {
        pages = console::run(&http, &server.1, &seller, &floor).await;
    }
    json!({
        "backend": format!("{backend:?}").to_lowercase(),
        "orders": orders, "skus": skus, "seed_seconds": seed_seconds,
        "bins": floor.bins.len(), "inbounds": floor.inbounds.len(),
        "scans": scans,
        "lists": lists,
        "outbound": outbound,
        "console": pages,
    })
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut results = vec![];
    for backend in server::backends() {
        let r = rt.block_on(run(backend));
        eprintln!("{r}");
        results.push(r);
    }
    println!("{}", serde_json::to_string_pretty(&json!({"benchmark": "floor", "results": results})).unwrap());
    // A refused scan is a bug in the server or the bench, not a figure.
    for r in &results {
        assert!(r["scans"]["by_kind"]["error"].is_null(), "scans failed: {}", r["scans"]["error_samples"]);
        let out = &r["outbound"]["scans"];
        assert!(out["by_kind"]["error"].is_null(), "outbound scans failed: {}", out["error_samples"]);
    }
}
