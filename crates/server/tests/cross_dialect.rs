//! One client, both doors, against the real `entrepot` binary: a SKU an ERP creates through
//! OrangeConnex (approved by staff with `entrepot admin`) is sold through BirdSystem, and what
//! each door, the operator's view, the webhook and `admin check` say about that order agree.
//! Each backend is a test case of its own; `ENTREPOT_TEST_BACKENDS=sqlite` (or `postgres`) skips
//! the other.
//!
//! Bird has no balance endpoint: the balance is compared through the fee each door shows for the
//! order (Bird's `total_price`, OC's `feeAmount`) against what `admin balance show` holds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{routing::post, Router};
use common::{admin_ok, assert_check, create_acme_erp_app, seed_with_cli, Server};
use entrepot_client::OcClient;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

const CALLBACK: &str = "https://erp.example.com/oc/callback";

#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn an_oc_sku_sold_through_bird_agrees_everywhere(backend: Backend) {
    scenario(backend).await;
}

/// A loopback webhook receiver: every body POSTed to it, in order.
async fn receiver() -> (Arc<Mutex<Vec<Value>>>, u16) {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let seen = got.clone();
    let app = Router::new().fallback(post(move |body: String| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push(serde_json::from_str(&body).unwrap_or(Value::String(body)));
            "ok"
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (got, port)
}

/// The seller's Bird session: its api key on site 1 (UK1).
struct Bird {
    http: reqwest::Client,
    base: String,
    key: String,
}

impl Bird {
    async fn get(&self, path: &str) -> Value {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("api_key", &self.key)
            .header("company_id", "1")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Value {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("api_key", &self.key)
            .header("company_id", "1")
            .form(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "POST {path}");
        r.json().await.unwrap()
    }

    async fn post_json(&self, path: &str, body: &Value) -> Value {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("api_key", &self.key)
            .header("company_id", "1")
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body: Value = r.json().await.unwrap();
        assert_eq!(status, 200, "POST {path}: {body}");
        body
    }
}

/// A decimal amount as minor units (two places): `"4.45"` and `4.45` are 445, `3.0` is 300.
fn minor(v: &Value) -> i64 {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let (units, cents) = text.split_once('.').unwrap_or((&text, "0"));
    let cents = format!("{cents:0<2}");
    units.parse::<i64>().unwrap() * 100 + cents[..2].parse::<i64>().unwrap()
}

/// OC's inventory snapshot row of `mfskuid` in the UK region.
async fn snapshot(oc: &OcClient, mfskuid: &str) -> Value {
    let snap = oc.call("/openapi/3pp/inventory/v2/snapshot", json!({"skuList": [{"mfSkuId": mfskuid}]})).await.unwrap();
    snap["SKUList"].as_array().unwrap().iter().find(|r| r["serviceRegion"] == "UK").cloned().unwrap()
}

/// A one-hour window either side of now, in OC's time format.
fn window() -> (String, String) {
    let now = jiff::Timestamp::now();
    let f = |t: jiff::Timestamp| t.strftime("%Y-%m-%dT%H:%M:%S+0000").to_string();
    (f(now - jiff::SignedDuration::from_hours(1)), f(now + jiff::SignedDuration::from_hours(1)))
}

async fn scenario(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    let data = tempfile::tempdir().unwrap();
    // Operator, UK1 (Bird site 1, OC region UK), a service, client Acme with 1,000.00 GBP.
    seed_with_cli(url, 1);
    let key = admin_ok(url, &["api-key", "create", "--client", "Acme"])["api_key"].as_str().unwrap().to_owned();
    admin_ok(
        url,
        &["user", "create", "--client", "Acme", "--username", "ann@acme.example", "--password", "s3cret-pass"],
    );
    let app = create_acme_erp_app(url, CALLBACK);
    let (hooks, port) = receiver().await;
    let env = [("ENTREPOT_WEBHOOK_ALLOW_NETWORKS", "127.0.0.0/8")];
    let server = Server::start_with(data.path(), url, false, &env);
    let bird = Bird { http: reqwest::Client::new(), base: server.base.clone(), key };
    let oc = OcClient::new(&server.base, app["client_key"].as_str().unwrap(), app["secret_key"].as_str().unwrap());
    let code = oc.login_for_code(CALLBACK, "erp-user-1", "ann@acme.example", "s3cret-pass").await.unwrap();
    oc.exchange_code(&code, CALLBACK).await.unwrap();

    // One webhook endpoint, registered once through Bird, for the order's booking.
    let hook_url = format!("http://127.0.0.1:{port}/hook");
    let form = [("url", hook_url.as_str()), ("resource_type", "CONSIGNMENT"), ("action", "GET_DELIVERY_REFERENCE")];
    let r = bird.post_form("/client/Webhook", &form).await;
    assert_eq!(r["success"], true, "{backend:?}: webhook registered through Bird: {r}");

    // The SKU is created through OC and approved by staff.
    let created = oc
        .call(
            "/openapi/3pp/sku/v3/creation",
            json!([{"referenceSKUID": "X-MUG", "SKUNameList": [{"SKUName": "Mug", "languageCode": "en-US"}],
                    "withBattery": false, "serviceRegionList": [{"serviceRegion": "UK", "withBrand": "WOB"}]}]),
        )
        .await
        .unwrap();
    let mfskuid = created[0]["MFSKUID"].as_str().unwrap().to_owned();
    admin_ok(url, &["sku", "submit", "--client", "Acme", "--sku", &mfskuid]);
    let approved = admin_ok(url, &["sku", "approve", "--client", "Acme", "--sku", &mfskuid]);
    assert_eq!(approved["status"], "Approved", "{backend:?}: staff approval");

    // Bird knows it by the OC reference (its client_ref), with OC's id as company_ref.
    let products = bird.get("/client/Product?client_ref=X-MUG").await;
    let product = products["data"][0].clone();
    assert_eq!(products["total"], 1, "{backend:?}: Bird lists the OC-created SKU once: {products}");
    assert_eq!(
        (product["company_ref"].as_str(), product["status"].as_str()),
        (Some(mfskuid.as_str()), Some("ACTIVE")),
        "{backend:?}: Bird shows OC's MFSKUID and the approval: {product}"
    );
    let product_id = product["id"].as_str().unwrap().to_owned();

    // Stock is received and put away; both doors see it.
    for step in ["receive", "put-away"] {
        admin_ok(url, &["stock", step, "--client", "Acme", "--warehouse", "UK1", "--sku", "X-MUG", "--qty", "10"]);
    }
    assert_eq!(snapshot(&oc, &mfskuid).await["available"], 10, "{backend:?}: OC snapshot after put-away");
    let q = bird.get(&format!("/client/product/Get-Product-Available-Quantity?ids={product_id}")).await;
    assert_eq!(q["data"][0]["live_stock"].to_string(), "10", "{backend:?}: Bird available after put-away: {q}");
    let before = admin_ok(url, &["balance", "show", "--client", "Acme"])["balances"][0].clone();

    // The order is placed through Bird, naming the SKU by its client_sku.
    let order = json!([{
        "delivery_service_id": "139", "contact": "Ann Smith", "address_line1": "1 High Street", "city": "Leeds",
        "post_code": "LS1 1AA", "country_iso": "GB", "type": "LOCAL", "sales_reference": "CROSS-1",
        "products": [{"client_sku": "X-MUG", "quantity": 3}],
    }]);
    let placed = bird.post_json("/client/Consignment/Post-Pending-Consignment-With-Products-Json", &order).await;
    assert_eq!(placed["success"], true, "{backend:?}: Bird takes the order: {placed}");
    let consignment = placed["data"][0].clone();
    let consignment_id = consignment["id"].as_str().map(str::to_owned).unwrap_or_else(|| consignment["id"].to_string());
    let bird_fee = minor(&consignment["total_price"]);
    assert!(bird_fee > 0, "{backend:?}: Bird shows a fee: {consignment}");

    // OC's snapshot shows the three units reserved; its movements name the order.
    let row = snapshot(&oc, &mfskuid).await;
    assert_eq!(
        (row["available"].as_i64(), row["reservedAllocated"].as_i64()),
        (Some(7), Some(3)),
        "{backend:?}: OC snapshot reserves the Bird order's units: {row}"
    );
    // Bird's live stock counts what is reserved too (its ERPs take available as live - locked).
    let q = bird.get(&format!("/client/product/Get-Product-Available-Quantity?ids={product_id}")).await;
    let (live, locked) =
        (q["data"][0]["live_stock"].as_i64().unwrap(), q["data"][0]["current_locked_stock"].as_i64().unwrap());
    assert_eq!(
        (row["available"].as_i64(), row["reservedAllocated"].as_i64()),
        (Some(live - locked), Some(locked)),
        "{backend:?}: Bird's live - locked and locked stock match OC's snapshot: {q}"
    );
    let (start, end) = window();
    let moves = oc
        .call(
            "/openapi/3pp/inventory/v1/movement",
            json!({"startTime": start, "endTime": end, "mfSkuList": [{"mfSkuId": mfskuid}]}),
        )
        .await
        .unwrap();
    let mut numbers: Vec<String> = vec![];
    collect_order_numbers(&moves, &mut numbers);
    numbers.sort();
    numbers.dedup();
    numbers.retain(|n| n.starts_with("OCO"));
    assert_eq!(numbers.len(), 1, "{backend:?}: OC movements name one outbound order (the reservation): {moves}");
    let number = numbers.remove(0);

    // OC's outbound query finds the Bird order, by its number and by time.
    let by_number =
        oc.call("/openapi/3pp/outbound/v2/query", json!({"orderNumberList": [{"orderNumber": number}]})).await.unwrap();
    let by_time = oc.call("/openapi/3pp/outbound/v2/query", json!({"startTime": start, "endTime": end})).await.unwrap();
    assert_eq!(by_time.as_array().map(Vec::len), Some(1), "{backend:?}: OC's slot query lists the order: {by_time}");
    assert_eq!(by_time[0]["orderNumber"], by_number[0]["orderNumber"], "{backend:?}: both OC queries, one order");
    let oc_row = by_number[0].clone();
    assert_eq!(oc_row["orderStatus"], "Accepted", "{backend:?}: OC status of a submitted Bird order: {oc_row}");
    let line = &oc_row["trackingNumberList"][0]["SKUList"][0];
    assert_eq!(
        (line["MFSKUID"].as_str(), line["SKUQuantity"].to_string().trim_matches('"')),
        (Some(mfskuid.as_str()), "3"),
        "{backend:?}: OC shows the Bird line by MFSKUID: {oc_row}"
    );
    let oc_fee = minor(&oc_row["trackingNumberList"][0]["feeAmount"]);
    assert_eq!(oc_fee, bird_fee, "{backend:?}: OC's feeAmount equals Bird's total_price");

    // The operator's balance holds exactly that fee.
    let after = admin_ok(url, &["balance", "show", "--client", "Acme"])["balances"][0].clone();
    assert_eq!(
        (minor(&before["available"]) - minor(&after["available"]), minor(&after["held"]) - minor(&before["held"])),
        (bird_fee, bird_fee),
        "{backend:?}: admin balance holds the fee both doors show: {before} -> {after}"
    );

    // The booker books it: Bird's consignment, OC's query and the webhook give one tracking number.
    let mut tracking = String::new();
    for _ in 0..300 {
        let rows = oc
            .call("/openapi/3pp/outbound/v2/query", json!({"orderNumberList": [{"orderNumber": number}]}))
            .await
            .unwrap();
        tracking = rows[0]["trackingNumberList"][0]["trackingNumber"].as_str().unwrap_or_default().to_owned();
        if !tracking.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!tracking.is_empty(), "{backend:?}: the booker gave the order a tracking number");
    let listed = bird.get(&format!("/client/Consignment?id={consignment_id}")).await;
    assert_eq!(
        listed["data"][0]["delivery_reference"].as_str(),
        Some(tracking.as_str()),
        "{backend:?}: Bird's consignment has OC's tracking number: {listed}"
    );
    let mut messages = vec![];
    for _ in 0..300 {
        messages = hooks.lock().unwrap().clone();
        if !messages.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Anything sent twice would have arrived by now too.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let messages = hooks.lock().unwrap().clone();
    assert_eq!(messages.len(), 1, "{backend:?}: the endpoint receives the order event once: {messages:?}");
    let m = &messages[0];
    assert_eq!(
        (m["resource_type"].as_str(), m["action"].as_str()),
        (Some("CONSIGNMENT"), Some("GET_DELIVERY_REFERENCE")),
        "{backend:?}: the webhook's topic: {m}"
    );
    assert_eq!(
        (m["data"]["id"].to_string().trim_matches('"'), m["data"]["delivery_reference"].as_str()),
        (consignment_id.as_str(), Some(tracking.as_str())),
        "{backend:?}: the webhook names the Bird consignment and OC's tracking number: {m}"
    );

    // The ledgers add up.
    assert_check(url);
    assert!(server.stop().success(), "{backend:?}: graceful shutdown");
}

/// Every non-empty `orderNumber` anywhere in `v`.
fn collect_order_numbers(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v.as_str()) {
                    ("orderNumber", Some(n)) if !n.is_empty() => out.push(n.to_owned()),
                    _ => collect_order_numbers(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_order_numbers(v, out)),
        _ => {}
    }
}

/// A line's eBay ids cross the doors both ways (issue 21): sent with a Bird product object, they
/// are in OC's query `SKUList` (`eBayItemId`, `eBayTransactionId`); sent in OC's `productList`,
/// they are in Bird's consignment-product rows (`ebay_item_no`, `ebay_transaction_id`). The sales
/// price stays Bird's: OC's outbound order has no such field.
#[each_backend(flavor = "multi_thread", worker_threads = 2)]
async fn line_ebay_ids_cross_the_doors(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    let data = tempfile::tempdir().unwrap();
    seed_with_cli(url, 1);
    let key = admin_ok(url, &["api-key", "create", "--client", "Acme"])["api_key"].as_str().unwrap().to_owned();
    admin_ok(
        url,
        &["user", "create", "--client", "Acme", "--username", "ann@acme.example", "--password", "s3cret-pass"],
    );
    let app = create_acme_erp_app(url, CALLBACK);
    let server = Server::start_with(data.path(), url, false, &[]);
    let bird = Bird { http: reqwest::Client::new(), base: server.base.clone(), key };
    let oc = OcClient::new(&server.base, app["client_key"].as_str().unwrap(), app["secret_key"].as_str().unwrap());
    let code = oc.login_for_code(CALLBACK, "erp-user-1", "ann@acme.example", "s3cret-pass").await.unwrap();
    oc.exchange_code(&code, CALLBACK).await.unwrap();
    let created = oc
        .call(
            "/openapi/3pp/sku/v3/creation",
            json!([{"referenceSKUID": "X-MUG", "SKUNameList": [{"SKUName": "Mug", "languageCode": "en-US"}],
                    "withBattery": false, "serviceRegionList": [{"serviceRegion": "UK", "withBrand": "WOB"}]}]),
        )
        .await
        .unwrap();
    let mfskuid = created[0]["MFSKUID"].as_str().unwrap().to_owned();
    admin_ok(url, &["sku", "submit", "--client", "Acme", "--sku", &mfskuid]);
    admin_ok(url, &["sku", "approve", "--client", "Acme", "--sku", &mfskuid]);
    for step in ["receive", "put-away"] {
        admin_ok(url, &["stock", step, "--client", "Acme", "--warehouse", "UK1", "--sku", "X-MUG", "--qty", "10"]);
    }

    // Bird → OC.
    let order = json!([{
        "delivery_service_id": "139", "contact": "Ann Smith", "address_line1": "1 High Street", "city": "Leeds",
        "post_code": "LS1 1AA", "country_iso": "GB", "type": "LOCAL", "sales_reference": "SALE-1",
        "products": [{"client_sku": "X-MUG", "quantity": 2, "sales_price": "4.5",
                      "ebay_transaction_id": "tx-bird", "ebay_item_no": "it-bird"}],
    }]);
    let placed = bird.post_json("/client/Consignment/Post-Pending-Consignment-With-Products-Json", &order).await;
    assert_eq!(placed["data"][0]["total_sales_price"], "9.00", "{backend:?}: {placed}");
    let (start, end) = window();
    let rows = oc.call("/openapi/3pp/outbound/v2/query", json!({"startTime": start, "endTime": end})).await.unwrap();
    let line = rows[0]["trackingNumberList"][0]["SKUList"][0].clone();
    assert_eq!(
        (line["MFSKUID"].as_str(), line["eBayItemId"].as_str(), line["eBayTransactionId"].as_str()),
        (Some(mfskuid.as_str()), Some("it-bird"), Some("tx-bird")),
        "{backend:?}: OC's query shows the Bird line's eBay ids: {rows}"
    );
    assert_eq!(rows[0]["SKUList"][0], line, "{backend:?}: the order's SKUList too");

    // OC → Bird.
    let oc_order = json!([{
        "referenceNumber": "SO-EBAY", "orderPlatform": "eBay", "ebayOrderId": "12-34567-89012", "ebayId": "buyer-1",
        "serviceRegion": "UK", "shippingServiceCode": "GBDomesticStandard", "consigneeName": "Ann Smith",
        "consigneeAddress1": "1 High Street", "consigneeCity": "Leeds", "consigneeZipCode": "LS1 1AA",
        "consigneeCountryCode": "GB",
        "productList": [{"mfSkuId": mfskuid, "skuQuantity": 1, "eBayItemId": "it-oc", "eBayTransactionId": "tx-oc"}],
    }]);
    oc.call("/openapi/3pp/outbound/v1/creation", oc_order).await.unwrap();
    let found = bird.get("/client/Consignment?sales_order_id=12-34567-89012").await;
    let cid = found["data"][0]["id"].as_str().unwrap_or_else(|| panic!("{backend:?}: {found}")).to_owned();
    let lines = bird.get(&format!("/client/Consignment-Product?consignment_id={cid}")).await;
    let l = &lines["data"][0];
    assert_eq!(
        (l["ebay_item_no"].as_str(), l["ebay_transaction_id"].as_str(), l["sales_price"].clone()),
        (Some("it-oc"), Some("tx-oc"), Value::Null),
        "{backend:?}: Bird's rows show the OC line's eBay ids: {lines}"
    );
    // Too long an id is refused by OC, naming the field.
    let long = json!([{
        "referenceNumber": "SO-LONG", "serviceRegion": "UK", "shippingServiceCode": "GBDomesticStandard",
        "consigneeName": "Ann", "consigneeAddress1": "1 High Street", "consigneeCity": "Leeds",
        "consigneeCountryCode": "GB", "productList": [{"mfSkuId": mfskuid, "skuQuantity": 1, "eBayItemId": "9".repeat(51)}],
    }]);
    let refused = oc.call_envelope("/openapi/3pp/outbound/v1/creation", long).await.unwrap();
    assert_ne!(refused["code"], 0, "{backend:?}: {refused}");
    assert!(refused.to_string().contains("productList[0].eBayItemId"), "{backend:?}: {refused}");
    assert_check(url);
}
