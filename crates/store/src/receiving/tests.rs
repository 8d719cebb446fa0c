//! Receiving on both backends, through the use-case layer as the doors call it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use entrepot_app::{
    types::receiving::{NewSlots, NewUnexpected, NewUnidentified, ReceiveScan, Resolution},
    App,
};
use entrepot_core::{
    actor::{Actor, Role},
    appointment::{AppointmentStatus, SlotPlan},
    ids::{ClientId, SkuId, WarehouseId},
    inbound::{Condition, DiscrepancyKind, InboundStatus, ShippingMode},
    inventory::Bucket,
    CoreError,
};
use entrepot_testkit::{each_backend, Backend};

use crate::{outbound::direct::tests::fixture, NewInbound, Store};

fn staff(wh: &WarehouseId) -> Actor {
    Actor {
        user: None,
        name: "dock-1".into(),
        role: Role::Staff { warehouses: vec![wh.clone()], supervisor: false },
        device: Some("TC52".into()),
    }
}

fn seller(client: &ClientId) -> Actor {
    Actor {
        user: None,
        name: "seller".into(),
        role: Role::Seller { client: client.clone(), owner: true },
        device: None,
    }
}

fn inbound(wh: &WarehouseId, reference: &str, mode: ShippingMode, lines: Vec<(SkuId, i64)>) -> NewInbound {
    NewInbound {
        warehouse_id: wh.clone(),
        reference: reference.into(),
        mode,
        lines,
        need_clearance_doc: false,
        details: serde_json::json!({}),
    }
}

async fn events(store: &Store, kind: &str) -> i64 {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM events WHERE kind = $1")
        .bind(kind)
        .fetch_one(&store.read)
        .await
        .unwrap();
    crate::engine::rows::i(&row, "n").unwrap()
}

async fn bucket(store: &Store, client: &ClientId, sku: SkuId, b: Bucket) -> i64 {
    store.stock(client, &[sku], None).await.unwrap()[0].position.get(b)
}

