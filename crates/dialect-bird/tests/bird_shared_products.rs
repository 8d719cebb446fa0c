//! Shared products over a real socket on both backends: a client shares a product (with every
//! client through Bird's `company_product-is_shared_internal`, or with one client), and another
//! client orders it with each spelling Bird has (`product_type=DIRECTIONAL` and
//! `is_directional_shared_product=1` on method A, `ClientId#ProductId#D` in method B's
//! `product_company_ref`, and by id in method C). The units are reserved from, released to and
//! shipped out of the owner's stock; the owner's ledger names whose orders took them; the other
//! client never holds stock of it; `admin check` stays clean. Without a share, each spelling is
//! refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::App;
use entrepot_core::{inventory::Bucket, outbound::OutboundStatus, share::ShareWith};
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";

/// A request as the other client (the one the products are shared with), for site 1.
fn as_other(app: &App, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
    app.http.request(method, format!("{}{path}", app.base)).header("api_key", &app.other_key).header("company_id", "1")
}

async fn other_form(app: &App, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    App::send(as_other(app, reqwest::Method::POST, path).form(form)).await
}

async fn other_json(app: &App, path: &str, body: &Value) -> (u16, Value) {
    App::send(as_other(app, reqwest::Method::POST, path).json(body)).await
}

async fn other_get(app: &App, path: &str) -> (u16, Value) {
    App::send(as_other(app, reqwest::Method::GET, path)).await
}

const ADDRESS: [(&str, &str); 6] = [
    ("delivery_service_id", "139"),
    ("contact", "Norman Drury"),
    ("address_line1", "1 High St"),
    ("city", "Leeds"),
    ("post_code", "LS1 1AA"),
    ("country_iso", "GB"),
];

/// Method A as the other client: a consignment with one product line given `spelling`; the
/// line's answer.
async fn method_a(app: &App, product: i64, qty: &str, spelling: (&str, &str)) -> (String, u16, Value) {
    let (s, body) = other_form(app, "/client/Consignment", &ADDRESS).await;
    assert_eq!(s, 200, "{body}");
    let id = body["data"]["id"].as_str().unwrap().to_owned();
    let product = product.to_string();
    let form = [("consignment_id", id.as_str()), ("product_id", &product), ("quantity", qty), spelling];
    let (s, line) = other_form(app, "/client/Consignment-Product", &form).await;
    (id, s, line)
}

