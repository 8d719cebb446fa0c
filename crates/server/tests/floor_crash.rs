//! A SIGKILL in the middle of a wave release or a manifest close, on both backends: the
//! release and the close are one transaction each, so after the restart every order is either
//! in the wave (with its picks and its bins' promises) or not at all, every parcel either
//! handed over (stock consumed, fee charged) or still packed; `admin check` is clean, and the
//! work is done again without duplicating anything.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use std::time::Duration;

use api_common::{call, login, seed_people, PW};
use common::*;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";

/// Places `n` one-unit orders of ACME-1 through Bird, 500 a request.
async fn place(base: &str, key: &str, n: usize) {
    let bird = BirdErp { base: base.to_owned(), key: key.to_owned(), company_id: "1".into() };
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let rows: Vec<Value> = chunk
            .iter()
            .map(|k| {
                json!({"delivery_service_id": "139", "sales_reference": format!("K-{k}"), "contact": "Ann",
                    "address_line1": "1 High St", "city": "Leeds", "post_code": "LS1 1AA", "country_iso": "GB",
                    "type": "LOCAL", "products": [{"client_sku": "ACME-1", "quantity": 1}]})
            })
            .collect();
        let body = bird.post_json(PENDING, &Value::Array(rows)).await;
        assert_eq!(body["success"], true, "{body}");
    }
}

/// Orders in each status, and orders with picks, read from the database.
async fn counts(url: &str) -> (i64, i64, i64, i64) {
    let store = entrepot_store::Store::open(url).await.unwrap();
    let n = |sql: &'static str| {
        let s = store.clone();
        async move { s.count_raw(sql).await.unwrap() }
    };
    let out = (
        n("SELECT COUNT(*) AS n FROM outbound_orders WHERE status = 'SUBMITTED'").await,
        n("SELECT COUNT(*) AS n FROM outbound_orders WHERE status = 'WAIT_PICKING'").await,
        n("SELECT COUNT(DISTINCT order_id) AS n FROM picks").await,
        n("SELECT COUNT(*) AS n FROM waves").await,
    );
    store.close().await;
    out
}

/// The tenancy world with Acme funded and `qty` ACME-1 put away into bin A-01-01-1 of UK1;
/// Acme's Bird API key.
fn stocked(url: &str, qty: &str) -> String {
    seed_people(url);
    let key = admin_ok(url, &["api-key", "create", "--client", "Acme"])["api_key"].as_str().unwrap().to_owned();
    admin_ok(url, &["balance", "top-up", "--client", "Acme", "--amount", "10000.00"]);
    admin_ok(url, &["location", "create", "--warehouse", "UK1", "--code", "A-01-01-1"]);
    for args in [&["stock", "receive", "--qty", qty][..], &["stock", "put-away", "--qty", qty, "--bin", "A-01-01-1"]] {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-1"]);
        admin_ok(url, &all);
    }
    key
}

