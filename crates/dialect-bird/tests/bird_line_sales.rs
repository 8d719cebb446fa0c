//! Per-line platform sales (`sales_price`, `ebay_transaction_id`, `ebay_item_no`) and the
//! consignment's `sales_price` over a real socket on both backends: sent through each of the
//! three creation methods, read back in the consignment and consignment-product rows with the
//! totals Bird computes, and every malformed value refused with a message naming the field.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{pending_row, App};
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";
const TEMP_UPLOAD: &str = "/client/Consignment-Upload/Temp-Consignment-Json";

/// The consignment row and its product rows, by Bird id.
async fn read_back(app: &App, cid: &str) -> (Value, Vec<Value>) {
    let (s, c) = app.get(&format!("/client/Consignment?id={cid}")).await;
    assert_eq!(s, 200, "{c}");
    let (s, lines) = app.get(&format!("/client/Consignment-Product?consignment_id={cid}")).await;
    assert_eq!(s, 200, "{lines}");
    (c["data"][0].clone(), lines["data"].as_array().unwrap().clone())
}

/// One product row's sale, by product id.
fn sale_of(lines: &[Value], product: i64) -> (Value, Value, Value, Value) {
    let l = lines
        .iter()
        .find(|l| l["product_id"].as_str().and_then(|p| p.parse::<i64>().ok()) == Some(product))
        .unwrap_or_else(|| panic!("{lines:?}"));
    (
        l["sales_price"].clone(),
        l["total_sales_price"].clone(),
        l["ebay_transaction_id"].clone(),
        l["ebay_item_no"].clone(),
    )
}