#[each_backend]
async fn scans_count_refuse_wrong_codes_replay_once_and_close_with_discrepancies(b: Backend) {
    let fx = fixture(b).await;
    let app = App::new(Arc::new(fx.store.clone()));
    let st = &fx.store;
    let b2 = st.create_skus(&fx.client, vec![crate::fixtures::sku("B-2")]).await.unwrap()[0].clone();
    let foreign = st.create_skus(&fx.other, vec![crate::fixtures::sku("X-1")]).await.unwrap()[0].clone();
    let a1 = st.sku(&fx.client, fx.sku).await.unwrap();
    let v = st
        .create_inbound(&fx.client, inbound(&fx.warehouse, "R-1", ShippingMode::Sea, vec![(a1.id, 10), (b2.id, 5)]))
        .await
        .unwrap();
    let other = st
        .create_inbound(&fx.client, inbound(&fx.warehouse, "R-2", ShippingMode::Sea, vec![(a1.id, 1)]))
        .await
        .unwrap();
    app.book_inbound_appointment(&fx.client, "R-1").await.unwrap();
    let dock = staff(&fx.warehouse);
    let number = v.inbound.number.clone();

    // The carton mark opens the expected lines; a SKU label there is refused.
    let r = app.open_receipt(&dock, &format!("{number}-001")).await.unwrap();
    assert_eq!(
        r.lines.iter().map(|l| l.mfskuid.as_str()).collect::<Vec<_>>(),
        vec![a1.mfskuid.as_str(), b2.mfskuid.as_str()]
    );
    let e = app.open_receipt(&dock, &a1.mfskuid).await.unwrap_err().to_string();
    assert!(e.contains("expected the carton mark of an inbound; got SKU label"), "{b:?}: {e}");
    let elsewhere = staff(&WarehouseId::from("wh_elsewhere"));
    assert!(matches!(app.open_receipt(&elsewhere, &number).await, Err(CoreError::NotFound { .. })), "{b:?}");

    let scan = |code: &str, qty: i64, condition, id: Option<&str>| ReceiveScan {
        inbound: number.clone(),
        code: code.into(),
        quantity: qty,
        condition,
        scan_id: id.map(str::to_owned),
    };
    let s = app.receive_scan(&dock, scan(&a1.mfskuid, 1, Condition::Good, Some("s-1"))).await.unwrap();
    assert_eq!((s.counted, s.replayed), (Some((a1.id, 1)), false));
    let again = app.receive_scan(&dock, scan(&a1.mfskuid, 1, Condition::Good, Some("s-1"))).await.unwrap();
    assert!(again.replayed, "{b:?}");
    assert_eq!(again.receipt.lines[0].received, 1, "{b:?}: a replayed scan counts once");
    app.receive_scan(&dock, scan(&a1.mfskuid.to_lowercase(), 2, Condition::Damaged, Some("s-2"))).await.unwrap();
    app.receive_scan(&dock, scan(&b2.mfskuid, 6, Condition::Good, None)).await.unwrap();
    assert_eq!(bucket(st, &fx.client, a1.id, Bucket::Unfulfillable).await, 2, "{b:?}");
    assert_eq!(bucket(st, &fx.client, b2.id, Bucket::Received).await, 6, "{b:?}");

    // Wrong scans say what was expected.
    let expected = format!("expected a SKU of inbound {number}: {}, {}", a1.mfskuid, b2.mfskuid);
    let e = app.receive_scan(&dock, scan(&foreign.mfskuid, 1, Condition::Good, None)).await.unwrap_err().to_string();
    assert!(e.contains(&expected) && e.ends_with("a SKU of another client"), "{b:?}: {e}");
    let e = app
        .receive_scan(&dock, scan(&format!("{}-001", other.inbound.number), 1, Condition::Good, None))
        .await
        .unwrap_err()
        .to_string();
    assert!(e.ends_with(&format!("got the carton mark of inbound {}", other.inbound.number)), "{b:?}: {e}");
    let same = app.receive_scan(&dock, scan(&format!("{number}-001"), 1, Condition::Good, None)).await.unwrap();
    assert_eq!(same.counted, None, "{b:?}: the open inbound's own carton mark counts nothing");
    assert!(app.receive_scan(&seller(&fx.client), scan(&a1.mfskuid, 1, Condition::Good, None)).await.is_err());

    // An unexpected SKU is recorded, not received.
    let u = NewUnexpected {
        inbound: number.clone(),
        code: foreign.mfskuid.clone(),
        quantity: 3,
        note: Some("loose in carton 1".into()),
        photo_key: Some("photos/uf-1.jpg".into()),
    };
    let d = app.record_unexpected(&dock, u).await.unwrap();
    assert_eq!((d.kind, d.sku_id, d.quantity), (DiscrepancyKind::Unexpected, None, 3), "{b:?}");
    let refused =
        NewUnexpected { code: a1.mfskuid.clone(), note: None, photo_key: None, inbound: number.clone(), quantity: 1 };
    assert!(app.record_unexpected(&dock, refused).await.unwrap_err().to_string().contains("scan it as a receipt"));

    // Closing: A-1 short 7 and damaged 2, B-2 over 1; each an event; in transit leaves.
    let closed = app.close_receipt(&dock, &number).await.unwrap();
    let kinds: Vec<_> = closed.discrepancies.iter().map(|d| (d.kind, d.sku_id, d.quantity)).collect();
    assert!(kinds.contains(&(DiscrepancyKind::Short, Some(a1.id), 7)), "{b:?}: {kinds:?}");
    assert!(kinds.contains(&(DiscrepancyKind::Damaged, Some(a1.id), 2)), "{b:?}: {kinds:?}");
    assert!(kinds.contains(&(DiscrepancyKind::Over, Some(b2.id), 1)), "{b:?}: {kinds:?}");
    assert_eq!(kinds.len(), 4, "{b:?}: {kinds:?}");
    assert_eq!(events(st, "inbound.discrepancy").await, 4, "{b:?}");
    assert_eq!(closed.lines[0].short, 7);
    assert_eq!(closed.inbound.inbound.status, InboundStatus::Receiving, "{b:?}: waiting at the dock");
    assert_eq!(bucket(st, &fx.client, a1.id, Bucket::InTransit).await, 1, "{b:?}: only R-2's unit in transit");
    assert!(app.receive_scan(&dock, scan(&a1.mfskuid, 1, Condition::Good, None)).await.is_err(), "{b:?}");
    assert_eq!(app.inbound_discrepancies(&fx.client, "R-1").await.unwrap().len(), 4);
    assert!(app.inbound_discrepancies(&fx.other, "R-1").await.is_err(), "{b:?}: another client's inbound");

    // Put away: the inbound becomes available, and dock-to-stock is measured.
    app.put_away_inbound(&fx.client, "R-1", a1.id, 1).await.unwrap();
    let done = app.put_away_inbound(&fx.client, "R-1", b2.id, 6).await.unwrap();
    assert_eq!(done.inbound.status, InboundStatus::PutAway, "{b:?}");
    assert_eq!(events(st, "inbound.discrepancy").await, 4, "{b:?}: not raised twice");
    let r = app.receipt(&dock, &number).await.unwrap();
    assert!(r.arrived_at_ms.is_some() && r.available_at_ms.is_some(), "{b:?}");
    assert_eq!(app.dock_to_stock().await.unwrap().count, 1, "{b:?}");
    let trail = app.audit_trail(&dock, "inbound", &v.id.0).await.unwrap();
    assert!(trail.iter().any(
        |t| t.action == "inbound.received" && t.detail.as_deref() == Some(&*format!("2 × {}, damaged", a1.mfskuid))
    ));
    assert!(trail.iter().any(|t| t.action == "inbound.receipt_closed"), "{b:?}");
}

