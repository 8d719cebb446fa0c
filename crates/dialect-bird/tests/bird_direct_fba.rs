//! DIRECT and FBA consignments over a real socket on both backends, as LOCAL ones are tested: a
//! service that carries one consignment type (FBA UK, a direct line) takes that type only, and
//! `Delivery-Service` filters by it; each creation method that takes the type creates one,
//! reserving stock; the list filters by type; a cancel releases the stock; one ships and is
//! consumed. Bulk conversion leaves a failed row as a problem, retried only with
//! `includeProblemConsignments=1`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::App;
use entrepot_core::{
    ids::OrderId,
    inventory::{Bucket, Transfer},
    outbound::{OrderKind, OutboundStatus},
};
use entrepot_store::fixtures;
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";

async fn typed_service(app: &App, code: &str, bird_id: i64, name: &str, kind: OrderKind) {
    let mut s = fixtures::service("UK1", code, bird_id, name);
    s.constraints.consignment_type = Some(kind);
    // Freight lines: a pallet of 500 mugs is within its limits.
    s.constraints.max_weight_g = Some(200_000);
    app.store.create_service(s).await.unwrap();
}

fn row(kind: &str, service: &str, qty: i64) -> Value {
    json!({
        "type": kind, "delivery_service_id": service, "contact": "Amazon.co.uk", "business_name": "Amazon EU SARL (LBA4)",
        "address_line1": "Kingsway Business Park", "city": "Doncaster", "post_code": "DN4 5JS", "country_iso": "GB",
        "products": [{"client_sku": "IP-XX3355", "quantity": qty}]
    })
}

