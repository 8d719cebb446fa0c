//! The sandbox an ERP integrates against, on the real binary with demo data, both backends: the
//! demo's sandbox OC app runs the whole OC flow (token, refresh, SKUs, stock, services, outbound
//! orders placed, queried and cancelled, an inbound created with its tracking numbers, customs
//! files and query) and its Bird test key the three creation methods, reads and a webhook,
//! without changing one live row (stock, balances, orders, inbounds, SKUs and ledgers compared
//! before and after); the sandbox floor ships what they placed; each verification report lists
//! what was done; `promote` issues production credentials only for a complete report; a reset
//! gives the test key a fresh twin.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine;
use common::*;
use entrepot_client::OcClient;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";

/// Everything of the live client a sandbox must not touch, as comparable text.
async fn live_rows(store: &entrepot_store::Store, client: &str) -> Vec<String> {
    let mut out = vec![];
    for (what, sql) in [
        ("stock", "SELECT sku_id, warehouse_id, in_transit, received, available, reserved_allocated, reserved_hold, suspend, unfulfillable FROM stock WHERE client_id = $1 ORDER BY sku_id, warehouse_id"),
        ("balances", "SELECT currency, available, held, charged FROM balances WHERE client_id = $1 ORDER BY currency"),
        ("orders", "SELECT id, status, handling_fee, delivery_fee, units FROM outbound_orders WHERE client_id = $1 ORDER BY id"),
        ("inbounds", "SELECT number, status FROM inbound_orders WHERE client_id = $1 ORDER BY number"),
        ("skus", "SELECT id, mfskuid, seller_sku, status FROM skus WHERE client_id = $1 ORDER BY id"),
        ("stock ledger", "SELECT COUNT(*) AS n FROM stock_transfers WHERE client_id = $1"),
        ("money ledger", "SELECT COUNT(*) AS n FROM money_transfers WHERE client_id = $1"),
        ("webhooks", "SELECT id, url FROM webhooks WHERE client_id = $1 ORDER BY id"),
    ] {
        out.push(format!("{what}: {}", store.dump_raw(sql, client).await.unwrap()));
    }
    out
}