/// Method B as the other client: one temporary consignment converted; the task's detail.
async fn method_b(app: &App, thirty: &str, product_company_ref: &str) -> (String, Value) {
    let row = json!({
        "contact": "Bob", "address_line1": "1 High St", "city": "Leeds", "post_code": "LS1 1AA",
        "country_name": "United Kingdom", "product_company_ref": product_company_ref,
        "delivery_service_name": "Royal Mail Tracked 48", "status": "PENDING", "type": "LOCAL", "thirty_system_id": thirty,
    });
    let (s, body) = other_json(app, "/client/Consignment-Upload/Temp-Consignment-Json", &json!([row])).await;
    assert_eq!(s, 200, "{body}");
    let temp = body["data"][thirty].as_str().unwrap().to_owned();
    let (_, task) = other_get(app, "/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=LOCAL").await;
    let mut detail = Value::Null;
    for _ in 0..300 {
        let (_, d) =
            other_get(app, &format!("/client/Gearman-background-tasks/Get-Detail?id={}", task["taskId"])).await;
        if d["status"] == "FINISH" || d["status"] == "ERROR" {
            detail = d;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    (temp, detail)
}

/// The owner's (the seller's) units of `sku` in `bucket`, over every warehouse.
async fn owner_units(app: &App, sku: entrepot_core::ids::SkuId, bucket: Bucket) -> i64 {
    let rows = app.store.stock(&app.client, &[sku], None).await.unwrap();
    rows.iter().map(|r| r.position.get(bucket)).sum()
}

#[each_backend]
async fn another_client_orders_a_shared_product_from_the_owners_stock(b: Backend) {
    let app = App::start(b).await;
    let other = app.store.find_client("Other").await.unwrap().id;
    let (mug, battery) = (app.mug.0, app.battery.0);

    // Not shared yet: every spelling is refused, and nothing moves.
    let (_, s, body) = method_a(&app, mug, "1", ("product_type", "DIRECTIONAL")).await;
    assert_eq!((s, body["message"].clone()), (500, json!(format!("Product with id {mug} does not belong to you."))));
    let (temp, detail) = method_b(&app, "B-0", &format!("{}#{mug}#D*2", app.client.0)).await;
    let refused = detail["errorData"][&temp].as_str().unwrap_or_default();
    assert!(refused.contains("cannot be used by this account"), "{b:?}: {detail}");
    let mut row = common::pending_row("C-0", "IGNORED", 1);
    row["products"] = json!([{"id": battery, "quantity": 1}]);
    let (s, body) = other_json(&app, PENDING, &json!([row.clone()])).await;
    assert_eq!(s, 500, "{b:?}: the battery is not shared yet: {body}");
    assert_eq!(owner_units(&app, app.mug, Bucket::Available).await, 100);
    let (_, q) = other_get(&app, &format!("/client/product/Get-Product-Available-Quantity?ids={mug}|D")).await;
    assert_eq!(q["message"], json!(format!("Product with id {mug} does not belong to you.")), "{q}");

    // The seller creates a product shared with every client through Bird, and shares the mug
    // with Other.
    let form = [
        ("client_ref", "SHARED-1"),
        ("name", "共享杯"),
        ("name_customs", "Shared mug"),
        ("price_customs_export", "5"),
        ("weight", "300"),
        ("company_product-is_shared_internal", "1"),
    ];
    let (s, body) = app.post_form("/client/Product", &form).await;
    assert_eq!((s, body["data"]["is_shared_internal"].clone()), (200, json!("1")), "{body}");
    let shared_id: i64 = body["data"]["id"].as_str().unwrap().parse().unwrap();
    let shared_sku = entrepot_core::ids::SkuId(shared_id);
    let uk = app.store.warehouse_by_code("UK1").await.unwrap();
    let stock = entrepot_core::inventory::Transfer::adjustment(Bucket::Available, 20).unwrap();
    app.store.move_stock(&app.client, shared_sku, &uk.id, stock, None).await.unwrap();
    let (_, listed) = app.get("/client/Product").await;
    let shared: Vec<(Value, Value)> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["client_ref"].clone(), r["is_shared_internal"].clone()))
        .collect();
    assert!(shared.contains(&(json!("SHARED-1"), json!("1"))) && shared.contains(&(json!("IP-XX3355"), json!("0"))));
    app.use_cases.share_sku(&app.client, app.mug, &ShareWith::Client(other.clone())).await.unwrap();
    // The other client sees what it may order from: the owner's stock.
    let (_, q) =
        other_get(&app, &format!("/client/product/Get-Product-Available-Quantity?ids={mug}|D,{shared_id}")).await;
    assert_eq!((q["data"][0]["id"].clone(), q["data"][0]["live_stock"].clone()), (json!(mug), json!(100)), "{q}");
    assert_eq!(q["data"][1]["live_stock"], 20, "{q}");

    // Method A, `product_type=DIRECTIONAL`: the line says it is a directional shared product.
    let (a1, s, line) = method_a(&app, mug, "2", ("product_type", "DIRECTIONAL")).await;
    assert_eq!(s, 200, "{b:?}: {line}");
    assert_eq!(
        (line["data"]["product_type"].clone(), line["data"]["is_directional_shared_product"].clone()),
        (json!("DIRECTIONAL"), json!("1"))
    );
    assert_eq!(line["data"]["product_client_ref"], "IP-XX3355");
    let (s, body) =
        other_form(&app, "/client/Consignment/Batch-Update-Status", &[("ids", &a1), ("status", "PENDING")]).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    // Method A, `is_directional_shared_product=1`.
    let (a2, s, line) = method_a(&app, mug, "3", ("is_directional_shared_product", "1")).await;
    assert_eq!(s, 200, "{b:?}: {line}");
    let (s, body) =
        other_form(&app, "/client/Consignment/Batch-Update-Status", &[("ids", &a2), ("status", "PENDING")]).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let (_, lines) = other_get(&app, &format!("/client/Consignment-Product?consignment_id={a2}")).await;
    assert_eq!(
        (lines["data"][0]["quantity"].clone(), lines["data"][0]["product_type"].clone()),
        (json!("3"), json!("DIRECTIONAL")),
        "{lines}"
    );
    let (_, s, bad) = method_a(&app, mug, "1", ("product_type", "SIDEWAYS")).await;
    assert_eq!((s, bad["message"].clone()), (500, json!("product_type must be NORMAL or DIRECTIONAL, not SIDEWAYS")));
    // Method B, `ClientId#ProductId#D` (the owner by Entrepot's id, as product rows show it), and
    // Bird's numeric owner spelling `ClientId#ProductId`.
    let (temp, detail) = method_b(&app, "B-1", &format!("{}#{mug}#D*4", app.client.0)).await;
    let b1 = detail["data"][&temp].as_str().unwrap_or_else(|| panic!("{b:?}: {detail}")).to_owned();
    let (temp, detail) = method_b(&app, "B-2", &format!("1#{mug}*1")).await;
    assert!(detail["data"][&temp].is_string(), "{b:?}: {detail}");
    // An owner named wrongly is refused.
    let (temp, detail) = method_b(&app, "B-3", &format!("{}#{mug}#D*1", other.0)).await;
    assert!(detail["errorData"][&temp].as_str().unwrap_or_default().contains("cannot be used"), "{detail}");
    // Method C, by id: the product shared with everyone.
    row["products"] = json!([{"id": shared_id, "quantity": 1}]);
    let (s, body) = other_json(&app, PENDING, &json!([row])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let c1 = body["data"][0]["id"].as_str().unwrap().to_owned();

    // Reserved from the owner's stock: 2 + 3 + 4 + 1 mugs and one battery; Other holds none.
    assert_eq!(owner_units(&app, app.mug, Bucket::ReservedAllocated).await, 10);
    assert_eq!(owner_units(&app, app.mug, Bucket::Available).await, 90);
    assert_eq!(owner_units(&app, shared_sku, Bucket::ReservedAllocated).await, 1);
    assert!(app.store.stock(&other, &[app.mug, shared_sku], None).await.unwrap().is_empty());
    // The owner's ledger says whose orders took them.
    let moves = app.store.movements(&app.client, &[app.mug], 0, i64::MAX).await.unwrap();
    let for_other: i64 = moves.iter().filter(|m| m.for_client.as_ref() == Some(&other)).map(|m| m.qty).sum();
    assert_eq!(for_other, 10, "{b:?}: {moves:?}");
    // The other client's orders read back with their products.
    let (_, found) = other_get(&app, &format!("/client/Consignment?id={b1}")).await;
    assert_eq!(found["data"][0]["status"], "PENDING", "{found}");
    app.assert_books_balance().await;

    // A cancel gives the units back to the owner; a shipped order takes them out of its stock.
    let (s, body) =
        other_form(&app, "/client/Consignment/Batch-Update-Status", &[("ids", &a1), ("status", "CANCELLED")]).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(owner_units(&app, app.mug, Bucket::Available).await, 92);
    let order = app.store.find_order(&other, &a2).await.unwrap();
    for to in [OutboundStatus::WaitPicking, OutboundStatus::Picking, OutboundStatus::Packed, OutboundStatus::Shipped] {
        app.store.transition_order(&other, &order.id, to).await.unwrap();
    }
    assert_eq!(owner_units(&app, app.mug, Bucket::ReservedAllocated).await, 5);
    // Bird's stock transactions show the owner the units that left on Other's order.
    let (_, tx) = app.get(&format!("/client/Container-Product-Transaction?product_id={mug}")).await;
    let notes: Vec<&str> = tx["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["note"].as_str().filter(|_| r["quantity"] == "-3"))
        .collect();
    assert!(notes.iter().any(|n| n.ends_with(&format!("for client {}", other.0))), "{tx}");
    let order = app.store.find_order(&other, &c1).await.unwrap();
    assert_eq!(order.owners.get(&shared_sku), Some(&app.client));
    app.assert_books_balance().await;

    // The share ended: no new orders of it; the ones placed keep their lines.
    assert!(app.use_cases.unshare_sku(&app.client, app.mug, &ShareWith::Client(other.clone())).await.unwrap());
    let (_, s, body) = method_a(&app, mug, "1", ("product_type", "DIRECTIONAL")).await;
    assert_eq!(s, 500, "{body}");
    let (_, lines) = other_get(&app, &format!("/client/Consignment-Product?consignment_id={a2}")).await;
    assert_eq!(lines["data"][0]["product_id"], mug.to_string(), "{lines}");
    app.assert_books_balance().await;
}
