//! Operator companies and sites are isolated (issue 16 §5), over a real socket on both backends: a
//! seller names only the `serviceRegion`s of the sites it is attached to. Another operator's
//! region, or a region of its own operator it was detached from, is refused in outbound and
//! inbound creation exactly as an unknown region (the same reply but for the region's name), and
//! getServiceList shows only its regions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{ok, App};
use entrepot_store::fixtures;
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const SERVICES: &str = "/openapi/3pp/base/v1/service";
const OUTBOUND: &str = "/openapi/3pp/outbound/v1/creation";
const INBOUND: &str = "/openapi/3pp/inbound/v1/creation";

/// A rival operator company with region FR, offering a service of the same code as UK's.
async fn rival(app: &App) {
    let rival = app.store.create_company("Rival").await.unwrap();
    app.store.create_warehouse(fixtures::warehouse(&rival.id, "FR", 18, "FR", "FR", "Europe/Paris")).await.unwrap();
    app.store.create_service(fixtures::service("FR", "GBDomesticStandard", 1801, "Rival Post")).await.unwrap();
}

fn order(region: &str, mfskuid: &str) -> Value {
    json!({
        "referenceNumber": "R-1",
        "serviceRegion": region,
        "shippingServiceCode": "GBDomesticStandard",
        "consigneeName": "Ann Buyer",
        "consigneeAddress1": "1 High Street",
        "consigneeCity": "Leeds",
        "consigneeZipCode": "LS1 1AA",
        "consigneeCountryCode": "GB",
        "consigneePhone": "0113 000000",
        "productList": [{"mfSkuId": mfskuid, "skuQuantity": "1"}]
    })
}

fn inbound(region: &str, mfskuid: &str) -> Value {
    json!({
        "sellerInboundNumber": "S-1",
        "serviceRegion": region,
        "shippingFrom": "CN",
        "shippingMethod": "TK",
        "transportMethod": "OF",
        "ETA": "2030-01-15+0800",
        "cartonList": [{"cartonNumber": "C-1", "productList": [{"mfskuid": mfskuid, "quantity": "3"}]}]
    })
}

/// The reply to `region`'s call must be the reply to `unknown`'s, but for the region's name.
async fn refused_like_unknown(app: &App, path: &str, region: &str, unknown: &str, body: impl Fn(&str) -> Value) {
    let named = app.call(path, body(region)).await;
    let other = app.call(path, body(unknown)).await;
    let needle = format!("serviceRegion '{unknown}' is not a");
    assert_ne!(other["code"], json!(0), "{path}: the unknown region is refused: {other}");
    assert!(other["errors"][0]["message"].as_str().unwrap().contains(&needle), "{path}: {other}");
    assert_eq!(
        named.to_string().replace(region, "<region>"),
        other.to_string().replace(unknown, "<region>"),
        "{path}: {region} refused like unknown {unknown}"
    );
}

fn regions(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|r| r["serviceRegion"].as_str().unwrap().to_owned()).collect()
}

#[each_backend]
async fn another_operators_regions_are_unknown_to_a_seller(b: Backend) {
    let app = App::start(b).await;
    rival(&app).await;
    let (mf, _) = app.stocked_sku(&app.seller, "MUG", 10).await;

    refused_like_unknown(&app, OUTBOUND, "FR", "ZZ", |r| json!([order(r, &mf)])).await;
    refused_like_unknown(&app, INBOUND, "FR", "ZZ", |r| inbound(r, &mf)).await;
    // Any case, as OC's region codes are matched.
    refused_like_unknown(&app, INBOUND, "fr", "zz", |r| inbound(r, &mf)).await;
    assert_eq!((app.order_count(&app.seller).await, app.inbound_count(&app.seller).await), (0, 0), "{b:?}");

    let list = ok(app.call(SERVICES, json!({})).await);
    assert_eq!(regions(&list), ["DE", "UK"], "{b:?}: {list}");
    // The seller's own regions still work.
    ok(app.call(OUTBOUND, json!([order("UK", &mf)])).await);
    ok(app.call(INBOUND, inbound("UK", &mf)).await);
    app.assert_check().await;
}

#[each_backend]
async fn a_detached_region_of_the_sellers_own_operator_is_unknown_to_it(b: Backend) {
    let app = App::start(b).await;
    let (mf, _) = app.stocked_sku(&app.seller, "MUG", 10).await;
    let de = app.store.warehouse_by_code("DE").await.unwrap();
    // Used once, so the detachment must get past the cache.
    ok(app.call(INBOUND, inbound("DE", &mf)).await);
    app.store.detach_client_site(&app.seller.client, &de.id).await.unwrap();

    let mut order_de = order("DE", &mf);
    order_de["shippingServiceCode"] = json!("DEDomesticStandard");
    refused_like_unknown(&app, OUTBOUND, "DE", "ZZ", |r| {
        let mut o = order_de.clone();
        o["serviceRegion"] = json!(r);
        json!([o])
    })
    .await;
    refused_like_unknown(&app, INBOUND, "DE", "ZZ", |r| {
        let mut i = inbound(r, &mf);
        i["sellerInboundNumber"] = json!("S-2");
        i
    })
    .await;
    let list = ok(app.call(SERVICES, json!({})).await);
    assert_eq!(regions(&list), ["UK"], "{b:?}: {list}");
    // The other seller is still attached to DE.
    let theirs = ok(app.call_as(&app.other, SERVICES, json!({})).await);
    assert_eq!(regions(&theirs), ["DE", "UK"], "{b:?}: {theirs}");
    app.assert_check().await;
}