/// Method C: product objects carry their sale; the consignment its own price.
#[each_backend]
async fn method_c_products_carry_prices_and_ebay_ids(b: Backend) {
    let app = App::start(b).await;
    let mut row = pending_row("SALE-C1", "IP-XX3355", 2);
    row["sales_price"] = json!("24.000");
    row["products"] = json!([
        {"client_sku": "IP-XX3355", "quantity": 2, "sales_price": "10.5", "ebay_transaction_id": "yuhao0001", "ebay_item_no": "0001yuhao"},
        {"id": app.battery.0, "quantity": 1, "sales_price": 3},
    ]);
    let (s, body) = app.post_json(PENDING, &json!([row])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let created = &body["data"][0];
    assert_eq!(
        (created["sales_price"].clone(), created["total_sales_price"].clone()),
        (json!("24.000"), json!("24.00"))
    );
    let cid = created["id"].as_str().unwrap().to_owned();
    let (c, lines) = read_back(&app, &cid).await;
    assert_eq!((c["sales_price"].clone(), c["total_sales_price"].clone()), (json!("24.000"), json!("24.00")), "{b:?}");
    assert_eq!(
        sale_of(&lines, app.mug.0),
        (json!("10.500"), json!("21.00"), json!("yuhao0001"), json!("0001yuhao")),
        "{b:?}: 10.50 × 2"
    );
    assert_eq!(sale_of(&lines, app.battery.0), (json!("3.000"), json!("3.00"), Value::Null, Value::Null));
    // The seed's own example row (10 × 1 with eBay ids) and a row without any sale.
    let (s, body) = app
        .post_json(PENDING, &json!([pending_row("SALE-C2", "IP-XX3355", 1), pending_row("SALE-C3", "PWR-1", 1)]))
        .await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let (c, lines) = read_back(&app, body["data"][0]["id"].as_str().unwrap()).await;
    assert_eq!((c["sales_price"].clone(), c["total_sales_price"].clone()), (Value::Null, json!("10.00")));
    assert_eq!(sale_of(&lines, app.mug.0), (json!("10.000"), json!("10.00"), json!("yuhao0001"), json!("0001yuhao")));
    let mut bare = pending_row("SALE-C4", "PWR-1", 1);
    bare["products"] = json!([{"client_sku": "PWR-1", "quantity": 1}]);
    let (_, body) = app.post_json(PENDING, &json!([bare])).await;
    let (c, lines) = read_back(&app, body["data"][0]["id"].as_str().unwrap()).await;
    assert_eq!((c["total_sales_price"].clone(), sale_of(&lines, app.battery.0).0), (json!("0.00"), Value::Null));
    // AGENT_DIRECT product objects (sales_price required) and the string form's
    // PlatformSalesPrice, ebayTransactionId and ebayItemNo.
    let agent = json!({
        "type": "AGENT_DIRECT", "delivery_service_id": "139", "custom_identity_reference": "SALE-AD1",
        "contact": "Norman Drury", "address_line1": "3, Northam Close", "city": "Southport", "post_code": "PR9 9GA",
        "country_iso": "GB", "products": [{
            "product_name": "Cup", "product_name_cn": "杯子", "client_ref": "AD-CUP", "price_customs_export": "2.50",
            "sales_price": "9.99", "ebay_transaction_id": "tx-ad", "ebay_item_no": "it-ad", "weight": "250",
            "quantity": 2, "product_customs_property": ["普货"], "attachment-url": "https://img.example/cup.png",
        }],
    });
    let string_form = json!({
        "type": "AGENT_DIRECT", "delivery_service_id": "139", "custom_identity_reference": "SALE-AD2",
        "contact": "Norman Drury", "address_line1": "3, Northam Close", "city": "Southport", "post_code": "PR9 9GA",
        "country_iso": "GB",
        "product_company_ref": "Bag##包##AD-BAG*3||2||100||其他||https://img.example/bag.png||12.5||4202929190||cn||tx-bag||it-bag",
    });
    let (s, body) = app.post_json(PENDING, &json!([agent, string_form])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let cup = app.get("/client/Product?client_ref=AD-CUP").await.1["data"][0]["id"].as_str().unwrap().parse().unwrap();
    let bag = app.get("/client/Product?client_ref=AD-BAG").await.1["data"][0]["id"].as_str().unwrap().parse().unwrap();
    let (c, lines) = read_back(&app, body["data"][0]["id"].as_str().unwrap()).await;
    assert_eq!(c["total_sales_price"], "19.98", "{b:?}");
    assert_eq!(sale_of(&lines, cup), (json!("9.990"), json!("19.98"), json!("tx-ad"), json!("it-ad")));
    let (c, lines) = read_back(&app, body["data"][1]["id"].as_str().unwrap()).await;
    assert_eq!(c["total_sales_price"], "37.50", "{b:?}");
    assert_eq!(sale_of(&lines, bag), (json!("12.500"), json!("37.50"), json!("tx-bag"), json!("it-bag")));
    app.assert_books_balance().await;
}

/// Method A: the consignment's price with the create, each line's with its product; a draft
/// submitted keeps them.
#[each_backend]
async fn method_a_lines_carry_prices_through_submission(b: Backend) {
    let app = App::start(b).await;
    let (s, body) = app
        .post_form(
            "/client/Consignment",
            &[
                ("delivery_service_id", "139"),
                ("contact", "Ann"),
                ("address_line1", "1 Road"),
                ("city", "Leeds"),
                ("post_code", "LS1 1AA"),
                ("country_iso", "GB"),
                ("sales_price", "7.5"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let cid = body["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(body["data"]["sales_price"], "7.500");
    let mug = app.mug.0.to_string();
    let add = |qty: &'static str, price: &'static str, txn: &'static str| {
        let (cid, mug) = (cid.clone(), mug.clone());
        let app = &app;
        async move {
            app.post_form(
                "/client/Consignment-Product",
                &[
                    ("consignment_id", cid.as_str()),
                    ("product_id", mug.as_str()),
                    ("quantity", qty),
                    ("sales_price", price),
                    ("ebay_transaction_id", txn),
                    ("ebay_item_no", "item-1"),
                ],
            )
            .await
        }
    };
    let (s, line) = add("1", "2.25", "txn-1").await;
    assert_eq!(s, 200, "{b:?}: {line}");
    assert_eq!(
        (line["data"]["sales_price"].clone(), line["data"]["total_sales_price"].clone()),
        (json!("2.250"), json!("2.25"))
    );
    // The same product again with the same sale adds up; with another, it is refused.
    let (s, line) = add("2", "2.25", "txn-1").await;
    assert_eq!(
        (s, line["data"]["quantity"].clone(), line["data"]["total_sales_price"].clone()),
        (200, json!("3"), json!("6.75"))
    );
    let (s, refused) = add("1", "3", "txn-1").await;
    assert_eq!(s, 500);
    assert_eq!(
        refused["message"],
        format!("sales_price: product {mug} is listed twice with different values; list it once")
    );
    let (s, _) =
        app.post_form("/client/Consignment/Batch-Update-Status", &[("ids", cid.as_str()), ("status", "PENDING")]).await;
    assert_eq!(s, 200);
    let (c, lines) = read_back(&app, &cid).await;
    assert_eq!(
        (c["status"].clone(), c["sales_price"].clone(), c["total_sales_price"].clone()),
        (json!("PENDING"), json!("7.500"), json!("6.75")),
        "{b:?}"
    );
    assert_eq!(sale_of(&lines, app.mug.0), (json!("2.250"), json!("6.75"), json!("txn-1"), json!("item-1")));
    app.assert_books_balance().await;
}

fn temp_row(thirty: &str, product_ref: &str) -> Value {
    json!({
        "contact": "test", "address_line1": "123", "city": "Atlanta", "post_code": "30309",
        "country_name": "United Kingdom", "product_company_ref": product_ref,
        "delivery_service_name": "Royal Mail Tracked 48", "status": "PENDING", "type": "LOCAL",
        "thirty_system_id": thirty, "sales_price": "38",
    })
}

/// Method B: the temp form's `sku*qty||ebayTransactionId||ebayItemNo||price` items.
#[each_backend]
async fn method_b_temp_items_carry_prices_and_ebay_ids(b: Backend) {
    let app = App::start(b).await;
    let battery = app.battery.0;
    let row = temp_row("T1", &format!("IP-XX3355*2||tx-1||item-1||9+{battery}*1||tx-2||item-2||20"));
    let (s, body) = app.post_json(TEMP_UPLOAD, &json!([row])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let temp = body["data"]["T1"].as_str().unwrap().to_owned();
    let (_, conv) = app.get("/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=LOCAL").await;
    let detail = app.wait_finished(&conv["taskId"]).await;
    let cid = detail["data"][&temp].as_str().unwrap_or_else(|| panic!("{b:?}: {detail}")).to_owned();
    let (c, lines) = read_back(&app, &cid).await;
    assert_eq!((c["sales_price"].clone(), c["total_sales_price"].clone()), (json!("38.000"), json!("38.00")), "{b:?}");
    assert_eq!(sale_of(&lines, app.mug.0), (json!("9.000"), json!("18.00"), json!("tx-1"), json!("item-1")));
    assert_eq!(sale_of(&lines, battery), (json!("20.000"), json!("20.00"), json!("tx-2"), json!("item-2")));
    app.assert_books_balance().await;
}

/// Every malformed sale is refused with Bird's envelope and a message naming the field, and
/// nothing is created.
#[each_backend]
async fn malformed_sales_are_refused_naming_the_field(b: Backend) {
    let app = App::start(b).await;
    let cases = [
        ("-1", "must not be negative, got -1.00"),
        ("ten", "'ten' is not a decimal amount"),
        ("1.234", "'1.234' has more than 2 decimals"),
        ("10000000", "must be at most 9999999.99, got 10000000.00"),
    ];
    for (value, why) in cases {
        // Method C, a product's price and the consignment's.
        let mut row = pending_row("BAD-1", "IP-XX3355", 1);
        row["products"][0]["sales_price"] = json!(value);
        let (s, body) = app.post_json(PENDING, &json!([row])).await;
        assert_eq!((s, body["success"].clone()), (500, json!(false)), "{b:?}: {body}");
        assert_eq!(body["message"], format!("products[0].sales_price: {why}"), "{b:?}");
        let mut row = pending_row("BAD-1", "IP-XX3355", 1);
        row["sales_price"] = json!(value);
        let (s, body) = app.post_json(PENDING, &json!([pending_row("OK-1", "IP-XX3355", 1), row])).await;
        assert_eq!((s, body["message"].clone()), (500, json!(format!("Row 2: sales_price: {why}"))), "{b:?}");
        // Method A, the consignment's and a line's.
        let (s, body) = app
            .post_form(
                "/client/Consignment",
                &[
                    ("delivery_service_id", "139"),
                    ("contact", "Ann"),
                    ("address_line1", "1 Road"),
                    ("city", "Leeds"),
                    ("country_iso", "GB"),
                    ("sales_price", value),
                ],
            )
            .await;
        assert_eq!((s, body["message"].clone()), (500, json!(format!("sales_price: {why}"))), "{b:?}");
        // Method B, an item's price (at upload, nothing imported).
        let (s, body) =
            app.post_json(TEMP_UPLOAD, &json!([temp_row("B1", &format!("IP-XX3355*1||tx||it||{value}"))])).await;
        assert_eq!(s, 500);
        assert_eq!(
            body["message"],
            format!(
                "Accounted the following exceptions:<br>  Row: 1 : product_company_ref: item 1: sales_price: {why}<br>"
            ),
            "{b:?}"
        );
    }
    let (_, c) = app
        .post_form(
            "/client/Consignment",
            &[
                ("delivery_service_id", "139"),
                ("contact", "Ann"),
                ("address_line1", "1 Road"),
                ("city", "Leeds"),
                ("country_iso", "GB"),
            ],
        )
        .await;
    let cid = c["data"]["id"].as_str().unwrap().to_owned();
    let mug = app.mug.0.to_string();
    let (s, body) = app
        .post_form(
            "/client/Consignment-Product",
            &[
                ("consignment_id", cid.as_str()),
                ("product_id", mug.as_str()),
                ("quantity", "1"),
                ("sales_price", "-0.01"),
            ],
        )
        .await;
    assert_eq!((s, body["message"].clone()), (500, json!("sales_price: must not be negative, got -0.01")), "{b:?}");
    let long = "9".repeat(51);
    let (s, body) = app
        .post_form(
            "/client/Consignment-Product",
            &[
                ("consignment_id", cid.as_str()),
                ("product_id", mug.as_str()),
                ("quantity", "1"),
                ("ebay_item_no", long.as_str()),
            ],
        )
        .await;
    assert_eq!((s, body["message"].clone()), (500, json!("ebay_item_no: must be at most 50 characters")), "{b:?}");
    let mut row = pending_row("BAD-2", "IP-XX3355", 1);
    row["products"][0]["ebay_transaction_id"] = json!(long);
    let (_, body) = app.post_json(PENDING, &json!([row])).await;
    assert_eq!(body["message"], "products[0].ebay_transaction_id: must be at most 50 characters", "{b:?}");
    // AGENT_DIRECT's string form: its PlatformSalesPrice.
    let string_form = json!({
        "type": "AGENT_DIRECT", "delivery_service_id": "139", "contact": "N", "address_line1": "1", "city": "Southport",
        "post_code": "PR9 9GA", "country_iso": "GB",
        "product_company_ref": "Bag##包##AD-BAG*1||2||100||其他||https://img.example/bag.png||12.345",
    });
    let (_, body) = app.post_json(PENDING, &json!([string_form])).await;
    assert_eq!(body["message"], "product_company_ref: item 1: sales_price: '12.345' has more than 2 decimals", "{b:?}");
    // Nothing but the one draft was created.
    let (_, all) = app.get("/client/Consignment").await;
    assert_eq!(all["total"], 1, "{b:?}: {all}");
    app.assert_books_balance().await;
}
