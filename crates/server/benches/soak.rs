//! The webhook soak: the real `entrepot` binary under a mixed load (single orders, cancels, batch
//! uploads, queries) for `BENCH_MINUTES` minutes, with webhooks going to a local receiver slower
//! than the event rate, so the delivery backlog grows the whole time. Every `BENCH_SAMPLE_S`
//! seconds it prints one JSON line: the server's anonymous memory (`RssAnon` of
//! `/proc/<pid>/status`), the requests and errors so far and the backlog `/metrics` shows. What it
//! proves: the server's memory stays flat after warm-up while the backlog (kept in the database)
//! grows; at the end `entrepot admin check` must be clean.
//!
//! `cargo bench -p entrepot-server --bench soak`. Knobs: `BENCH_MINUTES` (default 10),
//! `BENCH_BACKENDS` (default `sqlite`; `sqlite,postgres`), `BENCH_CLIENTS` (closed-loop clients,
//! default 8), `BENCH_RECEIVER_DELAY_MS` (the receiver's pause per request, default 200),
//! `BENCH_SAMPLE_S` (default 10).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/server.rs"]
mod server;

use std::{
    process::Command,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use entrepot_core::{
    inventory::{Bucket, Transfer},
    money::Currency,
};
use entrepot_store::{fixtures, NewSku, Store};
use entrepot_testkit::{Backend, TestDb};
use serde_json::{json, Value};
use server::{env_num, start};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";
const SKUS: usize = 200;

/// `RssAnon` of a process, in MB.
fn rss_anon_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("RssAnon:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    (kb / 1024.0 * 10.0).round() / 10.0
}

/// A receiver slower than the event rate: every request waits `delay`, then gets 200.
async fn slow_receiver(delay: Duration, hits: Arc<AtomicU64>) -> String {
    let app = axum::Router::new().route(
        "/{*path}",
        axum::routing::post(move || {
            let hits = hits.clone();
            async move {
                tokio::time::sleep(delay).await;
                hits.fetch_add(1, Ordering::Relaxed);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// An operator, a client with a big balance, `SKUS` SKUs with plenty of stock; the API key.
async fn seed(store: &Store) -> String {
    let company = store.create_company("Soak").await.unwrap();
    store.create_warehouse(fixtures::uk1(&company.id)).await.unwrap();
    store.create_service(fixtures::service("UK1", "GBDomesticStandard", 139, "Royal Mail Tracked 48")).await.unwrap();
    let client = store.create_client(&company.id, "Soak Seller", &Currency::parse("GBP").unwrap()).await.unwrap().id;
    fixtures::attach_everywhere(store, &client).await.unwrap();
    store.top_up(&client, None, 100_000_000_000, "soak").await.unwrap();
    let key = store.create_api_key(&client, "soak").await.unwrap().api_key;
    let uk = store.warehouse_by_code("UK1").await.unwrap();
    let new = (0..SKUS).map(|k| NewSku { weight_g: 200, ..fixtures::sku(&format!("S-{k:04}")) }).collect();
    for s in store.create_skus(&client, new).await.unwrap() {
        store
            .move_stock(&client, s.id, &uk.id, Transfer::adjustment(Bucket::Available, 100_000_000).unwrap(), None)
            .await
            .unwrap();
    }
    key
}

fn order(reference: &str, k: u64) -> Value {
    json!({
        "delivery_service_id": "139", "contact": format!("Buyer {k}"), "address_line1": "1 High Street", "city": "Leeds",
        "post_code": "LS1 1AA", "country_iso": "GB", "type": "LOCAL", "sales_reference": reference,
        "products": [{"client_sku": format!("S-{:04}", k % SKUS as u64), "quantity": 1}],
    })
}

/// One client's share of the mix.
struct Load {
    http: reqwest::Client,
    base: String,
    key: String,
    requests: AtomicU64,
    errors: AtomicU64,
}

impl Load {
    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base)).header("api_key", &self.key).header("company_id", "1")
    }

    /// Sends a request; a transport error, a non-200 or `success: false` counts as an error.
    async fn call(&self, rb: reqwest::RequestBuilder) -> Option<Value> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let ok = match rb.send().await {
            Ok(r) if r.status().is_success() => r.json::<Value>().await.ok().filter(|v| v["success"] != false),
            Ok(r) => {
                eprintln!("HTTP {}: {}", r.status(), r.text().await.unwrap_or_default());
                None
            }
            Err(e) => {
                eprintln!("request failed: {e}");
                None
            }
        };
        if ok.is_none() {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        ok
    }

    /// One step of client `c`: of every ten, six single orders, one order cancelled again, one
    /// upload of 100 orders, two queries.
    async fn step(&self, c: u64, n: u64) {
        let k = c * 1_000_000_000 + n;
        match n % 10 {
            0..=5 => {
                self.call(self.req(reqwest::Method::POST, PENDING).json(&json!([order(&format!("S{k}"), k)]))).await;
            }
            6 => {
                let placed =
                    self.call(self.req(reqwest::Method::POST, PENDING).json(&json!([order(&format!("C{k}"), k)])));
                if let Some(id) = placed.await.and_then(|v| v["data"][0]["id"].as_str().map(str::to_owned)) {
                    let form = [("ids", id.as_str()), ("status", "CANCELLED")];
                    self.call(self.req(reqwest::Method::POST, "/client/Consignment/Batch-Update-Status").form(&form))
                        .await;
                }
            }
            7 => {
                let rows: Vec<Value> = (0..100).map(|j| order(&format!("B{k}-{j}"), k + j)).collect();
                self.call(self.req(reqwest::Method::POST, PENDING).json(&rows)).await;
            }
            8 => {
                self.call(self.req(reqwest::Method::GET, "/client/Consignment?start=0&limit=20")).await;
            }
            _ => {
                let ids: Vec<String> = (0..20).map(|j| (1 + (k + j * 7) % SKUS as u64).to_string()).collect();
                let path = format!("/client/product/Get-Product-Available-Quantity?ids={}", ids.join(","));
                self.call(self.req(reqwest::Method::GET, &path)).await;
            }
        }
    }
}

/// The `/metrics` lines whose names start with `prefix`, as name (with labels) → value.
async fn metrics(http: &reqwest::Client, base: &str, prefix: &str) -> serde_json::Map<String, Value> {
    let text = match http.get(format!("{base}/metrics")).send().await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    text.lines()
        .filter(|l| l.starts_with(prefix))
        .filter_map(|l| l.rsplit_once(' '))
        .filter_map(|(k, v)| Some((k.trim_start_matches("entrepot_").to_owned(), json!(v.parse::<f64>().ok()?))))
        .collect()
}

async fn run(backend: Backend) -> Value {
    let minutes = env_num::<u64>("BENCH_MINUTES", 10);
    let clients = env_num::<u64>("BENCH_CLIENTS", 8);
    let delay = Duration::from_millis(env_num::<u64>("BENCH_RECEIVER_DELAY_MS", 200));
    let sample = Duration::from_secs(env_num::<u64>("BENCH_SAMPLE_S", 10).max(1));
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db.url).await.unwrap();
    let key = seed(&store).await;
    store.close().await;
    let hits = Arc::new(AtomicU64::new(0));
    let receiver = slow_receiver(delay, hits.clone()).await;
    // The receiver is on loopback, which webhooks may not call unless the operator allows it.
    let server = start(&db.url, dir.path(), &[("ENTREPOT_WEBHOOK_ALLOW_NETWORKS", "127.0.0.0/8")]);
    let pid = server.0.id();
    let http = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    let load = Arc::new(Load { http: http.clone(), base: server.1.clone(), key, requests: 0.into(), errors: 0.into() });
    for (resource_type, action) in [("PRODUCT", "UPDATE_LIVE_STOCK"), ("CONSIGNMENT", "GET_DELIVERY_REFERENCE")] {
        let body = json!({"url": format!("{receiver}/{action}"), "resource_type": resource_type, "action": action});
        let r = load.call(load.req(reqwest::Method::POST, "/client/Webhook").json(&body)).await;
        assert!(r.is_some(), "webhook registration refused");
    }
    let backend_name = format!("{backend:?}").to_lowercase();
    let t0 = Instant::now();
    let until = t0 + Duration::from_secs(minutes * 60);
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let load = load.clone();
            tokio::spawn(async move {
                let mut n = 0;
                while Instant::now() < until {
                    load.step(c, n).await;
                    n += 1;
                }
            })
        })
        .collect();
    let mut series = vec![];
    loop {
        let line = json!({
            "backend": backend_name,
            "t_s": t0.elapsed().as_secs(),
            "rss_anon_mb": rss_anon_mb(pid),
            "requests": load.requests.load(Ordering::Relaxed),
            "errors": load.errors.load(Ordering::Relaxed),
            "receiver_hits": hits.load(Ordering::Relaxed),
            "backlog": metrics(&http, &server.1, "entrepot_webhook").await,
        });
        println!("{line}");
        series.push(line);
        if Instant::now() >= until {
            break;
        }
        tokio::time::sleep(sample.min(until.saturating_duration_since(Instant::now()))).await;
    }
    for t in tasks {
        t.await.unwrap();
    }
    let check = Command::new(env!("CARGO_BIN_EXE_entrepot"))
        .args(["admin", "--database-url", &db.url, "check"])
        .env("RUST_LOG", "warn")
        .env("ENTREPOT_SECRET_KEY", entrepot_store::fixtures::TEST_SECRET_KEY)
        .output()
        .unwrap();
    if !check.status.success() {
        eprintln!("admin check: {}{}", String::from_utf8_lossy(&check.stdout), String::from_utf8_lossy(&check.stderr));
    }
    let rss: Vec<f64> = series.iter().filter_map(|s| s["rss_anon_mb"].as_f64()).collect();
    // After warm-up: from the second quarter of the run on.
    let warm = &rss[rss.len() / 4..];
    let max = warm.iter().copied().fold(0.0, f64::max);
    let min = warm.iter().copied().fold(f64::MAX, f64::min);
    json!({
        "backend": backend_name,
        "minutes": minutes,
        "clients": clients,
        "receiver_delay_ms": delay.as_millis() as u64,
        "requests": load.requests.load(Ordering::Relaxed),
        "errors": load.errors.load(Ordering::Relaxed),
        "receiver_hits": hits.load(Ordering::Relaxed),
        "rss_anon_mb_first": rss.first(),
        "rss_anon_mb_after_warmup_min_max": [min, max],
        "rss_anon_mb_last": rss.last(),
        "admin_check_clean": check.status.success(),
        "backlog_at_end": metrics(&http, &server.1, "entrepot_webhook").await,
    })
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let backends = server::env_text("BENCH_BACKENDS", "sqlite");
    let mut results = vec![];
    for b in backends.split(',') {
        let backend = match b.trim() {
            "sqlite" => Backend::Sqlite,
            "postgres" => Backend::Postgres,
            other => panic!("unknown backend {other}"),
        };
        results.push(rt.block_on(run(backend)));
    }
    println!("{}", serde_json::to_string_pretty(&json!({"benchmark": "soak", "results": results})).unwrap());
}
