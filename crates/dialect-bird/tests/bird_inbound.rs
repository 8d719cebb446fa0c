//! The Bird API over a real socket on both backends, beyond stock orders: method C's AGENT_DIRECT,
//! CLIENT_DIRECT and RETURN forms, client dispatches (inbound) from upload to put-away, the
//! barcode image, and tenant isolation on each.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{pending_row, App};
use entrepot_testkit::{each_backend, Backend};
use reqwest::Method;
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";
const DISPATCH_UPLOAD: &str = "/client/Client-Dispatch-Upload/Client-Dispatch-Json";

/// The seed's AGENT_DIRECT string form (W-546668578).
const SEED_REF: &str = "Product1##产品##062589||2||10||其他||www.baidu.com||5||4202929190||cn*1+Product2##产品2##78954623||2||30||电池,其他||www.baidu.com||5||4202929190||cn*1";

/// A request as the other tenant.
fn as_other(app: &App, m: Method, path: &str) -> reqwest::RequestBuilder {
    app.http.request(m, format!("{}{path}", app.base)).header("api_key", &app.other_key).header("company_id", "1")
}

fn agent_row(identity: &str, products: Value) -> Value {
    json!({
        "type": "AGENT_DIRECT", "delivery_service_id": "139", "custom_identity_reference": identity,
        "contact": "Norman Drury", "address_line1": "3, Northam Close", "city": "Southport", "post_code": "PR9 9GA",
        "country_iso": "GB", "line": "1", "products": products,
    })
}

fn agent_product(client_ref: &str, weight: &str, qty: i64) -> Value {
    json!({
        "product_name": format!("Cup {client_ref}"), "product_name_cn": "杯子", "brand": "Acme", "client_ref": client_ref,
        "price_customs_export": "2.50", "sales_price": "9.99", "weight": weight, "quantity": qty,
        "product_customs_property": ["普货"], "attachment-url": "https://img.example/cup.png", "hscode": "6912000000",
    })
}

async fn product(app: &App, client_ref: &str) -> Option<Value> {
    let (_, body) = app.get(&format!("/client/Product?client_ref={client_ref}")).await;
    body["data"].as_array().and_then(|d| d.first().cloned())
}

async fn order_count(app: &App) -> i64 {
    app.store.list_orders(&app.client, &Default::default()).await.unwrap().1
}

