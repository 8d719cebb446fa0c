//! Receiving by scans, seen by the seller over Bird's Client-Dispatch rows (counted, damaged,
//! short and over units, per dispatch and per container entry) and as CLIENT_DISPATCH UPDATE
//! webhooks, one per discrepancy. On both backends, over a real socket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::App;
use entrepot_app::{NewUnexpected, ReceiveScan};
use entrepot_core::{
    actor::{Actor, Role},
    inbound::Condition,
};
use entrepot_ops::{WebhookConfig, WebhookWorker};
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

fn entry(container: &str, product: i64, qty: i64) -> Value {
    json!({"client_dispatch_container_reference": container, "product_id": product.to_string(), "quantity": qty})
}

#[each_backend]
async fn client_dispatch_rows_show_what_receiving_found(b: Backend) {
    let app = App::start(b).await;
    let (s, hook) = app
        .post_json(
            "/client/Webhook",
            &json!({"url": "https://erp.example.com/hooks/dispatch", "resource_type": "client_dispatch", "action": "update"}),
        )
        .await;
    assert_eq!(s, 200, "{b:?}: {hook}");
    let hook = hook["data"]["id"].as_str().unwrap().to_owned();
    let entries = json!([entry("C1", app.mug.0, 6), entry("C2", app.mug.0, 4), entry("C2", app.battery.0, 3)]);
    let upload = json!([{"type": "NORMAL", "warehouse_id_destination": "1", "final_freight_method": "SEA",
        "reference": "CD-RCV", "client_dispatch_container_product_list": entries}]);
    let (s, body) = app.post_json("/client/Client-Dispatch-Upload/Client-Dispatch-Json", &upload).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let id = body["data"][0]["id"].as_str().unwrap().to_owned();
    let number = body["data"][0]["inbound_number"].as_str().unwrap().to_owned();
    let floor = &app.use_cases;
    floor.book_inbound_appointment(&app.client, &number).await.unwrap();
    let wh = app.store.find_inbound(&app.client, &number).await.unwrap().warehouse_id;
    let dock = Actor {
        user: None,
        name: "dock".into(),
        role: Role::Staff { warehouses: vec![wh], supervisor: false },
        device: Some("TC52".into()),
    };
    floor.check_in(&dock, &number).await.unwrap();
    let mug = app.store.sku(&app.client, app.mug).await.unwrap().mfskuid;
    let battery = app.store.sku(&app.client, app.battery).await.unwrap().mfskuid;
    let scan = |code: &str, quantity, condition| ReceiveScan {
        inbound: number.clone(),
        code: code.into(),
        quantity,
        condition,
        scan_id: None,
    };
    floor.receive_scan(&dock, scan(&mug, 7, Condition::Good)).await.unwrap();
    floor.receive_scan(&dock, scan(&mug, 1, Condition::Damaged)).await.unwrap();
    floor.receive_scan(&dock, scan(&battery, 4, Condition::Good)).await.unwrap();
    let u = NewUnexpected { inbound: number.clone(), code: "MYSTERY".into(), quantity: 1, note: None, photo_key: None };
    floor.record_unexpected(&dock, u).await.unwrap();
    floor.close_receipt(&dock, &number).await.unwrap();

    let (_, one) = app.get(&format!("/client/Client-Dispatch?id={id}")).await;
    let d = &one["data"][0];
    let t = |k: &str| d[k].as_str().unwrap_or_else(|| panic!("{k}: {d}")).to_owned();
    assert_eq!(d["status"], "RECEIVING", "{b:?}: received units wait at the dock");
    assert_eq!(
        ["total_quantity", "total_quantity_check", "total_quantity_stock", "total_quantity_damaged"].map(t),
        ["13", "12", "0", "1"],
        "{b:?}: {d}"
    );
    assert_eq!(["total_quantity_short", "total_quantity_over"].map(t), ["2", "1"], "{b:?}: {d}");
    let (_, rows) = app.get(&format!("/client/Client-Dispatch-Container-Product?client_dispatch_id={id}")).await;
    let counts: Vec<[String; 4]> = rows["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            ["quantity", "quantity_check", "quantity_damaged", "quantity_short"]
                .map(|k| r[k].as_str().unwrap().to_owned())
        })
        .collect();
    let row = |a: &str, b: &str, c: &str, d: &str| [a, b, c, d].map(str::to_owned);
    assert_eq!(counts, vec![row("6", "6", "1", "0"), row("4", "2", "0", "2"), row("3", "4", "0", "0")], "{b:?}");
    let (_, short) = app
        .get(&format!("/client/Client-Dispatch-Container-Product?client_dispatch_id={id}&filter=[{{\"type\":\"numeric\",\"comparison\":\"gt\",\"value\":1,\"field\":\"quantity_short\"}}]"))
        .await;
    assert_eq!(short["total"], 1, "{b:?}: {short}");

    // Each discrepancy (short, damaged, over, unexpected) is a CLIENT_DISPATCH UPDATE message.
    let worker = WebhookWorker::new(app.use_cases.clone(), "test", WebhookConfig::default())
        .with_renderer(entrepot_dialect_bird::webhook_renderer());
    while worker.fan_out_once().await.unwrap() > 0 {}
    let (_, log) = app.get(&format!("/client/Webhook-Delivery?webhook_id={hook}")).await;
    let log = log["data"].as_array().unwrap().clone();
    assert_eq!(log.len(), 4, "{b:?}: {log:?}");
    let mut kinds: Vec<String> = log
        .iter()
        .map(|l| {
            assert_eq!((l["resource_type"].as_str(), l["action"].as_str()), (Some("CLIENT_DISPATCH"), Some("UPDATE")));
            let msg: Value = serde_json::from_str(l["request_body"].as_str().unwrap()).unwrap();
            assert_eq!(msg["data"]["id"], id.as_str(), "{b:?}");
            msg["data"]["discrepancy"]["kind"].as_str().unwrap().to_owned()
        })
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["damaged", "over", "short", "unexpected"], "{b:?}");
}
