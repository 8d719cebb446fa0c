//! Outbound orders over OC's API (spec §5.12–§5.14): placing (per-order results, eBay rules,
//! idempotent references, 50 per call), querying (lists, time slots, tracking and fees) and
//! cancelling (until picking starts); refusals in OC's shape with nothing changed, and one
//! client never seeing or touching another's orders. On both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::{assert_refused, ok, App};
use entrepot_core::outbound::OutboundStatus;
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const CREATE: &str = "/openapi/3pp/outbound/v1/creation";
const QUERY: &str = "/openapi/3pp/outbound/v2/query";
const CANCEL: &str = "/openapi/3pp/outbound/v1/cancel";
const DAY: i64 = 86_400_000;

fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn order(reference: &str, mfskuid: &str, qty: i64) -> Value {
    json!({
        "referenceNumber": reference,
        "serviceRegion": "UK",
        "shippingServiceCode": "GBDomesticStandard",
        "consigneeName": "Ann Buyer",
        "consigneeAddress1": "1 High Street",
        "consigneeCity": "Leeds",
        "consigneeZipCode": "LS1 1AA",
        "consigneeCountryCode": "GB",
        "consigneePhone": "0113 000000",
        "productList": [{"mfSkuId": mfskuid, "skuQuantity": qty.to_string()}]
    })
}

#[each_backend]
async fn each_order_is_placed_or_refused_on_its_own(b: Backend) {
    let app = App::start(b).await;
    let (mf, sku) = app.stocked_sku(&app.seller, "MUG", 10).await;
    // OC's key spellings vary: MFSKUID / SKUQuantity as well as mfSkuId / skuQuantity.
    let mut odd_keys = order("R-3", &mf, 1);
    odd_keys["productList"] = json!([{"MFSKUID": mf, "SKUQuantity": 1}]);
    let mut no_name = order("R-4", &mf, 1);
    no_name.as_object_mut().unwrap().remove("consigneeName");
    let v =
        app.call(CREATE, json!([order("R-1", &mf, 2), order("R-2", "OC9999999999999", 1), odd_keys, no_name])).await;
    assert_ne!(v["code"], 0, "{b:?}: one failure makes the call fail: {v}");
    assert_eq!(v["success"], false);
    let created = v["data"].as_array().unwrap();
    assert_eq!(created.len(), 2, "{v}");
    assert_eq!(created[0]["referenceNumber"], "R-1");
    assert!(created[0]["orderNumber"].as_str().unwrap().starts_with("OCO"));
    assert!(created[0]["orderNumber"].as_str().unwrap().ends_with("GB"));
    assert_eq!(created[1]["referenceNumber"], "R-3");
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{v}");
    assert_eq!(errors[0]["id"], "R-2");
    assert_eq!(
        errors[0]["message"],
        "Item 2: Query fail. Because MFSKUID [OC9999999999999] doesnt exists. Please check your MFSKUID and try again."
    );
    assert_eq!(errors[1]["id"], "R-4");
    assert_eq!(errors[1]["message"], "Item 4: consigneeName is required.");
    assert_eq!(app.order_count(&app.seller).await, 2, "{b:?}");
    assert_eq!(app.available(&app.seller, sku).await, 7, "{b:?}: 3 units reserved");

    // A call that is all right is a plain success.
    let v = app.call(CREATE, json!([order("R-5", &mf, 1)])).await;
    assert_eq!(ok(v)[0]["referenceNumber"], "R-5");

    // Not enough stock: refused with the numbers, nothing reserved.
    let v = app.call(CREATE, json!([order("R-6", &mf, 20)])).await;
    assert_refused(&v, "Insufficient sellable stock");
    assert_eq!(v["errors"][0]["id"], "R-6");
    assert_eq!(app.available(&app.seller, sku).await, 6, "{b:?}");
}

