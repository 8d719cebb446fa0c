//! SKUCreation and SKUQuery (spec §5.1, §5.2) over real signed calls, on both backends: drafts
//! with an MFSKUID per referenceSKUID, per-item refusals, the review status, paging, windows and
//! tenant isolation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_refused, minimal_sku, ok, App};
use entrepot_core::sku::{CustomsProperty, SkuStatus};
use entrepot_dialect_oc::time::format_date;
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const CREATE: &str = "/openapi/3pp/sku/v3/creation";
const QUERY: &str = "/openapi/3pp/sku/v3/query";

fn today() -> String {
    format_date(jiff::Timestamp::now().as_millisecond())
}

fn by_ref<'a>(list: &'a Value, reference: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|s| s["referenceSKUID"] == reference).unwrap_or_else(|| panic!("{list}"))
}

fn refs(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|s| s["referenceSKUID"].as_str().unwrap().to_owned()).collect()
}

#[each_backend]
async fn creation_returns_an_mfskuid_per_reference_and_the_query_shows_drafts_through_review(b: Backend) {
    let app = App::start(b).await;
    let full = json!({
        "referenceSKUID": "CHG-1",
        "SKUNameList": [
            {"SKUName": "USB charger", "languageCode": "en-US"},
            {"SKUName": "USB 充电器", "languageCode": "zh-CN"},
            {"SKUName": "USB-Ladegerät", "languageCode": "de-DE"}
        ],
        "SKUdescription": "5V 2A wall charger",
        "SKUPictureURLList": [{"SKUPictureURL": "https://img.example.com/a.jpg"}, {"SKUPictureURL": "https://img.example.com/b.jpg"}],
        "withBattery": true, "batteryForm": "BCE", "batteryType": "OLB", "batteryNumber": "2",
        "countryOfOrigin": "cn",
        "weight": "1.5", "weightUnit": "kg",
        "length": 10, "width": "5.5", "height": 2, "dimensionUnit": "cm",
        "declaredValue": "12.30", "currency": "EUR",
        "hscodeList": [{"hscode": "8504409000", "destinationCountry": "DE"}],
        "barcodeList": [{"barcode": "5012345678900", "barcodeType": "EAN"}],
        "salesURL": "https://www.ebay.de/itm/2",
        "serviceRegionList": [{"serviceRegion": "DE", "withBrand": "WOB"}],
        "WeeeRegistrationNo": "DE12345678"
    });
    let data = ok(app.call(CREATE, json!([full, minimal_sku("MIN-1")])).await);
    assert_eq!(data.as_array().unwrap().len(), 2, "{data}");
    let mf_full = by_ref(&data, "CHG-1")["MFSKUID"].as_str().unwrap().to_owned();
    let mf_min = by_ref(&data, "MIN-1")["MFSKUID"].as_str().unwrap().to_owned();
    for mf in [&mf_full, &mf_min] {
        assert!(mf.len() == 15 && mf.starts_with("OC") && mf[2..].bytes().all(|b| b.is_ascii_digit()), "{mf}");
    }
    assert_eq!(by_ref(&data, "CHG-1")["status"], "Draft");

    // What the core holds.
    let s = app.store.resolve_sku(&app.seller.client, &mf_full).await.unwrap();
    assert_eq!(s.status, SkuStatus::Draft);
    assert_eq!((s.seller_sku.as_str(), s.reference_sku.as_deref()), ("CHG-1", Some("CHG-1")));
    assert_eq!((s.name_en.as_str(), s.name_cn.as_deref()), ("USB charger", Some("USB 充电器")));
    assert_eq!((s.weight_g, s.length_mm, s.width_mm, s.height_mm), (1500, 100, 55, 20));
    assert_eq!((s.declared_value, s.declared_currency.as_str()), (1230, "EUR"));
    assert_eq!((s.origin_country.as_deref(), s.hs_code.as_deref()), (Some("CN"), Some("8504409000")));
    assert_eq!(s.properties, vec![CustomsProperty::BuiltInBattery]);
    assert_eq!(s.image_url.as_deref(), Some("https://img.example.com/a.jpg"));
    let m = app.store.resolve_sku(&app.seller.client, &mf_min).await.unwrap();
    assert_eq!((m.weight_g, m.length_mm, m.declared_value), (0, 0, 0));
    assert_eq!(m.declared_currency, "GBP", "the client's currency when none is sent");
    assert!(m.properties.is_empty());

    let q = ok(app.call(QUERY, json!({"mfskulist": [{"mfskuid": mf_full}, {"mfskuid": mf_min}]})).await);
    assert_eq!(q.as_array().unwrap().len(), 2);
    let f = by_ref(&q, "CHG-1");
    assert_eq!(f["MFSKUID"], mf_full.as_str());
    assert_eq!(f["sellerSKUID"], "CHG-1");
    assert_eq!(f["status"], "Draft");
    let names = f["SKUNameList"].as_array().unwrap();
    assert!(names.contains(&json!({"SKUName": "USB charger", "languageCode": "en-US"})), "{f}");
    assert!(names.contains(&json!({"SKUName": "USB 充电器", "languageCode": "zh-CN"})), "{f}");
    assert!(names.contains(&json!({"SKUName": "USB-Ladegerät", "languageCode": "de-DE"})), "{f}");
    assert_eq!(f["SKUDescription"], "5V 2A wall charger");
    assert_eq!(f["SKUPictureURLList"].as_array().unwrap().len(), 2);
    assert_eq!(f["SKUPictureURLList"][0]["SKUPictureURL"], "https://img.example.com/a.jpg");
    assert_eq!((f["weight"].clone(), f["weightUnit"].clone()), (json!(1500), json!("g")));
    assert_eq!((f["length"].clone(), f["width"].clone(), f["height"].clone()), (json!(10), json!(5.5), json!(2)));
    assert_eq!(f["dimensionUnit"], "cm");
    assert_eq!((f["declaredValue"].clone(), f["currency"].clone()), (json!("12.30"), json!("EUR")));
    assert_eq!((f["withBattery"].clone(), f["batteryForm"].clone()), (json!(true), json!("BCE")));
    assert_eq!(f["countryOfOrigin"], "CN");
    assert_eq!(f["SIOC"], false);
    // OC's extras without a column come back as sent.
    assert_eq!(f["batteryType"], "OLB");
    assert_eq!(f["batteryNumber"], "2");
    assert_eq!(f["barcodeList"][0]["barcode"], "5012345678900");
    assert_eq!(f["salesURL"], "https://www.ebay.de/itm/2");
    assert_eq!(f["serviceRegionList"][0]["serviceRegion"], "DE");
    assert_eq!(f["WeeeRegistrationNo"], "DE12345678");
    assert_eq!(f["hscodeList"][0]["destinationCountry"], "DE");
    assert!(f["updateTime"].as_str().unwrap().ends_with("+0000"), "{f}");
    let n = by_ref(&q, "MIN-1");
    assert_eq!(
        (n["weight"].clone(), n["withBattery"].clone(), n["currency"].clone()),
        (json!(0), json!(false), json!("GBP"))
    );

    // The seller submits, staff reject, the seller resubmits, staff approve: the query follows.
    let status = |q: Value| by_ref(&q, "CHG-1").clone();
    let id = s.id;
    app.store.submit_sku(&app.seller.client, id).await.unwrap();
    let f = status(ok(app.call(QUERY, json!({"mfskulist": [{"mfskuid": mf_full}]})).await));
    assert_eq!(f["status"], "Under Review");
    app.store.audit_sku(&app.seller.client, id, false, Some("picture is blurry".into())).await.unwrap();
    let f = status(ok(app.call(QUERY, json!({"mfskulist": [{"mfskuid": mf_full}]})).await));
    assert_eq!((f["status"].clone(), f["rejectReason"].clone()), (json!("Review Failed"), json!("picture is blurry")));
    app.store.submit_sku(&app.seller.client, id).await.unwrap();
    app.store.audit_sku(&app.seller.client, id, true, None).await.unwrap();
    let f = status(ok(app.call(QUERY, json!({"mfskulist": [{"mfskuid": mf_full}]})).await));
    assert_eq!((f["status"].clone(), f["rejectReason"].clone()), (json!("Approved"), Value::Null));
}