#[each_backend]
async fn agent_direct_products_are_created_with_their_orders_all_or_nothing(b: Backend) {
    let app = App::start(b).await;
    let mut existing = agent_product("IP-XX3355", "320", 1);
    existing.as_object_mut().unwrap().remove("attachment-url");
    let rows = json!([agent_row("AD-1", json!([agent_product("AD-CUP", "250", 2), existing]))]);
    let (s, body) = app.post_json(PENDING, &rows).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let row = &body["data"][0];
    assert_eq!((row["type"].as_str(), row["status"].as_str()), (Some("AGENT_DIRECT"), Some("PENDING")));
    assert_eq!(row["consignment_product_quantity"], "3");
    assert_eq!(row["total_weight"], "820.00", "{b:?}: 2 × 250 g + 320 g");
    assert_eq!(row["total_handling_fee"], "1.80");
    let cup = product(&app, "AD-CUP").await.expect("created on the fly");
    assert_eq!((cup["status"].as_str(), cup["weight"].as_str()), (Some("ACTIVE"), Some("250.00")));
    assert_eq!(
        (cup["name_customs"].as_str(), cup["url"].as_str()),
        (Some("Cup AD-CUP"), Some("https://img.example/cup.png"))
    );
    assert_eq!(cup["price_customs_export"], "2.50");
    assert_eq!(product(&app, "IP-XX3355").await.unwrap()["weight"], "320.00", "{b:?}: reused and updated");
    assert_eq!(app.available(app.mug).await, 100, "{b:?}: AGENT_DIRECT takes no warehouse stock");
    // A bad second row: nothing created, neither the orders nor the first row's new product.
    let before = order_count(&app).await;
    let mut abroad = agent_row("AD-3", json!([agent_product("AD-NEW-2", "100", 1)]));
    abroad["country_iso"] = json!("FR");
    let (s, body) =
        app.post_json(PENDING, &json!([agent_row("AD-2", json!([agent_product("AD-NEW-1", "100", 1)])), abroad])).await;
    assert_eq!(s, 500);
    let msg = body["message"].as_str().unwrap();
    assert!(msg.starts_with("Row 2: ") && msg.contains("destination country FR is not served"), "{b:?}: {msg}");
    assert_eq!(order_count(&app).await, before, "{b:?}");
    assert!(product(&app, "AD-NEW-1").await.is_none(), "{b:?}: the first row's product was not kept");
    assert!(product(&app, "AD-NEW-2").await.is_none());
    // Row-level input errors name the row and the product.
    let mut no_price = agent_product("AD-NEW-3", "100", 1);
    no_price.as_object_mut().unwrap().remove("sales_price");
    let (_, body) = app
        .post_json(
            PENDING,
            &json!([
                agent_row("AD-4", json!([agent_product("AD-NEW-1", "1", 1)])),
                agent_row("AD-5", json!([no_price]))
            ]),
        )
        .await;
    assert_eq!(body["message"], "Row 2: products[0].sales_price is required", "{b:?}");
    assert!(product(&app, "AD-NEW-1").await.is_none());
    // A one-row upload gets the bare message; a new product needs its image.
    let mut no_image = agent_product("AD-NEW-4", "100", 1);
    no_image.as_object_mut().unwrap().remove("attachment-url");
    let (_, body) = app.post_json(PENDING, &json!([agent_row("AD-6", json!([no_image]))])).await;
    assert_eq!(body["message"], "products[0].attachment-url is required for new product AD-NEW-4", "{b:?}");
    // A liquid on a service that refuses liquids.
    let mut wet = agent_product("AD-WET", "100", 1);
    wet["product_customs_property"] = json!(["液体"]);
    let (_, body) = app.post_json(PENDING, &json!([agent_row("AD-7", json!([wet]))])).await;
    assert!(body["message"].as_str().unwrap().contains("customs property LIQUID is not allowed"), "{body}");
    assert!(product(&app, "AD-WET").await.is_none());
    // The identity reference rule holds for AGENT_DIRECT too.
    let (_, body) =
        app.post_json(PENDING, &json!([agent_row("AD-1", json!([agent_product("AD-CUP", "250", 1)]))])).await;
    assert_eq!(body["message"], "Duplicate consignment identity reference [AD-1]", "{b:?}");
    // Another tenant's upload creates its own product; ours is untouched.
    let (s, _) = App::send(
        as_other(&app, Method::POST, PENDING)
            .json(&json!([agent_row("AD-1", json!([agent_product("AD-CUP", "999", 1)]))])),
    )
    .await;
    assert_eq!(s, 200, "{b:?}: identity references are per client");
    assert_eq!(product(&app, "AD-CUP").await.unwrap()["weight"], "250.00", "{b:?}");
    app.assert_books_balance().await;
}