#[each_backend]
async fn appointments_fill_move_cancel_and_record_no_shows(b: Backend) {
    let fx = fixture(b).await;
    let app = App::new(Arc::new(fx.store.clone()));
    let st = &fx.store;
    let mk = |r: &str, mode| inbound(&fx.warehouse, r, mode, vec![(fx.sku, 1)]);
    for (r, mode) in
        [("L", ShippingMode::Sea), ("A", ShippingMode::Sea), ("B", ShippingMode::Truck), ("C", ShippingMode::Express)]
    {
        st.create_inbound(&fx.client, mk(r, mode)).await.unwrap();
    }
    // No slots at all: today's flag.
    let l = app.book_inbound_appointment(&fx.client, "L").await.unwrap();
    assert_eq!(l.inbound.status, InboundStatus::InTransit, "{b:?}");
    let dock = staff(&fx.warehouse);
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let plan = SlotPlan {
        from: today.tomorrow().unwrap(),
        to: today.tomorrow().unwrap().tomorrow().unwrap(),
        first_hour: 8,
        last_hour: 10,
        minutes: 60,
        capacity: 1,
    };
    let slots =
        app.create_dock_slots(&dock, NewSlots { warehouse: fx.warehouse.clone(), plan: plan.clone() }).await.unwrap();
    assert_eq!(slots.len(), 4, "{b:?}");
    let again = app.create_dock_slots(&dock, NewSlots { warehouse: fx.warehouse.clone(), plan }).await.unwrap();
    assert_eq!(again, slots, "{b:?}: creating the same slots again keeps them");
    assert!(app
        .create_dock_slots(
            &seller(&fx.client),
            NewSlots { warehouse: fx.warehouse.clone(), plan: SlotPlan { capacity: 2, ..again_plan(today) } }
        )
        .await
        .is_err());

    let me = seller(&fx.client);
    let a = app.book_appointment(&me, &fx.client, "A", Some(&slots[0].id)).await.unwrap();
    assert_eq!((a.status, a.slot.booked), (AppointmentStatus::Booked, 1), "{b:?}");
    let e = app.book_appointment(&me, &fx.client, "B", Some(&slots[0].id)).await.unwrap_err().to_string();
    assert!(e.contains("is full (1 inbounds)"), "{b:?}: {e}");
    app.book_appointment(&me, &fx.client, "B", Some(&slots[1].id)).await.unwrap();
    let e = app.book_appointment(&me, &fx.client, "C", Some(&slots[2].id)).await.unwrap_err().to_string();
    assert!(e.contains("express inbound"), "{b:?}: {e}");
    assert!(matches!(
        app.book_appointment(&seller(&fx.other), &fx.client, "A", None).await,
        Err(CoreError::Forbidden(_))
    ));
    assert!(app.book_appointment(&seller(&fx.other), &fx.other, "A", None).await.is_err(), "{b:?}: not its inbound");

    // Move A to slot 2: slot 0 frees.
    let moved = app.book_appointment(&me, &fx.client, "A", Some(&slots[2].id)).await.unwrap();
    assert_eq!(moved.slot.id, slots[2].id);
    let now = app.dock_slots(&me, &fx.warehouse, 0, i64::MAX).await.unwrap();
    assert_eq!(now.iter().map(|s| s.booked).collect::<Vec<_>>(), vec![0, 1, 1, 0], "{b:?}");
    // Cancel B: it waits for a new appointment.
    let bv = app.cancel_appointment(&me, &fx.client, "B").await.unwrap();
    assert_eq!(bv.inbound.status, InboundStatus::AwaitingAppointment, "{b:?}");
    // The admin path books the earliest free slot now that slots exist.
    let bv = app.book_inbound_appointment(&fx.client, "B").await.unwrap();
    assert_eq!(bv.inbound.status, InboundStatus::InTransit);
    assert_eq!(app.appointment(&me, &fx.client, "B").await.unwrap().unwrap().slot.id, slots[0].id, "{b:?}");

    // A's slot passes with no arrival: a no-show; B checks in.
    let b_num = st.find_inbound(&fx.client, "B").await.unwrap().inbound.number;
    assert!(app.check_in(&dock, "B").await.is_err(), "{b:?}: staff name inbounds by number");
    app.check_in(&dock, &b_num).await.unwrap();
    assert_eq!(st.find_inbound(&fx.client, &b_num).await.unwrap().inbound.status, InboundStatus::Arrived);
    let shows = app.record_no_shows(&dock, i64::MAX).await.unwrap();
    assert_eq!(shows.len(), 1, "{b:?}");
    assert_eq!(shows[0].status, AppointmentStatus::NoShow);
    assert_eq!(st.find_inbound(&fx.client, "A").await.unwrap().inbound.status, InboundStatus::AwaitingAppointment);
    assert_eq!(app.appointment(&me, &fx.client, "B").await.unwrap().unwrap().status, AppointmentStatus::Arrived);
    assert!(app.record_no_shows(&dock, i64::MAX).await.unwrap().is_empty(), "{b:?}: recorded once");
}