/// Polls OC's outbound query until `number` reads `status`.
async fn oc_status(oc: &OcClient, number: &str, status: &str) -> Value {
    for _ in 0..150 {
        let rows = oc
            .call("/openapi/3pp/outbound/v2/query", json!({"orderNumberList": [{"orderNumber": number}]}))
            .await
            .unwrap();
        if rows[0]["orderStatus"] == status {
            return rows[0].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{number} never became {status}");
}

#[each_backend]
async fn sandbox_credentials_act_on_a_twin_and_their_report_decides_promotion(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let s = |v: &Value| v.as_str().unwrap().to_owned();
    let live = s(&creds["client_id"]);
    let store = entrepot_store::Store::open(&db.url).await.unwrap();
    let before = live_rows(&store, &live).await;

    // OC: the sandbox app's whole flow.
    let sb = &creds["oc_sandbox"];
    let oc = OcClient::new(&server.base, &s(&sb["client_key"]), &s(&sb["secret_key"]));
    let redirect = s(&sb["redirect_uri"]);
    let code = oc.login_for_code(&redirect, "sbx", &s(&sb["username"]), &s(&sb["password"])).await.unwrap();
    oc.exchange_code(&code, &redirect).await.unwrap();
    oc.refresh().await.unwrap();
    let created = oc
        .call(
            "/openapi/3pp/sku/v3/creation",
            json!([{"referenceSKUID": "SBX-MUG", "SKUNameList": [{"SKUName": "Mug", "languageCode": "en-US"}], "withBattery": false}]),
        )
        .await
        .unwrap();
    let new_sku = s(&created[0]["MFSKUID"]);
    oc.call("/openapi/3pp/sku/v3/query", json!({"mfskulist": [{"mfskuid": new_sku}]})).await.unwrap();
    oc.call("/openapi/3pp/base/v1/service", json!({"serviceRegion": "UK"})).await.unwrap();
    // The twin holds copies of the demo's SKUs with play stock: the live MFSKUIDs are not its.
    let snap = oc.call("/openapi/3pp/inventory/v2/snapshot", json!({"pageNumber": 1, "pageSize": 200})).await.unwrap();
    let rows = snap["SKUList"].as_array().unwrap();
    let live_mfskuids: Vec<String> = creds["skus"].as_array().unwrap().iter().map(|r| s(&r["mfskuid"])).collect();
    assert!(rows.iter().all(|r| !live_mfskuids.contains(&s(&r["MFSKUID"]))), "{backend:?}: {snap}");
    let play =
        rows.iter().find(|r| r["serviceRegion"] == "UK" && r["available"] == 100).unwrap_or_else(|| panic!("{snap}"));
    let mf = s(&play["MFSKUID"]);
    let order = |reference: &str| {
        json!({"referenceNumber": reference, "orderPlatform": "eBay", "ebayOrderId": "02-05696-00555", "ebayId": "buyer-1",
               "serviceRegion": "UK", "shippingServiceCode": "GBDomesticStandard", "consigneeName": "Ann Smith",
               "consigneeAddress1": "1 High Street", "consigneeCity": "Leeds", "consigneeZipCode": "LS1 1AA",
               "consigneeCountryCode": "GB", "productList": [{"mfSkuId": mf, "skuQuantity": "2"}]})
    };
    let placed =
        oc.call("/openapi/3pp/outbound/v1/creation", json!([order("SBX-SO-1"), order("SBX-SO-2")])).await.unwrap();
    let number = |k: usize| s(&placed[k]["orderNumber"]);
    let (so1, so2) = (number(0), number(1));
    oc.call("/openapi/3pp/outbound/v1/cancel", json!({"orderNumber": so1, "cancelTime": "2026-12-04T10:00:00+0000"}))
        .await
        .unwrap();
    // Nobody picks a sandbox order: the sandbox floor ships it.
    let shipped = oc_status(&oc, &so2, "Outbound").await;
    assert!(shipped["trackingNumberList"][0]["trackingNumber"].is_string() || shipped["trackingNumberList"].is_array());
    let inbound = oc
        .call(
            "/openapi/3pp/inbound/v1/creation",
            json!({"sellerInboundNumber": "SBX-PO-1", "serviceRegion": "UK", "shippingFrom": "CN",
                   "shippingMethod": "EX", "transportMethod": "AF", "eta": "2030-01-15+0800",
                   "cartonList": [{"cartonNumber": "1", "cartonOriginCountry": "CN", "labelSize": "2",
                                   "productList": [{"mfskuid": mf, "quantity": 2}]}]}),
        )
        .await
        .unwrap();
    let inbound_number = s(&inbound["inboundNumber"]);
    oc.call(
        "/openapi/3pp/inbound/v1/upload/shipment-file",
        json!({"inboundNumber": inbound_number, "referenceNumber": "SBX-PO-1",
               "trackingList": [{"cartonNumber": "1", "carrier": "DHL", "trackingNumber": "JD0001"}]}),
    )
    .await
    .unwrap();
    let pdf = base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4\n% sandbox packing list\n");
    oc.call(
        "/openapi/3pp/inbound/v1/upload/customs-clearance-file",
        json!({"inboundNumber": inbound_number, "fileList": [{"file": pdf, "fileName": "pl.pdf", "fileType": "PL"}]}),
    )
    .await
    .unwrap();
    let detail =
        oc.call("/openapi/3pp/inbound/v1/detail", json!({"inboundNumberList": [inbound_number]})).await.unwrap();
    assert_eq!(detail["inboundOrderList"].as_array().unwrap().len(), 1, "{detail}");

    // Bird: the test key's three creation methods, reads and a webhook.
    let bird = BirdErp { base: server.base.clone(), key: s(&creds["bird"]["test_api_key"]), company_id: "1".into() };
    let uk_sku = creds["skus"].as_array().unwrap().iter().find(|r| r["warehouse"] == "UK1").unwrap();
    let client_ref = s(&uk_sku["client_ref"]);
    let address = [
        ("delivery_service_id", "139"),
        ("contact", "Norman Drury"),
        ("address_line1", "1 High St"),
        ("city", "Leeds"),
        ("post_code", "LS1 1AA"),
        ("country_iso", "GB"),
    ];
    let a = bird.post_form("/client/Consignment", &address).await;
    let a_id = s(&a["data"]["id"]);
    let products = bird.get(&format!("/client/Product?client_ref={client_ref}")).await;
    let product_id = s(&products["data"][0]["id"]);
    assert_ne!(product_id, uk_sku["product_id"].to_string(), "{backend:?}: the twin's copy, not the live product");
    bird.post_form(
        "/client/Consignment-Product",
        &[("consignment_id", &a_id), ("product_id", &product_id), ("quantity", "1")],
    )
    .await;
    bird.post_form("/client/Consignment/Batch-Update-Status", &[("ids", &a_id), ("status", "PENDING")]).await;
    let temp = json!([{"contact": "Bob", "address_line1": "1 High St", "city": "Leeds", "post_code": "LS1 1AA",
                       "country_name": "United Kingdom", "product_company_ref": format!("{client_ref}*1"),
                       "delivery_service_name": "Royal Mail Tracked 48", "type": "LOCAL", "thirty_system_id": "SBX-B-1"}]);
    bird.post_json("/client/Consignment-Upload/Temp-Consignment-Json", &temp).await;
    let task = bird.get("/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=LOCAL").await;
    for _ in 0..300 {
        let d = bird.get(&format!("/client/Gearman-background-tasks/Get-Detail?id={}", task["taskId"])).await;
        if d["status"] == "FINISH" || d["status"] == "ERROR" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let c = json!([{"delivery_service_id": "139", "contact": "Norman Drury", "address_line1": "1 High St", "city": "Leeds",
                    "post_code": "LS1 1AA", "country_iso": "GB", "type": "LOCAL", "custom_identity_reference": "SBX-C-1",
                    "products": [{"client_sku": client_ref, "quantity": 1}]}]);
    bird.post_json(PENDING, &c).await;
    let listed = bird.get("/client/Consignment").await;
    // The twin's consignments only: the OC app's two and these three (one twin per client).
    assert_eq!(listed["total"], 5, "{backend:?}: {listed}");
    bird.post_form(
        "/client/Webhook",
        &[
            ("url", "https://erp.example.com/hook"),
            ("resource_type", "CONSIGNMENT"),
            ("action", "GET_DELIVERY_REFERENCE"),
        ],
    )
    .await;

    // Not one live row changed.
    assert_eq!(live_rows(&store, &live).await, before, "{backend:?}");

    // The reports list what was done; the OC app's is complete, and so is the Bird key's.
    let reports = admin_ok(&db.url, &["sandbox", "report", "--client", &live]);
    let oc_report = reports.as_array().unwrap().iter().find(|r| r["dialect"] == "oc").unwrap();
    assert_eq!(oc_report["client_key"], sb["client_key"]);
    let missing: Vec<&Value> =
        oc_report["report"]["lines"].as_array().unwrap().iter().filter(|l| l["calls"] == 0).collect();
    assert!(missing.is_empty() && oc_report["report"]["complete"] == true, "{backend:?}: {oc_report}");
    let bird_report = reports.as_array().unwrap().iter().find(|r| r["dialect"] == "bird").unwrap();
    assert_eq!(bird_report["report"]["complete"], true, "{backend:?}: {bird_report}");

    // Promotion: production credentials for the complete app, which then act on live rows;
    // a sandbox app that did nothing yet is refused, naming what it has not called.
    let promoted = admin_ok(&db.url, &["erp-app", "promote", "--client-key", &s(&sb["client_key"])]);
    assert_eq!(promoted["environment"], "PRODUCTION");
    let prod = OcClient::new(&server.base, &s(&promoted["client_key"]), &s(&promoted["secret_key"]));
    let code = prod.login_for_code(&redirect, "prod", &s(&sb["username"]), &s(&sb["password"])).await.unwrap();
    prod.exchange_code(&code, &redirect).await.unwrap();
    let snap =
        prod.call("/openapi/3pp/inventory/v2/snapshot", json!({"pageNumber": 1, "pageSize": 200})).await.unwrap();
    let seen: Vec<String> = snap["SKUList"].as_array().unwrap().iter().map(|r| s(&r["MFSKUID"])).collect();
    assert!(seen.iter().any(|m| live_mfskuids.contains(m)), "{backend:?}: production sees live stock: {snap}");
    let fresh = admin_ok(
        &db.url,
        &[
            "erp-app",
            "create",
            "--client",
            &live,
            "--name",
            "New ERP",
            "--environment",
            "SANDBOX",
            "--redirect-uri",
            &redirect,
        ],
    );
    let refused = admin(&db.url, &["erp-app", "promote", "--client-key", &s(&fresh["client_key"])]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("has not yet called in sandbox: oauth.token"), "{}", stderr(&refused));

    // A reset: the test key now acts on a fresh twin, with none of the consignments above.
    admin_ok(&db.url, &["sandbox", "reset", "--client", &live]);
    // Another process reset it: the server recognises a key for up to a second as it last read it.
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    let listed = bird.get("/client/Consignment").await;
    assert_eq!(listed["total"], 0, "{backend:?}: {listed}");
    assert_eq!(live_rows(&store, &live).await, before, "{backend:?}");
    assert_check(&db.url);
    drop(server);
}
