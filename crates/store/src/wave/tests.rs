//! Waves and picking over the real store, on both backends: due dates, first-in-first-out
//! allocation, pick lists, wrong scans refused, short picks re-allocated or stopping the order,
//! replays, and two releases at once promising no unit twice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use entrepot_app::{
    types::locations::{LocationStockFilter, NewLocationRange, PutawayScan},
    App, PickScan, WaveRequest,
};
use entrepot_core::{
    actor::{Actor, Role},
    inbound::ShippingMode,
    inventory::Bucket,
    location::LocationKind,
    outbound::{NewOutbound, OrderKind, OutboundStatus},
};
use entrepot_testkit::{each_backend, Backend};

use crate::{
    outbound::direct::tests::{fixture, order, Fx},
    NewInbound,
};

fn app(fx: &Fx) -> App {
    App::new(Arc::new(fx.store.clone()))
}

fn staff(fx: &Fx) -> Actor {
    Actor {
        user: None,
        name: "pat".into(),
        role: Role::Staff { warehouses: vec![fx.warehouse.clone()], supervisor: false },
        device: Some("TC52".into()),
    }
}

/// Bins `A-01-01 ..= A-01-0{n}` (zone A, pick sequence 1 ..= n).
async fn bins(fx: &Fx, n: i64) {
    let range = NewLocationRange {
        range: format!("A-01-01..0{n}"),
        zone: None,
        kind: LocationKind::PickFace,
        pick_seq: None,
        capacity: None,
    };
    app(fx).create_location_range(&staff(fx), &fx.warehouse, range).await.unwrap();
}

/// `qty` units received and put away into `bin`.
async fn stock(fx: &Fx, reference: &str, bin: &str, qty: i64) {
    let n = NewInbound {
        warehouse_id: fx.warehouse.clone(),
        reference: reference.into(),
        mode: ShippingMode::Sea,
        lines: vec![(fx.sku, qty)],
        need_clearance_doc: false,
        details: serde_json::json!({}),
    };
    let number = fx.store.create_inbound(&fx.client, n).await.unwrap().inbound.number;
    fx.store.receive_inbound(&fx.client, &number, fx.sku, qty).await.unwrap();
    let scan = PutawayScan {
        client: fx.client.clone(),
        sku: fx.sku,
        warehouse: fx.warehouse.clone(),
        qty,
        inbound: Some(number),
        bin: bin.into(),
        confirm_other_bin: true,
    };
    app(fx).confirm_putaway(&staff(fx), scan).await.unwrap();
}

async fn submit(fx: &Fx, reference: &str, qty: i64) -> crate::OrderView {
    let new =
        NewOutbound { reference: reference.into(), lines: vec![(fx.sku, qty)], ..order(fx, OrderKind::Local, "GB") };
    crate::fixtures::place_order(&fx.store, new, &fx.service, true).await.unwrap()
}

async fn status(fx: &Fx, o: &crate::OrderView) -> OutboundStatus {
    fx.store.find_order(&fx.client, &o.id.0).await.unwrap().status
}

async fn assert_clean(fx: &Fx, b: Backend) {
    let v = fx.store.check().await.unwrap();
    assert!(v.is_empty(), "{b:?}: {v:?}");
}

fn scan(list: &str, id: &str, bin: &str, tote: i64, qty: i64, short: bool) -> PickScan {
    PickScan { list: list.into(), scan_id: Some(id.into()), bin: bin.into(), sku: "A-1".into(), tote, qty, short }
}

fn due(o: &crate::OrderView) -> WaveRequest {
    WaveRequest { due_by: o.due_date.clone(), ..Default::default() }
}

