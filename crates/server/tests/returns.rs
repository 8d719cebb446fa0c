//! Returns through the real binary, on both backends: a RETURN authorised over Bird without a
//! delivery service on the demo server, received and completed with `entrepot admin return ...`
//! under a rate card the operator set, the outcome read back over Bird, `admin check` clean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::Value;

#[each_backend]
async fn a_return_is_authorised_over_bird_and_processed_with_the_admin_cli(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let key = creds["bird"]["api_key"].as_str().unwrap().to_owned();
    let sku = creds["skus"].as_array().unwrap().iter().find(|s| s["warehouse"] == "UK1").unwrap().clone();
    let (client_ref, product_id) = (sku["client_ref"].as_str().unwrap(), sku["product_id"].to_string());
    let http = reqwest::Client::new();
    let bird = |path: &str, form: &[(&str, &str)]| {
        http.post(format!("{}{path}", server.base)).header("api_key", &key).header("company_id", "1").form(form)
    };
    let json = |r: reqwest::RequestBuilder| async move { r.send().await.unwrap().json::<Value>().await.unwrap() };

    let form = [
        ("type", "RETURN"),
        ("return_consignment_action_type", "CONTAINER"),
        ("contact", "Norman Drury"),
        ("address_line1", "3, Northam Close"),
        ("city", "Southport"),
        ("country_iso", "GB"),
        ("delivery_reference", "RTCLI0001GB"),
    ];
    let r = json(bird("/client/Consignment", &form)).await;
    assert_eq!(r["success"], true, "{backend:?}: {r}");
    let id = r["data"]["id"].as_str().unwrap().to_owned();
    let line = [("consignment_id", id.as_str()), ("product_id", product_id.as_str()), ("quantity", "3")];
    assert_eq!(json(bird("/client/Consignment-Product", &line)).await["success"], true);
    let submit = [("ids", id.as_str()), ("status", "PENDING")];
    assert_eq!(json(bird("/client/Consignment/Batch-Update-Status", &submit)).await["success"], true);

    // The operator prices restocking at 2.00 a return at UK1; Bird's action list shows it.
    admin_ok(&db.url, &["return", "set-rates", "--warehouse", "UK1", "--rate", "restock:2.00:0"]);
    let list = http
        .get(format!("{}/client/return-consignment-action?type=CONTAINER", server.base))
        .header("api_key", &key)
        .header("company_id", "1");
    let list = json(list).await;
    assert_eq!(list["data"][0]["cost"], "2.00", "{backend:?}: {list}");

    let damaged = format!("{client_ref}:1:damaged");
    let good = format!("{client_ref}:2");
    let args =
        ["return", "receive", "--warehouse", "UK1", "--scan", "RTCLI0001GB", "--line", &good, "--line", &damaged];
    let received = admin_ok(&db.url, &args);
    assert_eq!((received["result"].as_str(), received["status"].as_str()), (Some("received"), Some("RECEIVED")));
    let done = admin_ok(&db.url, &["return", "action", "--scan", &id]);
    // 0.20 × 3 received + 2.00 restock.
    assert_eq!(
        (done["status"].as_str(), done["outcome"].as_str(), done["fee"].as_i64()),
        (Some("COMPLETED"), Some("RESTOCK"), Some(260))
    );
    let row = http
        .get(format!("{}/client/Consignment?id={id}", server.base))
        .header("api_key", &key)
        .header("company_id", "1");
    let row = json(row).await;
    let row = &row["data"][0];
    assert_eq!(
        (row["type"].as_str(), row["status"].as_str(), row["return_outcome_type"].as_str()),
        (Some("RETURN"), Some("FINISHED"), Some("CONTAINER")),
        "{backend:?}: {row}"
    );
    assert!(row["return_fee"].as_str().unwrap().starts_with("260 "), "{row}");

    // Freight with no authorisation goes to the unidentified queue.
    let unknown =
        admin_ok(&db.url, &["return", "receive", "--warehouse", "UK1", "--scan", "NO-RMA-9", "--note", "no label"]);
    assert_eq!(unknown["result"], "unidentified", "{unknown}");
    // Beside the demo's own parcel with no paperwork.
    let queue = admin_ok(&db.url, &["return", "unidentified", "--warehouse", "UK1"]);
    let scanned: Vec<&str> = queue.as_array().unwrap().iter().map(|u| u["scanned"].as_str().unwrap()).collect();
    assert_eq!(scanned.len(), 2, "{queue}");
    assert!(scanned.contains(&"NO-RMA-9"), "{queue}");
    let bad = admin(&db.url, &["return", "receive", "--warehouse", "UK1", "--scan", &id, "--line", "x"]);
    assert!(!bad.status.success() && stderr(&bad).contains("expected SKU:QTY"), "{}", stderr(&bad));
    assert_check(&db.url);
    assert!(server.stop().success());
}