#[each_backend]
async fn every_version_reads_keys_in_any_case_and_numbers_as_strings(b: Backend) {
    let app = App::start(b).await;
    for (v, reference) in [("v1", "V1-A"), ("v2", "V2-A"), ("v3", "V3-A")] {
        let item = json!({
            "REFERENCESKUID": reference,
            "skunamelist": [{"skuname": "Mug", "LANGUAGECODE": "en-US"}],
            "Weight": "16", "WEIGHTUNIT": "OZ",
            "LENGTH": "2", "Width": 1, "height": "0.5", "dimensionunit": "in",
            "WithBattery": "false"
        });
        let data = ok(app.call(&format!("/openapi/3pp/sku/{v}/creation"), json!([item])).await);
        let mf = data[0]["MFSKUID"].as_str().unwrap().to_owned();
        let s = app.store.resolve_sku(&app.seller.client, &mf).await.unwrap();
        // 16 oz = 453.59 g; 2 in = 50.8 mm, 1 in = 25.4 mm, 0.5 in = 12.7 mm (rounded half up).
        assert_eq!((s.weight_g, s.length_mm, s.width_mm, s.height_mm), (454, 51, 25, 13), "{v}");
        let q = ok(app
            .call(
                &format!("/openapi/3pp/sku/{v}/query"),
                json!({"REFERENCESKUIDLIST": [{"ReferenceSkuId": reference}]}),
            )
            .await);
        assert_eq!(refs(&q), vec![reference], "{v}");
        assert_eq!(q[0]["length"], json!(5.1));
    }
}