#[each_backend]
async fn a_wave_allocates_oldest_units_first_and_picking_follows_the_walk(b: Backend) {
    let fx = fixture(b).await;
    let (app, who) = (app(&fx), staff(&fx));
    bins(&fx, 3).await;
    // A-01-02's units arrive first; A-01-01 comes first in the walk.
    stock(&fx, "IB-1", "A-01-02", 4).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    stock(&fx, "IB-2", "A-01-01", 6).await;
    let o1 = submit(&fx, "O-1", 3).await;
    let o2 = submit(&fx, "O-2", 2).await;
    let wh = fx.store.warehouse(&fx.warehouse).await.unwrap();
    let today = wh.due_date(jiff::Timestamp::now()).unwrap().to_string();
    assert_eq!(o1.due_date.as_deref(), Some(today.as_str()), "{b:?}: due from the cut-off at submission");

    let w = app.release_wave(&who, &fx.warehouse, due(&o1)).await.unwrap();
    assert_eq!((w.orders, w.units, w.lists.len(), w.short.len()), (2, 5, 1, 0), "{b:?}: {w:?}");
    assert_eq!((w.lists[0].totes, w.lists[0].zone.as_deref()), (2, Some("A")));
    assert_eq!(
        (status(&fx, &o1).await, status(&fx, &o2).await),
        (OutboundStatus::WaitPicking, OutboundStatus::WaitPicking)
    );
    let list = app.pick_list(&who, &w.lists[0].id.0).await.unwrap();
    let walk: Vec<(&str, i64, i64)> = list.picks.iter().map(|p| (p.bin.as_str(), p.tote, p.qty)).collect();
    // O-1 (tote 1) takes 3 of A-01-02's 4 older units; O-2 (tote 2) the last one and one more.
    assert_eq!(walk, [("A-01-01", 2, 1), ("A-01-02", 1, 3), ("A-01-02", 2, 1)], "{b:?}");
    let e = app.release_wave(&who, &fx.warehouse, due(&o1)).await.unwrap_err();
    assert!(e.to_string().contains("no submitted order is due"), "{b:?}: {e}");
    assert_clean(&fx, b).await;

    let id = w.lists[0].id.0.as_str();
    let e = app.pick(&who, scan(id, "s0", "A-01-03", 2, 1, false)).await.unwrap_err();
    assert!(e.to_string().contains("next is bin A-01-01 (1 × "), "{b:?}: {e}");
    let e = app.pick(&who, PickScan { sku: "B-9".into(), ..scan(id, "s0", "A-01-01", 2, 1, false) }).await.unwrap_err();
    assert!(e.to_string().contains("label B-9 is not on this pick list"), "{b:?}: {e}");
    let e = app.pick(&who, scan(id, "s0", "A-01-01", 1, 1, false)).await.unwrap_err();
    assert!(e.to_string().contains("wrong tote 1"), "{b:?}: {e}");
    let done = app.pick(&who, scan(id, "s1", "A-01-01", 2, 1, false)).await.unwrap();
    assert!(done.applied);
    assert_eq!(status(&fx, &o2).await, OutboundStatus::Picking, "{b:?}: picking has started for O-2");
    let again = app.pick(&who, scan(id, "s1", "A-01-01", 2, 1, false)).await.unwrap();
    assert!(!again.applied, "{b:?}: a replayed scan counts once");
    assert_eq!(again.list.picks[0].picked, 1);
    // A-01-02 has 1 of the 3 O-1 wants: the other 2 come from A-01-01, and the bin is counted.
    let short = app.pick(&who, scan(id, "s2", "A-01-02", 1, 1, true)).await.unwrap();
    assert_eq!((short.reallocated.len(), short.exception.as_ref()), (1, None), "{b:?}: {short:?}");
    assert!(short.count_task.is_some());
    let next = short.list.next.clone().unwrap();
    assert_eq!((next.bin.as_str(), next.tote, next.left), ("A-01-01", 1, 2), "{b:?}: {:?}", short.list.picks);
    app.pick(&who, scan(id, "s3", "A-01-01", 1, 2, false)).await.unwrap();
    let last = app.pick(&who, scan(id, "s4", "A-01-02", 2, 1, false)).await.unwrap();
    assert_eq!((last.list.list.status.as_str(), last.list.next.is_none()), ("DONE", true), "{b:?}");
    assert_eq!(app.wave(&who, &w.id.0).await.unwrap().status, "DONE");
    // Five units in PACK, still reserved for their orders; the books balance.
    let row = &fx.store.stock(&fx.client, &[fx.sku], None).await.unwrap()[0];
    assert_eq!((row.position.get(Bucket::ReservedAllocated), row.position.get(Bucket::Available)), (5, 5));
    assert_clean(&fx, b).await;
    let trail = app.audit_trail(&who, "order", &o1.id.0).await.unwrap();
    assert!(trail.iter().any(|t| t.action == "pick.scanned" && t.device.as_deref() == Some("TC52")), "{trail:?}");
}

