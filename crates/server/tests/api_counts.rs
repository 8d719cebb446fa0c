//! Cycle counts over the native API on the real binary, both backends: UK1 staff count two
//! bins blind; a small variance is applied at once, a large one waits and only a supervisor
//! approves it; a shortfall that only reserved units could cover is held and refused; the
//! ledger shows IAA in OC's movements, and OC's snapshot, Bird's live stock, the native stock
//! and the bins show the counted numbers; `admin check` is clean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{call, login, seed_people, PW};
use common::*;
use entrepot_client::OcClient;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

const CALLBACK: &str = "https://erp.example.com/oc/callback";

/// A one-hour window either side of now, in OC's time format.
fn window() -> (String, String) {
    let now = jiff::Timestamp::now();
    let f = |t: jiff::Timestamp| t.strftime("%Y-%m-%dT%H:%M:%S+0000").to_string();
    (f(now - jiff::SignedDuration::from_hours(1)), f(now + jiff::SignedDuration::from_hours(1)))
}

#[each_backend]
async fn counts_adjust_small_variances_at_once_and_wait_for_a_supervisor_above_the_threshold(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    // Acme: 5 ACME-1 available and 3 ACME-2 received, at the dock (seed_people).
    seed_people(url);
    let key = admin_ok(url, &["api-key", "create", "--client", "Acme"])["api_key"].as_str().unwrap().to_owned();
    admin_ok(
        url,
        &["user", "create", "--client", "Acme", "--username", "ann@acme.example", "--password", "s3cret-pass"],
    );
    let erp = create_acme_erp_app(url, CALLBACK);
    for code in ["A-01-01-1", "A-01-01-2"] {
        admin_ok(url, &["location", "create", "--warehouse", "UK1", "--code", code]);
    }
    let acme1 = ["--client", "Acme", "--warehouse", "UK1", "--sku", "ACME-1"];
    let with = |args: &[&str]| -> Vec<String> { args.iter().chain(acme1.iter()).map(|s| s.to_string()).collect() };
    let run = |args: Vec<String>| admin_ok(url, &args.iter().map(String::as_str).collect::<Vec<_>>());
    run(with(&["location", "move", "--from", "DOCK", "--to", "A-01-01-1", "--qty", "5"]));
    run(with(&["stock", "receive", "--qty", "20"]));
    run(with(&["stock", "put-away", "--qty", "20", "--bin", "A-01-01-2"]));
    // 4 ACME-2 held for an order, at the dock beside the 3 received.
    admin_ok(
        url,
        &[
            "stock",
            "adjust",
            "--client",
            "Acme",
            "--warehouse",
            "UK1",
            "--sku",
            "ACME-2",
            "--delta",
            "4",
            "--bucket",
            "reserved_hold",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let uk = login(base, "uk", PW).await;
    let sup = login(base, "uksup", PW).await;
    let acme = login(base, "acme-owner", PW).await;

    // Staff create a count of two bins (codes in any case); sellers may not.
    let bins = json!({"bins": ["a-01-01-1", "A-01-01-2"]});
    let create = "POST /api/v1/warehouses/{code}/counts";
    call(base, acme.bearer(), create, &["UK1"], "", Some(bins.clone())).await.problem(403, "forbidden");
    let made = call(base, uk.bearer(), create, &["UK1"], "", Some(bins)).await;
    assert_eq!(made.status, 201, "{backend:?}: {}", made.body);
    let items = made.body["items"].as_array().unwrap();
    assert_eq!(items.iter().map(|t| t["location"].as_str().unwrap()).collect::<Vec<_>>(), ["A-01-01-1", "A-01-01-2"]);
    assert!(items.iter().all(|t| t["state"] == "open" && t["lines"] == json!([])), "blind: {}", made.body);
    let (small, large) = (items[0]["id"].as_str().unwrap().to_owned(), items[1]["id"].as_str().unwrap().to_owned());
    call(base, uk.bearer(), create, &["UK1"], "", Some(json!({"bins": ["A-01-01-1"]}))).await.problem(409, "conflict");

    // Blind: the counter sees no expected quantity; the supervisor does.
    let get = "GET /api/v1/counts/{id}";
    let blind = call(base, uk.bearer(), get, &[&small], "", None).await;
    assert_eq!((blind.status, blind.body["lines"].clone()), (200, json!([])), "{}", blind.body);
    let seen = call(base, sup.bearer(), get, &[&small], "", None).await;
    assert_eq!(seen.body["lines"][0]["expected"], 5, "{}", seen.body);
    assert_eq!(seen.body["lines"][0]["counted"], Value::Null);
    let mf1 = seen.body["lines"][0]["mfskuid"].as_str().unwrap().to_owned();

    // The wrong bin is refused naming the right one; 3 of 5 is within the threshold: applied.
    let results = "POST /api/v1/counts/{id}/results";
    let wrong = json!({"bin": "A-01-01-2", "scans": [{"code": mf1}]});
    let refused = call(base, uk.bearer(), results, &[&small], "", Some(wrong)).await;
    refused.problem(422, "validation");
    assert!(refused.body["detail"].as_str().unwrap().contains("scan A-01-01-1"), "{}", refused.body);
    let count = json!({"bin": "A-01-01-1", "scans": [{"code": mf1, "qty": 2}, {"code": mf1.to_lowercase()}], "scan_id": "hh-1"});
    let done = call(base, uk.bearer(), results, &[&small], "", Some(count.clone())).await;
    assert_eq!(done.status, 200, "{backend:?}: {}", done.body);
    assert_eq!(
        (done.body["count"]["state"].as_str(), done.body["replayed"].as_bool()),
        (Some("adjusted"), Some(false))
    );
    let line = &done.body["count"]["lines"][0];
    assert_eq!(
        (line["expected"].as_i64(), line["counted"].as_i64(), line["variance"].as_i64(), line["applied"].as_bool()),
        (Some(5), Some(3), Some(-2), Some(true)),
        "{}",
        done.body
    );
    let again = call(base, uk.bearer(), results, &[&small], "", Some(count)).await;
    assert_eq!(
        (again.body["replayed"].as_bool(), again.body["count"]["state"].as_str()),
        (Some(true), Some("adjusted"))
    );
    let other = json!({"bin": "A-01-01-1", "scans": [], "scan_id": "hh-9"});
    call(base, uk.bearer(), results, &[&small], "", Some(other)).await.problem(409, "conflict");

    // 8 of 20 is 12 short, above the threshold of 10: it waits; staff may not approve.
    let count = json!({"bin": "A-01-01-2", "scans": [{"code": mf1, "qty": 8}], "scan_id": "hh-2"});
    let held = call(base, uk.bearer(), results, &[&large], "", Some(count)).await;
    assert_eq!(held.body["count"]["state"], "counted", "{backend:?}: {}", held.body);
    assert_eq!(held.body["count"]["threshold"], 10);
    assert!(held.body["count"]["hold_reason"].as_str().unwrap().contains("threshold of 10"), "{}", held.body);
    assert_eq!(held.body["count"]["lines"][0]["applied"], false);
    let list = "GET /api/v1/warehouses/{code}/counts";
    let waiting = call(base, sup.bearer(), list, &["UK1"], "state=counted", None).await;
    assert_eq!(waiting.body["items"].as_array().unwrap().len(), 1, "{}", waiting.body);
    assert_eq!(waiting.body["items"][0]["lines"][0]["variance"], -12);
    let approve = "POST /api/v1/counts/{id}/approve";
    call(base, uk.bearer(), approve, &[&large], "", None).await.problem(403, "forbidden");
    let ok = call(base, sup.bearer(), approve, &[&large], "", None).await;
    assert_eq!((ok.status, ok.body["state"].as_str()), (200, Some("approved")), "{backend:?}: {}", ok.body);
    assert_eq!(ok.body["lines"][0]["applied"], true);
    call(base, sup.bearer(), approve, &[&large], "", None).await.problem(409, "conflict");

    // A count of one SKU: every location holding it (the dock). 2 of 7 found, but 4 of the 7
    // are held for an order: only 3 can be written off, so it waits, and approval is refused.
    let by_sku = call(base, uk.bearer(), create, &["UK1"], "", Some(json!({"sku": "ACME-2", "client": "Acme"}))).await;
    assert_eq!(by_sku.status, 201, "{backend:?}: {}", by_sku.body);
    assert_eq!(by_sku.body["items"][0]["location"], "DOCK", "{}", by_sku.body);
    let dock = by_sku.body["items"][0]["id"].as_str().unwrap().to_owned();
    let seen = call(base, sup.bearer(), get, &[&dock], "", None).await;
    assert_eq!(seen.body["lines"][0]["expected"], 7, "{}", seen.body);
    let mf2 = seen.body["lines"][0]["mfskuid"].as_str().unwrap().to_owned();
    let wrong_sku = json!({"bin": "DOCK", "scans": [{"code": mf1}]});
    call(base, uk.bearer(), results, &[&dock], "", Some(wrong_sku)).await.problem(422, "validation");
    let short = call(
        base,
        uk.bearer(),
        results,
        &[&dock],
        "",
        Some(json!({"bin": "dock", "scans": [{"code": mf2, "qty": 2}]})),
    )
    .await;
    assert_eq!(short.body["count"]["state"], "counted", "{backend:?}: {}", short.body);
    assert!(short.body["count"]["hold_reason"].as_str().unwrap().contains("4 reserved"), "{}", short.body);
    let no = call(base, sup.bearer(), approve, &[&dock], "", None).await;
    no.problem(409, "conflict");
    assert!(no.body["detail"].as_str().unwrap().contains("not reserved"), "{}", no.body);
    let reject = "POST /api/v1/counts/{id}/reject";
    call(base, uk.bearer(), reject, &[&dock], "", Some(json!({"reason": "x"}))).await.problem(403, "forbidden");
    let rejected =
        call(base, sup.bearer(), reject, &[&dock], "", Some(json!({"reason": "recount after shipping"}))).await;
    assert_eq!(
        (rejected.body["state"].as_str(), rejected.body["reason"].as_str()),
        (Some("rejected"), Some("recount after shipping")),
        "{}",
        rejected.body
    );

    // The list pages by cursor, oldest first.
    let p1 = call(base, uk.bearer(), list, &["UK1"], "limit=2", None).await;
    assert_eq!(p1.body["items"].as_array().unwrap().len(), 2, "{}", p1.body);
    let next = p1.body["next_cursor"].as_str().unwrap().to_owned();
    let p2 = call(base, uk.bearer(), list, &["UK1"], &format!("limit=2&cursor={next}"), None).await;
    assert_eq!(p2.body["items"][0]["id"], dock.as_str());
    assert_eq!(p2.body["next_cursor"], Value::Null);
    call(base, uk.bearer(), list, &["UK1"], "state=lost", None).await.problem(422, "validation");

    // ACME-1: 25 available, 2 + 12 written off: 11, in the bins as counted.
    let stock = call(base, uk.bearer(), "GET /api/v1/stock", &[], "client=Acme&sku=ACME-1", None).await;
    assert_eq!(stock.body["items"][0]["units"]["available"], 11, "{backend:?}: {}", stock.body);
    let bins = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/location-stock", &["UK1"], "", None).await;
    let at = |code: &str| -> i64 {
        bins.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["code"] == code)
            .map(|r| r["qty"].as_i64().unwrap())
            .sum()
    };
    assert_eq!((at("A-01-01-1"), at("A-01-01-2"), at("DOCK")), (3, 8, 7), "{}", bins.body);
    let trail =
        call(base, sup.bearer(), "GET /api/v1/audit/{subject_kind}/{subject_id}", &["count", &large], "", None).await;
    let actions: Vec<&str> =
        trail.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["count.created", "count.counted", "count.approved"], "{}", trail.body);

    // OC: the snapshot shows 11 available; the movements say IAA and name the counts.
    let oc = OcClient::new(&server.base, erp["client_key"].as_str().unwrap(), erp["secret_key"].as_str().unwrap());
    let code = oc.login_for_code(CALLBACK, "erp-user-1", "ann@acme.example", "s3cret-pass").await.unwrap();
    oc.exchange_code(&code, CALLBACK).await.unwrap();
    let snap = oc.call("/openapi/3pp/inventory/v2/snapshot", json!({"skuList": [{"mfSkuId": mf1}]})).await.unwrap();
    let row = snap["SKUList"].as_array().unwrap().iter().find(|r| r["serviceRegion"] == "UK").cloned().unwrap();
    assert_eq!(row["available"], 11, "{backend:?}: {row}");
    let (start, end) = window();
    let moves = oc
        .call(
            "/openapi/3pp/inventory/v1/movement",
            json!({"startTime": start, "endTime": end, "mfSkuList": [{"mfSkuId": mf1}]}),
        )
        .await
        .unwrap()
        .to_string();
    assert!(moves.contains("IAA=Inventory Adjustement Applied"), "{backend:?}: {moves}");
    assert!(moves.contains(&small) && moves.contains(&large), "the counts are the movements' documents: {moves}");

    // Bird: live stock minus locked is the 11 available.
    let http = reqwest::Client::new();
    let bird = |path: String| {
        let r = http.get(format!("{}{path}", server.base)).header("api_key", &key).header("company_id", "1");
        async move { r.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let product = bird("/client/Product?client_ref=ACME-1".into()).await;
    let id =
        product["data"][0]["id"].as_str().map(str::to_owned).unwrap_or_else(|| product["data"][0]["id"].to_string());
    let q = bird(format!("/client/product/Get-Product-Available-Quantity?ids={id}")).await;
    let (live, locked) =
        (q["data"][0]["live_stock"].as_i64().unwrap(), q["data"][0]["current_locked_stock"].as_i64().unwrap());
    assert_eq!(live - locked, 11, "{backend:?}: {q}");

    assert_check(url);
    // The CLI reads the same tasks.
    let shown = admin_ok(url, &["count", "show", "--id", &large]);
    assert_eq!(shown["state"], "approved");
    assert!(server.stop().success());
}

/// The admin CLI runs a count through the same use cases: a threshold of 1 makes a 2-unit
/// shortfall wait for approval; an empty bin counted empty is adjusted (nothing to apply).
#[each_backend]
async fn the_admin_cli_counts_approves_and_rejects(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    seed_with_cli(url, 5);
    assert_eq!(admin_ok(url, &["count", "threshold", "--warehouse", "UK1"])["count_approval_units"], 10);
    assert_eq!(admin_ok(url, &["count", "threshold", "--warehouse", "UK1", "--units", "1"])["count_approval_units"], 1);
    for code in ["A-01-01-1", "A-01-01-2"] {
        admin_ok(url, &["location", "create", "--warehouse", "UK1", "--code", code]);
    }
    let mv = ["--client", "Acme", "--sku", "ACME-1", "--from", "DOCK", "--to", "A-01-01-1", "--qty", "5"];
    admin_ok(url, &[&["location", "move", "--warehouse", "UK1"][..], &mv[..]].concat());
    let made = admin_ok(url, &["count", "create", "--warehouse", "UK1", "--range", "A-01-01-1..2"]);
    let (one, two) = (made[0]["id"].as_str().unwrap().to_owned(), made[1]["id"].as_str().unwrap().to_owned());
    let shown = admin_ok(url, &["count", "show", "--id", &one]);
    let mf = shown["lines"][0]["mfskuid"].as_str().unwrap().to_owned();
    let scan = format!("{mf}:3");
    let counted = admin_ok(url, &["count", "record", "--id", &one, "--bin", "A-01-01-1", "--scan", &scan]);
    assert_eq!(counted["task"]["state"], "counted", "{backend:?}: {counted}");
    let empty = admin_ok(url, &["count", "record", "--id", &two, "--bin", "A-01-01-2"]);
    assert_eq!((empty["task"]["state"].as_str(), empty["task"]["lines"].clone()), (Some("adjusted"), json!([])));
    assert_eq!(admin_ok(url, &["count", "approve", "--id", &one])["state"], "approved");
    let approved = admin_ok(url, &["count", "list", "--warehouse", "UK1", "--state", "approved"]);
    assert_eq!(approved.as_array().unwrap().len(), 1, "{approved}");
    let again = admin_ok(url, &["count", "create", "--warehouse", "UK1", "--bin", "A-01-01-1"]);
    let three = again[0]["id"].as_str().unwrap().to_owned();
    let rejected = admin_ok(url, &["count", "reject", "--id", &three, "--reason", "not today"]);
    assert_eq!(rejected["state"], "rejected");
    let stock = admin_ok(url, &["location", "stock", "--warehouse", "UK1", "--code", "A-01-01-1"]);
    assert_eq!(stock[0]["qty"], 3, "{stock}");
    assert_check(url);
}
