//! Scans when the network drops, in headless Chromium on both backends: the receiving screen's
//! scans are kept in the browser's queue while requests fail, shown as waiting, and sent in order
//! once the network is back; a scan whose answer was lost on the way is sent again with the same
//! Idempotency-Key and counts once. The page's `fetch` is what fails (the server stays up), as
//! it does when a handheld's Wi-Fi drops.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod common;

use std::time::Duration;

use browser::Browser;
use common::*;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

/// Replaces the page's `fetch`: `offline` fails every request unsent; `lose` sends each scan but
/// loses its first answer (the same key's retry gets through); `online` is the real one.
const NETWORK: &str = r#"
    window.__realFetch = window.__realFetch || window.fetch;
    window.__lost = window.__lost || {};
    window.__mode = arguments[0];
    window.fetch = function (url, opts) {
        var key = opts && opts.headers && opts.headers["Idempotency-Key"];
        if (window.__mode === "offline") { return Promise.reject(new TypeError("offline")); }
        if (window.__mode === "lose" && key && !window.__lost[key]) {
            window.__lost[key] = true;
            return window.__realFetch(url, opts).then(function () { throw new TypeError("answer lost"); });
        }
        return window.__realFetch(url, opts);
    };
"#;

/// The scans waiting in the browser's queue.
async fn queued(b: &Browser) -> usize {
    let v =
        b.c.execute(
            "var n = 0; for (var i = 0; i < localStorage.length; i++) { var k = localStorage.key(i); \
             if (k.indexOf('entrepot-scans:') === 0) { n += JSON.parse(localStorage.getItem(k)).length; } } return n;",
            vec![],
        )
        .await
        .unwrap();
    v.as_u64().unwrap() as usize
}

/// Types a code and Enter into the scan field, without waiting for an answer.
async fn type_scan(b: &Browser, code: &str) {
    let field = b.find("#scan").await;
    field.send_keys(&format!("{code}{}", char::from(fantoccini::key::Key::Enter))).await.unwrap();
}

/// Waits until the queue is empty (the pump retries every 2 s).
async fn drained(b: &Browser) {
    for _ in 0..200 {
        if queued(b).await == 0 && b.count("[data-offline]:not([hidden])").await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("scans still queued: {}", queued(b).await);
}

#[each_backend]
async fn scans_wait_for_the_network_and_count_once(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let c: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let base = server.base.clone();
    let b = Browser::start(1280, 900, "en-GB,en").await;
    let staff = &c["staff"][0];
    b.log_in(&base, staff["username"].as_str().unwrap(), staff["password"].as_str().unwrap()).await;
    b.click("nav a[href='/console/receiving']").await;
    b.wait_text("main h1", "Receiving").await;
    let inbound = c["inbound_in_transit"]["inbound_number"].as_str().unwrap();
    assert_eq!(b.scan(inbound).await.0, "accepted");
    let mug = c["skus"].as_array().unwrap().iter().find(|s| s["client_ref"] == "DEMO-MUG-01").unwrap();
    let mug = mug["mfskuid"].as_str().unwrap();
    let received = || async { b.text("table.receipt tr.last td:nth-of-type(2)").await };

    // Answers lost on the way: each scan reached the server, its retry carries the same key.
    b.c.execute(NETWORK, vec![json!("lose")]).await.unwrap();
    type_scan(&b, mug).await;
    type_scan(&b, mug).await;
    drained(&b).await;
    b.wait_text("table.receipt tr.last", "DEMO-MUG-01").await;
    assert_eq!(received().await, "2", "{backend:?}: two scans sent twice each count twice, not four times");
    let lost = b.c.execute("return Object.keys(window.__lost).length", vec![]).await.unwrap();
    assert_eq!(lost, json!(2), "both answers were lost once and the scans sent again");

    // Offline: the scans wait in the browser, and the page says how many.
    b.c.execute(NETWORK, vec![json!("offline")]).await.unwrap();
    for _ in 0..3 {
        type_scan(&b, mug).await;
    }
    for _ in 0..50 {
        if queued(&b).await == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(queued(&b).await, 3, "{backend:?}");
    let waiting = b.text("[data-offline]").await;
    assert!(waiting.contains('3'), "{backend:?}: the page shows the queue: {waiting}");
    assert_eq!(received().await, "2", "nothing sent while offline");

    // Back online: sent in order, each once.
    b.c.execute(NETWORK, vec![json!("online")]).await.unwrap();
    drained(&b).await;
    for _ in 0..50 {
        if received().await == "5" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(received().await, "5", "{backend:?}");
    assert_eq!(b.scan(mug).await.1, "+1 DEMO-MUG-01", "{backend:?}: the screen goes on as before");
    assert_eq!(received().await, "6");
    b.close().await;
    drop(server);
}