#[each_backend]
async fn a_bin_short_with_no_other_units_stops_the_order_and_puts_its_units_back(b: Backend) {
    let fx = fixture(b).await;
    let (app, who) = (app(&fx), staff(&fx));
    bins(&fx, 2).await;
    stock(&fx, "IB-1", "A-01-01", 1).await;
    stock(&fx, "IB-2", "A-01-02", 2).await;
    let o = submit(&fx, "O-1", 3).await;
    let w = app.release_wave(&who, &fx.warehouse, due(&o)).await.unwrap();
    let id = w.lists[0].id.0.clone();
    app.pick(&who, scan(&id, "s1", "A-01-01", 1, 1, false)).await.unwrap();
    // A-01-02 is empty though the ledger says 2, and no other bin has the SKU.
    let out = app.pick(&who, scan(&id, "s2", "A-01-02", 1, 0, true)).await.unwrap();
    assert_eq!(out.exception.as_ref(), Some(&o.id), "{b:?}: {out:?}");
    assert_eq!(status(&fx, &o).await, OutboundStatus::Exception);
    assert!(out.list.next.is_none(), "{b:?}: nothing is left to pick for a stopped order");
    // The unit already in the tote went back to A-01-01; a count of A-01-02 is open.
    let f = LocationStockFilter { warehouse: fx.warehouse.clone(), ..Default::default() };
    let held: Vec<(String, i64)> =
        fx.store.location_stock(&f).await.unwrap().into_iter().map(|r| (r.code, r.qty)).collect();
    assert_eq!(held, [("A-01-01".to_owned(), 1), ("A-01-02".to_owned(), 2)], "{b:?}");
    let tasks = app
        .count_tasks(&who, entrepot_app::CountFilter { warehouse: fx.warehouse.clone(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(tasks.iter().map(|t| t.location_code.as_str()).collect::<Vec<_>>(), ["A-01-02"], "{b:?}");
    assert_clean(&fx, b).await;
    // The bin being counted is not allocated from again.
    stock(&fx, "IB-3", "A-01-01", 1).await;
    let o2 = submit(&fx, "O-2", 1).await;
    let w2 = app.release_wave(&who, &fx.warehouse, due(&o2)).await.unwrap();
    let l2 = app.pick_list(&who, &w2.lists[0].id.0).await.unwrap();
    assert_eq!(l2.picks.iter().map(|p| p.bin.as_str()).collect::<Vec<_>>(), ["A-01-01"], "{b:?}");
    // Its client may not put the stopped order back onto the floor; staff may, and the next
    // wave takes it again, from the bin not being counted.
    let e = fx.store.transition_order(&fx.client, &o.id, OutboundStatus::Submitted).await.unwrap_err();
    assert!(e.to_string().contains("only the warehouse"), "{b:?}: {e}");
    let e = app.requeue_exception(&who, &fx.client, &o2.id.0).await.unwrap_err();
    assert!(e.to_string().contains("not in Exception"), "{b:?}: {e}");
    stock(&fx, "IB-4", "A-01-01", 2).await;
    let back = app.requeue_exception(&who, &fx.client, &o.id.0).await.unwrap();
    assert_eq!((back.status, back.due_date.as_deref()), (OutboundStatus::Submitted, o.due_date.as_deref()), "{b:?}");
    let w3 = app.release_wave(&who, &fx.warehouse, due(&o)).await.unwrap();
    assert_eq!((w3.orders, w3.units), (1, 3), "{b:?}: {w3:?}");
    let l3 = app.pick_list(&who, &w3.lists[0].id.0).await.unwrap();
    assert_eq!(l3.picks.iter().map(|p| (p.bin.as_str(), p.qty)).collect::<Vec<_>>(), [("A-01-01", 3)], "{b:?}");
    assert_clean(&fx, b).await;
}

#[each_backend]
async fn two_releases_at_once_promise_no_unit_twice(b: Backend) {
    let fx = fixture(b).await;
    bins(&fx, 1).await;
    stock(&fx, "IB-1", "A-01-01", 12).await;
    let mut last = None;
    for k in 0..12 {
        last = Some(submit(&fx, &format!("O-{k}"), 1).await);
    }
    let req = due(last.as_ref().unwrap());
    let (a, b2) = (app(&fx), app(&fx));
    let who = staff(&fx);
    let half = WaveRequest { max_orders: Some(8), ..req };
    let (r1, r2) = tokio::join!(
        a.release_wave(&who, &fx.warehouse, half.clone()),
        b2.release_wave(&who, &fx.warehouse, half.clone())
    );
    let waved: i64 = [&r1, &r2].iter().filter_map(|r| r.as_ref().ok()).map(|w| w.orders).sum();
    assert_eq!(waved, 12, "{b:?}: {r1:?} {r2:?}");
    assert_clean(&fx, b).await;
}

/// The board's lines for the day `o` is due.
async fn board(fx: &Fx, o: &crate::OrderView) -> Vec<entrepot_app::BoardLine> {
    let day = o.due_date.clone().unwrap();
    fx.store.board_counts(&fx.warehouse, &day, 0).await.unwrap().lines
}

#[each_backend]
async fn the_board_counts_every_change_of_an_order_before_and_after_a_fold(b: Backend) {
    let fx = fixture(b).await;
    bins(&fx, 1).await;
    stock(&fx, "IB-1", "A-01-01", 6).await;
    let orders = [submit(&fx, "O-1", 2).await, submit(&fx, "O-2", 1).await, submit(&fx, "O-3", 3).await];
    let line = &board(&fx, &orders[0]).await[0];
    assert_eq!((line.due, line.waiting, line.open_units), (3, 3, 6), "{b:?}: {line:?}");
    // A change made by hand, outside any use case, is counted too (the triggers see every writer):
    // an order moved to a past day is overdue.
    let moved = format!("UPDATE outbound_orders SET due_date = '2000-01-01' WHERE id = '{}'", orders[2].id.0);
    fx.store.execute_raw(&moved).await.unwrap();
    app(&fx).release_wave(&staff(&fx), &fx.warehouse, due(&orders[0])).await.unwrap();
    let before = board(&fx, &orders[0]).await;
    assert_eq!((before[0].due, before[0].released, before[0].overdue), (2, 2, 1), "{b:?}: {before:?}");
    assert!(fx.store.fold_board().await.unwrap() > 0, "{b:?}");
    assert_eq!(board(&fx, &orders[0]).await, before, "{b:?}: a fold changes no figure");
    assert_eq!(fx.store.fold_board().await.unwrap(), 0, "{b:?}: nothing left to fold");
    assert_clean(&fx, b).await;
}

#[each_backend]
async fn folds_running_beside_new_orders_lose_no_count(b: Backend) {
    let fx = fixture(b).await;
    bins(&fx, 1).await;
    stock(&fx, "IB-1", "A-01-01", 60).await;
    let fx = Arc::new(fx);
    let writer = {
        let fx = fx.clone();
        tokio::spawn(async move {
            let mut last = None;
            for k in 0..30 {
                last = Some(submit(&fx, &format!("O-{k}"), 1 + k % 3).await);
            }
            last.unwrap()
        })
    };
    let folders: Vec<_> = (0..2)
        .map(|_| {
            let fx = fx.clone();
            tokio::spawn(async move {
                for _ in 0..20 {
                    fx.store.fold_board().await.unwrap();
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    let last = writer.await.unwrap();
    for f in folders {
        f.await.unwrap();
    }
    let line = &board(&fx, &last).await[0];
    let units: i64 = (0..30).map(|k| 1 + k % 3).sum();
    assert_eq!((line.due, line.waiting, line.open_units), (30, 30, units), "{b:?}: {line:?}");
    fx.store.fold_board().await.unwrap();
    assert_eq!(board(&fx, &last).await[0], *line, "{b:?}");
    assert_clean(&fx, b).await;
}
