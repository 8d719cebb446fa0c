//! The native API's lists as the console and handhelds read them after the scans: each round
//! reads a list's first page with its filters and follows `next_cursor` for up to two more pages;
//! every request is timed on its own, one client at a time.

use std::time::Instant;

use serde_json::{json, Map, Value};

use super::{seed::Floor, seller::Seller, server::env_num, stats::summary};

pub async fn run(http: &reqwest::Client, base: &str, seller: &Seller, floor: &Floor, token: &str) -> Value {
    let rounds = env_num::<usize>("BENCH_LIST_ROUNDS", 200);
    let c = &seller.client.0;
    let ib = &floor.inbounds[0];
    let sku = |k: usize| format!("B-{:06}", (k * 7919) % seller.skus.len());
    let bin = |k: usize| floor.bins[(k * 31) % floor.bins.len()].clone();
    // Each list: its name and, per round, its first page's path and query.
    type Query<'a> = Box<dyn Fn(usize) -> String + 'a>;
    let lists: Vec<(&str, Query)> = vec![
        ("stock", Box::new(move |_| format!("/api/v1/stock?client={c}&warehouse=UK1&limit=50"))),
        ("stock_of_a_sku", Box::new(move |k| format!("/api/v1/stock?client={c}&sku={}", sku(k)))),
        ("locations_pick_faces", Box::new(|_| "/api/v1/warehouses/UK1/locations?type=pick_face&limit=50".into())),
        ("location_stock", Box::new(move |_| format!("/api/v1/warehouses/UK1/location-stock?client={c}&limit=50"))),
        (
            "location_stock_of_a_bin",
            Box::new(move |k| format!("/api/v1/warehouses/UK1/location-stock?location={}", bin(k))),
        ),
        ("putaway_tasks", Box::new(|_| "/api/v1/warehouses/UK1/putaway-tasks?limit=50".into())),
        ("sku_audit_queue", Box::new(|_| "/api/v1/sku-audit/queue?limit=50".into())),
        ("counts", Box::new(|_| "/api/v1/warehouses/UK1/counts?limit=50".into())),
        ("unidentified_freight", Box::new(|_| "/api/v1/warehouses/UK1/unidentified".into())),
        ("audit_of_a_busy_inbound", Box::new(move |_| format!("/api/v1/audit/inbound/{}", ib.id))),
    ];
    let mut out = Map::new();
    for (name, first) in lists {
        let (mut times, mut rows) = (vec![], 0usize);
        for k in 0..rounds {
            let mut path = first(k);
            for _ in 0..3 {
                let t = Instant::now();
                let r = http.get(format!("{base}{path}")).bearer_auth(token).send().await.unwrap();
                let status = r.status();
                let body: Value = r.json().await.unwrap_or(Value::Null);
                times.push(t.elapsed());
                assert!(status.is_success(), "{name} {path}: {status} {body}");
                rows += body["items"].as_array().map_or(0, Vec::len);
                let Some(next) = body["next_cursor"].as_str() else { break };
                let base_path = path.split("&cursor=").next().unwrap_or_default().to_owned();
                let sep = if base_path.contains('?') { '&' } else { '?' };
                path = format!("{base_path}{sep}cursor={next}");
            }
        }
        let mut s = summary(times);
        s["rows_read"] = json!(rows);
        out.insert(name.to_owned(), s);
    }
    Value::Object(out)
}