#[each_backend]
async fn more_than_fifty_orders_are_refused_whole(b: Backend) {
    let app = App::start(b).await;
    let (mf, sku) = app.stocked_sku(&app.seller, "MUG", 100).await;
    let many: Vec<Value> = (1..=51).map(|k| order(&format!("R-{k}"), &mf, 1)).collect();
    let v = app.call(CREATE, Value::Array(many)).await;
    assert_refused(&v, "At most 50 orders are allowed per request; this request has 51. Nothing was created.");
    assert_eq!(v["code"], 3);
    assert_eq!(app.order_count(&app.seller).await, 0, "{b:?}");
    assert_eq!(app.available(&app.seller, sku).await, 100);
    let v = app.call(CREATE, json!([])).await;
    assert_refused(&v, "at least one of the orders");
    let fifty: Vec<Value> = (1..=50).map(|k| order(&format!("R-{k}"), &mf, 1)).collect();
    assert_eq!(ok(app.call(CREATE, Value::Array(fifty)).await).as_array().unwrap().len(), 50);
    assert_eq!(app.available(&app.seller, sku).await, 50, "{b:?}");
}

#[each_backend]
async fn a_reference_number_makes_one_order_only(b: Backend) {
    let app = App::start(b).await;
    let (mf, sku) = app.stocked_sku(&app.seller, "MUG", 10).await;
    let first = ok(app.call(CREATE, json!([order("R-1", &mf, 1)])).await);
    let number = first[0]["orderNumber"].as_str().unwrap().to_owned();
    // A retry of the same order.
    let v = app.call(CREATE, json!([order("R-1", &mf, 1)])).await;
    assert_refused(&v, &format!("Item 1: Duplicate referenceNumber [R-1]: it is already used by order {number}"));
    assert_eq!(v["errors"][0]["id"], "R-1");
    assert_eq!(v["data"], json!([]));
    // Twice in one call: the first is placed, the second refused.
    let v = app.call(CREATE, json!([order("R-2", &mf, 1), order("R-2", &mf, 1)])).await;
    assert_eq!(v["data"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["errors"][0]["id"], "R-2");
    assert_eq!(
        v["errors"][0]["message"],
        "Item 2: referenceNumber [R-2] is given to more than one order of this request; each order needs its own."
    );
    assert_eq!(app.order_count(&app.seller).await, 2, "{b:?}");
    assert_eq!(app.available(&app.seller, sku).await, 8, "{b:?}");
    // Another client may use the same reference: references are per client.
    let (other_mf, _) = app.stocked_sku(&app.other, "MUG", 5).await;
    ok(app.call_as(&app.other, CREATE, json!([order("R-1", &other_mf, 1)])).await);
    // But not another client's SKU.
    let v = app.call_as(&app.other, CREATE, json!([order("R-9", &mf, 1)])).await;
    assert_refused(&v, &format!("MFSKUID [{mf}] doesnt exists"));
    assert_eq!(app.available(&app.seller, sku).await, 8);
}

#[each_backend]
async fn ebay_orders_need_a_well_formed_order_id_and_the_account(b: Backend) {
    let app = App::start(b).await;
    let (mf, _) = app.stocked_sku(&app.seller, "MUG", 10).await;
    let ebay = |id: Option<&str>, account: Option<&str>| {
        let mut o = order("E-1", &mf, 1);
        o["orderPlatform"] = json!("eBay");
        if let Some(id) = id {
            o["ebayOrderId"] = json!(id);
        }
        if let Some(a) = account {
            o["ebayId"] = json!(a);
        }
        o
    };
    for (body, needle) in [
        (ebay(None, Some("shop1")), "ebayOrderId is required for eBay orders."),
        (ebay(Some("0205696-00555"), Some("shop1")), "'0205696-00555' is not an eBay order id"),
        (ebay(Some("02-05696-00555"), None), "ebayId is required for eBay orders."),
    ] {
        let v = app.call(CREATE, json!([body])).await;
        assert_refused(&v, needle);
        assert_eq!(v["errors"][0]["id"], "E-1");
    }
    assert_eq!(app.order_count(&app.seller).await, 0, "{b:?}");
    let placed = ok(app.call(CREATE, json!([ebay(Some("02-05696-00555"), Some("shop1"))])).await);
    let number = placed[0]["orderNumber"].clone();
    let found =
        ok(app.call(QUERY, json!({"ebayOrderIdList": [{"ebayId": "shop1", "ebayOrderId": "02-05696-00555"}]})).await);
    assert_eq!(found[0]["orderNumber"], number);
    assert_eq!(found[0]["orderPlatform"], "eBay");
    assert_eq!(found[0]["ebayId"], "shop1");
    let other_account =
        ok(app.call(QUERY, json!({"ebayOrderIdList": [{"ebayId": "shop2", "ebayOrderId": "02-05696-00555"}]})).await);
    assert_eq!(other_account, json!([]), "{b:?}");
}

#[each_backend]
async fn query_by_lists_or_time_slot_with_tracking_fees_and_skus(b: Backend) {
    let app = App::start(b).await;
    let (mf, _) = app.stocked_sku(&app.seller, "MUG", 10).await;
    let placed = ok(app.call(CREATE, json!([order("R-1", &mf, 2), order("R-2", &mf, 1)])).await);
    let n1 = placed[0]["orderNumber"].as_str().unwrap().to_owned();
    let stored = app.store.find_order(&app.seller.client, &n1).await.unwrap();

    let rows = ok(app.call(QUERY, json!({"orderNumberList": [{"orderNumber": n1}]})).await);
    assert_eq!(rows.as_array().unwrap().len(), 1);
    let r = &rows[0];
    assert_eq!(r["referenceNumber"], "R-1");
    assert_eq!(r["orderStatus"], "Accepted");
    assert_eq!(r["autoFulfillmentEF"], false);
    assert_eq!(r["serviceRegion"], "UK");
    assert_eq!(r["shippingServiceCode"], "GBDomesticStandard");
    assert_eq!(r["country"], "GB");
    assert!(r["orderCreationTime"].as_str().unwrap().ends_with("+0000"));
    let t = &r["trackingNumberList"][0];
    assert_eq!(t["trackingNumber"], "", "not booked yet");
    assert_eq!(t["orderNumber"], n1.as_str());
    assert_eq!(t["chargeableWeight"], format!("{}.0000", stored.chargeable_weight_g));
    assert_eq!(t["chargeableWeightUnit"], "g");
    // Flat rates 1.00 + 2.00 GBP, rendered from minor units as a number.
    assert_eq!(t["feeAmount"], json!(3.0));
    assert_eq!(stored.total_fee(), 300);
    assert_eq!(t["feeAmountCurrency"], "GBP");
    assert_eq!(t["SKUList"], json!([{"MFSKUID": mf, "SKUQuantity": 2, "SN": ""}]));
    assert_eq!(r["SKUList"], t["SKUList"]);

    // Booked by the carrier: the tracking number and carrier appear.
    let booking = entrepot_ops::book_now(
        &entrepot_app::App::new(std::sync::Arc::new(app.store.clone())),
        Arc::new(entrepot_ops::SandboxCarrier::new()),
        &entrepot_ops::BookingConfig::default(),
        &app.seller.client,
        &stored.id,
    )
    .await
    .unwrap();
    let rows = ok(app.call(QUERY, json!({"referenceNumberList": [{"referenceNumber": "R-1"}]})).await);
    let t = &rows[0]["trackingNumberList"][0];
    assert_eq!(t["trackingNumber"], booking.tracking_number.as_str());
    assert_eq!(t["LMCarrierCode"], "ROYALMAIL");
    assert_eq!(t["LMCarrierName"], "Royal Mail");

    // By creation time slot: both, newest first; lists are a union.
    let slot = json!({"startTime": now() - DAY, "endTime": now() + 60_000});
    let rows = ok(app.call(QUERY, slot.clone()).await);
    assert_eq!(rows.as_array().unwrap().len(), 2, "{b:?}");
    let both = ok(app
        .call(
            QUERY,
            json!({"orderNumberList": [{"orderNumber": n1}], "referenceNumberList": [{"referenceNumber": "R-2"}]}),
        )
        .await);
    assert_eq!(both.as_array().unwrap().len(), 2);
    // A slot that excludes them narrows the lists.
    let before =
        json!({"orderNumberList": [{"orderNumber": n1}], "startTime": now() - 3 * DAY, "endTime": now() - 2 * DAY});
    assert_eq!(ok(app.call(QUERY, before).await), json!([]));

    // Another client sees none of them, by number or by slot.
    assert_eq!(ok(app.call_as(&app.other, QUERY, json!({"orderNumberList": [{"orderNumber": n1}]})).await), json!([]));
    assert_eq!(ok(app.call_as(&app.other, QUERY, slot).await), json!([]));
}

#[each_backend]
async fn query_slots_are_at_most_seven_days_within_a_year(b: Backend) {
    let app = App::start(b).await;
    let v = app.call(QUERY, json!({"startTime": now() - 8 * DAY, "endTime": now()})).await;
    assert_refused(&v, "Query timeslot must not be longer than 7 days");
    assert!(v["errors"][0]["message"].as_str().unwrap().ends_with("spans 8.0 days."), "{v}");
    assert_eq!(v["errors"][0]["code"], "3A0001");
    let v = app.call(QUERY, json!({"startTime": now() - 400 * DAY, "endTime": now() - 399 * DAY})).await;
    assert_refused(&v, "Query timeslot is only valid for the last 12 months.");
    let v = app.call(QUERY, json!({})).await;
    assert_refused(&v, "Give orderNumberList, referenceNumberList, ebayOrderIdList, or startTime and endTime.");
    let v = app.call(QUERY, json!({"startTime": "2024-07-01T00:00:00+0800"})).await;
    assert_refused(&v, "endTime is required with startTime.");
    // OC's own date-time form is read.
    let start = jiff::Timestamp::from_millisecond(now() - DAY).unwrap().strftime("%Y-%m-%dT%H:%M:%S+0000").to_string();
    ok(app.call(QUERY, json!({"startTime": start, "endTime": now()})).await);
}

#[each_backend]
async fn cancel_until_picking_starts(b: Backend) {
    let app = App::start(b).await;
    let (mf, sku) = app.stocked_sku(&app.seller, "MUG", 10).await;
    let placed = ok(app.call(CREATE, json!([order("R-1", &mf, 2), order("R-2", &mf, 3)])).await);
    let n1 = placed[0]["orderNumber"].as_str().unwrap().to_owned();
    let n2 = placed[1]["orderNumber"].as_str().unwrap().to_owned();
    assert_eq!(app.available(&app.seller, sku).await, 5);

    // Another client cannot cancel it, and learns nothing about it.
    let v = app.call_as(&app.other, CANCEL, json!({"orderNumber": n1, "cancelTime": now()})).await;
    assert_refused(&v, &format!("Because orderNumber [{n1}] doesnt exists"));
    assert_eq!(app.available(&app.seller, sku).await, 5, "{b:?}");

    let v = app
        .call(CANCEL, json!({"orderNumber": n1, "cancelTime": "2024-07-01T10:00:00+0800", "cancelReason": "buyer"}))
        .await;
    assert_eq!(v["code"], 0, "{v}");
    assert!(v.get("data").is_none(), "no data in a cancel reply: {v}");
    assert_eq!(app.available(&app.seller, sku).await, 7, "{b:?}: released");
    let rows = ok(app.call(QUERY, json!({"orderNumberList": [{"orderNumber": n1}]})).await);
    assert_eq!(rows[0]["orderStatus"], "Cancelled");
    assert_eq!(rows[0]["trackingNumberList"][0]["feeAmount"], json!(0.0));
    // Again: still cancelled, still fine.
    ok(app.call(CANCEL, json!({"orderNumber": n1})).await);
    assert_eq!(app.available(&app.seller, sku).await, 7);

    // Picking started: an intercept request for the warehouse; nothing changes until it decides.
    let o2 = app.store.find_order(&app.seller.client, &n2).await.unwrap();
    app.store.transition_order(&app.seller.client, &o2.id, OutboundStatus::WaitPicking).await.unwrap();
    app.store.transition_order(&app.seller.client, &o2.id, OutboundStatus::Picking).await.unwrap();
    ok(app.call(CANCEL, json!({"orderNumber": n2, "cancelTime": now(), "cancelReason": "buyer changed mind"})).await);
    let o2 = app.store.find_order(&app.seller.client, &n2).await.unwrap();
    assert_eq!(o2.status, OutboundStatus::Picking);
    assert_eq!(app.store.intercept_of(&o2.id).await.unwrap().as_deref(), Some("REQUESTED"));
    assert_eq!(app.available(&app.seller, sku).await, 7, "{b:?}");
    // Handed over: refused, saying so.
    app.store.transition_order(&app.seller.client, &o2.id, OutboundStatus::Packed).await.unwrap();
    app.store.transition_order(&app.seller.client, &o2.id, OutboundStatus::Shipped).await.unwrap();
    let v = app.call(CANCEL, json!({"orderNumber": n2, "cancelTime": now()})).await;
    assert_refused(&v, &format!("Order {n2} cannot be cancelled: it has left the warehouse (status Outbound)."));
    assert_eq!(v["code"], 4);

    let v = app.call(CANCEL, json!({"cancelTime": now()})).await;
    assert_refused(&v, "orderNumber is required.");
    let v = app.call(CANCEL, json!({"orderNumber": n2, "cancelTime": "tomorrow"})).await;
    assert_refused(&v, "cancelTime 'tomorrow' is not a time");
}

#[each_backend]
async fn more_than_a_thousand_matches_are_refused_not_cut(b: Backend) {
    let app = App::start(b).await;
    let (_, sku) = app.stocked_sku(&app.seller, "MUG", 10).await;
    let uk = app.store.warehouse_by_region("UK").await.unwrap();
    let service = app.store.service_by_code(&uk.id, "GBDomesticStandard").await.unwrap().id;
    let recipient = entrepot_core::company::Address {
        name: "Ann Buyer".into(),
        lines: vec!["1 High Street".into()],
        city: "Leeds".into(),
        postcode: "LS1 1AA".into(),
        country: "GB".into(),
        ..Default::default()
    };
    // Drafts (no stock needed), placed in one store batch to keep the test quick.
    let batch: Vec<_> = (0..1001)
        .map(|k| {
            let new = entrepot_core::outbound::NewOutbound {
                client_id: app.seller.client.clone(),
                reference: format!("BULK-{k}"),
                recipient: recipient.clone(),
                lines: vec![(sku, 1)],
                ..Default::default()
            };
            (new, service.clone())
        })
        .collect();
    entrepot_store::fixtures::place_orders(&app.store, batch, false).await.unwrap();
    let v = app.call(QUERY, json!({"startTime": now() - DAY, "endTime": now() + DAY})).await;
    assert_refused(&v, "1001 orders match; at most 1000 are returned per query. Narrow the time range or the lists.");
    // The other seller's query over the same slot sees none of them.
    let v = ok(app.call_as(&app.other, QUERY, json!({"startTime": now() - DAY, "endTime": now() + DAY})).await);
    assert_eq!(v, json!([]));
}

/// A database failure while an order is read (here its service lookup, the services table
/// gone) answers OC's internal error, code 5, and never shows the database's message; a
/// business refusal in the same call would have been code 4 or 3.
#[each_backend]
async fn a_database_failure_is_an_internal_error_without_its_text(b: Backend) {
    let app = App::start(b).await;
    let (mf, _) = app.stocked_sku(&app.seller, "MUG", 10).await;
    app.store.execute_raw("ALTER TABLE services RENAME TO services_gone").await.unwrap();
    let v = app.call(CREATE, json!([order("R-1", &mf, 1)])).await;
    assert_eq!((&v["code"], &v["success"]), (&json!(5), &json!(false)), "{b:?}: {v}");
    assert_eq!(v["errors"][0]["message"], "Internal error, please try again later.", "{b:?}: {v}");
    assert!(!v.to_string().contains("services"), "{b:?}: the database's text leaked: {v}");
    assert_eq!(app.order_count(&app.seller).await, 0, "{b:?}");
    app.store.execute_raw("ALTER TABLE services_gone RENAME TO services").await.unwrap();
}

/// `cancelReason`: kept with the order and read back by OrdersQuery; bounded like other free text
/// (500 characters), a longer one refused with the order left as it was.
#[each_backend]
async fn a_cancel_reason_is_kept_and_answered_by_the_query(b: Backend) {
    let app = App::start(b).await;
    let (mf, sku) = app.stocked_sku(&app.seller, "MUG", 10).await;
    let placed = ok(app.call(CREATE, json!([order("R-1", &mf, 1), order("R-2", &mf, 1), order("R-3", &mf, 1)])).await);
    let n: Vec<String> = (0..3).map(|k| placed[k]["orderNumber"].as_str().unwrap().to_owned()).collect();
    let reason = "Buyer changed their mind — 买家取消";
    ok(app.call(CANCEL, json!({"orderNumber": n[0], "cancelTime": now(), "cancelReason": reason})).await);
    ok(app.call(CANCEL, json!({"orderNumber": n[1], "cancelTime": now()})).await);
    // A retry of a cancelled order keeps the first reason.
    ok(app.call(CANCEL, json!({"orderNumber": n[0], "cancelReason": "another"})).await);
    let long = "x".repeat(501);
    let v = app.call(CANCEL, json!({"orderNumber": n[2], "cancelReason": long})).await;
    assert_refused(&v, "cancelReason is longer than 500 characters.");
    ok(app.call(CANCEL, json!({"orderNumber": n[2], "cancelReason": "é".repeat(500)})).await);

    let list: Vec<Value> = n.iter().map(|x| json!({"orderNumber": x})).collect();
    let rows = ok(app.call(QUERY, json!({"orderNumberList": list})).await);
    let row = |number: &str| rows.as_array().unwrap().iter().find(|r| r["orderNumber"] == number).unwrap().clone();
    assert_eq!(row(&n[0])["cancelReason"], reason, "{b:?}");
    assert_eq!(row(&n[0])["orderStatus"], "Cancelled");
    assert_eq!(row(&n[1])["cancelReason"], Value::Null, "{b:?}: none given");
    assert_eq!(row(&n[2])["cancelReason"], "é".repeat(500), "{b:?}");
    let stored = app.store.find_order(&app.seller.client, &n[0]).await.unwrap();
    assert_eq!(stored.cancel_reason.as_deref(), Some(reason));
    assert_eq!(app.available(&app.seller, sku).await, 10, "{b:?}: every order released its stock");
    // What a placement sends beyond OC's query row is answered as sent, and absent when not sent.
    let mut extra = order("R-4", &mf, 1);
    for (k, v) in [
        ("houseNumber", "12B"),
        ("remarks", "Leave with neighbour"),
        ("fileGroupID", "FG-2024-0001"),
        ("companyName", "Acme Ltd"),
    ] {
        extra[k] = json!(v);
    }
    let placed = ok(app.call(CREATE, json!([extra])).await);
    let rows = ok(app.call(QUERY, json!({"orderNumberList": [{"orderNumber": placed[0]["orderNumber"]}]})).await);
    let got = &rows[0];
    assert_eq!(
        [&got["houseNumber"], &got["remarks"], &got["fileGroupID"], &got["companyName"]],
        [&json!("12B"), &json!("Leave with neighbour"), &json!("FG-2024-0001"), &json!("Acme Ltd")],
        "{b:?}: {got}"
    );
    assert!(row(&n[1]).get("fileGroupID").is_none() && row(&n[1]).get("houseNumber").is_none());
    app.assert_check().await;
}
