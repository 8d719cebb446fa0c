//! The inbound half of the warehouse floor over the native API, a real server on both backends:
//! bins created, a dock slot booked by the seller, check-in, a receipt counted by scans (one SKU
//! short, units damaged, an unexpected SKU, a scan replayed by its Idempotency-Key counted once,
//! a wrong code refused saying what was expected), closed, put away by scans (the suggested bin,
//! and another one confirmed), a bin-to-bin move, unidentified freight; the receipt and location
//! stock show it, and `admin check` is clean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{acme_inbound, call, call_with, login, seed_people, PW};
use common::{admin_ok, assert_check, Server};
use entrepot_core::inventory::{Bucket, Transfer};
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

fn line<'a>(receipt: &'a Value, sku: &str) -> &'a Value {
    receipt["lines"].as_array().unwrap().iter().find(|l| l["seller_sku"] == sku).unwrap()
}

#[each_backend]
async fn receive_and_put_away_through_the_api(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    admin_ok(&db.url, &["sku", "create", "--client", "Acme", "--sku", "ACME-3", "--name", "Nut", "--weight-g", "10"]);
    let number = acme_inbound(&db.url, "SEA-API-1").await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let uk = login(base, "uk", PW).await;
    let acme = login(base, "acme-owner", PW).await;

    // Bins: a range of pick faces and one reserve bin; listed by code, paged by cursor.
    let range = json!({"range": "A-01-1..3", "type": "pick_face"});
    let made =
        call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/locations/range", &["UK1"], "", Some(range)).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["items"].as_array().unwrap().len(), 3);
    let one = json!({"code": "r-01", "type": "reserve", "capacity": 100});
    let r = call(base, uk.cookie(), "POST /api/v1/warehouses/{code}/locations", &["UK1"], "", Some(one.clone())).await;
    assert_eq!((r.status, r.body["code"].clone(), r.body["type"].clone()), (201, json!("R-01"), json!("reserve")));
    call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/locations", &["UK1"], "", Some(one))
        .await
        .problem(409, "duplicate");
    let bad = json!({"code": "Z-1", "type": "shelf"});
    let refused = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/locations", &["UK1"], "", Some(bad)).await;
    refused.problem(422, "validation");
    assert!(refused.body["detail"].as_str().unwrap().contains("expected pick_face, reserve"), "{}", refused.body);
    let page =
        call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/locations", &["UK1"], "prefix=A-01&limit=2", None).await;
    assert_eq!(
        page.body["items"].as_array().unwrap().iter().map(|l| l["code"].clone()).collect::<Vec<_>>(),
        vec![json!("A-01-1"), json!("A-01-2")]
    );
    let cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
    let rest = call(
        base,
        uk.bearer(),
        "GET /api/v1/warehouses/{code}/locations",
        &["UK1"],
        &format!("prefix=A-01&limit=2&cursor={cursor}"),
        None,
    )
    .await;
    assert_eq!(
        (rest.body["items"][0]["code"].clone(), rest.body["next_cursor"].clone()),
        (json!("A-01-3"), Value::Null)
    );
    let pf = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/locations", &["UK1"], "type=reserve", None).await;
    assert_eq!(pf.body["items"].as_array().unwrap().len(), 1, "{}", pf.body);

    // Slots by staff; the seller sees them, books the earliest, cancels and books the second.
    let plan = json!({"from": "2030-01-02", "first_hour": 8, "last_hour": 10, "capacity": 1});
    let slots = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/slots", &["UK1"], "", Some(plan)).await;
    assert_eq!(slots.status, 201, "{}", slots.body);
    let listed =
        call(base, acme.bearer(), "GET /api/v1/warehouses/{code}/slots", &["UK1"], "from=2030-01-02&days=1", None)
            .await;
    assert_eq!(listed.body, slots.body, "{}", listed.body);
    let second = slots.body["items"][1]["id"].as_str().unwrap().to_owned();
    let booked =
        call(base, acme.bearer(), "POST /api/v1/inbounds/{inbound}/appointment", &[&number], "", Some(json!({}))).await;
    assert_eq!((booked.status, booked.body["status"].clone()), (200, json!("BOOKED")), "{}", booked.body);
    assert_eq!(booked.body["slot"]["id"], slots.body["items"][0]["id"]);
    let cancelled =
        call(base, acme.bearer(), "DELETE /api/v1/inbounds/{inbound}/appointment", &[&number], "", None).await;
    assert_eq!(
        (cancelled.status, cancelled.body["has_appointment"].clone()),
        (200, json!(false)),
        "{}",
        cancelled.body
    );
    let moved = call(
        base,
        acme.cookie(),
        "POST /api/v1/inbounds/{inbound}/appointment",
        &[&number],
        "",
        Some(json!({"slot": second})),
    )
    .await;
    assert_eq!(moved.body["slot"]["id"], json!(second), "{}", moved.body);

    // Check-in, then the receipt opened by the carton mark.
    let arrived = call(base, uk.bearer(), "POST /api/v1/inbounds/{inbound}/arrival", &[&number], "", None).await;
    assert_eq!(arrived.body["status"], "Arrived", "{}", arrived.body);
    let open =
        call(base, uk.bearer(), "POST /api/v1/receipts", &[], "", Some(json!({"code": format!("{number}-001")}))).await;
    assert_eq!(open.status, 200, "{}", open.body);
    assert_eq!(line(&open.body, "ACME-1")["expected"], 10);
    let label = |sku: &str| line(&open.body, sku)["mfskuid"].as_str().unwrap().to_owned();
    let (l1, l2) = (label("ACME-1"), label("ACME-2"));

    // Scans: 8 of 10 ACME-1 (replayed by its key: counted once), 4 good and 1 damaged ACME-2.
    let key = [("idempotency-key", "h1-0001")];
    let scan = json!({"code": l1, "quantity": 8, "scan_id": "h1-0001"});
    let first =
        call_with(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/scans", &[&number], "", Some(scan.clone()), &key)
            .await;
    assert_eq!((first.status, first.body["counted"].clone()), (200, json!(8)), "{}", first.body);
    let replay =
        call_with(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/scans", &[&number], "", Some(scan.clone()), &key)
            .await;
    assert_eq!((replay.header("idempotent-replayed"), replay.body.clone()), ("true", first.body.clone()));
    let again = call(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/scans", &[&number], "", Some(scan)).await;
    assert_eq!(
        (again.body["replayed"].clone(), line(&again.body["receipt"], "ACME-1")["received"].clone()),
        (json!(true), json!(8))
    );
    let good = json!({"code": l2, "quantity": 4, "scan_id": "h1-0002"});
    call(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/scans", &[&number], "", Some(good)).await;
    let damaged = json!({"code": l2, "condition": "damaged", "scan_id": "h1-0003"});
    let d = call(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/scans", &[&number], "", Some(damaged)).await;
    assert_eq!(line(&d.body["receipt"], "ACME-2")["damaged"], 1, "{}", d.body);
    let wrong = call(
        base,
        uk.bearer(),
        "POST /api/v1/receipts/{inbound}/scans",
        &[&number],
        "",
        Some(json!({"code": "NOT-A-LABEL"})),
    )
    .await;
    assert!(wrong.status >= 400, "{}", wrong.body);
    assert!(
        wrong.body["detail"].as_str().unwrap().contains(&format!("expected a SKU of inbound {number}")),
        "{}",
        wrong.body
    );
    let odd = call(
        base,
        uk.bearer(),
        "POST /api/v1/receipts/{inbound}/scans",
        &[&number],
        "",
        Some(json!({"code": l1, "condition": "wet"})),
    )
    .await;
    odd.problem(422, "validation");

    // An unexpected SKU, recorded with a note; then the close finds ACME-1 short by 2.
    let extra = json!({"code": "ACME-3", "quantity": 2, "note": "loose in carton 1"});
    let u = call(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/unexpected", &[&number], "", Some(extra)).await;
    assert_eq!((u.status, u.body["kind"].clone()), (201, json!("unexpected")), "{}", u.body);
    let closed = call(base, uk.bearer(), "POST /api/v1/receipts/{inbound}/close", &[&number], "", None).await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    let mut kinds: Vec<(String, i64)> = closed.body["discrepancies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["kind"].as_str().unwrap().to_owned(), d["quantity"].as_i64().unwrap()))
        .collect();
    kinds.sort();
    assert_eq!(kinds, vec![("damaged".into(), 1), ("short".into(), 2), ("unexpected".into(), 2)], "{}", closed.body);
    // The seller reads its own inbound's receipt with its discrepancies.
    let seen = call(base, acme.bearer(), "GET /api/v1/receipts/{inbound}", &[&number], "", None).await;
    assert_eq!(seen.body["discrepancies"].as_array().unwrap().len(), 3, "{}", seen.body);

    // Putaway: ACME-1 to the suggested bin; ACME-2 elsewhere only once confirmed.
    let tasks = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/putaway-tasks", &["UK1"], "", None).await;
    let items = tasks.body["items"].as_array().unwrap().clone();
    let task =
        |sku: &Value| items.iter().find(|t| t["sku_id"] == *sku && t["inbound"] == json!(number)).unwrap().clone();
    let t1 = task(&line(&open.body, "ACME-1")["sku_id"]);
    let t2 = task(&line(&open.body, "ACME-2")["sku_id"]);
    assert_eq!((t1["qty"].clone(), t2["qty"].clone()), (json!(8), json!(4)), "{}", tasks.body);
    let bin1 = t1["suggested_bin"].as_str().unwrap().to_owned();
    let put = json!({"client": "Acme", "sku": "ACME-1", "qty": 8, "bin": bin1, "inbound": number});
    let p1 = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/putaway", &["UK1"], "", Some(put)).await;
    assert_eq!((p1.status, p1.body["bin"].clone()), (200, json!(bin1)), "{}", p1.body);
    let suggested2 = t2["suggested_bin"].as_str().unwrap().to_owned();
    assert_ne!(suggested2, "R-01");
    let elsewhere = json!({"client": "Acme", "sku": l2, "qty": 4, "bin": "R-01", "inbound": number});
    let refused =
        call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/putaway", &["UK1"], "", Some(elsewhere.clone())).await;
    refused.problem(409, "conflict");
    assert!(refused.body["detail"].as_str().unwrap().contains("the suggested bin is"), "{}", refused.body);
    let mut confirmed = elsewhere;
    confirmed["confirm_other_bin"] = json!(true);
    let p2 = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/putaway", &["UK1"], "", Some(confirmed)).await;
    assert_eq!((p2.status, p2.body["bin"].clone()), (200, json!("R-01")), "{}", p2.body);

    // A bin-to-bin move; a bin disabled; the results in location stock and the receipt.
    let mv = json!({"client": "Acme", "sku": "ACME-2", "from": "R-01", "to": "a-01-3", "qty": 1});
    let m = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/moves", &["UK1"], "", Some(mv)).await;
    assert_eq!((m.status, m.body["to"].clone()), (200, json!("A-01-3")), "{}", m.body);
    let off = call(
        base,
        uk.bearer(),
        "POST /api/v1/warehouses/{code}/locations/{location}/disable",
        &["UK1", "a-01-3"],
        "",
        None,
    )
    .await;
    assert_eq!((off.status, off.body["disabled"].clone()), (200, json!(true)), "{}", off.body);
    let at = |stock: &Value, code: &str| -> i64 {
        stock["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["code"] == code)
            .map(|r| r["qty"].as_i64().unwrap())
            .sum()
    };
    let stock = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/location-stock", &["UK1"], "", None).await;
    assert_eq!(
        (at(&stock.body, &bin1), at(&stock.body, "R-01"), at(&stock.body, "A-01-3")),
        (8, 3, 1),
        "{}",
        stock.body
    );
    let mine =
        call(base, acme.bearer(), "GET /api/v1/warehouses/{code}/location-stock", &["UK1"], "location=R-01", None)
            .await;
    assert_eq!(at(&mine.body, "R-01"), 3, "{}", mine.body);
    let done = call(base, acme.bearer(), "GET /api/v1/receipts/{inbound}", &[&number], "", None).await;
    assert_eq!(
        (line(&done.body, "ACME-1")["put_away"].clone(), line(&done.body, "ACME-2")["put_away"].clone()),
        (json!(8), json!(4)),
        "{}",
        done.body
    );

    // Unidentified freight: recorded, listed, closed with a reason.
    let uf = json!({"carrier": "DHL", "tracking": "JD1", "cartons": 2});
    let rec = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/unidentified", &["UK1"], "", Some(uf)).await;
    assert_eq!((rec.status, rec.body["status"].clone()), (201, json!("OPEN")), "{}", rec.body);
    let id = rec.body["id"].as_str().unwrap().to_owned();
    let queue = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/unidentified", &["UK1"], "", None).await;
    assert_eq!(queue.body["items"].as_array().unwrap().len(), 1, "{}", queue.body);
    call(base, uk.bearer(), "POST /api/v1/unidentified/{id}/resolve", &[&id], "", Some(json!({})))
        .await
        .problem(422, "validation");
    let shut = call(
        base,
        uk.bearer(),
        "POST /api/v1/unidentified/{id}/resolve",
        &[&id],
        "",
        Some(json!({"reason": "returned to DHL"})),
    )
    .await;
    assert_eq!(shut.body["status"], "CLOSED", "{}", shut.body);
    let open_only = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/unidentified", &["UK1"], "", None).await;
    assert_eq!(open_only.body["items"].as_array().unwrap().len(), 0);
    let all = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/unidentified", &["UK1"], "all=true", None).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 1);

    assert_check(&db.url);
}

/// Every row of a list walked page by page with `query` and `limit`, following `next_cursor`
/// until it is null.
async fn walk(base: &str, auth: api_common::Auth<'_>, op: &str, query: &str, limit: u32) -> Vec<Value> {
    let (mut rows, mut cursor) = (vec![], None::<String>);
    loop {
        let q = match &cursor {
            Some(c) => format!("{query}&limit={limit}&cursor={c}"),
            None => format!("{query}&limit={limit}"),
        };
        let page = call(base, auth, op, &["UK1"], &q, None).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= limit as usize, "{}", page.body);
        rows.extend(items.iter().cloned());
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return rows,
        }
    }
}

#[each_backend]
async fn location_stock_and_putaway_tasks_page_by_cursor(backend: Backend) {
    let db = TestDb::new(backend).await;
    seed_people(&db.url);
    // Two inbounds partly received (four tasks) besides the 3 ACME-2 received with none.
    let numbers = [acme_inbound(&db.url, "SEA-PAGE-1").await, acme_inbound(&db.url, "SEA-PAGE-2").await];
    let store = entrepot_store::Store::open(&db.url).await.unwrap();
    let acme = store.find_client("Acme").await.unwrap().id;
    for number in &numbers {
        for (sku, qty) in [("ACME-1", 4), ("ACME-2", 2)] {
            let sku = store.resolve_sku(&acme, sku).await.unwrap().id;
            store.receive_inbound(&acme, number, sku, qty).await.unwrap();
        }
    }
    // And a damaged unit of each SKU, so that two locations hold two SKUs each.
    let uk1 = store.warehouse_by_code("UK1").await.unwrap().id;
    for sku in ["ACME-1", "ACME-2"] {
        let sku = store.resolve_sku(&acme, sku).await.unwrap().id;
        let damaged = Transfer::adjustment(Bucket::Unfulfillable, 1).unwrap();
        store.move_stock(&acme, sku, &uk1, damaged, None).await.unwrap();
    }
    store.close().await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, false);
    let base = server.base.as_str();
    let uk = login(base, "uk", PW).await;
    let seller = login(base, "acme-owner", PW).await;

    // Putaway tasks: inbound lines oldest inbound first, then units received with no inbound.
    let op = "GET /api/v1/warehouses/{code}/putaway-tasks";
    let whole = call(base, uk.bearer(), op, &["UK1"], "limit=500", None).await;
    assert_eq!(whole.body["next_cursor"], Value::Null, "{}", whole.body);
    let whole = whole.body["items"].as_array().unwrap().clone();
    let inbounds: Vec<Value> = whole.iter().map(|t| t["inbound"].clone()).collect();
    assert_eq!(
        inbounds,
        [json!(numbers[0]), json!(numbers[0]), json!(numbers[1]), json!(numbers[1]), Value::Null],
        "{whole:?}"
    );
    for limit in [1, 2] {
        assert_eq!(walk(base, uk.bearer(), op, "", limit).await, whole, "pages of {limit}");
    }
    let first = call(base, uk.bearer(), op, &["UK1"], "", None).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 5, "the default page takes them all");
    call(base, uk.bearer(), op, &["UK1"], "cursor=not-a-cursor", None).await.problem(422, "validation");
    call(base, uk.bearer(), op, &["UK1"], "limit=501", None).await.problem(422, "validation");

    // Location stock: in code then SKU order, every row once, for staff and for the seller.
    let op = "GET /api/v1/warehouses/{code}/location-stock";
    let whole = call(base, uk.bearer(), op, &["UK1"], "limit=500", None).await;
    assert_eq!(whole.body["next_cursor"], Value::Null, "{}", whole.body);
    let whole = whole.body["items"].as_array().unwrap().clone();
    assert_eq!(whole.len(), 4, "{whole:?}");
    let keys: Vec<(String, i64)> =
        whole.iter().map(|r| (r["code"].as_str().unwrap().to_owned(), r["sku_id"].as_i64().unwrap())).collect();
    let mut once = keys.clone();
    once.dedup();
    assert_eq!(once, keys, "one row per location and SKU");
    assert!(keys.windows(2).all(|w| w[0].0 <= w[1].0), "in code order: {keys:?}");
    for limit in [1, 2, 3] {
        assert_eq!(walk(base, uk.bearer(), op, "", limit).await, whole, "pages of {limit}");
    }
    let docked: Vec<Value> = whole.iter().filter(|r| r["code"] == "DOCK").cloned().collect();
    assert_eq!(docked.len(), 2, "{whole:?}");
    assert_eq!(walk(base, uk.bearer(), op, "location=dock", 1).await, docked);
    assert_eq!(walk(base, seller.bearer(), op, "location=DOCK", 1).await, docked, "the seller's own");
    assert_eq!(walk(base, uk.bearer(), op, "client=Acme", 2).await, whole, "all Acme's");
    assert_eq!(walk(base, seller.bearer(), op, "", 3).await, whole, "the seller's own");
    call(base, uk.bearer(), op, &["UK1"], "cursor=%21%21", None).await.problem(422, "validation");
    call(base, uk.bearer(), op, &["UK1"], "limit=0", None).await.problem(422, "validation");
}
