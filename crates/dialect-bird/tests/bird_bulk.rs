//! Method B over a real socket on both backends: temp upload, background conversion, task status.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::App;
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

/// The seed's temp row, adapted to the harness's products and services.
fn temp_row(thirty: &str, product_ref: &str) -> Value {
    json!({
        "contact": "test", "business_name": null, "address_line1": "123", "address_line2": "", "address_line3": null,
        "city": "Atlanta", "county": "", "post_code": "30309", "country_name": "United Kingdom", "telephone": "", "email": null,
        "sales_order_id": "1234567654", "payment_reference": "P-1", "special_instruction": null,
        "#": "//产品sku*产品数量||eBay订单交易号||eBay产品ID,||平台销售单价",
        "product_company_ref": product_ref, "delivery_service_name": "Royal Mail Tracked 48", "status": "PENDING", "type": "LOCAL",
        "thirty_system_id": thirty, "sales_reference": format!("S-{thirty}"), "omp_name": "ebay", "shipper_eori": "GB000001234567",
        "reason_for_export": "Sale", "content_type": "Gift",
    })
}

#[each_backend]
async fn upload_convert_and_follow_the_task(b: Backend) {
    let app = App::start(b).await;
    let mug = app.mug.0;
    let rows = json!([
        temp_row("2222", &format!("IP-XX3355*1||ebayid||ebatproduct||18+{mug}*2||ebayid2||ebatproduct2||20")),
        temp_row("2223", "PWR-1*3"),
        temp_row("2224", "NO-SUCH-SKU*1"),
    ]);
    let (s, body) = app.post_json("/client/Consignment-Upload/Temp-Consignment-Json", &rows).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    assert_eq!(body["message"], "File successfully uploaded! 3 records has been imported.");
    let temp_ids: Vec<String> =
        ["2222", "2223", "2224"].iter().map(|k| body["data"][k].as_str().unwrap().to_owned()).collect();
    // Required fields, every failing row named, nothing imported.
    let mut bad = temp_row("9", "IP-XX3355*1");
    bad.as_object_mut().unwrap().remove("contact");
    let (s, body) = app
        .post_json("/client/Consignment-Upload/Temp-Consignment-Json", &json!([temp_row("8", "IP-XX3355*1"), bad]))
        .await;
    assert_eq!(s, 500);
    let msg = body["message"].as_str().unwrap();
    assert!(msg.starts_with("Accounted the following exceptions:<br>  Row: 2 : Bulk Order with required the following fields:contact, post_code, city, country_name, product sku, quantity, address_line1."), "{msg}");
    let (_, listed) = app.get("/client/Temp-Consignment-Info").await;
    assert_eq!(listed["total"], 3, "{b:?}: the failed upload imported nothing");
    // Convert all LOCAL rows in the background.
    let (s, body) = app.get("/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=LOCAL").await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["numberOfTotalConsignmentsToProcess"], 3);
    let detail = app.wait_finished(&body["taskId"]).await;
    assert_eq!(detail["status"], "FINISH", "{b:?}: {detail}");
    let c1 = detail["data"][&temp_ids[0]].as_str().unwrap().to_owned();
    assert_eq!(c1.len(), 16);
    assert!(detail["data"][&temp_ids[1]].is_string());
    assert!(detail["errorData"][&temp_ids[2]].as_str().unwrap().contains("NO-SUCH-SKU"), "{detail}");
    let (_, c) = app.get(&format!("/client/Consignment?id={c1}")).await;
    assert_eq!(
        (c["data"][0]["status"].clone(), c["data"][0]["consignment_product_quantity"].clone()),
        (json!("PENDING"), json!("3"))
    );
    assert_eq!(c["data"][0]["sales_reference"], "S-2222");
    assert_eq!(app.available(app.mug).await, 97);
    // Converting again does nothing twice: the rows are converted; the problem row stays.
    let (_, again) = app
        .get(&format!("/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=LOCAL&ids={}", temp_ids.join("_")))
        .await;
    let detail = app.wait_finished(&again["taskId"]).await;
    assert_eq!(detail["data"][&temp_ids[0]], c1.as_str(), "{b:?}: same consignment");
    assert_eq!(app.store.list_orders(&app.client, &Default::default()).await.unwrap().1, 2);
    // Another client cannot see the task or convert the rows.
    let other = app
        .http
        .get(format!("{}/client/Gearman-background-tasks/Get-Detail?id={}", app.base, again["taskId"]))
        .header("api_key", &app.other_key)
        .header("company_id", "1");
    let (s, _) = App::send(other).await;
    assert_eq!(s, 500);
    let other = app
        .http
        .get(format!(
            "{}/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=LOCAL&ids={}",
            app.base, temp_ids[2]
        ))
        .header("api_key", &app.other_key)
        .header("company_id", "1");
    let (s, _) = App::send(other).await;
    assert_eq!(s, 500);
    // The single-row form.
    let (s, body) = app
        .post_form(
            "/client/Temp-Consignment-Info",
            &[
                ("contact", "A"),
                ("address_line_1", "1 St"),
                ("city", "Leeds"),
                ("country_name", "UK"),
                ("post_code", "LS1"),
                ("delivery_service_name", "Royal Mail Tracked 48"),
                ("product_company_ref", "IP-XX3355*1+PWR-1*1"),
                ("quantity", "2"),
                ("sales_reference", "F-1"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let (_, conv) = app
        .get(&format!(
            "/client/Temp-Consignment-Info/Convert-Into-Consignment?type=LOCAL&ids={}",
            body["data"]["id"].as_str().unwrap()
        ))
        .await;
    let detail = app.wait_finished(&conv["taskId"]).await;
    assert_eq!(detail["data"].as_object().unwrap().len(), 1, "{detail}");
    assert_eq!(app.available(app.mug).await, 95, "row quantity 2 multiplies the items");
    app.assert_books_balance().await;
}

/// AGENT_DIRECT bulk rows carry their products in the extended `product_company_ref` form; the
/// conversion creates the products with the consignment.
#[each_backend]
async fn agent_direct_rows_create_their_products(b: Backend) {
    let app = App::start(b).await;
    let mut row = temp_row("7001", "Product1##产品##062589||2||10||其他||www.baidu.com||5||4202929190||cn*1+Product2##产品2##78954623||2||30||电池,其他||www.baidu.com||5||4202929190||cn*2");
    row["type"] = json!("AGENT_DIRECT");
    let (s, body) = app.post_json("/client/Consignment-Upload/Temp-Consignment-Json", &json!([row])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let temp = body["data"]["7001"].as_str().unwrap().to_owned();
    let (_, conv) = app.get("/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=AGENT_DIRECT").await;
    assert_eq!(conv["numberOfTotalConsignmentsToProcess"], 1);
    let detail = app.wait_finished(&conv["taskId"]).await;
    let cid = detail["data"][&temp].as_str().unwrap_or_else(|| panic!("{b:?}: {detail}")).to_owned();
    let (_, c) = app.get(&format!("/client/Consignment?id={cid}")).await;
    assert_eq!(
        (c["data"][0]["type"].clone(), c["data"][0]["consignment_product_quantity"].clone()),
        (json!("AGENT_DIRECT"), json!("3"))
    );
    let (_, p) = app.get("/client/Product?client_ref=78954623").await;
    assert_eq!(p["data"][0]["name_customs"], "Product2", "{b:?}: {p}");
    app.assert_books_balance().await;
}