#[each_backend]
async fn a_wave_release_killed_midway_is_all_or_nothing(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    let key = stocked(url, "3000");
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    const N: usize = 1_500;
    place(&server.base, &key, N).await;
    let uk = login(&server.base, "uk", PW).await;
    // Every order, whatever day it is due.
    let due_by = "2999-12-31";

    // Release, and kill the process while it works (somewhere in the release, or just after).
    let (base, token) = (server.base.clone(), uk.token.clone());
    let body = json!({"due_by": due_by});
    let release = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!("{base}/api/v1/warehouses/UK1/waves"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    tokio::time::sleep(Duration::from_millis(60 + rand::random::<u64>() % 200)).await;
    server.kill_hard();
    let answered = release.await.unwrap().ok();

    let (submitted, waiting, picked, waves) = counts(url).await;
    let n = N as i64;
    assert!(
        (submitted, waiting, picked, waves) == (n, 0, 0, 0) || (submitted, waiting, picked, waves) == (0, n, n, 1),
        "{backend:?}: half a wave after the kill ({answered:?}): submitted {submitted}, waiting {waiting}, with picks {picked}, waves {waves}"
    );
    assert_check(url);

    // Restarted, the release is made (or found made) once.
    let server = Server::start(dir.path(), url, false);
    let uk = login(&server.base, "uk", PW).await;
    let again = call(
        &server.base,
        uk.bearer(),
        "POST /api/v1/warehouses/{code}/waves",
        &["UK1"],
        "",
        Some(json!({"due_by": due_by})),
    )
    .await;
    if waves == 0 {
        assert_eq!((again.status, again.body["orders"].as_i64()), (201, Some(n)), "{}", again.body);
    } else {
        again.problem(409, "conflict");
    }
    server.stop();
    assert_eq!(counts(url).await, (0, n, n, 1), "{backend:?}");
    assert_check(url);
}

#[each_backend]
async fn a_manifest_close_killed_midway_is_all_or_nothing(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    let key = stocked(url, "300");
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    const N: usize = 120;
    place(&server.base, &key, N).await;
    server.stop();

    // Picked, packed, booked and on the manifest: through the use cases, as the floor does it.
    let store = entrepot_store::Store::open(url).await.unwrap();
    let app = entrepot_app::App::new(std::sync::Arc::new(store.clone()));
    let staff = entrepot_core::actor::Actor::system("floor");
    let wh = app.warehouse_by_code("UK1").await.unwrap();
    let wave = entrepot_app::WaveRequest { due_by: Some("2999-12-31".into()), totes: Some(50), ..Default::default() };
    let w = app.release_wave(&staff, &wh.id, wave).await.unwrap();
    let carrier: std::sync::Arc<dyn entrepot_ops::CarrierConnector> =
        std::sync::Arc::new(entrepot_ops::SandboxCarrier::new());
    let mut manifest = String::new();
    for l in &w.lists {
        let list = app.pick_list(&staff, &l.id.0).await.unwrap();
        for p in &list.picks {
            let scan = entrepot_app::PickScan {
                list: l.id.0.clone(),
                scan_id: None,
                bin: p.bin.clone(),
                sku: p.mfskuid.clone(),
                tote: p.tote,
                qty: p.left,
                short: false,
            };
            app.pick(&staff, scan).await.unwrap();
        }
        for t in &list.totes {
            let id = &t.order_id.0;
            app.pack_unit(&staff, &wh.id, id, "ACME-1", 1, None).await.unwrap();
            let v = app.close_pack(&staff, &wh.id, id, 950, (150, 100, 50), false).await.unwrap();
            let cfg = entrepot_ops::BookingConfig::default();
            entrepot_ops::book_now(&app, carrier.clone(), &cfg, &v.client_id, &t.order_id).await.unwrap();
            manifest = app.manifest_parcel(&staff, &wh.id, id).await.unwrap().id;
        }
    }
    let count = |sql: &'static str| {
        let s = store.clone();
        async move { s.count_raw(sql).await.unwrap() }
    };
    let before = (
        count("SELECT COUNT(*) AS n FROM money_transfers").await,
        count("SELECT COUNT(*) AS n FROM stock_transfers").await,
    );
    store.close().await;

    // Closed over the API, and killed while it works.
    let server = Server::start(dir.path(), url, false);
    let uk = login(&server.base, "uk", PW).await;
    let (base, token, id) = (server.base.clone(), uk.token.clone(), manifest.clone());
    let close = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!("{base}/api/v1/manifests/{id}/close"))
            .bearer_auth(token)
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    tokio::time::sleep(Duration::from_millis(20 + rand::random::<u64>() % 150)).await;
    server.kill_hard();
    let answered = close.await.unwrap().ok();

    let store = entrepot_store::Store::open(url).await.unwrap();
    let n = |sql: &'static str| {
        let s = store.clone();
        async move { s.count_raw(sql).await.unwrap() }
    };
    let shipped = n("SELECT COUNT(*) AS n FROM outbound_orders WHERE status = 'SHIPPED'").await;
    let packed = n("SELECT COUNT(*) AS n FROM outbound_orders WHERE status = 'PACKED'").await;
    let closed = n("SELECT COUNT(*) AS n FROM manifests WHERE status = 'CLOSED'").await;
    let after =
        (n("SELECT COUNT(*) AS n FROM money_transfers").await, n("SELECT COUNT(*) AS n FROM stock_transfers").await);
    store.close().await;
    let n = N as i64;
    assert!(
        (shipped, packed, closed) == (0, n, 0) || (shipped, packed, closed) == (n, 0, 1),
        "{backend:?}: half a manifest after the kill ({answered:?}): shipped {shipped}, packed {packed}, closed {closed}"
    );
    // Nothing consumed twice or half: one consumption per parcel, and its fee settled.
    if closed == 1 {
        assert_eq!(after.1 - before.1, n, "{backend:?}");
        assert!(after.0 - before.0 >= n, "{backend:?}: {before:?} {after:?}");
    } else {
        assert_eq!(after, before, "{backend:?}");
    }
    assert_check(url);
    let server = Server::start(dir.path(), url, false);
    let uk = login(&server.base, "uk", PW).await;
    let again = call(&server.base, uk.bearer(), "POST /api/v1/manifests/{id}/close", &[&manifest], "", None).await;
    if closed == 0 {
        assert_eq!(again.body["status"], "CLOSED", "{}", again.body);
    } else {
        again.problem(409, "conflict");
    }
    server.stop();
    assert_check(url);
}
