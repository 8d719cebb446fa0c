//! Carrier-conditional fields on the real binary with demo data, both backends: each compliance
//! field a service requires is refused with the field's name and the service's rule until given,
//! formats and allowed values are checked, compensation for delay only where the service offers
//! it and not to remote postcodes, and an urgent order pays the rate card's surcharge. What was
//! sent reads back the same through Bird and through the native API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{call, login, PW};
use common::*;
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";

/// A method C row to `country` on the demo's DPD export service (Bird id 2002).
fn dpd_row(sku: &str, country: &str, post_code: &str) -> Value {
    json!({
        "delivery_service_id": "2002", "contact": "Ana García", "address_line1": "Calle Mayor 1", "city": "Madrid",
        "post_code": post_code, "country_iso": country, "type": "LOCAL", "ioss_vat_number": "IM1234567890",
        "products": [{"client_sku": sku, "quantity": 1, "sales_price": 12.5, "ebay_transaction_id": "T-1", "ebay_item_no": "I-1"}]
    })
}

#[each_backend]
async fn carrier_rules_refuse_by_name_and_what_was_sent_reads_back(backend: Backend) {
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &db.url, true);
    admin_ok(
        &db.url,
        &[
            "user",
            "create",
            "--password",
            PW,
            "--username",
            "seller",
            "--role",
            "seller",
            "--client",
            "Demo Seller Ltd",
        ],
    );
    let creds: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let bird = BirdErp {
        base: server.base.clone(),
        key: creds["bird"]["api_key"].as_str().unwrap().to_owned(),
        company_id: "1".into(),
    };
    let sku = creds["skus"].as_array().unwrap().iter().find(|s| s["warehouse"] == "UK1").unwrap();
    let sku = sku["client_ref"].as_str().unwrap().to_owned();
    let http = reqwest::Client::new();
    // Method C answers HTTP 500 with Bird's envelope on a refusal: its message.
    let refusal = |row: Value| {
        let req = http
            .post(format!("{}{PENDING}", server.base))
            .header("api_key", &bird.key)
            .header("company_id", "1")
            .json(&json!([row]));
        async move {
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap();
            assert_eq!((status, body["success"].clone()), (500, json!(false)), "{body}");
            body["message"].as_str().unwrap().to_owned()
        }
    };
    let expect = |msg: String, want: &str| assert!(msg.contains(want), "{backend:?}: '{msg}' should say '{want}'");

    // DPD, Spain: one field at a time, each named with the rule that needs it.
    let mut row = dpd_row(&sku, "ES", "28013");
    expect(
        refusal(row.clone()).await,
        "shipper_eori: is required by service GBIntStd_DPDOnly (DPD) for exports (GB → ES)",
    );
    row["shipper_eori"] = json!("12345000");
    expect(refusal(row.clone()).await, "shipper_eori: '12345000' is not an EORI number");
    row["shipper_eori"] = json!("GB000001234567");
    expect(refusal(row.clone()).await, "reason_for_export: is required by service GBIntStd_DPDOnly (DPD)");
    row["reason_for_export"] = json!("Present");
    expect(refusal(row.clone()).await, "reason_for_export: 'Present' is not one of Sale, ReturnReplacement, Gift");
    row["reason_for_export"] = json!("SALE");
    expect(
        refusal(row.clone()).await,
        "receiver_pid_number: is required by service GBIntStd_DPDOnly (DPD) for exports to NO, ES, IT",
    );
    row["receiver_pid_number"] = json!("X1234567L");
    row["business_name"] = json!("Garcia Importaciones SL");
    expect(
        refusal(row.clone()).await,
        "omp_vat_number: is required by service GBIntStd_DPDOnly (DPD) for exports to a business",
    );
    row["omp_vat_number"] = json!("GB123456789");
    expect(
        refusal(row.clone()).await,
        "receiver_eori: is required by service GBIntStd_DPDOnly (DPD) for exports to a business",
    );
    row["receiver_eori"] = json!("ESB12345678");
    row["content_type"] = json!("Parcel");
    expect(refusal(row.clone()).await, "content_type: 'Parcel' is not one of Gift, Documents, Other");
    row["content_type"] = json!("Other");
    row["is_compensation_for_delay"] = json!("1");
    expect(
        refusal(row.clone()).await,
        "is_compensation_for_delay: service GBIntStd_DPDOnly does not offer compensation for delay",
    );
    row["is_compensation_for_delay"] = json!("0");
    row["is_urgent"] = json!("maybe");
    expect(refusal(row.clone()).await, "is_urgent: 'maybe' is not 0 or 1");
    row["is_urgent"] = json!("1");
    row["omp_name"] = json!("ebay");
    row["sales_order_id"] = json!("12-34567-89012");
    let placed = bird.post_json(PENDING, &json!([row])).await;
    let id = placed["data"][0]["id"].as_str().map(str::to_owned).unwrap_or_else(|| placed["data"][0]["id"].to_string());

    // Bird reads back what was sent, and the urgent surcharge (1.50) on the handling fee (1.20).
    let got = bird.get(&format!("/client/Consignment?id={id}")).await["data"][0].clone();
    for (field, sent) in [
        ("shipper_eori", "GB000001234567"),
        ("reason_for_export", "SALE"),
        ("content_type", "Other"),
        ("omp_name", "ebay"),
        ("omp_vat_number", "GB123456789"),
        ("receiver_eori", "ESB12345678"),
        ("receiver_pid_number", "X1234567L"),
        ("sales_order_id", "12-34567-89012"),
        ("ioss_vat_number", "IM1234567890"),
        ("is_urgent", "1"),
        ("is_compensation_for_delay", "0"),
    ] {
        assert_eq!(got[field], json!(sent), "{backend:?}: {field} in {got}");
    }
    assert_eq!(got["total_handling_fee"], "2.70", "{backend:?}: {got}");
    let urgent =
        bird.get(&format!(r#"/client/Consignment?id={id}&filter=[{{"property":"is_urgent","value":"true"}}]"#)).await;
    assert_eq!(urgent["data"].as_array().unwrap().len(), 1, "{urgent}");

    // The native API shows the same, with the line's sale.
    let seller = login(&server.base, "seller", PW).await;
    let o = call(&server.base, seller.bearer(), "GET /api/v1/orders/{key}", &[&id], "", None).await;
    assert_eq!(o.status, 200, "{}", o.body);
    assert_eq!(
        o.body["compliance"],
        json!({
            "platform": "ebay", "platform_order_id": "12-34567-89012", "ioss_vat_number": "IM1234567890",
            "omp_vat_number": "GB123456789", "shipper_eori": "GB000001234567", "reason_for_export": "SALE",
            "content_type": "Other", "receiver_eori": "ESB12345678", "receiver_pid_number": "X1234567L",
            "urgent": true, "compensation_for_delay": false
        }),
        "{backend:?}"
    );
    assert_eq!(o.body["handling_fee"], 270);
    let line = &o.body["lines"][0];
    assert_eq!(
        (line["sales_price"].clone(), line["ebay_transaction_id"].clone(), line["ebay_item_no"].clone()),
        (json!({"minor": 1250, "currency": "USD"}), json!("T-1"), json!("I-1")),
        "{backend:?}: {line}"
    );

    // Royal Mail's export rules: the platform, then the content type.
    let mut rm = dpd_row(&sku, "US", "10001");
    rm["delivery_service_id"] = json!("2001");
    rm["ioss_vat_number"] = json!(null);
    rm["shipper_eori"] = json!("GB000001234567");
    expect(
        refusal(rm.clone()).await,
        "omp_name: is required by service GBInternationalStandard (ROYALMAIL) for exports (GB → US)",
    );
    rm["omp_name"] = json!("amazon");
    expect(refusal(rm.clone()).await, "content_type: is required by service GBInternationalStandard (ROYALMAIL)");

    // Compensation for delay on Tracked 48, which offers it, but not to the Outer Hebrides.
    let mut home = dpd_row(&sku, "GB", "HS1 2AB");
    home["delivery_service_id"] = json!("139");
    home["ioss_vat_number"] = json!(null);
    home["is_compensation_for_delay"] = json!(1);
    expect(refusal(home.clone()).await, "offers no compensation for delay to remote postcode HS1 2AB (area HS)");
    home["post_code"] = json!("LS1 1AA");
    let placed = bird.post_json(PENDING, &json!([home])).await;
    let id = placed["data"][0]["id"].as_str().map(str::to_owned).unwrap_or_else(|| placed["data"][0]["id"].to_string());
    let got = bird.get(&format!("/client/Consignment?id={id}")).await["data"][0].clone();
    assert_eq!((got["is_compensation_for_delay"].clone(), got["is_urgent"].clone()), (json!("1"), json!("0")), "{got}");

    // The services tell an ERP their rules.
    let services = bird.get("/client/Delivery-Service?id=2002").await;
    let dpd = &services["data"][0];
    assert_eq!(
        dpd["required_field_list"],
        "shipper_eori,reason_for_export,omp_vat_number:business,receiver_eori:business,receiver_pid_number:NO,ES,IT",
        "{dpd}"
    );
    assert_eq!(
        (
            dpd["is_allow_urgent_consignment"].clone(),
            dpd["handling_fee_urgent_consignment"].clone(),
            dpd["is_customs_required"].clone()
        ),
        (json!("1"), json!("1.50"), json!("1"))
    );
    assert_eq!(dpd["is_allow_compensation_for_delay"], "0");
    assert_check(&db.url);
    drop(server);
}
