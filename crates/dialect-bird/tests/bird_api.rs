//! The Bird API over a real socket on both backends: conventions, the three ways of creating
//! consignments (A and C here), products and stock, the seed's errors, tenant isolation and
//! concurrency.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{pending_row, urlencode, App};
use entrepot_testkit::{each_backend, Backend};
use reqwest::Method;
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";

#[each_backend]
async fn conventions_auth_envelopes_paths_and_list_language(b: Backend) {
    let app = App::start(b).await;
    // 403 with Bird's message for a missing or wrong key.
    let (s, body) = App::send(app.http.get(format!("{}/client/Product", app.base))).await;
    assert_eq!((s, body.clone()), (403, json!({"success": false, "message": "Login Required!"})), "{b:?}");
    let (s, _) =
        App::send(app.http.get(format!("{}/client/Product", app.base)).header("api_key", "0".repeat(32))).await;
    assert_eq!(s, 403);
    // Key and company as query parameters; mixed-case path with a trailing slash.
    let url = format!("{}/client/PRODUCT/?api_key={}&company_id=1&client_ref=IP-XX3355", app.base, app.key);
    let (s, body) = App::send(app.http.get(url)).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    assert_eq!((body["total"].clone(), body["success"].clone()), (json!(1), json!(true)));
    assert_eq!(body["data"][0]["client_ref"], "IP-XX3355");
    assert_eq!(body["data"][0]["primary_keys"], json!(["id"]));
    // Key as a form field.
    let (s, _) = App::send(app.http.post(format!("{}/client/Product", app.base)).form(&[
        ("api_key", app.key.as_str()),
        ("client_ref", "FORM-1"),
        ("name", "x"),
    ]))
    .await;
    assert_eq!(s, 200);
    // A JSON body on GET, with a `#` comment key and a duplicate key (last wins).
    let rb = app
        .req(Method::GET, "/client/Product")
        .header("content-type", "application/json")
        .body(r##"{"#":"note","client_ref":"nope","client_ref":"PWR-1"}"##);
    let (_, body) = App::send(rb).await;
    assert_eq!(body["data"][0]["client_ref"], "PWR-1", "{b:?}: {body}");
    // Filter as a JSON string, limit and selectFields.
    let filter = r#"[{"type":"string","field":"client_ref","value":"ip-"}]"#;
    let (_, body) = app.get(&format!("/client/Product?filter={}&selectFields=client_ref", urlencode(filter))).await;
    assert_eq!(body["data"], json!([{"client_ref": "IP-XX3355", "id": body["data"][0]["id"]}]));
    let (_, body) = app.get("/client/Product?limit=1&start=1").await;
    assert_eq!((body["total"].clone(), body["data"].as_array().unwrap().len()), (json!(3), 1));
    // Unknown route: 404 in Bird's shape; bad input: 500 in Bird's shape.
    let (s, body) = app.get("/client/No-Such-Thing").await;
    assert_eq!((s, body["message"].clone()), (404, json!("Invalid Request: Cannot find method to deal request.")));
    let (s, body) = app.get("/client/Product?filter=%5B%7B").await;
    assert_eq!((s, body["success"].clone()), (500, json!(false)));
    // Reference data.
    let (_, body) = app.get("/client/Delivery-Service?status=ACTIVE").await;
    assert!(
        body["data"].as_array().unwrap().iter().any(|r| r["id"] == "139" && r["name"] == "Royal Mail Tracked 48"),
        "{body}"
    );
    assert!(body["data"].as_array().unwrap().iter().all(|r| r["company_id"] == "1"), "services of the addressed site");
    let (_, body) = app.get("/client/Country").await;
    assert!(body["total"].as_u64().unwrap() >= 249);
    assert!(body["data"].as_array().unwrap().iter().any(|c| c["id"] == "GB" && c["name"] == "United Kingdom"), "{b:?}");
    let (s, body) = App::send(app.http.get(format!("{}/client/public/company-list", app.base))).await;
    assert_eq!(s, 200);
    assert!(body["data"].as_array().unwrap().iter().any(|c| c["id"] == "12"));
    let (_, body) = app.get("/client/return-consignment-action?type=DISPOSE").await;
    assert_eq!(body["data"][0]["type"], "DISPOSE");
}

#[each_backend]
async fn method_a_create_add_products_then_pending_or_cancelled(b: Backend) {
    let app = App::start(b).await;
    let form = [
        ("delivery_service_id", "139"),
        ("contact", "Ann"),
        ("address_line1", "1 High St"),
        ("city", "Leeds"),
        ("post_code", "LS1 1AA"),
        ("country_iso", "GB"),
        ("sales_reference", "S-1"),
    ];
    let (s, body) = app.post_form("/client/Consignment", &form).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let id = body["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 16);
    assert_eq!(body["data"]["status"], "PREPARING");
    // PENDING without products: the documented message.
    let (s, body) =
        app.post_form("/client/Consignment/Batch-Update-Status", &[("ids", &id), ("status", "PENDING")]).await;
    assert_eq!(s, 500);
    assert_eq!(body["message"], format!("You consignment {id} does not have product associated, please add product first before changing the consignment status to Pending."));
    let mug = app.mug.0.to_string();
    let (s, body) = app
        .post_form(
            "/client/Consignment-Product",
            &[("consignment_id", &id), ("product_id", &mug), ("quantity", "2"), ("product_type", "NORMAL")],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["data"]["consignment_id"], id);
    let (_, lines) = app.get(&format!("/client/Consignment-Product?consignment_id={id}")).await;
    assert_eq!(lines["data"][0]["quantity"], "2");
    // Update the draft (id given): new contact.
    let mut upd = form.to_vec();
    upd.push(("id", &id));
    upd[1] = ("contact", "Ann Smith");
    let (_, body) = app.post_form("/client/Consignment", &upd).await;
    assert_eq!(body["data"]["contact"], "Ann Smith");
    let (s, body) = app
        .post_json(
            "/client/Consignment/Batch-Update-Status",
            &json!({"ids": id.parse::<i64>().unwrap(), "status": "PENDING"}),
        )
        .await;
    assert_eq!(s, 200, "{b:?}: {body}");
    assert_eq!(app.available(app.mug).await, 98);
    let (_, body) = app.get(&format!("/client/Consignment?id={id}")).await;
    assert_eq!((body["total"].clone(), body["data"][0]["status"].clone()), (json!(1), json!("PENDING")));
    assert_eq!(body["data"][0]["total_handling_fee"], "1.50");
    assert_eq!(body["data"][0]["total_delivery_fee"], "3.25");
    assert_eq!(body["data"][0]["total_weight"], "600.00");
    // Products can no longer change; cancelling by sales reference releases the stock.
    let (s, _) = app
        .post_form("/client/Consignment-Product", &[("consignment_id", &id), ("product_id", &mug), ("quantity", "1")])
        .await;
    assert_eq!(s, 500);
    let (s, _) = app
        .post_form("/client/Consignment/Batch-Update-Status", &[("sales_references", "S-1"), ("status", "CANCELLED")])
        .await;
    assert_eq!(s, 200);
    assert_eq!(app.available(app.mug).await, 100);
    let (s, body) =
        app.post_form("/client/Consignment/Batch-Update-Status", &[("ids", &id), ("status", "FINISHED")]).await;
    assert_eq!(s, 500, "{body}");
    // Once picking has started, CANCELLED is an intercept request: the consignment stays as it
    // is until the warehouse decides, and its stock stays reserved.
    let (_, body) = app.post_form("/client/Consignment", &[&form[..6], &[("sales_reference", "S-9")]].concat()).await;
    let picked = body["data"]["id"].as_str().unwrap().to_owned();
    app.post_form(
        "/client/Consignment-Product",
        &[("consignment_id", &picked), ("product_id", &mug), ("quantity", "1")],
    )
    .await;
    app.post_form("/client/Consignment/Batch-Update-Status", &[("ids", &picked), ("status", "PENDING")]).await;
    let order = app.store.find_order(&app.client, &picked).await.unwrap();
    for st in [entrepot_core::outbound::OutboundStatus::WaitPicking, entrepot_core::outbound::OutboundStatus::Picking] {
        app.store.transition_order(&app.client, &order.id, st).await.unwrap();
    }
    let (s, body) =
        app.post_form("/client/Consignment/Batch-Update-Status", &[("ids", &picked), ("status", "CANCELLED")]).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    assert_eq!(app.store.intercept_of(&order.id).await.unwrap().as_deref(), Some("REQUESTED"), "{b:?}");
    let (_, row) = app.get(&format!("/client/Consignment?id={picked}")).await;
    assert_ne!(row["data"][0]["status"], "CANCELLED", "{b:?}: {row}");
    assert_eq!(app.available(app.mug).await, 99, "{b:?}");
    // A second draft, product removed again with DELETE.
    let (_, body) = app.post_form("/client/Consignment", &form).await;
    let id2 = body["data"]["id"].as_str().unwrap().to_owned();
    let (_, body) = app
        .post_form("/client/Consignment-Product", &[("consignment_id", &id2), ("product_id", &mug), ("quantity", "1")])
        .await;
    let line = body["data"]["id"].as_str().unwrap().to_owned();
    let (s, body) = App::send(app.req(Method::DELETE, &format!("/client/Consignment-Product/{line}"))).await;
    assert_eq!((s, body["success"].clone()), (200, json!(true)));
    let (_, lines) = app.get(&format!("/client/consignment-product?consignment_id={id2}")).await;
    assert_eq!(lines["total"], 0);
    app.assert_books_balance().await;
}

#[each_backend]
async fn method_c_pending_upload_all_or_nothing_with_the_seeds_errors(b: Backend) {
    let app = App::start(b).await;
    let (s, body) = app.post_json(PENDING, &json!([pending_row("CIR-1", "IP-XX3355", 5), {
        "delivery_service_id": "139", "contact": "Bob", "address_line1": "2 Low St", "city": "York", "post_code": "YO1 7HH",
        "country_iso": "GB", "type": "LOCAL", "products": [{"id": app.battery.0, "quantity": 4}, {"client_sku": "IP-XX3355", "quantity": 1}]
    }])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let rows = body["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["status"] == "PENDING"));
    assert_eq!(rows[0]["custom_identity_reference"], "CIR-1");
    assert_eq!(rows[1]["consignment_product_quantity"], "5");
    assert_eq!(app.available(app.mug).await, 94);
    // Duplicate identity reference: the seed's message.
    let (s, body) = app.post_json(PENDING, &json!([pending_row("CIR-1", "IP-XX3355", 1)])).await;
    assert_eq!((s, body["message"].clone()), (500, json!("Duplicate consignment identity reference [CIR-1]")), "{b:?}");
    // A failing third row: nothing created, the row named.
    let before = app.store.list_orders(&app.client, &Default::default()).await.unwrap().1;
    let mut bad = pending_row("CIR-9", "IP-XX3355", 1);
    bad["country_iso"] = json!("FR");
    let (s, body) = app
        .post_json(PENDING, &json!([pending_row("CIR-7", "IP-XX3355", 1), pending_row("CIR-8", "IP-XX3355", 1), bad]))
        .await;
    assert_eq!(s, 500);
    let msg = body["message"].as_str().unwrap();
    assert!(msg.starts_with("Row 3: ") && msg.contains("destination country FR is not served"), "{b:?}: {msg}");
    assert_eq!(app.store.list_orders(&app.client, &Default::default()).await.unwrap().1, before, "{b:?}: nothing kept");
    assert_eq!(app.available(app.mug).await, 94);
    // Insufficient stock.
    let (_, body) = app.post_json(PENDING, &json!([pending_row("CIR-10", "IP-XX3355", 95)])).await;
    assert!(body["message"].as_str().unwrap().contains("Insufficient stock"), "{body}");
    // Unsuitable: over the weight limit, forbidden property (battery on 2nd Class).
    let mut heavy = pending_row("CIR-11", "IP-XX3355", 80);
    heavy["delivery_service_id"] = json!("105");
    let (_, body) = app.post_json(PENDING, &json!([heavy])).await;
    assert!(body["message"].as_str().unwrap().contains("over the limit of 2000 g"), "{body}");
    let mut battery = pending_row("CIR-12", "PWR-1", 1);
    battery["delivery_service_id"] = json!("105");
    let (_, body) = app.post_json(PENDING, &json!([battery])).await;
    assert!(body["message"].as_str().unwrap().contains("customs property BUILT_IN_BATTERY is not allowed"), "{body}");
    // IOSS and EORI for an EU destination on the international service.
    let mut eu = pending_row("CIR-13", "IP-XX3355", 1);
    eu["delivery_service_id"] = json!("2001");
    eu["country_iso"] = json!("DE");
    eu["post_code"] = json!("10115");
    let (_, body) = app.post_json(PENDING, &json!([eu.clone()])).await;
    assert!(body["message"].as_str().unwrap().contains("ioss_vat_number"), "{body}");
    eu["ioss_vat_number"] = json!("172848");
    let (_, body) = app.post_json(PENDING, &json!([eu.clone()])).await;
    assert!(body["message"].as_str().unwrap().contains("not a valid IOSS number"), "{body}");
    eu["ioss_vat_number"] = json!("IM1234567890");
    let (_, body) = app.post_json(PENDING, &json!([eu.clone()])).await;
    assert!(body["message"].as_str().unwrap().contains("shipper_eori"), "{body}");
    eu["shipper_eori"] = json!("GB000001234567");
    let (s, body) = app.post_json(PENDING, &json!([eu])).await;
    assert_eq!(s, 200, "{body}");
    // Service of another site, and a service/destination mismatch message.
    let mut wrong_site = pending_row("CIR-14", "IP-XX3355", 1);
    wrong_site["delivery_service_id"] = json!("1201");
    let (_, body) = app.post_json(PENDING, &json!([wrong_site])).await;
    assert!(body["message"].as_str().unwrap().contains("not available at company 1"), "{body}");
    // Not a JSON array.
    let (s, body) = app.post_json(PENDING, &json!({"a": 1})).await;
    assert_eq!((s, body["success"].clone()), (500, json!(false)));
    app.assert_books_balance().await;
}

#[each_backend]
async fn insufficient_balance_refuses_and_keeps_nothing(b: Backend) {
    let app = App::start(b).await;
    // A client with only 1.00 on its balance.
    let company = app.store.companies().await.unwrap().remove(0);
    let poor = app
        .store
        .create_client(&company.id, "Poor", &entrepot_core::money::Currency::parse("GBP").unwrap())
        .await
        .unwrap()
        .id;
    entrepot_store::fixtures::attach_everywhere(&app.store, &poor).await.unwrap();
    app.store.top_up(&poor, None, 100, "t").await.unwrap();
    let key = app.store.create_api_key(&poor, "t").await.unwrap().api_key;
    let sku = app
        .store
        .create_skus(&poor, vec![entrepot_store::NewSku { seller_sku: "P-1".into(), ..new_sku() }])
        .await
        .unwrap()[0]
        .id;
    let uk = app.store.warehouse_by_code("UK1").await.unwrap();
    app.store
        .move_stock(
            &poor,
            sku,
            &uk.id,
            entrepot_core::inventory::Transfer::adjustment(entrepot_core::inventory::Bucket::Available, 5).unwrap(),
            None,
        )
        .await
        .unwrap();
    let rb = app
        .http
        .post(format!("{}{PENDING}", app.base))
        .header("api_key", key)
        .header("company_id", "1")
        .json(&json!([pending_row("X", "P-1", 1)]));
    let (s, body) = App::send(rb).await;
    assert_eq!(s, 500);
    assert_eq!(body["message"], "Insufficient balance: 4.45 GBP required, 1.00 GBP available.", "{b:?}");
    assert_eq!(app.store.list_orders(&poor, &Default::default()).await.unwrap().1, 0);
    app.assert_books_balance().await;
}

fn new_sku() -> entrepot_store::NewSku {
    entrepot_store::NewSku {
        seller_sku: String::new(),
        reference_sku: None,
        name_en: "x".into(),
        name_cn: None,
        weight_g: 100,
        length_mm: 10,
        width_mm: 10,
        height_mm: 10,
        declared_value: 0,
        declared_currency: "USD".into(),
        hs_code: None,
        origin_country: None,
        properties: vec![],
        image_url: None,
        status: entrepot_core::sku::SkuStatus::Approved,
    }
}

#[each_backend]
async fn products_and_stock(b: Backend) {
    let app = App::start(b).await;
    let (s, body) = app
        .post_form(
            "/client/Product/",
            &[
                ("client_ref", "NEW-1"),
                ("name", "杯子"),
                ("name_customs", "Mug"),
                ("weight", "350"),
                ("length", "100"),
                ("width", "80"),
                ("depth", "80"),
                ("price_customs_export", "4.50"),
                ("product_customs_property[]", "1"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let id = body["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!((body["data"]["status"].clone(), body["data"]["weight"].clone()), (json!("ACTIVE"), json!("350.00")));
    let (s, body) = app.post_form("/client/Product", &[("client_ref", "NEW-1"), ("name", "dup")]).await;
    assert_eq!(s, 500, "client_ref is unique");
    assert!(body["message"].as_str().unwrap().contains("NEW-1"));
    let (_, body) = app
        .post_form(
            "/client/Product",
            &[("id", &id), ("client_ref", "NEW-1"), ("name_customs", "Big mug"), ("weight", "400")],
        )
        .await;
    assert_eq!(body["data"]["name_customs"], "Big mug");
    // An update sends the id and only what changes; the rest keeps its value.
    let (s, body) = app.post_form("/client/Product", &[("id", &id), ("weight", "500")]).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let d = &body["data"];
    let kept =
        [&d["client_ref"], &d["name"], &d["name_customs"], &d["weight"], &d["length"], &d["price_customs_export"]];
    assert_eq!(
        kept.map(|v| v.clone()),
        ["NEW-1", "杯子", "Big mug", "500.00", "100.00", "4.50"].map(|v| json!(v)),
        "{body}"
    );
    let mug = app.mug.0;
    let (_, body) = app.get(&format!("/client/product/Get-Product-Available-Quantity?ids={mug},{id}")).await;
    assert_eq!(
        body["data"][0],
        json!({"live_stock": 100, "current_locked_stock": 0, "dynamic_warehouse_available_stock": 0, "id": mug})
    );
    let (s, body) = app.get("/client/product/Get-Product-Available-Quantity?ids=999999").await;
    assert_eq!((s, body["message"].clone()), (500, json!("Product with id 999999 does not belong to you.")));
    app.post_json(PENDING, &json!([pending_row("S-1", "IP-XX3355", 3)])).await;
    let (_, body) = app.get(&format!("/client/product/Get-Product-Available-Quantity?ids={mug}")).await;
    assert_eq!(
        (body["data"][0]["live_stock"].clone(), body["data"][0]["current_locked_stock"].clone()),
        (json!(100), json!(3))
    );
    let filter = format!(r#"[{{"type":"numeric","comparison":"eq","value":{mug},"field":"product_id"}}]"#);
    let (_, body) =
        app.get(&format!("/client/Container-Product/Get-Product-Stock-Info?filter={}", urlencode(&filter))).await;
    let rows = body["data"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["company_id"] == 1 && r["quantity"] == "97"), "{body}");
    assert!(rows.iter().any(|r| r["company_site_name"] == "Frozen Stock"));
    let (_, body) = app.get(&format!("/client/Container-Product-Transaction?product_id={mug}")).await;
    assert_eq!(body["data"][0]["quantity"], "100");
    assert_eq!(body["data"][0]["type"], "ADJUSTMENT");
    assert_eq!(body["data"][0]["quantity_left"], "100");
}

#[each_backend]
async fn tenants_see_and_change_only_their_own(b: Backend) {
    let app = App::start(b).await;
    let (_, body) = app.post_json(PENDING, &json!([pending_row("T-1", "IP-XX3355", 1)])).await;
    let cid = body["data"][0]["id"].as_str().unwrap().to_owned();
    let (_, body) = app
        .post_form(
            "/client/Consignment",
            &[
                ("delivery_service_id", "139"),
                ("contact", "A"),
                ("address_line1", "1"),
                ("city", "L"),
                ("country_iso", "GB"),
            ],
        )
        .await;
    let draft = body["data"]["id"].as_str().unwrap().to_owned();
    let mug = app.mug.0.to_string();
    let other = |m: Method, p: &str| {
        app.http.request(m, format!("{}{p}", app.base)).header("api_key", &app.other_key).header("company_id", "1")
    };
    let (_, body) = App::send(other(Method::GET, &format!("/client/Consignment?id={cid}"))).await;
    assert_eq!(body["total"], 0, "{b:?}");
    let (_, body) = App::send(other(Method::GET, "/client/Consignment")).await;
    assert_eq!(body["total"], 0);
    let (_, body) = App::send(other(Method::GET, &format!("/client/Product?id={mug}"))).await;
    assert_eq!(body["total"], 0);
    let (s, _) =
        App::send(other(Method::GET, &format!("/client/product/Get-Product-Available-Quantity?ids={mug}"))).await;
    assert_eq!(s, 500);
    let (s, _) =
        App::send(other(Method::GET, &format!("/client/Container-Product-Transaction?product_id={mug}"))).await;
    assert_eq!(s, 500);
    let (s, _) =
        App::send(other(Method::GET, &format!("/client/Container-Product/Get-Product-Stock-Info?product_id={mug}")))
            .await;
    assert_eq!(s, 500);
    let (s, _) = App::send(other(Method::GET, &format!("/client/Consignment-Product?consignment_id={cid}"))).await;
    assert_eq!(s, 500);
    let (s, _) = App::send(
        other(Method::POST, "/client/Consignment/Batch-Update-Status")
            .form(&[("ids", cid.as_str()), ("status", "CANCELLED")]),
    )
    .await;
    assert_eq!(s, 500);
    let (s, _) = App::send(other(Method::POST, "/client/Consignment-Product").form(&[
        ("consignment_id", draft.as_str()),
        ("product_id", mug.as_str()),
        ("quantity", "1"),
    ]))
    .await;
    assert_eq!(s, 500);
    let (s, _) = App::send(other(Method::POST, "/client/Consignment").form(&[
        ("id", draft.as_str()),
        ("delivery_service_id", "139"),
        ("contact", "X"),
        ("address_line1", "1"),
        ("city", "L"),
        ("country_iso", "GB"),
    ]))
    .await;
    assert_eq!(s, 500);
    let (s, _) = App::send(other(Method::POST, "/client/Product").form(&[
        ("id", mug.as_str()),
        ("client_ref", "HIJACK"),
        ("name", "x"),
    ]))
    .await;
    assert_eq!(s, 500);
    let (_, body) = App::send(other(Method::POST, PENDING).json(&json!([pending_row("T-9", "IP-XX3355", 1)]))).await;
    assert!(body["message"].as_str().unwrap().contains("IP-XX3355"), "the other client's SKU is unknown to it: {body}");
    let (_, body) = App::send(other(Method::POST, PENDING).json(&json!([{"delivery_service_id": "139", "contact": "A", "address_line1": "1", "city": "L", "country_iso": "GB", "products": [{"id": app.mug.0, "quantity": 1}]}]))).await;
    assert_eq!(body["success"], false);
    // Nothing changed for the owner.
    let (_, body) = app.get(&format!("/client/Consignment?id={cid}")).await;
    assert_eq!(body["data"][0]["status"], "PENDING");
    let (_, body) = app.get(&format!("/client/Consignment?id={draft}")).await;
    assert_eq!(body["data"][0]["contact"], "A");
    assert_eq!(app.store.sku(&app.client, app.mug).await.unwrap().seller_sku, "IP-XX3355");
    assert_eq!(app.available(app.mug).await, 99);
}

/// 64 clients race for the last 10 units over HTTP.
#[each_backend(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_orders_for_the_last_units(b: Backend) {
    let app = App::start(b).await;
    let uk = app.store.warehouse_by_code("UK1").await.unwrap();
    let t = entrepot_core::inventory::Transfer::adjustment(entrepot_core::inventory::Bucket::Available, -90).unwrap();
    app.store.move_stock(&app.client, app.mug, &uk.id, t, None).await.unwrap();
    let mut tasks = vec![];
    for k in 0..64 {
        let rb = app.req(Method::POST, PENDING).json(&json!([pending_row(&format!("R-{k}"), "IP-XX3355", 1)]));
        tasks.push(tokio::spawn(async move { App::send(rb).await }));
    }
    let mut ok = 0;
    for t in tasks {
        let (s, body): (u16, Value) = t.await.unwrap();
        match s {
            200 => ok += 1,
            _ => assert!(body["message"].as_str().unwrap().contains("Insufficient stock"), "{b:?}: {body}"),
        }
    }
    assert_eq!(ok, 10, "{b:?}");
    assert_eq!(app.available(app.mug).await, 0);
    app.assert_books_balance().await;
}

/// `returnLabel=1` books at once and returns the label with the tracking number.
#[each_backend]
async fn pending_upload_can_return_the_label(b: Backend) {
    let app = App::start(b).await;
    let (s, body) =
        app.post_json(&format!("{PENDING}?returnLabel=1"), &json!([pending_row("L-1", "IP-XX3355", 1)])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let row = &body["data"][0];
    let tracking = row["delivery_reference"].as_str().unwrap();
    assert!(entrepot_ops::is_valid_s10(tracking), "{b:?}: {tracking}");
    assert_eq!(row["label_format"], "PDF");
    let pdf =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, row["label"].as_str().unwrap()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let (_, c) = app.get(&format!("/client/Consignment?id={}", row["id"].as_str().unwrap())).await;
    assert_eq!(c["data"][0]["delivery_reference"], tracking, "the booking is recorded");
    let (s, body) = app
        .post_json(
            &format!("{PENDING}?returnLabel=1"),
            &json!([pending_row("L-2", "IP-XX3355", 1), pending_row("L-3", "IP-XX3355", 1)]),
        )
        .await;
    assert_eq!((s, body["message"].clone()), (500, json!("returnLabel=1 is only valid for a single order")));
}

/// A parcel longer than the service allows is refused with the size rule named.
#[each_backend]
async fn oversize_parcels_are_refused_with_the_rule(b: Backend) {
    let app = App::start(b).await;
    let (s, body) = app
        .post_form(
            "/client/Product",
            &[
                ("client_ref", "POLE-1"),
                ("name", "Pole"),
                ("weight", "500"),
                ("length", "700"),
                ("width", "30"),
                ("depth", "30"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let uk = app.store.warehouse_by_code("UK1").await.unwrap();
    let pole = entrepot_core::ids::SkuId(body["data"]["id"].as_str().unwrap().parse().unwrap());
    let t = entrepot_core::inventory::Transfer::adjustment(entrepot_core::inventory::Bucket::Available, 5).unwrap();
    app.store.move_stock(&app.client, pole, &uk.id, t, None).await.unwrap();
    let (s, body) = app.post_json(PENDING, &json!([pending_row("LONG-1", "POLE-1", 1)])).await;
    assert_eq!(s, 500);
    assert!(body["message"].as_str().unwrap().contains("length 700 mm is over the limit of 600 mm"), "{b:?}: {body}");
    assert_eq!(app.available(pole).await, 5, "{b:?}: nothing reserved");
}

/// Services that print the sender refuse orders without a complete sender address.
#[each_backend]
async fn services_that_print_the_sender_need_the_sender_fields(b: Backend) {
    let app = App::start(b).await;
    let mut svc = entrepot_store::fixtures::service("UK1", "GBDomStd_DPD", 150, "DPD Next Day");
    svc.constraints.requires_sender = true;
    app.store.create_service(svc).await.unwrap();
    let mut row = pending_row("SND-1", "IP-XX3355", 1);
    row["delivery_service_id"] = json!("150");
    let (s, body) = app.post_json(PENDING, &json!([row.clone()])).await;
    assert_eq!(s, 500);
    assert!(body["message"].as_str().unwrap().starts_with("sender_contact:"), "{b:?}: {body}");
    for (k, v) in [
        ("sender_contact", "Shop Ltd"),
        ("sender_address_line1", "Unit 1"),
        ("sender_city", "Leeds"),
        ("sender_country_iso", "GB"),
    ] {
        row[k] = json!(v);
    }
    let (_, body) = app.post_json(PENDING, &json!([row.clone()])).await;
    assert!(body["message"].as_str().unwrap().starts_with("sender_post_code:"), "{b:?}: {body}");
    row["sender_post_code"] = json!("LS1 1AA");
    let (s, body) = app.post_json(PENDING, &json!([row])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    assert_eq!(body["data"][0]["sender_contact"], "Shop Ltd");
}

/// A product the warehouse measured shows the measured weight and sizes, `dimension_lock` 1 and
/// when it was checked; the seller's later update of the weight no longer changes what is shown.
#[each_backend]
async fn measured_products_show_the_measured_weight_and_are_locked(b: Backend) {
    use entrepot_core::{actor::Actor, sku::MeasuredValues};
    let app = App::start(b).await;
    let (mug, battery) = (app.mug.0, app.battery.0);
    let row = |body: &Value| body["data"].as_array().and_then(|r| r.first()).cloned().unwrap_or(Value::Null);
    let (_, body) = app.get(&format!("/client/Product?id={mug}")).await;
    let before = row(&body);
    assert_eq!((before["dimension_lock"].clone(), before["last_info_check_time"].clone()), (json!("0"), Value::Null));

    let measured = MeasuredValues { weight_g: Some(777), height_mm: Some(95), ..Default::default() };
    app.use_cases.measure_sku(&Actor::system("admin-cli"), &app.client, app.mug, measured).await.unwrap();
    let (_, body) = app.get(&format!("/client/Product?id={mug}")).await;
    let after = row(&body);
    assert_eq!((after["weight"].clone(), after["depth"].clone()), (json!("777.00"), json!("95.00")), "{b:?}: {after}");
    assert_eq!(after["length"], before["length"]);
    assert_eq!(after["dimension_lock"], "1");
    assert!(after["last_info_check_time"].as_str().is_some_and(|t| t.len() == 19), "{after}");

    // The seller's update is kept as its declaration; the measured weight still shows.
    let (s, body) = app
        .post_form(
            "/client/Product",
            &[
                ("id", &mug.to_string()),
                ("client_ref", after["client_ref"].as_str().unwrap()),
                ("name_customs", after["name_customs"].as_str().unwrap()),
                ("weight", "100"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let (_, body) = app.get(&format!("/client/Product?id={mug}")).await;
    assert_eq!(row(&body)["weight"], "777.00", "{b:?}");
    let declared = app.store.sku(&app.client, app.mug).await.unwrap().declared();
    assert_eq!(declared.weight_g, 100, "{b:?}");

    // The list language reads the new column.
    let filter = r#"[{"type":"numeric","comparison":"eq","value":"1","field":"dimension_lock"}]"#;
    let (_, body) = app.get(&format!("/client/Product?filter={}&selectFields=id", urlencode(filter))).await;
    let ids: Vec<_> = body["data"].as_array().unwrap().iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, vec![json!(mug.to_string())], "{b:?}: {body}");
    assert!(!ids.contains(&json!(battery.to_string())));
}
