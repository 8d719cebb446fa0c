//! Receiving by scans, seen by the seller over OC's inbound list and detail queries: damaged,
//! short, over and unexpected units in the quantities and the discrepancy list, and the arrival
//! and put-away times. On both backends, over a real socket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::{ok, App};
use entrepot_app::{NewUnexpected, ReceiveScan};
use entrepot_core::{
    actor::{Actor, Role},
    inbound::Condition,
};
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const CREATE: &str = "/openapi/3pp/inbound/v1/creation";
const LIST: &str = "/openapi/3pp/inbound/v1/query";
const DETAIL: &str = "/openapi/3pp/inbound/v1/detail";

#[each_backend]
async fn a_closed_receipt_shows_its_discrepancies_in_the_inbound_queries(b: Backend) {
    let app = App::start(b).await;
    let floor = entrepot_app::App::new(Arc::new(app.store.clone()));
    let (mug, mug_id) = app.stocked_sku(&app.seller, "MUG", 0).await;
    let (cup, cup_id) = app.stocked_sku(&app.seller, "CUP", 0).await;
    let body = json!({
        "sellerInboundNumber": "S-RCV", "serviceRegion": "UK", "shippingFrom": "CN", "shippingMethod": "TK",
        "transportMethod": "OF", "ETA": "2030-01-15+0800",
        "cartonList": [
            {"cartonNumber": "SELLER-BOX-7", "productList": [{"mfskuid": mug, "quantity": 4}]},
            {"productList": [{"mfskuid": cup, "quantity": 2}]}
        ]
    });
    let created = ok(app.call(CREATE, body).await);
    let number = created["inboundNumber"].as_str().unwrap().to_owned();
    floor.book_inbound_appointment(&app.seller.client, &number).await.unwrap();
    let wh = app.store.find_inbound(&app.seller.client, &number).await.unwrap().warehouse_id;
    let dock = Actor {
        user: None,
        name: "dock".into(),
        role: Role::Staff { warehouses: vec![wh], supervisor: false },
        device: None,
    };
    floor.check_in(&dock, &number).await.unwrap();
    // The seller's own carton number opens the inbound, as Entrepot's does.
    assert_eq!(floor.open_receipt(&dock, "SELLER-BOX-7").await.unwrap().inbound.inbound.number, number);
    assert_eq!(floor.open_receipt(&dock, &format!("{number}-002")).await.unwrap().lines.len(), 2);
    let scan = |code: &str, quantity, condition| ReceiveScan {
        inbound: number.clone(),
        code: code.into(),
        quantity,
        condition,
        scan_id: None,
    };
    floor.receive_scan(&dock, scan(&mug, 1, Condition::Good)).await.unwrap();
    floor.receive_scan(&dock, scan(&mug, 1, Condition::Good)).await.unwrap();
    floor.receive_scan(&dock, scan(&mug, 1, Condition::Damaged)).await.unwrap();
    floor.receive_scan(&dock, scan(&cup, 3, Condition::Good)).await.unwrap();
    let u = NewUnexpected {
        inbound: number.clone(),
        code: "NO-LABEL-BLUE-BOWL".into(),
        quantity: 2,
        note: Some("two bowls, no label".into()),
        photo_key: None,
    };
    floor.record_unexpected(&dock, u).await.unwrap();

    // Before the close: counted, damaged and over show; nothing is short yet.
    let slot = json!({"startTime": jiff::Timestamp::now().as_millisecond() - 60_000, "endTime": jiff::Timestamp::now().as_millisecond() + 60_000});
    let row = |list: &Value| list["inboundOrderList"][0].clone();
    let r = row(&ok(app.call(LIST, slot.clone()).await));
    assert_eq!(r["status"], "Receiving", "{b:?}");
    let qty = |r: &Value| {
        ["skuQty", "receivedQty", "damagedQty", "shortageQty", "overQty", "putAwayQty"].map(|k| r[k].as_i64().unwrap())
    };
    assert_eq!(qty(&r), [6, 6, 1, 0, 1, 0], "{b:?}: {r}");
    assert!(r["arrivedTime"].as_str().is_some_and(|t| t.len() == 19), "{b:?}: {r}");

    floor.close_receipt(&dock, &number).await.unwrap();
    let r = row(&ok(app.call(LIST, slot).await));
    assert_eq!(qty(&r), [6, 6, 1, 1, 1, 0], "{b:?}: {r}");
    let d = ok(app.call(DETAIL, json!({"inboundNumberList": [number]})).await);
    let t = &d["inboundOrderList"][0];
    let line = |mf: &str| t["SKUList"].as_array().unwrap().iter().find(|s| s["MFSKUID"] == mf).unwrap().clone();
    let q = |l: &Value| {
        ["skuquantity", "receivedQuantity", "damagedQuantity", "shortageQuantity", "overQuantity"]
            .map(|k| l[k].as_i64().unwrap())
    };
    assert_eq!(q(&line(&mug)), [4, 3, 1, 1, 0], "{b:?}: {t}");
    assert_eq!(q(&line(&cup)), [2, 3, 0, 0, 1], "{b:?}: {t}");
    let mut kinds: Vec<(String, String, i64)> = t["discrepancyList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (d["type"].as_str().unwrap().into(), d["MFSKUID"].as_str().unwrap().into(), d["quantity"].as_i64().unwrap())
        })
        .collect();
    kinds.sort();
    let want = |k: &str, m: &str, n| (k.to_owned(), m.to_owned(), n);
    let mut expected = vec![
        want("DAMAGED", &mug, 1),
        want("SHORT", &mug, 1),
        want("OVER", &cup, 1),
        want("UNEXPECTED", "NO-LABEL-BLUE-BOWL", 2),
    ];
    expected.sort();
    assert_eq!(kinds, expected, "{b:?}: {t}");
    let unexpected = t["discrepancyList"].as_array().unwrap().iter().find(|d| d["type"] == "UNEXPECTED").unwrap();
    assert_eq!(unexpected["note"], "two bowls, no label");

    // Put away: the order is done, with its put-away time.
    floor.put_away_inbound(&app.seller.client, &number, mug_id, 2).await.unwrap();
    floor.put_away_inbound(&app.seller.client, &number, cup_id, 3).await.unwrap();
    let d = ok(app.call(DETAIL, json!({"inboundNumberList": [number]})).await);
    let t = &d["inboundOrderList"][0];
    assert_eq!(t["status"], "Put away", "{b:?}");
    assert!(t["putAwayTime"].as_str().is_some(), "{b:?}: {t}");
    // Another seller sees none of it.
    let other = app.call_as(&app.other, DETAIL, json!({"inboundNumberList": [number]})).await;
    assert!(!other.to_string().contains("NO-LABEL-BLUE-BOWL"), "{b:?}: {other}");
    assert!(other["data"]["inboundOrderList"].as_array().is_none_or(|l| l.is_empty()), "{b:?}: {other}");
}
