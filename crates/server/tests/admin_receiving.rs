//! Receiving through the admin CLI, the real binary on both backends: dock slots, booking the
//! earliest free one, check-in, scans (replayed once, wrong ones refused saying what was
//! expected), closing with discrepancies, and the unidentified-freight queue; `admin check` clean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{admin, admin_ok, assert_check, seed_with_cli, stderr};
use entrepot_core::inbound::ShippingMode;
use entrepot_store::{NewInbound, Store};
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::json;

#[each_backend]
async fn appointments_scans_close_and_unidentified_through_the_cli(backend: Backend) {
    let test_db = TestDb::new(backend).await;
    let db = test_db.url.as_str();
    seed_with_cli(db, 5);
    let store = Store::open(db).await.unwrap();
    let client = store.find_client("Acme").await.unwrap().id;
    let sku = store.resolve_sku(&client, "ACME-1").await.unwrap();
    let uk = store.warehouse_by_code("UK1").await.unwrap().id;
    let new = NewInbound {
        warehouse_id: uk,
        reference: "SEA-9".into(),
        mode: ShippingMode::Sea,
        lines: vec![(sku.id, 10)],
        need_clearance_doc: false,
        details: json!({}),
    };
    let number = store.create_inbound(&client, new).await.unwrap().inbound.number;
    store.close().await;

    let slots = admin_ok(
        db,
        &["appointment", "slots", "--warehouse", "UK1", "--from", "2030-01-02", "--hours", "08-10", "--capacity", "1"],
    );
    assert_eq!(slots.as_array().unwrap().len(), 2, "{backend:?}: {slots}");
    let listed = admin_ok(db, &["appointment", "list", "--warehouse", "UK1", "--from", "2030-01-02"]);
    assert_eq!(listed, slots, "{backend:?}");
    let booked = admin_ok(db, &["appointment", "book", "--client", "Acme", "--inbound", "SEA-9"]);
    assert_eq!((booked["status"].clone(), booked["slot"]["id"].clone()), (json!("BOOKED"), slots[0]["id"].clone()));
    let arrived = admin_ok(db, &["appointment", "arrive", "--inbound", &number]);
    assert_eq!(arrived["inbound"]["status"], "Arrived", "{backend:?}");

    let open = admin_ok(db, &["receive", "open", "--code", &format!("{number}-001")]);
    assert_eq!(open["lines"][0]["expected"], 10, "{backend:?}");
    let scan = |extra: &[&str]| {
        let mut args = vec!["receive", "scan", "--inbound", &number, "--code", &sku.mfskuid];
        args.extend(extra);
        admin_ok(db, &args)
    };
    assert_eq!(scan(&["--qty", "7", "--scan-id", "h1-0001"])["replayed"], false);
    let again = scan(&["--qty", "7", "--scan-id", "h1-0001"]);
    assert_eq!((again["replayed"].clone(), again["lines"][0]["received"].clone()), (json!(true), json!(7)));
    assert_eq!(scan(&["--damaged"])["lines"][0]["damaged"], 1, "{backend:?}");
    let out = admin(db, &["receive", "scan", "--inbound", &number, "--code", "NOT-A-LABEL"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!("expected a SKU of inbound {number}: {}; got 'NOT-A-LABEL'", sku.mfskuid)),
        "{backend:?}: {err}"
    );
    let closed = admin_ok(db, &["receive", "close", "--inbound", &number]);
    let found: Vec<_> = closed["discrepancies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["kind"].clone(), d["quantity"].clone()))
        .collect();
    assert_eq!(found, vec![(json!("damaged"), json!(1)), (json!("short"), json!(2))], "{backend:?}");

    let uf = admin_ok(
        db,
        &["unidentified", "record", "--warehouse", "UK1", "--carrier", "DHL", "--tracking", "JD1", "--cartons", "2"],
    );
    let id = uf["id"].as_str().unwrap().to_owned();
    assert_eq!(admin_ok(db, &["unidentified", "list"]).as_array().unwrap().len(), 1);
    let done = admin_ok(db, &["unidentified", "resolve", &id, "--close", "returned to DHL"]);
    assert_eq!(done["status"], "CLOSED", "{backend:?}");
    assert_eq!(admin_ok(db, &["unidentified", "list"]), json!([]), "{backend:?}");
    assert_check(db);
}