fn again_plan(today: jiff::civil::Date) -> SlotPlan {
    SlotPlan { from: today, to: today, first_hour: 8, last_hour: 9, minutes: 60, capacity: 1 }
}

#[each_backend]
async fn unidentified_freight_is_queued_then_matched_or_closed(b: Backend) {
    let fx = fixture(b).await;
    let app = App::new(Arc::new(fx.store.clone()));
    let dock = staff(&fx.warehouse);
    let v = fx
        .store
        .create_inbound(&fx.client, inbound(&fx.warehouse, "U-1", ShippingMode::Sea, vec![(fx.sku, 4)]))
        .await
        .unwrap();
    let new = |tracking: &str| NewUnidentified {
        warehouse: fx.warehouse.clone(),
        carrier: Some("DHL".into()),
        tracking: Some(tracking.into()),
        cartons: 2,
        note: Some("no paperwork".into()),
        photo_key: None,
    };
    let one = app.record_unidentified(&dock, new("JD0001")).await.unwrap();
    let two = app.record_unidentified(&dock, new("JD0002")).await.unwrap();
    assert!(app.record_unidentified(&staff(&WarehouseId::from("wh_x")), new("JD3")).await.is_err());
    assert_eq!(app.unidentified(&dock, None, true).await.unwrap().len(), 2, "{b:?}");
    let m = Resolution::Match { client: fx.client.clone(), inbound: "U-1".into() };
    let done = app.resolve_unidentified(&dock, &one.id, m.clone()).await.unwrap();
    assert_eq!((done.status.as_str(), done.inbound_id.as_deref()), ("MATCHED", Some(v.id.0.as_str())), "{b:?}");
    assert_eq!(fx.store.find_inbound(&fx.client, "U-1").await.unwrap().inbound.status, InboundStatus::Arrived);
    assert!(app.resolve_unidentified(&dock, &one.id, m).await.unwrap_err().to_string().contains("MATCHED already"));
    assert!(app.resolve_unidentified(&dock, &two.id, Resolution::Close { reason: " ".into() }).await.is_err());
    app.resolve_unidentified(&dock, &two.id, Resolution::Close { reason: "returned to DHL".into() }).await.unwrap();
    assert!(app.unidentified(&dock, None, true).await.unwrap().is_empty(), "{b:?}");
    assert_eq!(app.unidentified(&dock, Some(&fx.warehouse), false).await.unwrap().len(), 2, "{b:?}");
    // Matched freight opens for receiving: the carton mark opens the inbound.
    let r = app.open_receipt(&dock, &v.inbound.number).await.unwrap();
    assert_eq!(r.lines[0].expected, 4);
}

/// Many handhelds at once: every scan counts once and none waits on a connection its own request
/// holds (a scan's reads once waited for a second read connection while holding one: with more
/// devices than connections, all of them waited until the pool's acquire timeout).
#[each_backend]
async fn scans_from_more_devices_than_connections_all_count(b: Backend) {
    let fx = fixture(b).await;
    let app = App::new(Arc::new(fx.store.clone()));
    let v = fx
        .store
        .create_inbound(&fx.client, inbound(&fx.warehouse, "R-64", ShippingMode::Express, vec![(fx.sku, 1_000)]))
        .await
        .unwrap();
    let dock = staff(&fx.warehouse);
    app.check_in(&dock, &v.inbound.number).await.unwrap();
    let code = fx.store.sku(&fx.client, fx.sku).await.unwrap().mfskuid;
    let scans = (0..64).map(|k| {
        let (app, dock, number, code) = (app.clone(), dock.clone(), v.inbound.number.clone(), code.clone());
        tokio::spawn(async move {
            let scan = ReceiveScan {
                inbound: number,
                code,
                quantity: 1,
                condition: Condition::Good,
                scan_id: Some(format!("h{}-{}", k % 8, k)),
            };
            app.receive_scan(&dock, scan).await
        })
    });
    let done = tokio::time::timeout(std::time::Duration::from_secs(20), futures_join(scans.collect())).await;
    let results = done.expect("the scans finished");
    assert!(results.iter().all(|r| matches!(r, Ok(s) if s.counted == Some((fx.sku, 1)))), "{b:?}");
    assert_eq!(bucket(&fx.store, &fx.client, fx.sku, Bucket::Received).await, 64, "{b:?}");
}

async fn futures_join<T>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = vec![];
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}
