//! Returns end to end, on both backends: a seller's ERP authorises a RETURN through Bird without
//! a delivery service (method A: create, add products, submit), staff receive it by its
//! consignment id or the buyer's tracking number, then each action runs on its own RMA (restock,
//! hold, dispose, inspect then a decision, forward). Checked: the stock buckets and ledger rows,
//! the fees charged in the money ledger, the Bird rows, the audit trail, the webhooks, and
//! `admin check` after.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{extract::State, routing::post, Router};
use common::App;
use entrepot_app::{ReturnArrival, ReturnCommand, ReturnScan, ReturnView, ScannedUnit};
use entrepot_core::{
    actor::Actor,
    balance::MoneyBucket,
    ids::{SkuId, WarehouseId},
    inventory::{Bucket, Position},
    returns::{Condition, ReturnAction, ReturnStatus},
};
use entrepot_ops::{WebhookConfig, WebhookWorker};
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};
use tokio::sync::watch;

/// Authorises a return of `qty` mugs through method A, without a delivery service, and submits
/// it; returns its consignment id.
async fn authorise(app: &App, identity: &str, action: (&str, &str), tracking: &str, qty: i64) -> String {
    let form = [
        ("type", "RETURN"),
        (action.0, action.1),
        ("contact", "Norman Drury"),
        ("address_line1", "3, Northam Close"),
        ("city", "Southport"),
        ("post_code", "PR9 9GA"),
        ("country_iso", "GB"),
        ("custom_identity_reference", identity),
        ("delivery_reference", tracking),
    ];
    let (s, r) = app.post_form("/client/Consignment", &form).await;
    assert_eq!(s, 200, "{r}");
    let id = r["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!((r["data"]["type"].as_str(), r["data"]["status"].as_str()), (Some("RETURN"), Some("PREPARING")));
    assert_eq!(r["data"]["delivery_service_id"], Value::Null, "no delivery service: {r}");
    let mug = app.mug.0.to_string();
    let qty = qty.to_string();
    let (s, r) = app
        .post_form("/client/Consignment-Product", &[("consignment_id", &id), ("product_id", &mug), ("quantity", &qty)])
        .await;
    assert_eq!(s, 200, "{r}");
    let (s, r) = app.post_form("/client/Consignment/Batch-Update-Status", &[("ids", &id), ("status", "PENDING")]).await;
    assert_eq!(s, 200, "{r}");
    id
}

/// The consignment row Bird shows for `id`.
async fn row(app: &App, id: &str) -> Value {
    let (s, r) = app.get(&format!("/client/Consignment?id={id}")).await;
    assert_eq!((s, r["total"].as_u64()), (200, Some(1)), "{r}");
    r["data"][0].clone()
}

async fn position(app: &App, sku: SkuId) -> Position {
    let rows = app.store.stock(&app.client, &[sku], None).await.unwrap();
    rows.into_iter().next().map(|r| r.position).unwrap_or_default()
}

/// The client's GBP account: (available, charged).
async fn money(app: &App) -> (i64, i64) {
    let b = app.use_cases.balances(&app.client).await.unwrap();
    let (_, a) = b.into_iter().find(|(c, _)| c == "GBP").unwrap();
    (a.get(MoneyBucket::Available), a.get(MoneyBucket::Charged))
}

async fn uk1(app: &App) -> WarehouseId {
    app.use_cases.warehouse_by_code("UK1").await.unwrap().id
}

fn staff() -> Actor {
    Actor::system("returns-test")
}

fn unit(sku: &str, condition: Condition, qty: i64) -> ScannedUnit {
    ScannedUnit { sku: sku.into(), condition, qty }
}

async fn receive(app: &App, scan: &str, lines: Vec<ScannedUnit>) -> ReturnView {
    let arrival = ReturnArrival { lines, note: Some("box dented".into()) };
    match app.use_cases.receive_return(&staff(), &uk1(app).await, scan, arrival).await.unwrap() {
        ReturnScan::Received(v) => *v,
        other => panic!("expected a receipt, got {other:?}"),
    }
}

async fn act(app: &App, scan: &str, cmd: ReturnCommand) -> ReturnView {
    app.use_cases.run_return_action(&staff(), scan, cmd).await.unwrap()
}

/// The ledger rows of the return `doc` (its OC number), as `(from, to, qty, reason)`, sorted
/// (rows of one transaction share their millisecond).
async fn ledger(app: &App, doc: &str) -> Vec<(Bucket, Bucket, i64, String)> {
    let rows = app.store.movements(&app.client, &[], 0, i64::MAX).await.unwrap();
    let mut rows: Vec<_> = rows
        .into_iter()
        .filter(|m| m.doc_kind == "return" && m.doc_id == doc)
        .map(|m| (m.from, m.to, m.qty, m.reason.code().to_owned()))
        .collect();
    rows.sort();
    rows
}

#[each_backend]
async fn each_return_action_moves_stock_and_charges_its_fee(b: Backend) {
    let app = App::start(b).await;
    let mug = app.mug;
    let before = position(&app, mug).await;

    // 1. Restock, received by the buyer's tracking number: two good units, one damaged.
    let id = authorise(&app, "RMA-1", ("return_consignment_action_type", "CONTAINER"), "RT123456789GB", 3).await;
    let r = row(&app, &id).await;
    assert_eq!(
        (r["status"].as_str(), r["return_consignment_action_type"].as_str(), r["delivery_reference"].as_str()),
        (Some("PENDING"), Some("CONTAINER"), Some("RT123456789GB")),
        "{b:?}: {r}"
    );
    assert_eq!(position(&app, mug).await, before, "{b:?}: an authorisation moves no stock");
    // Wrong scans are refused naming what the return lists.
    let wrong = app
        .use_cases
        .receive_return(
            &staff(),
            &uk1(&app).await,
            "RT123456789GB",
            ReturnArrival { lines: vec![unit("PWR-1", Condition::Good, 1)], note: None },
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(wrong.contains(&format!("is not on this return; expected 3 × SKU {mug}")), "{b:?}: {wrong}");
    let over = app
        .use_cases
        .receive_return(
            &staff(),
            &uk1(&app).await,
            &id,
            ReturnArrival { lines: vec![unit("IP-XX3355", Condition::Good, 4)], note: None },
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(over.contains("4 units of SKU") && over.contains("the return lists 3"), "{b:?}: {over}");
    let (avail0, charged0) = money(&app).await;
    let v = receive(
        &app,
        "RT123456789GB",
        vec![unit("IP-XX3355", Condition::Good, 2), unit(&mug.0.to_string(), Condition::Damaged, 1)],
    )
    .await;
    assert_eq!((v.status, v.lines[0].good, v.lines[0].damaged), (Some(ReturnStatus::Received), 2, 1));
    let p = position(&app, mug).await;
    assert_eq!((p.get(Bucket::Received), p.get(Bucket::Unfulfillable)), (2, 1), "{b:?}");
    assert_eq!(money(&app).await, (avail0, charged0), "{b:?}: receiving charges nothing");
    let r = row(&app, &id).await;
    assert_eq!((r["status"].as_str(), r["return_received_quantity"].as_str()), (Some("RECEIVED"), Some("2")), "{r}");
    assert_eq!(r["return_damaged_quantity"], "1");
    // A received return is the warehouse's now: the ERP cannot cancel it.
    let (_, c) =
        app.post_form("/client/Consignment/Batch-Update-Status", &[("ids", &id), ("status", "CANCELLED")]).await;
    assert!(c["message"].as_str().unwrap().contains("was received by the warehouse"), "{b:?}: {c}");
    let v = act(&app, &id, ReturnCommand::of(None)).await;
    assert_eq!((v.status, v.outcome), (Some(ReturnStatus::Completed), Some(ReturnAction::Restock)));
    // 0.20 × 3 received, 1.50 + 0.10 × 3 restock.
    assert_eq!((v.fee, v.currency.as_deref()), (240, Some("GBP")), "{b:?}");
    let p = position(&app, mug).await;
    assert_eq!(
        (p.get(Bucket::Available), p.get(Bucket::Received), p.get(Bucket::Unfulfillable)),
        (before.get(Bucket::Available) + 2, 0, 1),
        "{b:?}: good units restocked, the damaged one stays unfulfillable"
    );
    assert_eq!(money(&app).await, (avail0 - 240, charged0 + 240), "{b:?}");
    let doc = app.store.find_order(&app.client, &id).await.unwrap().oc_number;
    assert_eq!(
        ledger(&app, &doc).await,
        vec![
            (Bucket::Outside, Bucket::Received, 2, "RTN".into()),
            (Bucket::Outside, Bucket::Unfulfillable, 1, "RTN".into()),
            (Bucket::Received, Bucket::Available, 2, "PAC".into()),
        ],
        "{b:?}"
    );
    let r = row(&app, &id).await;
    assert_eq!(
        (r["status"].as_str(), r["return_outcome_type"].as_str(), r["return_fee"].as_str()),
        (Some("FINISHED"), Some("CONTAINER"), Some("240 GBP")),
        "{b:?}: {r}"
    );
    let again = app.use_cases.run_return_action(&staff(), &id, ReturnCommand::of(None)).await.unwrap_err();
    assert!(again.to_string().contains("COMPLETED"), "{b:?}: {again}");
    let trail = app.use_cases.audit_trail(&staff(), "return", &v.order_id.0).await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["return.received", "return.completed"], "{b:?}");

    // 2. Hold for the seller (by action id 92), received by consignment id: into suspend.
    let id = authorise(&app, "RMA-2", ("return_consignment_action-id", "92"), "RT2", 2).await;
    let suspended = position(&app, mug).await.get(Bucket::Suspend);
    receive(&app, &id, vec![unit("IP-XX3355", Condition::Good, 2)]).await;
    let v = act(&app, &id, ReturnCommand::of(None)).await;
    assert_eq!((v.outcome, v.fee), (Some(ReturnAction::Hold), 40 + 100), "{b:?}");
    assert_eq!(position(&app, mug).await.get(Bucket::Suspend), suspended + 2, "{b:?}");
    let doc = app.store.find_order(&app.client, &id).await.unwrap().oc_number;
    assert_eq!(ledger(&app, &doc).await[1], (Bucket::Received, Bucket::Suspend, 2, "OEH".into()));

    // 3. Dispose: written off, good and damaged alike, with the DSP reason.
    let id = authorise(&app, "RMA-3", ("return_consignment_action_type", "DISPOSE"), "RT3", 2).await;
    let p0 = position(&app, mug).await;
    receive(&app, &id, vec![unit("IP-XX3355", Condition::Good, 1), unit("IP-XX3355", Condition::Damaged, 1)]).await;
    let v = act(&app, &id, ReturnCommand::of(None)).await;
    assert_eq!((v.outcome, v.fee), (Some(ReturnAction::Dispose), 40 + 80 + 10), "{b:?}");
    assert_eq!(position(&app, mug).await, p0, "{b:?}: in and out again");
    let doc = app.store.find_order(&app.client, &id).await.unwrap().oc_number;
    let rows = ledger(&app, &doc).await;
    assert_eq!(rows.iter().filter(|r| r.1 == Bucket::Outside && r.3 == "DSP").map(|r| r.2).sum::<i64>(), 2, "{rows:?}");

    // 4. Inspect, then staff decide (restock).
    let id = authorise(&app, "RMA-4", ("return_consignment_action_type", "CHECK"), "RT4", 1).await;
    receive(&app, "RT4", vec![unit("IP-XX3355", Condition::Good, 1)]).await;
    let cmd = ReturnCommand {
        notes: Some("seal intact".into()),
        photos: vec!["returns/RT4/1.jpg".into()],
        ..ReturnCommand::of(None)
    };
    let v = act(&app, "RT4", cmd).await;
    assert_eq!((v.status, v.inspected, v.fee), (Some(ReturnStatus::Inspecting), true, 0), "{b:?}");
    assert_eq!(
        (v.notes.as_deref(), v.photos.len()),
        (Some("box dented\nseal intact"), 1),
        "receipt and inspection notes"
    );
    assert_eq!(row(&app, &id).await["status"], "PROCESSING", "{b:?}");
    let undecided = app.use_cases.run_return_action(&staff(), "RT4", ReturnCommand::of(None)).await.unwrap_err();
    assert!(undecided.to_string().contains("decide RESTOCK, HOLD, DISPOSE or FORWARD"), "{b:?}: {undecided}");
    let bad_photo = ReturnCommand { photos: vec!["../etc/passwd".into()], ..ReturnCommand::of(None) };
    assert!(app.use_cases.run_return_action(&staff(), "RT4", bad_photo).await.is_err());
    let available = position(&app, mug).await.get(Bucket::Available);
    let v = act(&app, "RT4", ReturnCommand::of(Some(ReturnAction::Restock))).await;
    // 0.20 receive, 2.00 inspection, 1.50 + 0.10 restock.
    assert_eq!((v.outcome, v.fee), (Some(ReturnAction::Restock), 20 + 200 + 160), "{b:?}");
    assert_eq!(position(&app, mug).await.get(Bucket::Available), available + 1);

    // 5. Forward: needs the onward reference, then the units leave (RTF).
    let id = authorise(&app, "RMA-5", ("return_consignment_action_type", "TRANSFER"), "RT5", 1).await;
    receive(&app, &id, vec![unit("IP-XX3355", Condition::Good, 1)]).await;
    let e = app.use_cases.run_return_action(&staff(), &id, ReturnCommand::of(None)).await.unwrap_err();
    assert!(e.to_string().contains("forward_reference"), "{b:?}: {e}");
    let cmd = ReturnCommand {
        forward_reference: Some("FWD-0001".into()),
        forward_address: Some("Seller Ltd, 1 Way, Leeds".into()),
        ..ReturnCommand::of(None)
    };
    let v = act(&app, &id, cmd).await;
    assert_eq!(
        (v.outcome, v.forward_reference.as_deref(), v.fee),
        (Some(ReturnAction::Forward), Some("FWD-0001"), 180)
    );
    let doc = app.store.find_order(&app.client, &id).await.unwrap().oc_number;
    assert_eq!(ledger(&app, &doc).await[1], (Bucket::Received, Bucket::Outside, 1, "RTF".into()), "{b:?}");

    // Everything the client was charged is in the money ledger.
    let (_, charged) = money(&app).await;
    assert_eq!(charged - charged0, 240 + 140 + 130 + 380 + 180, "{b:?}");
    // The list shows the returns by type.
    let (_, list) = app.get("/client/Consignment?type=RETURN").await;
    assert_eq!(list["total"], 5, "{b:?}: {list}");
    app.assert_books_balance().await;
}

#[each_backend]
async fn unidentified_returns_and_wrong_sites_are_refused_cleanly(b: Backend) {
    let app = App::start(b).await;
    // A return without an action, or with an unknown one, is refused saying what is expected.
    let form = [("type", "RETURN"), ("contact", "A"), ("address_line1", "1"), ("city", "C"), ("country_iso", "GB")];
    let (_, r) = app.post_form("/client/Consignment", &form).await;
    assert!(r["message"].as_str().unwrap().contains("CONTAINER (91), SELLER (92)"), "{b:?}: {r}");
    // A scan that matches no authorisation goes to the unidentified queue.
    let wh = uk1(&app).await;
    let arrival =
        ReturnArrival { lines: vec![unit("IP-XX3355", Condition::Good, 1)], note: Some("no paperwork".into()) };
    let out = app.use_cases.receive_return(&staff(), &wh, "NOPE-1", arrival).await.unwrap();
    let ReturnScan::Unidentified(u) = out else { panic!("{out:?}") };
    assert_eq!((u.scanned.as_str(), u.note.as_deref()), ("NOPE-1", Some("no paperwork")));
    let queue = app.use_cases.unidentified_returns(&staff(), Some(&wh)).await.unwrap();
    assert_eq!(queue.len(), 1, "{b:?}");
    // A return is received at its own site only; staff of another warehouse may not touch it.
    let id = authorise(&app, "RMA-X", ("return_consignment_action_type", "DISPOSE"), "RTX", 1).await;
    // Staff find the authorisation the parcel belongs to: it leaves the queue.
    let matched = app.use_cases.match_unidentified_return(&staff(), &u.id, "RTX").await.unwrap();
    assert_eq!(matched.matched_order_id.map(|o| o.0), Some(app.store.find_order(&app.client, &id).await.unwrap().id.0));
    assert!(app.use_cases.unidentified_returns(&staff(), Some(&wh)).await.unwrap().is_empty(), "{b:?}");
    assert!(app.use_cases.match_unidentified_return(&staff(), &u.id, "RTX").await.is_err(), "matched once");
    let de = app.use_cases.warehouse_by_code("DE").await.unwrap().id;
    let arrival = ReturnArrival { lines: vec![unit("IP-XX3355", Condition::Good, 1)], note: None };
    let e = app.use_cases.receive_return(&staff(), &de, &id, arrival.clone()).await.unwrap_err();
    assert!(e.to_string().contains("expected at warehouse UK1"), "{b:?}: {e}");
    let de_staff = Actor {
        role: entrepot_core::actor::Role::Staff { warehouses: vec![de.clone()], supervisor: false },
        ..Actor::system("de-staff")
    };
    assert!(app.use_cases.receive_return(&de_staff, &wh, &id, arrival.clone()).await.is_err());
    // A seller reads its own return, and no other client's.
    let seller = Actor {
        role: entrepot_core::actor::Role::Seller { client: app.client.clone(), owner: true },
        ..Actor::system("seller")
    };
    assert_eq!(app.use_cases.return_status(&seller, &id).await.unwrap().status, None, "{b:?}: expected");
    let other = app.store.find_client("Other").await.unwrap().id;
    let stranger = Actor { role: entrepot_core::actor::Role::Seller { client: other, owner: true }, ..seller.clone() };
    assert!(app.use_cases.return_status(&stranger, &id).await.is_err());
    assert!(app.use_cases.receive_return(&seller, &wh, &id, arrival).await.is_err(), "sellers do not receive");
    // The internal returns service is listed nowhere.
    let (_, services) = app.get("/client/Delivery-Service").await;
    assert!(!services.to_string().contains("_RETURN"), "{b:?}: {services}");
    app.assert_books_balance().await;
}

/// A local ERP recording every webhook it gets.
#[derive(Clone, Default)]
struct Receiver(Arc<Mutex<Vec<Value>>>);

#[each_backend]
async fn the_seller_hears_of_its_return_by_webhook(b: Backend) {
    let app = App::start(b).await;
    let rx = Receiver::default();
    async fn hook(State(r): State<Receiver>, body: String) -> &'static str {
        r.0.lock().unwrap().push(serde_json::from_str(&body).unwrap());
        "ok"
    }
    let erp = Router::new().route("/hook", post(hook)).with_state(rx.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, erp).await.unwrap() });
    let body = json!({"url": url, "resource_type": "consignment", "action": "update_tracking_event"});
    let (s, r) = app.post_json("/client/Webhook", &body).await;
    assert_eq!(s, 200, "{r}");
    let (stop, stopped) = watch::channel(false);
    let ms = Duration::from_millis;
    let cfg = WebhookConfig { idle: ms(20), destinations: common::loopback_allowed(), ..WebhookConfig::default() };
    let worker = WebhookWorker::new(app.use_cases.clone(), "webhooks", cfg)
        .with_renderer(entrepot_dialect_bird::webhook_renderer());
    tokio::spawn(worker.run(stopped));

    let id = authorise(&app, "RMA-W", ("return_consignment_action_type", "CONTAINER"), "RTW", 1).await;
    let statuses = |n: usize| {
        let rx = rx.clone();
        async move {
            let mut got = vec![];
            for _ in 0..500 {
                got =
                    rx.0.lock()
                        .unwrap()
                        .iter()
                        .map(|m| m["data"]["status"].as_str().unwrap_or("").to_owned())
                        .collect();
                if got.len() >= n {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            got
        }
    };
    // Webhooks render the consignment as it is when delivered: one step at a time.
    receive(&app, "RTW", vec![unit("IP-XX3355", Condition::Good, 1)]).await;
    assert_eq!(statuses(1).await, ["RECEIVED"], "{b:?}");
    act(&app, "RTW", ReturnCommand::of(None)).await;
    assert_eq!(statuses(2).await, ["RECEIVED", "FINISHED"], "{b:?}");
    let got = rx.0.lock().unwrap().clone();
    assert_eq!(
        (got[1]["resource_type"].as_str(), got[1]["data"]["id"].as_str()),
        (Some("CONSIGNMENT"), Some(id.as_str()))
    );
    assert_eq!(got[1]["data"]["return_outcome_type"], "CONTAINER");
    drop(stop);
    app.assert_books_balance().await;
}