#[each_backend]
async fn failed_items_are_reported_by_reference_and_only_good_items_are_created(b: Backend) {
    let app = App::start(b).await;
    let existing = app.create_skus(&app.seller, &["DUP-1"]).await.remove(0);
    let with = |reference: &str, extra: Value| {
        let mut v = minimal_sku(reference);
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v
    };
    let batch = json!([
        minimal_sku("OK-1"),
        with("NO-NAME", json!({"SKUNameList": []})),
        minimal_sku("DUP-1"),
        with("W-1", json!({"weight": 2})),
        with("BAT-1", json!({"withBattery": true, "batteryForm": "XX"})),
        with("BAT-2", json!({"withBattery": false, "batteryForm": "PB"})),
        with("C-1", json!({"countryOfOrigin": "XX"})),
        with("V-1", json!({"declaredValue": "9.99"})),
        with("NEG-1", json!({"weight": -1, "weightUnit": "g"})),
        with("U-1", json!({"length": 3, "dimensionUnit": "yard"})),
        {"SKUNameList": [{"SKUName": "No reference", "languageCode": "en-US"}]},
        minimal_sku("TWICE"),
        minimal_sku("TWICE"),
    ]);
    let v = app.call(CREATE, batch).await;
    assert_eq!(v["success"], false, "{v}");
    assert_eq!(v["code"], 3, "{v}");
    let created = refs(&v["data"]);
    assert_eq!(created, vec!["OK-1", "TWICE"], "{v}");
    let errors = v["errors"].as_array().unwrap();
    let error = |id: &str| {
        errors.iter().find(|e| e["id"] == id).unwrap_or_else(|| panic!("no error for {id} in {v}"))["message"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(error("NO-NAME").starts_with("Item 2: SKUNameList needs at least one SKUName"), "{v}");
    assert!(error("DUP-1").contains(&format!("referenceSKUID [DUP-1] already exists as MFSKUID [{existing}]")));
    assert_eq!(errors.iter().find(|e| e["id"] == "DUP-1").unwrap()["code"], "3A0409");
    assert!(error("W-1").contains("weightUnit is required with weight (g, kg, lb, oz)"), "{v}");
    assert!(error("BAT-1").contains("batteryForm 'XX' is not one of PB, BCE, BPE"), "{v}");
    assert!(error("BAT-2").contains("batteryForm is PB but withBattery is false"), "{v}");
    assert!(error("C-1").contains("countryOfOrigin 'XX' is not an ISO-3166 alpha-2 code"), "{v}");
    assert!(error("V-1").contains("currency is required with declaredValue"), "{v}");
    assert!(error("NEG-1").contains("weight must not be negative"), "{v}");
    assert!(error("U-1").contains("dimensionUnit 'yard' is not one of mm, cm, m, in, ft"), "{v}");
    assert!(error("TWICE").starts_with("Item 13: referenceSKUID [TWICE] already exists"), "{v}");
    assert!(errors.iter().any(|e| e["id"].is_null() && e["message"] == "Item 11: referenceSKUID is required."), "{v}");
    assert_eq!(errors.len(), 11, "{v}");
    // DUP-1 before, OK-1 and TWICE now: nothing else.
    assert_eq!(app.sku_count(&app.seller).await, 3);
    let dup = app.store.resolve_sku(&app.seller.client, "DUP-1").await.unwrap();
    assert_eq!(dup.mfskuid, existing, "the existing SKU is untouched");
}

#[each_backend]
async fn a_batch_over_200_or_not_a_list_is_refused_whole(b: Backend) {
    let app = App::start(b).await;
    let items: Vec<Value> = (0..201).map(|k| minimal_sku(&format!("B-{k}"))).collect();
    let v = app.call(CREATE, Value::Array(items)).await;
    assert_refused(&v, "At most 200 SKUs are allowed per request; this request has 201. Nothing was created.");
    for data in [json!([]), json!("SKU-1"), Value::Null] {
        let v = app.call(CREATE, data).await;
        assert_refused(&v, "data must");
    }
    assert_eq!(app.sku_count(&app.seller).await, 0);
    // 200 is fine.
    let items: Vec<Value> = (0..200).map(|k| minimal_sku(&format!("B-{k}"))).collect();
    assert_eq!(ok(app.call(CREATE, Value::Array(items)).await).as_array().unwrap().len(), 200);
}

#[each_backend]
async fn the_query_pages_filters_by_window_and_unites_its_lists(b: Backend) {
    let app = App::start(b).await;
    let mf = app.create_skus(&app.seller, &["P-1", "P-2", "P-3", "P-4", "P-5"]).await;
    let today = today();
    for (page, expect) in [(1, vec!["P-1", "P-2"]), (2, vec!["P-3", "P-4"]), (3, vec!["P-5"]), (4, vec![])] {
        let q = ok(app.call(QUERY, json!({"startTime": today, "page": page, "limit": "2"})).await);
        assert_eq!(refs(&q), expect, "page {page}");
    }
    let q = ok(app.call(QUERY, json!({"startTime": today, "pageNumber": "2", "pageSize": 3})).await);
    assert_eq!(refs(&q), vec!["P-4", "P-5"]);
    assert_eq!(refs(&ok(app.call(QUERY, json!({"endTime": today})).await)).len(), 5, "the end date is inclusive");

    // P-1 last changed on 2022-10-31 12:00 UTC.
    app.store.execute_raw("UPDATE skus SET updated_at = 1667217600000 WHERE seller_sku = 'P-1'").await.unwrap();
    let day = |s: &str, e: &str| json!({"startTime": s, "endTime": e});
    assert_eq!(refs(&ok(app.call(QUERY, day("2022-10-31+0800", "2022-10-31+0800")).await)), vec!["P-1"]);
    assert_eq!(refs(&ok(app.call(QUERY, day("2022-10-31 + 0800", "2022-11-01+0800")).await)), vec!["P-1"]);
    assert!(ok(app.call(QUERY, day("2022-10-30+0800", "2022-10-30+0800")).await).as_array().unwrap().is_empty());
    // The window narrows the lists.
    let q =
        ok(app.call(QUERY, json!({"startTime": today, "mfskulist": [{"mfskuid": mf[0]}, {"mfskuid": mf[1]}]})).await);
    assert_eq!(refs(&q), vec!["P-2"]);

    // The lists are a union; a reference nobody used is simply absent.
    let q = ok(app
        .call(
            QUERY,
            json!({
                "mfskulist": [{"mfskuid": mf[1].to_lowercase()}],
                "referenceSKUIDList": [{"referenceSKUID": "P-3"}, {"referenceSKUID": "NOPE"}, {"ebayCustomLabel": "P-5"}],
                "sellerSKUIDList": [{"sellerSKUID": "P-4"}]
            }),
        )
        .await);
    assert_eq!(refs(&q), vec!["P-2", "P-3", "P-4", "P-5"]);

    let v = app.call(QUERY, json!({"mfskulist": [{"mfskuid": mf[1]}, {"mfskuid": "OC9999999999999"}]})).await;
    assert_refused(
        &v,
        "Query fail. Because MFSKUID [OC9999999999999] doesnt exists. Please check your MFSKUID and try again.",
    );
    assert_eq!((v["code"].clone(), v["errors"][0]["id"].clone()), (json!(3), json!("OC9999999999999")));
    assert!(v.get("data").is_none(), "{v}");
    for (data, needle) in [
        (json!({}), "data needs at least one entry in mfskulist, referenceSKUIDList or sellerSKUIDList"),
        (json!({"startTime": today, "limit": 201}), "limit must be between 1 and 200, not 201"),
        (json!({"startTime": today, "page": 0}), "page must be 1 or more"),
        (json!({"startTime": "31/10/2022"}), "startTime '31/10/2022' is not a time"),
        (day("2022-11-02+0800", "2022-11-01+0800"), "startTime must be before endTime"),
    ] {
        assert_refused(&app.call(QUERY, data).await, needle);
    }
}

#[each_backend]
async fn a_client_never_sees_another_clients_skus(b: Backend) {
    let app = App::start(b).await;
    let mine = app.create_skus(&app.seller, &["SHARED-1", "MINE-2"]).await;
    // The same reference is another client's own business.
    let theirs = app.create_skus(&app.other, &["SHARED-1"]).await;
    assert_ne!(mine[0], theirs[0]);

    let v = app.call_as(&app.other, QUERY, json!({"mfskulist": [{"mfskuid": mine[1]}]})).await;
    assert_refused(&v, &format!("Query fail. Because MFSKUID [{}] doesnt exists", mine[1]));
    let q = ok(app.call_as(&app.other, QUERY, json!({"startTime": today()})).await);
    assert_eq!(q.as_array().unwrap().len(), 1);
    assert_eq!(q[0]["MFSKUID"], theirs[0].as_str());
    let q = ok(app
        .call_as(
            &app.other,
            QUERY,
            json!({"referenceSKUIDList": [{"referenceSKUID": "SHARED-1"}, {"referenceSKUID": "MINE-2"}]}),
        )
        .await);
    assert_eq!(q.as_array().unwrap().len(), 1);
    assert_eq!(q[0]["MFSKUID"], theirs[0].as_str());
    assert_eq!(app.sku_count(&app.seller).await, 2);
}

/// The floor's audit as the seller's ERP sees it: the seller user submits its draft, staff
/// measure it (the query's weight and sizes are the measured ones from then on) and reject it
/// with a reason the query answers as `rejectReason`.
#[each_backend]
async fn the_query_shows_the_floors_measurements_and_rejection_reason(b: Backend) {
    use entrepot_core::{
        actor::{Actor, Role},
        sku::MeasuredValues,
    };
    let app = App::start(b).await;
    let item = json!({"referenceSKUID": "FLOOR-1", "SKUNameList": [{"SKUName": "Lamp", "languageCode": "en-US"}],
                      "weight": 500, "weightUnit": "g", "length": 10, "width": 10, "height": 10, "dimensionUnit": "cm"});
    let mf = ok(app.call(CREATE, json!([item])).await)[0]["MFSKUID"].as_str().unwrap().to_owned();
    let use_cases = entrepot_app::App::new(std::sync::Arc::new(app.store.clone()));
    let client = app.seller.client.clone();
    let id = app.store.resolve_sku(&client, &mf).await.unwrap().id;
    let seller = Actor {
        user: None,
        name: "ann".into(),
        role: Role::Seller { client: client.clone(), owner: true },
        device: None,
    };
    let staff = Actor {
        user: None,
        name: "sam".into(),
        role: Role::Staff { warehouses: vec![], supervisor: false },
        device: None,
    };
    let query = || async { ok(app.call(QUERY, json!({"mfskulist": [{"mfskuid": mf}]})).await)[0].clone() };

    use_cases.submit_sku_for_audit(&seller, &client, id).await.unwrap();
    assert_eq!(query().await["status"], "Under Review");
    let measured = MeasuredValues { weight_g: Some(730), length_mm: Some(125), ..Default::default() };
    use_cases.measure_sku(&staff, &client, id, measured).await.unwrap();
    let f = query().await;
    assert_eq!(
        (f["weight"].clone(), f["length"].clone(), f["width"].clone()),
        (json!(730), json!(12.5), json!(10)),
        "{b:?}"
    );
    let reason = entrepot_app::SkuVerdict::Reject { reason: "battery not declared".into() };
    use_cases.decide_sku(&staff, &client, id, reason).await.unwrap();
    let f = query().await;
    assert_eq!(
        (f["status"].clone(), f["rejectReason"].clone()),
        (json!("Review Failed"), json!("battery not declared"))
    );
    assert_eq!(f["weight"], 730, "{b:?}: the measurement outlives the verdict");
    // The other seller's users cannot submit it.
    let other = Actor { role: Role::Seller { client: app.other.client.clone(), owner: true }, ..seller.clone() };
    assert!(use_cases.submit_sku_for_audit(&other, &client, id).await.is_err());
}
