//! Returns over the native API on the real binary, both backends: a RETURN authorised over Bird,
//! received and actioned by UK1 staff through `/api/v1`, under a rate card the operator set
//! through it; the fee and the Bird row right after; unidentified freight queued and matched;
//! `admin check` clean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{call, login, PW};
use common::*;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

#[each_backend]
async fn a_bird_return_is_received_and_actioned_over_the_api(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    for args in [
        &["--username", "op", "--role", "operator"][..],
        &["--username", "uk", "--role", "staff", "--warehouse", "UK1"],
        &["--username", "seller", "--role", "seller", "--client", "Demo Seller Ltd", "--owner"],
    ] {
        let mut all = vec!["user", "create", "--password", PW];
        all.extend_from_slice(args);
        admin_ok(&db.url, &all);
    }
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let key = creds["bird"]["api_key"].as_str().unwrap().to_owned();
    let sku = creds["skus"].as_array().unwrap().iter().find(|s| s["warehouse"] == "UK1").unwrap().clone();
    let (client_ref, product_id) = (sku["client_ref"].as_str().unwrap().to_owned(), sku["product_id"].to_string());
    let http = reqwest::Client::new();
    let bird = |path: &str, form: &[(&str, &str)]| {
        http.post(format!("{}{path}", server.base)).header("api_key", &key).header("company_id", "1").form(form)
    };
    let json_of = |r: reqwest::RequestBuilder| async move { r.send().await.unwrap().json::<Value>().await.unwrap() };
    let mut ids = vec![];
    for tracking in ["RTAPI0001GB", "RTAPI0002GB"] {
        let form = [
            ("type", "RETURN"),
            ("return_consignment_action_type", "CONTAINER"),
            ("contact", "Norman Drury"),
            ("address_line1", "3, Northam Close"),
            ("city", "Southport"),
            ("country_iso", "GB"),
            ("delivery_reference", tracking),
        ];
        let r = json_of(bird("/client/Consignment", &form)).await;
        assert_eq!(r["success"], true, "{backend:?}: {r}");
        let id = r["data"]["id"].as_str().unwrap().to_owned();
        let line = [("consignment_id", id.as_str()), ("product_id", product_id.as_str()), ("quantity", "3")];
        assert_eq!(json_of(bird("/client/Consignment-Product", &line)).await["success"], true);
        let submit = [("ids", id.as_str()), ("status", "PENDING")];
        assert_eq!(json_of(bird("/client/Consignment/Batch-Update-Status", &submit)).await["success"], true);
        ids.push(id);
    }
    let base = server.base.as_str();
    let op = login(base, "op", PW).await;
    let uk = login(base, "uk", PW).await;
    let seller = login(base, "seller", PW).await;

    // The operator prices restocking at 2.00 a return at UK1; plain staff may not, but read it.
    let card = json!({"receive_per_unit": 20, "actions": [{"action": "RESTOCK", "per_return": 200, "per_unit": 0}]});
    let set =
        call(base, op.bearer(), "PUT /api/v1/warehouses/{code}/return-rates", &["UK1"], "", Some(card.clone())).await;
    assert_eq!(set.status, 200, "{backend:?}: {}", set.body);
    call(base, uk.bearer(), "PUT /api/v1/warehouses/{code}/return-rates", &["UK1"], "", Some(card))
        .await
        .problem(403, "forbidden");
    let read = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/return-rates", &["UK1"], "", None).await;
    assert_eq!(
        read.body["actions"][0],
        json!({"action": "RESTOCK", "per_return": 200, "per_unit": 0}),
        "{}",
        read.body
    );
    let seen = call(base, seller.cookie(), "GET /api/v1/warehouses/{code}/return-rates", &["UK1"], "", None).await;
    assert_eq!(seen.status, 200, "{}", seen.body);

    // Staff scan the buyer's tracking number and count 2 good, 1 damaged.
    let receipt = json!({"scan": "RTAPI0001GB", "lines": [
        {"sku": client_ref, "condition": "good", "qty": 2},
        {"sku": client_ref, "condition": "damaged", "qty": 1}]});
    let got =
        call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/returns/receipts", &["UK1"], "", Some(receipt)).await;
    assert_eq!(got.status, 200, "{backend:?}: {}", got.body);
    assert_eq!(
        (got.body["result"].as_str(), got.body["return"]["status"].as_str()),
        (Some("received"), Some("RECEIVED"))
    );
    assert_eq!(got.body["return"]["lines"][0]["good"], 2);
    let mine = call(base, seller.bearer(), "GET /api/v1/returns/{id}", &[&ids[0]], "", None).await;
    assert_eq!((mine.status, mine.body["requested"].as_str()), (200, Some("RESTOCK")), "{}", mine.body);
    call(base, seller.bearer(), "POST /api/v1/returns/{id}/action", &[&ids[0]], "", Some(json!({})))
        .await
        .problem(403, "forbidden");

    // The seller's requested action: 0.20 × 3 received + 2.00 restock.
    let done =
        call(base, uk.bearer(), "POST /api/v1/returns/{id}/action", &[&ids[0]], "", Some(json!({"notes": "ok"}))).await;
    assert_eq!(done.status, 200, "{backend:?}: {}", done.body);
    assert_eq!(
        (done.body["status"].as_str(), done.body["outcome"].as_str(), done.body["fee"].as_i64()),
        (Some("COMPLETED"), Some("RESTOCK"), Some(260)),
        "{}",
        done.body
    );
    let again = call(base, uk.bearer(), "POST /api/v1/returns/{id}/action", &[&ids[0]], "", Some(json!({}))).await;
    again.problem(409, "conflict");
    let row = http
        .get(format!("{}/client/Consignment?id={}", server.base, ids[0]))
        .header("api_key", &key)
        .header("company_id", "1");
    let row = json_of(row).await;
    let row = &row["data"][0];
    assert_eq!(
        (row["status"].as_str(), row["return_outcome_type"].as_str()),
        (Some("FINISHED"), Some("CONTAINER")),
        "{backend:?}: {row}"
    );
    assert!(row["return_fee"].as_str().unwrap().starts_with("260 "), "{row}");

    // Freight without an authorisation is queued, then matched to the second return.
    let unknown = json!({"scan": "NO-RMA-9", "note": "no label"});
    let q =
        call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/returns/receipts", &["UK1"], "", Some(unknown)).await;
    assert_eq!(q.body["result"], "unidentified", "{}", q.body);
    // The demo's own parcel with no paperwork waits there too.
    let list = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/returns/unidentified", &["UK1"], "", None).await;
    let items = list.body["items"].as_array().unwrap();
    let ours: Vec<&Value> = items.iter().filter(|u| u["scanned"] == "NO-RMA-9").collect();
    assert_eq!((items.len(), ours.len()), (2, 1), "{}", list.body);
    let uid = ours[0]["id"].as_str().unwrap().to_owned();
    call(base, seller.bearer(), "GET /api/v1/warehouses/{code}/returns/unidentified", &["UK1"], "", None)
        .await
        .problem(403, "forbidden");
    let matched = call(
        base,
        uk.bearer(),
        "POST /api/v1/returns/unidentified/{id}/match",
        &[&uid],
        "",
        Some(json!({"scan": "RTAPI0002GB"})),
    )
    .await;
    assert_eq!(matched.status, 200, "{backend:?}: {}", matched.body);
    assert!(matched.body["matched_order_id"].is_string(), "{}", matched.body);
    assert_check(&db.url);
    assert!(server.stop().success());
}
