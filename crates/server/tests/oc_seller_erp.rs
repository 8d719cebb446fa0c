//! A Seller-ERP integrated with OrangeConnex, pointed at the real `entrepot` binary, on both
//! backends: it authorizes through the login page, creates SKUs that staff approve with
//! `entrepot admin`, ships them in, sees the stock, sells it, follows the tracking number that
//! the background booker finds, and cancels what it still can.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{admin, admin_ok, create_acme_erp_app, seed_with_cli, stderr, Server};
use entrepot_client::OcClient;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

const CALLBACK: &str = "https://erp.example.com/oc/callback";

fn order(reference: &str, mfskuid: &str, qty: i64) -> Value {
    json!({
        "referenceNumber": reference,
        "orderPlatform": "eBay",
        "ebayOrderId": "02-05696-00555",
        "ebayId": "buyer-1",
        "serviceRegion": "UK",
        "shippingServiceCode": "GBDomesticStandard",
        "consigneeName": "Ann Smith",
        "consigneeAddress1": "1 High Street",
        "consigneeCity": "Leeds",
        "consigneeZipCode": "LS1 1AA",
        "consigneeCountryCode": "GB",
        "productList": [{"mfSkuId": mfskuid, "skuQuantity": qty.to_string()}]
    })
}

/// Polls the outbound query until `number` has a tracking number.
async fn tracking_number(oc: &OcClient, number: &str) -> (String, Value) {
    for _ in 0..200 {
        let rows = oc
            .call("/openapi/3pp/outbound/v2/query", json!({"orderNumberList": [{"orderNumber": number}]}))
            .await
            .unwrap();
        let row = rows.as_array().unwrap()[0].clone();
        if let Some(t) = row["trackingNumberList"][0]["trackingNumber"].as_str().filter(|t| !t.is_empty()) {
            return (t.to_owned(), row);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no tracking number for {number}");
}

#[each_backend]
async fn a_seller_erp_runs_its_business_through_the_oc_api(backend: Backend) {
    let db = TestDb::new(backend).await;
    let data = tempfile::tempdir().unwrap();
    seed_with_cli(&db.url, 5);
    admin_ok(
        &db.url,
        &["user", "create", "--client", "Acme", "--username", "ann@acme.example", "--password", "s3cret-pass"],
    );
    let app = create_acme_erp_app(&db.url, CALLBACK);
    let server = Server::start(data.path(), &db.url, false);
    let oc = OcClient::new(&server.base, app["client_key"].as_str().unwrap(), app["secret_key"].as_str().unwrap());

    // Authorize through the login form, exchange the code, refresh.
    let code = oc.login_for_code(CALLBACK, "erp-user-1", "ann@acme.example", "s3cret-pass").await.unwrap();
    let first = oc.exchange_code(&code, CALLBACK).await.unwrap();
    let refreshed = oc.refresh().await.unwrap();
    assert_ne!(first.access_token, refreshed.access_token);
    assert_eq!(first.refresh_token, refreshed.refresh_token);

    // SKUs start as drafts.
    let created = oc
        .call(
            "/openapi/3pp/sku/v3/creation",
            json!([
                {"referenceSKUID": "ERP-MUG", "SKUNameList": [{"SKUName": "Mug", "languageCode": "en-US"}],
                 "withBattery": false, "serviceRegionList": [{"serviceRegion": "UK", "withBrand": "WOB"}]},
                {"referenceSKUID": "ERP-LAMP", "SKUNameList": [{"SKUName": "Lamp", "languageCode": "en-US"}], "withBattery": false}
            ]),
        )
        .await
        .unwrap();
    let mfskuid = |reference: &str| {
        created.as_array().unwrap().iter().find(|r| r["referenceSKUID"] == reference).unwrap()["MFSKUID"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (mug, lamp) = (mfskuid("ERP-MUG"), mfskuid("ERP-LAMP"));
    assert!(mug.starts_with("OC") && mug.len() == 15, "{mug}");
    let q = oc.call("/openapi/3pp/sku/v3/query", json!({"mfskulist": [{"mfskuid": mug}]})).await.unwrap();
    assert_eq!(q[0]["MFSKUID"], mug.as_str());
    let draft_status = q[0]["status"].clone();

    // The seller submits, staff approve (admin); the query shows the change.
    for sku in [&mug, &lamp] {
        admin_ok(&db.url, &["sku", "submit", "--client", "Acme", "--sku", sku]);
        admin_ok(&db.url, &["sku", "approve", "--client", "Acme", "--sku", sku]);
    }
    let q = oc.call("/openapi/3pp/sku/v3/query", json!({"mfskulist": [{"mfskuid": mug}]})).await.unwrap();
    assert_ne!(q[0]["status"], draft_status, "{q}");

    // An express inbound with labels; tracking numbers uploaded; staff receive and put away.
    let inbound = oc
        .call(
            "/openapi/3pp/inbound/v1/creation",
            json!({
                "sellerInboundNumber": "PO-2026-001", "serviceRegion": "UK", "shippingFrom": "CN",
                "shippingMethod": "EX", "transportMethod": "AF", "eta": "2026-12-01+0800",
                "cartonList": [{"cartonNumber": "1", "sellerCartonNumber": "C-1", "cartonOriginCountry": "CN", "labelSize": "2",
                                "productList": [{"mfskuid": mug, "quantity": "6"}, {"MFSKUID": lamp, "quantity": 2}]}]
            }),
        )
        .await
        .unwrap();
    let number = inbound["inboundNumber"].as_str().unwrap().to_owned();
    assert!(number.starts_with("OCI"), "{inbound}");
    let labels = oc
        .call("/openapi/3pp/inbound/v1/query/labels", json!({"inboundOrderList": [{"inboundOrder": number}]}))
        .await
        .unwrap();
    let item = &labels["inboundOrderList"][0];
    assert_eq!(item["inboundOrder"], number.as_str());
    let urls: Vec<String> = item
        .as_object()
        .unwrap()
        .values()
        .filter_map(Value::as_str)
        .filter(|u| u.starts_with("http"))
        .map(str::to_owned)
        .collect();
    assert!(!urls.is_empty(), "label URLs in {labels}");
    for url in urls {
        let pdf = reqwest::get(&url).await.unwrap().bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{url} is a PDF");
    }
    oc.call(
        "/openapi/3pp/inbound/v1/upload/shipment-file",
        json!({"inboundNumber": number, "referenceNumber": "PO-2026-001",
               "trackingList": [{"cartonNumber": "1", "carrier": "DHL", "trackingNumber": "JD0001"}]}),
    )
    .await
    .unwrap();
    for (sku, qty) in [(&mug, "6"), (&lamp, "2")] {
        let at = ["--client", "Acme", "--warehouse", "UK1", "--sku", sku, "--qty", qty, "--inbound", &number];
        admin_ok(&db.url, &[&["stock", "receive"][..], &at].concat());
        admin_ok(&db.url, &[&["stock", "put-away"][..], &at].concat());
    }

    // The snapshot and the movements show the stock.
    let snap = oc
        .call(
            "/openapi/3pp/inventory/v2/snapshot",
            json!({"pageNumber": 1, "pageSize": 200, "skuList": [{"mfSkuId": mug}]}),
        )
        .await
        .unwrap();
    let row = snap["SKUList"].as_array().unwrap().iter().find(|r| r["serviceRegion"] == "UK").unwrap();
    assert_eq!(row["available"], 6, "{snap}");
    let now = jiff::Timestamp::now();
    let window = json!({
        "startTime": (now - jiff::SignedDuration::from_hours(1)).strftime("%Y-%m-%dT%H:%M:%S+0000").to_string(),
        "endTime": (now + jiff::SignedDuration::from_hours(1)).strftime("%Y-%m-%dT%H:%M:%S+0000").to_string(),
        "mfSkuList": [{"mfSkuId": mug}]
    });
    let moves = oc.call("/openapi/3pp/inventory/v1/movement", window).await.unwrap();
    let text = moves.to_string();
    assert!(text.contains("IOS=") && text.contains("PAC="), "{moves}");
    assert!(text.contains("moventmentID"), "{moves}");

    // Orders: both placed, tracking numbers arrive from the background booker.
    let placed = oc
        .call("/openapi/3pp/outbound/v1/creation", json!([order("SO-1", &mug, 2), order("SO-2", &mug, 1)]))
        .await
        .unwrap();
    let number_of = |reference: &str| {
        placed.as_array().unwrap().iter().find(|r| r["referenceNumber"] == reference).unwrap()["orderNumber"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (so1, so2) = (number_of("SO-1"), number_of("SO-2"));
    assert!(so1.starts_with("OCO") && so1.ends_with("GB"), "{so1}");
    let (tracking, row) = tracking_number(&oc, &so1).await;
    assert!(!tracking.is_empty());
    assert_eq!(row["referenceNumber"], "SO-1");
    assert_eq!(row["trackingNumberList"][0]["SKUList"][0]["MFSKUID"], mug.as_str(), "{row}");

    // A retried creation never makes a second order.
    let again = oc.call_envelope("/openapi/3pp/outbound/v1/creation", json!([order("SO-1", &mug, 2)])).await.unwrap();
    assert_ne!(again["code"], 0, "{again}");
    assert!(again["errors"][0]["message"].as_str().unwrap().contains(&so1), "names the existing order: {again}");

    // Cancel SO-1 before picking; SO-2 is being picked: its cancel is an intercept request the
    // warehouse decides on, and it stays as it is meanwhile.
    oc.call("/openapi/3pp/outbound/v1/cancel", json!({"orderNumber": so1, "cancelTime": "2026-11-24T10:00:00+0000"}))
        .await
        .unwrap();
    for st in ["WAIT_PICKING", "PICKING"] {
        admin_ok(&db.url, &["order", "status", "--client", "Acme", "--order", &so2, "--to", st]);
    }
    oc.call("/openapi/3pp/outbound/v1/cancel", json!({"orderNumber": so2, "cancelTime": "2026-11-24T10:00:00+0000"}))
        .await
        .unwrap();
    let rows = oc
        .call(
            "/openapi/3pp/outbound/v2/query",
            json!({"orderNumberList": [{"orderNumber": so1}, {"orderNumber": so2}]}),
        )
        .await
        .unwrap();
    let status =
        |n: &str| rows.as_array().unwrap().iter().find(|r| r["orderNumber"] == n).unwrap()["orderStatus"].clone();
    assert_eq!(status(&so1), "Cancelled", "{rows}");
    assert_ne!(status(&so2), "Cancelled", "{rows}");

    // The cancelled order's two units are available again; SO-2's one stays reserved.
    let snap = oc.call("/openapi/3pp/inventory/v2/snapshot", json!({"skuList": [{"mfSkuId": mug}]})).await.unwrap();
    let row = snap["SKUList"].as_array().unwrap().iter().find(|r| r["serviceRegion"] == "UK").unwrap();
    assert_eq!(row["available"], 5, "{snap}");
    let check = admin(&db.url, &["check"]);
    assert!(check.status.success(), "{backend:?}: {}", stderr(&check));
    drop(server);
}