/// The ids of the consignments a list answer holds.
fn ids(body: &Value) -> Vec<String> {
    let mut v: Vec<String> =
        body["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
    v.sort();
    v
}

#[each_backend]
async fn direct_and_fba_consignments_go_through_as_local_ones_do(b: Backend) {
    let app = App::start(b).await;
    typed_service(&app, "GBDomesticFBA", 1677, "FBA UK", OrderKind::Fba).await;
    typed_service(&app, "GBDirectLine", 3001, "UK Direct Line", OrderKind::Direct).await;

    // The services say which type they carry, and filter by it.
    let (_, fba) = app.get("/client/Delivery-Service?consignment_type=FBA").await;
    assert_eq!(fba["data"].as_array().unwrap().iter().map(|s| s["id"].clone()).collect::<Vec<_>>(), [json!("1677")]);
    let (_, direct) = app.get("/client/Delivery-Service?consignment_type=DIRECT").await;
    assert_eq!(direct["data"][0]["name"], "UK Direct Line");
    assert_eq!(direct["total"], 1, "{direct}");

    // Method A: an FBA consignment, filled and submitted.
    let form = [
        ("type", "FBA"),
        ("delivery_service_id", "1677"),
        ("contact", "Amazon.co.uk"),
        ("business_name", "Amazon EU SARL (LBA4)"),
        ("address_line1", "Kingsway Business Park"),
        ("city", "Doncaster"),
        ("post_code", "DN4 5JS"),
        ("country_iso", "GB"),
        ("sales_reference", "FBA15ABCDE"),
    ];
    let (s, body) = app.post_form("/client/Consignment", &form).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let fba_id = body["data"]["id"].as_str().unwrap().to_owned();
    let mug = app.mug.0.to_string();
    let (s, body) = app
        .post_form(
            "/client/Consignment-Product",
            &[("consignment_id", &fba_id), ("product_id", &mug), ("quantity", "2")],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let (s, body) =
        app.post_form("/client/Consignment/Batch-Update-Status", &[("ids", &fba_id), ("status", "PENDING")]).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    assert_eq!(app.available(app.mug).await, 98);
    // The FBA service takes FBA only: a LOCAL consignment on it is refused, saying so.
    let mut local = form.to_vec();
    local[0] = ("type", "LOCAL");
    let (s, body) = app.post_form("/client/Consignment", &local).await;
    assert_eq!(
        (s, body["message"].clone()),
        (500, json!("delivery_service_id: service GBDomesticFBA carries FBA consignments only, not LOCAL")),
        "{b:?}"
    );

    // Method C: a DIRECT consignment on the direct line; FBA on the direct line is refused.
    let (s, body) = app.post_json(PENDING, &json!([row("DIRECT", "3001", 3)])).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let direct_c = body["data"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (body["data"][0]["type"].clone(), body["data"][0]["status"].clone()),
        (json!("DIRECT"), json!("PENDING"))
    );
    let (s, body) = app.post_json(PENDING, &json!([row("FBA", "3001", 1)])).await;
    assert_eq!(
        (s, body["message"].clone()),
        (500, json!("delivery_service_id: service GBDirectLine carries DIRECT consignments only, not FBA"))
    );
    assert_eq!(app.available(app.mug).await, 95);

    // Method B: DIRECT rows converted; one wants more than there is and stays a problem.
    let temp = |thirty: &str, qty: i64| {
        json!({
            "contact": "Bob", "address_line1": "1 High St", "city": "Leeds", "post_code": "LS1 1AA",
            "country_name": "United Kingdom", "product_company_ref": format!("IP-XX3355*{qty}"),
            "delivery_service_name": "UK Direct Line", "status": "PENDING", "type": "DIRECT", "thirty_system_id": thirty,
        })
    };
    let (s, body) = app
        .post_json("/client/Consignment-Upload/Temp-Consignment-Json", &json!([temp("D-1", 1), temp("D-2", 500)]))
        .await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let (t1, t2) = (body["data"]["D-1"].as_str().unwrap().to_owned(), body["data"]["D-2"].as_str().unwrap().to_owned());
    let (_, task) = app.get("/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=DIRECT").await;
    assert_eq!(task["numberOfTotalConsignmentsToProcess"], 2, "{task}");
    let detail = app.wait_finished(&task["taskId"]).await;
    let direct_b = detail["data"][&t1].as_str().unwrap().to_owned();
    assert!(detail["errorData"][&t2].as_str().unwrap().contains("Insufficient stock"), "{b:?}: {detail}");
    assert_eq!(app.available(app.mug).await, 94);
    // Without includeProblemConsignments the problem row is left alone; with it, it is retried
    // (and goes through now that the stock is there).
    let (_, again) = app.get("/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=DIRECT").await;
    assert_eq!(again["numberOfTotalConsignmentsToProcess"], 0, "{b:?}: {again}");
    let uk = app.store.warehouse_by_code("UK1").await.unwrap();
    let more = Transfer::adjustment(Bucket::Available, 500).unwrap();
    app.store.move_stock(&app.client, app.mug, &uk.id, more, None).await.unwrap();
    let (_, retry) = app
        .get("/client/Temp-Consignment-Info/Convert-Into-Consignment/?type=DIRECT&includeProblemConsignments=1")
        .await;
    assert_eq!(retry["numberOfTotalConsignmentsToProcess"], 1, "{b:?}: {retry}");
    let detail = app.wait_finished(&retry["taskId"]).await;
    let direct_b2 = detail["data"][&t2].as_str().unwrap_or_else(|| panic!("{b:?}: {detail}")).to_owned();
    assert_eq!(app.available(app.mug).await, 94);

    // The list by type.
    let (_, listed) = app.get("/client/Consignment?type=FBA").await;
    assert_eq!(ids(&listed), std::slice::from_ref(&fba_id));
    let (_, listed) = app.get("/client/Consignment?type=DIRECT").await;
    let mut want = vec![direct_c.clone(), direct_b, direct_b2];
    want.sort();
    assert_eq!(ids(&listed), want, "{b:?}");

    // The FBA consignment cancelled: its units come back.
    let (s, body) =
        app.post_form("/client/Consignment/Batch-Update-Status", &[("ids", &fba_id), ("status", "CANCELLED")]).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(app.available(app.mug).await, 96);
    // The method C DIRECT one leaves the warehouse: its reservation is consumed.
    let (_, found) = app.get(&format!("/client/Consignment?id={direct_c}")).await;
    assert_eq!(found["data"][0]["type"], "DIRECT");
    let order = app.store.find_order(&app.client, &direct_c).await.unwrap();
    let id: OrderId = order.id.clone();
    for to in [OutboundStatus::WaitPicking, OutboundStatus::Picking, OutboundStatus::Packed, OutboundStatus::Shipped] {
        app.store.transition_order(&app.client, &id, to).await.unwrap();
    }
    let (_, shipped) = app.get(&format!("/client/Consignment?id={direct_c}")).await;
    assert_eq!(shipped["data"][0]["status"], "FINISHED", "{b:?}");
    let stock = app.store.stock(&app.client, &[app.mug], None).await.unwrap();
    let reserved: i64 = stock.iter().map(|r| r.position.get(Bucket::ReservedAllocated)).sum();
    assert_eq!(reserved, 1 + 500, "{b:?}: the two converted DIRECT rows stay reserved, the shipped one is gone");
    app.assert_books_balance().await;
}
