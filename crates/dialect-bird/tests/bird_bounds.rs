//! Issue 16: quantities, weights, dimensions, prices and counts are bounded at the door, over a
//! real socket on both backends. The reported case: an AGENT_DIRECT order with quantity
//! 6148914691236483869 and weight 0 wrapped its handling fee to −10,000.00, was accepted from a
//! 0.00 balance, and broke `admin check`. Every refusal names the field (and the row of a batch).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{pending_row, App};
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";
const HUGE: i64 = 6_148_914_691_236_483_869;

fn agent_row(identity: &str, qty: Value, weight: &str) -> Value {
    json!({
        "type": "AGENT_DIRECT", "delivery_service_id": "139", "custom_identity_reference": identity,
        "contact": "Norman Drury", "address_line1": "3, Northam Close", "city": "Southport", "post_code": "PR9 9GA",
        "country_iso": "GB",
        "products": [{"product_name": "Cup", "client_ref": format!("AD-{identity}"), "sales_price": "9.99",
                      "weight": weight, "quantity": qty, "attachment-url": "https://img.example/cup.png"}],
    })
}

async fn order_count(app: &App) -> i64 {
    app.store.list_orders(&app.client, &Default::default()).await.unwrap().1
}

fn refused(status: u16, body: &Value, needle: &str) {
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["success"], false, "{body}");
    let m = body["message"].as_str().unwrap_or_default();
    assert!(m.contains(needle), "expected {needle:?} in {m:?}");
    assert!(!m.contains("Internal error"), "{m}");
}

#[each_backend]
async fn the_reported_agent_direct_order_is_refused_naming_field_and_row(b: Backend) {
    let app = App::start(b).await;
    let before = order_count(&app).await;
    // One row: the bare message; two rows: the row is named.
    let (s, body) = app.post_json(PENDING, &json!([agent_row("AD-1", json!(HUGE), "0")])).await;
    refused(s, &body, "products[0].quantity: must be between 1 and 1000000, got 6148914691236483869");
    let rows = json!([agent_row("AD-2", json!(1), "0.1"), agent_row("AD-3", json!(HUGE.to_string()), "0")]);
    let (s, body) = app.post_json(PENDING, &rows).await;
    refused(s, &body, "Row 2: products[0].quantity: must be between 1 and 1000000");
    // The same through the string form and its row quantity multiplier.
    let mut row = agent_row("AD-4", json!(1), "0");
    row.as_object_mut().unwrap().remove("products");
    row["product_company_ref"] = json!(format!("Cup##杯子##AD-4||1||0||普货||https://img.example/c.png||1*{HUGE}"));
    let (s, body) = app.post_json(PENDING, &json!([row])).await;
    assert_eq!(s, 500, "{b:?}: {body}");
    // Weights and prices past their bounds.
    let (s, body) = app.post_json(PENDING, &json!([agent_row("AD-5", json!(1), "9999999999")])).await;
    refused(s, &body, "products[0].weight: must be between 0 and 1000000");
    let mut row = agent_row("AD-6", json!(1), "1");
    row["products"][0]["price_customs_export"] = json!("99999999999999");
    let (s, body) = app.post_json(PENDING, &json!([row])).await;
    refused(s, &body, "products[0].price_customs_export: must be between 0 and 100000000000");
    assert_eq!(order_count(&app).await, before, "{b:?}: nothing was placed");
    app.assert_books_balance().await;
}

#[each_backend]
async fn stock_orders_lines_and_products_are_bounded(b: Backend) {
    let app = App::start(b).await;
    let before = order_count(&app).await;
    // Form 1: a line quantity, and too many lines.
    let (s, body) = app.post_json(PENDING, &json!([pending_row("B-1", "IP-XX3355", HUGE)])).await;
    refused(s, &body, "products[0].quantity: must be between 1 and 1000000");
    let mut row = pending_row("B-2", "IP-XX3355", 1);
    row["products"] = Value::Array(vec![json!({"client_sku": "IP-XX3355", "quantity": 1}); 1001]);
    let (s, body) = app.post_json(PENDING, &json!([row])).await;
    refused(s, &body, "products: must have at most 1000 entries");
    // Method A: a line added to a draft.
    let draft = [
        ("delivery_service_id", "139"),
        ("contact", "Ann"),
        ("address_line1", "1 High St"),
        ("city", "Leeds"),
        ("post_code", "LS1 1AA"),
        ("country_iso", "GB"),
    ];
    let (s, draft) = app.post_form("/client/Consignment", &draft).await;
    assert_eq!(s, 200, "{draft}");
    let cid = draft["data"]["id"].as_str().unwrap().to_owned();
    let mug = app.mug.0.to_string();
    let form = [("consignment_id", cid.as_str()), ("product_id", &mug), ("quantity", "9223372036854775807")];
    let (s, body) = app.post_form("/client/Consignment-Product", &form).await;
    refused(s, &body, "quantity: must be between 1 and 1000000");
    // A product's weight and size.
    let product = json!({"client_ref": "BIG-1", "name": "Big", "weight": "9223372036854775807"});
    let (s, body) = app.post_json("/client/Product", &product).await;
    refused(s, &body, "weight: must be between 0 and 1000000");
    let product = json!({"client_ref": "BIG-2", "name": "Big", "weight": "10", "length": "-5"});
    let (s, body) = app.post_json("/client/Product", &product).await;
    assert_eq!(s, 500, "{body}");
    let product = json!({"client_ref": "BIG-3", "name": "Big", "weight": "10", "depth": "100000000"});
    let (s, body) = app.post_json("/client/Product", &product).await;
    refused(s, &body, "depth: must be between 0 and 10000");
    // CLIENT_DIRECT packages.
    let row = json!({
        "delivery_service_id": "139", "custom_identity_reference": "B-4", "contact": "Ann",
        "address_line1": "1 High St", "city": "Leeds", "post_code": "LS1 1AA", "country_iso": "GB",
        "packages": [{"length": 10, "width": 10, "depth": "99999", "weight": 1}],
    });
    let (s, body) = app.post_json(&format!("{PENDING}?type=client_direct"), &json!([row])).await;
    refused(s, &body, "packages[0].depth: must be between 1 and 10000");
    assert_eq!(order_count(&app).await, before + 1, "{b:?}: only the draft");
    app.assert_books_balance().await;
}