#[each_backend]
async fn agent_direct_string_form_with_names_and_the_callers_id(b: Backend) {
    let app = App::start(b).await;
    let row = json!({
        "contact": "Ann Smith", "business_name": "", "address_line1": "1 High St", "city": "Leeds", "county": "",
        "post_code": "LS1 1AA", "country_name": "United Kingdom", "telephone": "0113 000000", "email": "",
        "sales_reference": "SR-9", "product_company_ref": SEED_REF, "delivery_service_name": "Royal Mail Tracked 48",
        "type": "AGENT_DIRECT", "thirty_system_id": "2222",
    });
    let (s, body) = app.post_json(PENDING, &json!([row])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let row = &body["data"][0];
    assert_eq!(row["thirty_system_id"], "2222");
    assert_eq!((row["country_iso"].as_str(), row["delivery_service_id"].as_str()), (Some("GB"), Some("139")));
    assert_eq!((row["type"].as_str(), row["status"].as_str()), (Some("AGENT_DIRECT"), Some("PENDING")));
    assert_eq!(row["consignment_product_quantity"], "2");
    assert_eq!(row["total_weight"], "40.00");
    let p1 = product(&app, "062589").await.expect("first product");
    assert_eq!((p1["name"].as_str(), p1["name_customs"].as_str()), (Some("产品"), Some("Product1")));
    assert_eq!(
        (p1["commodity_code"].as_str(), p1["price_customs_export"].as_str()),
        (Some("4202929190"), Some("2.00"))
    );
    let p2 = product(&app, "78954623").await.expect("second product");
    assert_eq!(p2["product_customs_property_name"], "GENERAL,BUILT_IN_BATTERY", "{b:?}");
    // The battery cannot go by 2nd Class: the reason is given.
    let mut second = json!({"contact": "Ann", "address_line1": "1 High St", "city": "Leeds", "post_code": "LS1 1AA",
        "country_name": "United Kingdom", "product_company_ref": SEED_REF, "delivery_service_name": "Royal Mail 2nd Class",
        "type": "AGENT_DIRECT", "thirty_system_id": "2223"});
    let (_, body) = app.post_json(PENDING, &json!([second.clone()])).await;
    assert!(body["message"].as_str().unwrap().contains("BUILT_IN_BATTERY is not allowed"), "{body}");
    second["product_company_ref"] = json!("Bag##包##BAG-1||x||10");
    let (_, body) = app.post_json(PENDING, &json!([second.clone()])).await;
    assert!(body["message"].as_str().unwrap().starts_with("product_company_ref: item 1: price"), "{body}");
    second["delivery_service_name"] = json!("No Such Service");
    let (_, body) = app.post_json(PENDING, &json!([second])).await;
    assert_eq!(body["message"], "Cannot find delivery service 'No Such Service', please check.");
    app.assert_books_balance().await;
}

fn client_direct_row(identity: &str, packages: Value) -> Value {
    json!({
        "delivery_service_id": "139", "delivery_package_size_id": "3", "custom_identity_reference": identity,
        "contact": "Bob Jones", "address_line1": "2 Low St", "city": "York", "post_code": "YO1 7HH", "country_iso": "GB",
        "sender_contact": "Shenzhen Trading", "sender_address_line1": "8 Keji Rd", "sender_city": "Shenzhen",
        "sender_post_code": "518000", "sender_country_iso": "CN", "sender_telephone": "0755 0000",
        "packages": packages,
    })
}

#[each_backend]
async fn client_direct_packages_price_the_order(b: Backend) {
    let app = App::start(b).await;
    let packages = json!([
        {"reference": "P1", "length": "30", "width": "20", "depth": "10", "weight": "1.2",
         "products": [{"name": "Cup", "commodity_code": "6912", "quantity": 2, "price": "3", "price_customs_export": "2.5",
                       "net_weight": "0.5", "origin_country_iso": "CN"}]},
        {"reference": "P2", "length": 10, "width": 10, "depth": 10, "weight": 0.5,
         "products": [{"name": "Lid", "quantity": "1", "price_customs_export": "1"}]},
    ]);
    let path = format!("{PENDING}?type=client_direct");
    let (s, body) = app.post_json(&path, &json!([client_direct_row("CD-1", packages.clone())])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let row = &body["data"][0];
    assert_eq!((row["type"].as_str(), row["status"].as_str()), (Some("CLIENT_DIRECT"), Some("PENDING")));
    assert_eq!(row["total_weight"], "1700.00", "{b:?}: 1.2 kg + 0.5 kg");
    assert_eq!((row["total_handling_fee"].as_str(), row["total_delivery_fee"].as_str()), (Some("1.50"), Some("8.95")));
    assert_eq!(row["consignment_product_quantity"], "3");
    assert_eq!(row["packages"], packages, "{b:?}: kept verbatim");
    assert_eq!((row["delivery_package_size_id"].as_str(), row["sender_city"].as_str()), (Some("3"), Some("Shenzhen")));
    assert_eq!(app.available(app.mug).await, 100);
    // The packages are what suitability checks: 2.5 kg is over 2nd Class's 2 kg.
    let mut heavy = client_direct_row("CD-2", json!([{"length": 10, "width": 10, "depth": 10, "weight": "2.5"}]));
    heavy["delivery_service_id"] = json!("105");
    let (_, body) = app.post_json(&path, &json!([heavy])).await;
    assert!(body["message"].as_str().unwrap().contains("weight 2500 g is over the limit of 2000 g"), "{body}");
    let before = order_count(&app).await;
    let (_, body) = app
        .post_json(&path, &json!([client_direct_row("CD-3", packages.clone()), client_direct_row("CD-4", json!([]))]))
        .await;
    assert_eq!(body["message"], "Row 2: packages is required", "{b:?}");
    let bad = json!([{"length": 10, "width": 10, "weight": 1}]);
    let (_, body) = app.post_json(&path, &json!([client_direct_row("CD-5", bad)])).await;
    assert_eq!(body["message"], "packages[0].depth is required");
    assert_eq!(order_count(&app).await, before, "{b:?}: nothing kept");
    // Marked by type instead of the query parameter.
    let mut typed = client_direct_row("CD-6", packages);
    typed["type"] = json!("CLIENT_DIRECT");
    let (s, body) = app.post_json(PENDING, &json!([typed])).await;
    assert_eq!((s, body["data"][0]["type"].as_str()), (200, Some("CLIENT_DIRECT")), "{body}");
    app.assert_books_balance().await;
}

#[each_backend]
async fn returns_take_form_one_products_and_reserve_nothing(b: Backend) {
    let app = App::start(b).await;
    let mut row = pending_row("RET-1", "IP-XX3355", 3);
    row["type"] = json!("RETURN");
    row["return_consignment_action-id"] = json!("92");
    let (s, body) = app.post_json(PENDING, &json!([row])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let r = &body["data"][0];
    assert_eq!((r["type"].as_str(), r["status"].as_str()), (Some("RETURN"), Some("PENDING")));
    assert_eq!(r["return_consignment_action_type"], "SELLER", "{b:?}: the type, as the seed names it");
    assert_eq!(r["return_consignment_action_name"], "Hold for shipment home");
    assert_eq!(r["consignment_product_quantity"], "3");
    assert_eq!(app.available(app.mug).await, 100, "{b:?}: no stock reserved for a return");
    let (_, stock) = app.get(&format!("/client/product/Get-Product-Available-Quantity?ids={}", app.mug.0)).await;
    assert_eq!(stock["data"][0]["current_locked_stock"], 0, "{b:?}");
    app.assert_books_balance().await;
}

fn dispatch(reference: &str, entries: Value) -> Value {
    json!({
        "type": "NORMAL", "warehouse_id_origination": "11", "warehouse_id_destination": "1", "final_freight_method": "SEA",
        "delivery_time": "2024-05-01", "reference": reference, "delivery_reference": "SEA-0001", "note": "first leg",
        "client_dispatch_final_address_contact": "UK1 Goods In",
        "client_dispatch_container_product_list": entries,
    })
}

fn entry(container: &str, product: i64, qty: i64) -> Value {
    json!({"client_dispatch_container_reference": container, "client_dispatch_container_type_code": "BIG",
           "client_dispatch_container_weight": "12.5", "product_id": product.to_string(), "quantity": qty})
}

#[each_backend]
async fn client_dispatch_upload_to_put_away(b: Backend) {
    let app = App::start(b).await;
    let (mug, battery) = (app.mug.0, app.battery.0);
    let entries = json!([entry("C1", mug, 10), entry("C2", battery, 4), entry("C2", mug, 5)]);
    let (s, body) = app.post_json(DISPATCH_UPLOAD, &json!([dispatch("CD-REF-1", entries.clone())])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let d = &body["data"][0];
    let id = d["id"].as_str().unwrap().to_owned();
    assert!(id.parse::<i64>().is_ok(), "{b:?}: an integer id, got {id}");
    assert_eq!((d["reference"].as_str(), d["status"].as_str()), (Some("CD-REF-1"), Some("SUBMITTED")));
    assert_eq!((d["type"].as_str(), d["final_freight_method"].as_str()), (Some("NORMAL"), Some("SEA")));
    assert_eq!((d["total_quantity"].as_str(), d["warehouse_id_destination"].as_str()), (Some("19"), Some("1")));
    assert_eq!(d["client_dispatch_final_address_contact"], "UK1 Goods In", "{b:?}: sent fields shown back");
    let number = d["inbound_number"].as_str().unwrap().to_owned();
    // The same reference again is refused by name.
    let (s, body) = app.post_json(DISPATCH_UPLOAD, &json!([dispatch("CD-REF-1", entries.clone())])).await;
    assert_eq!((s, body["message"].as_str()), (500, Some("Duplicate client dispatch reference [CD-REF-1]")));
    // A bad second element creates nothing.
    let mut bad = dispatch("CD-REF-3", entries.clone());
    bad["final_freight_method"] = json!("CAMEL");
    let (_, body) = app.post_json(DISPATCH_UPLOAD, &json!([dispatch("CD-REF-2", entries.clone()), bad])).await;
    assert!(body["message"].as_str().unwrap().starts_with("Row 2: final_freight_method"), "{body}");
    let (_, body) = app
        .post_json(
            DISPATCH_UPLOAD,
            &json!([dispatch("CD-REF-2", entries.clone()), dispatch("CD-REF-2", entries.clone())]),
        )
        .await;
    assert_eq!(body["message"], "Row 2: Duplicate client dispatch reference [CD-REF-2]");
    let (_, list) = app.get("/client/Client-Dispatch").await;
    assert_eq!(list["total"], 1, "{b:?}: nothing else created");
    assert_eq!(
        app.store.stock(&app.client, &[app.mug], None).await.unwrap()[0]
            .position
            .get(entrepot_core::inventory::Bucket::InTransit),
        15
    );
    // The dispatch by id, and its container products.
    let (_, one) = app.get(&format!("/client/Client-Dispatch?id={id}")).await;
    assert_eq!((one["total"].as_i64(), one["data"][0]["status"].as_str()), (Some(1), Some("SUBMITTED")));
    let path = format!("/client/Client-Dispatch-Container-Product?client_dispatch_id={id}");
    let (s, rows) = app.get(&path).await;
    assert_eq!((s, rows["total"].as_i64()), (200, Some(3)), "{b:?}: {rows}");
    let r0 = &rows["data"][0];
    assert_eq!(r0["client_dispatch_id"], id.as_str());
    for key in [
        "id",
        "client_dispatch_container_id",
        "product_id",
        "quantity",
        "quantity_check",
        "quantity_stock",
        "product_name",
        "product_name_customs",
    ] {
        assert!(r0.get(key).is_some(), "{b:?}: column {key}");
    }
    assert_eq!(rows["data"][1]["client_dispatch_container_id"], rows["data"][2]["client_dispatch_container_id"]);
    assert_ne!(rows["data"][0]["client_dispatch_container_id"], rows["data"][1]["client_dispatch_container_id"]);
    // The warehouse counts and shelves.
    app.store.receive_inbound(&app.client, &number, app.mug, 12).await.unwrap();
    app.store.put_away_inbound(&app.client, &number, app.mug, 8).await.unwrap();
    app.store.receive_inbound(&app.client, &number, app.battery, 4).await.unwrap();
    app.store.put_away_inbound(&app.client, &number, app.battery, 4).await.unwrap();
    let (_, rows) = app.get(&path).await;
    let counts: Vec<(String, String, String)> = rows["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let t = |k: &str| r[k].as_str().unwrap().to_owned();
            (t("quantity"), t("quantity_check"), t("quantity_stock"))
        })
        .collect();
    let want = |q: &str, c: &str, s: &str| (q.to_owned(), c.to_owned(), s.to_owned());
    assert_eq!(counts, vec![want("10", "10", "8"), want("4", "4", "4"), want("5", "2", "0")], "{b:?}");
    let (_, sel) = app.get(&format!("{path}&selectFields=quantity_stock&limit=50&filter=[{{\"type\":\"numeric\",\"comparison\":\"gt\",\"value\":1,\"field\":\"quantity_stock\"}}]")).await;
    assert_eq!(sel["total"], 2, "{b:?}: {sel}");
    assert_eq!(sel["data"][0].as_object().unwrap().len(), 2, "only the selected field and the id");
    let (_, one) = app.get(&format!("/client/Client-Dispatch?id={id}")).await;
    assert_eq!(
        (one["data"][0]["status"].as_str(), one["data"][0]["total_quantity_stock"].as_str()),
        (Some("PUTTING_AWAY"), Some("12"))
    );
    assert_eq!(app.available(app.mug).await, 108);
    // Another tenant sees nothing of it and cannot ship our products in.
    let (_, theirs) = App::send(as_other(&app, Method::GET, &format!("/client/Client-Dispatch?id={id}"))).await;
    assert_eq!(theirs["total"], 0, "{b:?}");
    let (s, theirs) = App::send(as_other(&app, Method::GET, &path)).await;
    assert_eq!(
        (s, theirs["message"].as_str()),
        (500, Some(format!("Client dispatch {id} does not exist or does not belong to you.").as_str()))
    );
    let (_, theirs) = App::send(
        as_other(&app, Method::POST, DISPATCH_UPLOAD).json(&json!([dispatch("X-1", json!([entry("C1", mug, 1)]))])),
    )
    .await;
    assert_eq!(theirs["message"], format!("Product with id {mug} does not belong to you."));
    let (s, _) = App::send(app.http.get(format!("{}{path}", app.base))).await;
    assert_eq!(s, 403, "{b:?}: login required");
    app.assert_books_balance().await;
}

/// Width and height from a PNG's IHDR, after checking the signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |k: usize| u32::from_be_bytes([bytes[k], bytes[k + 1], bytes[k + 2], bytes[k + 3]]);
    (be(16), be(20))
}

async fn png(app: &App, path: &str) -> (u16, String, Vec<u8>) {
    let r = app.req(Method::GET, path).send().await.unwrap();
    let status = r.status().as_u16();
    let ctype = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, ctype, r.bytes().await.unwrap().to_vec())
}

#[each_backend]
async fn barcode_png(b: Backend) {
    let app = App::start(b).await;
    let (s, ctype, short) = png(&app, "/client/Printer/Barcode/1234?barHeight=25").await;
    assert_eq!((s, ctype.as_str()), (200, "image/png"), "{b:?}");
    let (w_short, h_short) = png_size(&short);
    let (s, _, long) = png(&app, "/client/printer/barcode/2012090360000378-AB?barHeight=25").await;
    assert_eq!(s, 200);
    let (w_long, h_long) = png_size(&long);
    assert!(w_long > w_short, "{b:?}: {w_long} > {w_short}");
    assert_eq!(h_long, h_short, "same bar height and caption");
    let (_, _, tall) = png(&app, "/client/Printer/Barcode/1234?barHeight=100").await;
    assert_eq!(png_size(&tall).1, h_short + 75, "{b:?}: barHeight is in pixels");
    let (_, _, huge) = png(&app, "/client/Printer/Barcode/1234?barHeight=99999&drawText=0").await;
    assert_eq!(png_size(&huge).1, 500, "{b:?}: clamped, no caption");
    // Text Code128 cannot carry is a Bird error.
    let (s, body) = app.get("/client/Printer/Barcode/%E4%BA%A7%E5%93%81").await;
    assert_eq!((s, body["success"].clone()), (500, json!(false)), "{b:?}: {body}");
    let (s, body) = app.get(&format!("/client/Printer/Barcode/{}", "9".repeat(129))).await;
    assert_eq!(s, 500);
    assert!(body["message"].as_str().unwrap().contains("too long"), "{body}");
    let (s, body) = app.get("/client/Printer/Barcode/12?barHeight=tall").await;
    assert_eq!((s, body["message"].as_str()), (500, Some("barHeight must be a number")));
    // Bird auth like everything else.
    let r = app.http.get(format!("{}/client/Printer/Barcode/1234", app.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403, "{b:?}");
}

/// The older CLIENT_DIRECT bulk create (spec §1.7) takes form 4's body and makes CLIENT_DIRECT
/// orders, whatever `type` the query names.
#[each_backend]
async fn batch_create_client_direct_is_form_4(b: Backend) {
    let app = App::start(b).await;
    let packages = json!([{"reference": "P1", "length": "30", "width": "20", "depth": "10", "weight": "1.2"}]);
    for (path, identity) in [
        ("/client/Consignment/Batch-Create-Client-Direct-Consignment", "CD-OLD-1"),
        ("/client/consignment/batch-create-client-direct-consignment?type=local", "CD-OLD-2"),
    ] {
        let (s, body) = app.post_json(path, &json!([client_direct_row(identity, packages.clone())])).await;
        assert_eq!(s, 200, "{b:?} {path}: {body}");
        let row = &body["data"][0];
        assert_eq!((row["type"].as_str(), row["status"].as_str()), (Some("CLIENT_DIRECT"), Some("PENDING")), "{path}");
        assert_eq!((row["total_weight"].as_str(), row["packages"].clone()), (Some("1200.00"), packages.clone()));
    }
    // A row without packages is refused as on the pending route.
    let before = order_count(&app).await;
    let path = "/client/consignment/batch-create-client-direct-consignment";
    let (s, body) = app.post_json(path, &json!([client_direct_row("CD-OLD-3", json!([]))])).await;
    assert_eq!((s, body["message"].as_str()), (500, Some("packages is required")), "{body}");
    assert_eq!(order_count(&app).await, before);
    app.assert_books_balance().await;
}

/// A CLIENT_DIRECT consignment's packages read back as parcel pieces (spec §1.7), in grams and
/// millimetres; another client cannot read them; an order packed in the warehouse has none.
#[each_backend]
async fn parcel_pieces_are_the_client_direct_packages(b: Backend) {
    let app = App::start(b).await;
    let packages = json!([
        {"reference": "P1", "length": "30", "width": "20", "depth": "10.5", "weight": "1.2"},
        {"reference": "P2", "length": 10, "width": 10, "depth": 10, "weight": 0.5, "description": "lids"},
    ]);
    let path = format!("{PENDING}?type=client_direct");
    let (_, body) = app.post_json(&path, &json!([client_direct_row("CD-PP", packages)])).await;
    let cid = body["data"][0]["id"].as_str().unwrap().to_owned();
    let (s, body) = app.get(&format!("/client/Consignment-Parcel-Piece?consignment_id={cid}")).await;
    assert_eq!(s, 200, "{b:?} {body}");
    assert_eq!(body["total"], 2, "{body}");
    let first = body["data"][0].clone();
    assert_eq!(
        first,
        json!({"id": format!("{cid}0001"), "serial": "1", "consignment_id": cid, "reference": "P1",
               "delivery_reference": null, "weight": "1200", "length": "300", "width": "200", "depth": "105",
               "description": null, "create_time": first["create_time"], "primary_keys": ["id"]})
    );
    assert_eq!(first["create_time"].as_str().unwrap().len(), 19, "{first}");
    assert_eq!(
        (body["data"][1]["weight"].as_str(), body["data"][1]["description"].as_str()),
        (Some("500"), Some("lids"))
    );
    // The list language, typed: serial as an integer, weight as a decimal.
    let filter = r#"[{"property":"weight","type":"numeric","comparison":"lt","value":"600"}]"#;
    let (_, body) = app
        .get(&format!("/client/consignment-parcel-piece?consignment_id={cid}&filter={}", filter.replace('"', "%22")))
        .await;
    assert_eq!((body["total"].clone(), body["data"][0]["serial"].clone()), (json!(1), json!("2")), "{body}");
    // Another client: refused as an unknown consignment.
    let url = format!("{}/client/Consignment-Parcel-Piece?consignment_id={cid}", app.base);
    let (s, body) = App::send(app.http.get(url).header("api_key", &app.other_key)).await;
    assert_eq!((s, body["success"].clone()), (500, json!(false)), "{body}");
    assert!(body["message"].as_str().unwrap().contains("does not belong to you"), "{body}");
    // A stock order has no pieces; consignment_id is required.
    let (_, body) = app.post_json(PENDING, &json!([pending_row("PP-STOCK", "IP-XX3355", 1)])).await;
    let stock = body["data"][0]["id"].as_str().unwrap().to_owned();
    let (_, body) = app.get(&format!("/client/Consignment-Parcel-Piece?consignment_id={stock}")).await;
    assert_eq!((body["total"].clone(), body["data"].clone()), (json!(0), json!([])), "{body}");
    let (s, body) = app.get("/client/Consignment-Parcel-Piece").await;
    assert_eq!((s, body["message"].as_str()), (500, Some("consignment_id is required")), "{body}");
}
