//! Issue 16 on the OC door, over a real socket on both backends: quantities, weights, sizes,
//! values and counts are bounded (refused with code 3 naming the field and the item), and a date
//! made of multi-byte characters is refused instead of panicking the connection away.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_refused, minimal_sku, ok, App};
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const HUGE: &str = "6148914691236483869";

fn order(reference: &str, mfskuid: &str, qty: Value) -> Value {
    json!({
        "referenceNumber": reference, "serviceRegion": "UK", "shippingServiceCode": "GBDomesticStandard",
        "consigneeName": "Ann Buyer", "consigneeAddress1": "1 High Street", "consigneeCity": "Leeds",
        "consigneeZipCode": "LS1 1AA", "consigneeCountryCode": "GB",
        "productList": [{"mfSkuId": mfskuid, "skuQuantity": qty}]
    })
}

#[each_backend]
async fn quantities_sizes_and_counts_are_bounded(b: Backend) {
    let app = App::start(b).await;
    let (mf, _) = app.stocked_sku(&app.seller, "MUG", 10).await;
    let before = app.order_count(&app.seller).await;
    // The item is named by OC's per-order errors; the field by its path.
    let v = app.call("/openapi/3pp/outbound/v1/creation", json!([order("R-1", &mf, json!(HUGE))])).await;
    assert_refused(&v, "productList[0].skuQuantity must be between 1 and 1000000, got 6148914691236483869");
    assert_eq!(v["code"], 3, "{v}");
    let mut many = order("R-2", &mf, json!(1));
    many["productList"] = Value::Array(vec![json!({"mfSkuId": mf, "skuQuantity": 1}); 1001]);
    let v = app.call("/openapi/3pp/outbound/v1/creation", json!([many])).await;
    assert_refused(&v, "productList must have at most 1000 entries");
    assert_eq!(app.order_count(&app.seller).await, before, "{b:?}");
    // SKU facts.
    for (field, value, unit, needle) in [
        ("weight", json!("9223372036854775"), ("weightUnit", "kg"), "weight"),
        ("length", json!("100000"), ("dimensionUnit", "cm"), "length must be between 0 and 10000"),
        ("declaredValue", json!("1000000000000"), ("currency", "GBP"), "declaredValue must be between 0"),
    ] {
        let mut sku = minimal_sku("BIG-1");
        sku[field] = value;
        sku[unit.0] = json!(unit.1);
        let v = app.call("/openapi/3pp/sku/v3/creation", json!([sku])).await;
        assert_refused(&v, needle);
    }
    // Inbound quantities.
    let inbound = json!({
        "sellerInboundNumber": "IN-1", "serviceRegion": "UK", "shippingFrom": "CN", "shippingMethod": "TK",
        "transportMethod": "OF", "ETA": "2030-01-15+0800",
        "cartonList": [{"productList": [{"mfskuid": mf, "quantity": i64::MAX}]}],
    });
    let v = app.call("/openapi/3pp/inbound/v1/creation", inbound).await;
    assert_refused(&v, "cartonList[0].productList[0].quantity must be between 1 and 1000000");
    assert_eq!(app.inbound_count(&app.seller).await, 0);
    let check = app.store.check().await.unwrap();
    assert!(check.is_empty(), "{b:?}: admin check: {check:?}");
}

/// `split_at(10)` on `"😀😀😀😀"` (16 bytes, no char boundary at 10) killed the connection on every
/// query that takes a date.
#[each_backend]
async fn dates_of_multi_byte_characters_are_refused_not_panicked_on(b: Backend) {
    let app = App::start(b).await;
    let (mf, _) = app.stocked_sku(&app.seller, "MUG", 10).await;
    ok(app.call("/openapi/3pp/outbound/v1/creation", json!([order("R-1", &mf, json!(1))])).await);
    for path in [
        "/openapi/3pp/sku/v3/query",
        "/openapi/3pp/outbound/v2/query",
        "/openapi/3pp/inbound/v1/query",
        "/openapi/3pp/inventory/v1/movement",
    ] {
        for bad in ["😀😀😀😀", "2022-10-3😀+0800", "2022-10-31+😀😀", "éééééééééééééééé"]
        {
            let v = app.call(path, json!({"startTime": bad, "endTime": bad})).await;
            assert_eq!(v["code"], 3, "{b:?} {path} {bad}: {v}");
            assert!(v["errors"][0]["message"].as_str().unwrap().contains("is not a time"), "{v}");
        }
    }
    let v =
        app.call("/openapi/3pp/outbound/v1/cancel", json!({"referenceNumber": "R-1", "cancelTime": "😀😀😀😀"})).await;
    assert!(v["code"].as_i64().is_some(), "{b:?}: {v}");
    let inbound = json!({
        "sellerInboundNumber": "IN-1", "serviceRegion": "UK", "shippingFrom": "CN", "shippingMethod": "TK",
        "transportMethod": "OF", "ETA": "😀😀😀😀",
        "cartonList": [{"productList": [{"mfskuid": mf, "quantity": 1}]}],
    });
    let v = app.call("/openapi/3pp/inbound/v1/creation", inbound).await;
    assert_refused(&v, "is not a time");
}
