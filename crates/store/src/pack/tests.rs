//! Packing and manifests over the real store, on both backends: units checked against the
//! order, a weight out of tolerance held until a supervisor releases it, a parcel the service no
//! longer takes refused, parcels on their carrier's manifest of the day, and the close handing
//! them over: stock out of PACK, fees charged, the books balanced.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use entrepot_app::{
    types::locations::{NewLocationRange, PutawayScan},
    App, PickScan, WaveRequest,
};
use entrepot_core::{
    actor::{Actor, Role},
    balance::MoneyBucket,
    ids::ClientId,
    inbound::ShippingMode,
    inventory::Bucket,
    location::LocationKind,
    outbound::{NewOutbound, OrderKind, OutboundStatus},
    share::ShareWith,
};
use entrepot_testkit::{each_backend, Backend};

use crate::{
    outbound::direct::tests::{fixture, order, Fx},
    NewInbound,
};

/// The carrier's tracking number on an order, as a booking records it (the carrier lives in
/// `entrepot-ops`, above the store).
async fn booked(fx: &Fx, oc_number: &str) {
    let sql = format!("UPDATE outbound_orders SET tracking_number = 'TT{oc_number}' WHERE oc_number = '{oc_number}'");
    assert_eq!(fx.store.execute_raw(&sql).await.unwrap(), 1);
}

fn staff(fx: &Fx, supervisor: bool) -> Actor {
    Actor {
        user: None,
        name: if supervisor { "sam".into() } else { "pat".into() },
        role: Role::Staff { warehouses: vec![fx.warehouse.clone()], supervisor },
        device: None,
    }
}

/// Two orders (3 and 1 mugs of 300 g) released and picked; their OC numbers.
async fn picked(fx: &Fx, app: &App) -> (String, String) {
    picked_for(fx, app, &fx.client).await
}

/// [`picked`], the three orders placed by `orderer`: the mug's owner, or a client it shares the
/// mug with.
async fn picked_for(fx: &Fx, app: &App, orderer: &ClientId) -> (String, String) {
    let who = staff(fx, false);
    let range = NewLocationRange {
        range: "A-01-01..01".into(),
        zone: None,
        kind: LocationKind::PickFace,
        pick_seq: None,
        capacity: None,
    };
    app.create_location_range(&who, &fx.warehouse, range).await.unwrap();
    let n = NewInbound {
        warehouse_id: fx.warehouse.clone(),
        reference: "IB-1".into(),
        mode: ShippingMode::Sea,
        lines: vec![(fx.sku, 10)],
        need_clearance_doc: false,
        details: serde_json::json!({}),
    };
    let number = fx.store.create_inbound(&fx.client, n).await.unwrap().inbound.number;
    fx.store.receive_inbound(&fx.client, &number, fx.sku, 10).await.unwrap();
    let scan = PutawayScan {
        client: fx.client.clone(),
        sku: fx.sku,
        warehouse: fx.warehouse.clone(),
        qty: 10,
        inbound: Some(number),
        bin: "A-01-01".into(),
        confirm_other_bin: true,
    };
    app.confirm_putaway(&who, scan).await.unwrap();
    let mut numbers = vec![];
    let mut due = None;
    for (r, q) in [("O-1", 3), ("O-2", 1), ("O-3", 1)] {
        let new = NewOutbound {
            client_id: orderer.clone(),
            reference: r.into(),
            lines: vec![(fx.sku, q)],
            ..order(fx, OrderKind::Local, "GB")
        };
        let o = crate::fixtures::place_order(&fx.store, new, &fx.service, true).await.unwrap();
        due = o.due_date.clone();
        numbers.push(o.oc_number);
    }
    let w = app
        .release_wave(&who, &fx.warehouse, WaveRequest { due_by: due, max_orders: Some(2), ..Default::default() })
        .await
        .unwrap();
    let list = w.lists[0].id.0.clone();
    let mut next = app.pick_list(&who, &list).await.unwrap().next;
    while let Some(p) = next {
        let s = PickScan {
            list: list.clone(),
            scan_id: None,
            bin: p.bin.clone(),
            sku: p.mfskuid.clone(),
            tote: p.tote,
            qty: p.left,
            short: false,
        };
        next = app.pick(&who, s).await.unwrap().list.next;
    }
    (numbers[0].clone(), numbers[1].clone())
}

#[each_backend]
async fn parcels_are_checked_weighed_manifested_and_handed_over(b: Backend) {
    let fx = fixture(b).await;
    let app = App::new(Arc::new(fx.store.clone()));
    let (one, two) = picked(&fx, &app).await;
    let (who, sup, wh) = (staff(&fx, false), staff(&fx, true), fx.warehouse.clone());
    let sku = fx.store.sku(&fx.client, fx.sku).await.unwrap();

    let e = app.pack_unit(&who, &wh, &one, "NOT-A-SKU", 1, None).await.unwrap_err();
    assert!(e.to_string().contains("NOT-A-SKU is not in this order"), "{b:?}: {e}");
    let e = app.pack_unit(&who, &wh, &one, &sku.mfskuid, 4, None).await.unwrap_err();
    assert!(e.to_string().contains("3 more at most"), "{b:?}: {e}");
    let e = app.close_pack(&who, &wh, &one, 900, (300, 200, 100), false).await.unwrap_err();
    assert!(e.to_string().contains("scan every unit first: 3 ×"), "{b:?}: {e}");
    let v = app.pack_unit(&who, &wh, &one, &sku.seller_sku, 3, Some("u1")).await.unwrap();
    assert!(v.complete && v.expected_weight_g == 900, "{b:?}: {v:?}");
    let again = app.pack_unit(&who, &wh, &one, &sku.seller_sku, 3, Some("u1")).await.unwrap();
    assert_eq!(again.lines[0].scanned, 3, "{b:?}: a replayed scan counts once");
    // 1.5 kg for 900 g of mugs: held; only a supervisor lets it go.
    let held = app.close_pack(&who, &wh, &one, 1_500, (300, 200, 100), false).await.unwrap();
    assert!(held.hold.as_deref().unwrap_or_default().contains("850–1200 g"), "{b:?}: {held:?}");
    assert_eq!(held.status, "PICKING");
    assert!(app.close_pack(&who, &wh, &one, 1_500, (300, 200, 100), true).await.is_err(), "{b:?}: not a supervisor");
    // Past the service's 2 kg: refused, whoever asks.
    let e = app.close_pack(&sup, &wh, &one, 2_500, (300, 200, 100), true).await.unwrap_err();
    assert!(e.to_string().contains("GBDomesticStandard"), "{b:?}: {e}");
    let packed = app.close_pack(&sup, &wh, &one, 1_500, (300, 200, 100), true).await.unwrap();
    assert_eq!((packed.status.as_str(), packed.hold.as_ref(), packed.packed_weight_g), ("PACKED", None, Some(1_500)));
    app.pack_unit(&who, &wh, &two, &sku.mfskuid, 1, None).await.unwrap();
    let p2 = app.close_pack(&who, &wh, &two, 420, (200, 150, 100), false).await.unwrap();
    assert_eq!(p2.status, "PACKED", "{b:?}: {p2:?}");

    let e = app.manifest_parcel(&who, &wh, &one).await.unwrap_err();
    assert!(e.to_string().contains("no carrier label yet"), "{b:?}: {e}");
    booked(&fx, &one).await;
    booked(&fx, &two).await;
    let m = app.manifest_parcel(&who, &wh, &one).await.unwrap();
    let m2 = app.manifest_parcel(&who, &wh, &two).await.unwrap();
    let again = app.manifest_parcel(&who, &wh, &two).await.unwrap();
    assert_eq!((m.id.as_str(), m2.parcel_count, again.parcel_count), (m2.id.as_str(), 2, 2), "{b:?}");
    // A scan answers with the parcel scanned, not the whole manifest.
    let scanned: Vec<&str> = again.parcels.iter().map(|p| p.order_id.0.as_str()).collect();
    assert_eq!(scanned, [m2.parcels[0].order_id.0.as_str()], "{b:?}");
    assert_eq!(app.manifest(&who, &m.id).await.unwrap().parcels.len(), 2, "{b:?}");
    let e = app.manifest_parcel(&who, &wh, "O-3").await.unwrap_err();
    assert!(e.to_string().contains("not found") || e.to_string().contains("only a packed"), "{b:?}: {e}");
    let mut fees = 0;
    for n in [&one, &two] {
        fees += fx.store.find_order(&fx.client, n).await.unwrap().total_fee();
    }
    let (before, _) = fx.store.balance(&fx.client).await.unwrap();
    let closed = app.close_manifest(&who, &m.id).await.unwrap();
    assert_eq!(closed.status, "CLOSED");
    for n in [&one, &two] {
        assert_eq!(fx.store.find_order(&fx.client, n).await.unwrap().status, OutboundStatus::Shipped, "{b:?}");
    }
    let (after, _) = fx.store.balance(&fx.client).await.unwrap();
    assert_eq!(after.get(MoneyBucket::Charged) - before.get(MoneyBucket::Charged), fees, "{b:?}");
    let row = &fx.store.stock(&fx.client, &[fx.sku], None).await.unwrap()[0];
    // 10 in, 4 shipped, 1 still reserved for O-3.
    assert_eq!((row.position.get(Bucket::Available), row.position.get(Bucket::ReservedAllocated)), (5, 1), "{b:?}");
    assert!(app.close_manifest(&who, &m.id).await.is_err(), "{b:?}: closed once");
    let v = fx.store.check().await.unwrap();
    assert!(v.is_empty(), "{b:?}: {v:?}");
}

#[each_backend]
async fn a_cancel_after_picking_is_an_intercept_staff_accept_or_refuse(b: Backend) {
    let fx = fixture(b).await;
    let app = App::new(Arc::new(fx.store.clone()));
    let (one, two) = picked(&fx, &app).await;
    let (who, wh) = (staff(&fx, false), fx.warehouse.clone());
    let find = |n: &str| {
        let (s, c, n) = (fx.store.clone(), fx.client.clone(), n.to_owned());
        async move { s.find_order(&c, &n).await.unwrap() }
    };
    // Not picked yet (O-3 waits for the next wave): cancelled at once.
    let three = find("O-3").await;
    let (o3, intercept) = app.cancel_or_intercept(&fx.client, &three.id, None).await.unwrap();
    assert_eq!((o3.status, intercept), (OutboundStatus::Cancelled, false), "{b:?}");
    // Picked: an intercept request; the order is unchanged and cannot go on a manifest.
    let o1 = find(&one).await;
    let (same, intercept) = app.cancel_or_intercept(&fx.client, &o1.id, Some("buyer changed mind")).await.unwrap();
    assert_eq!((same.status, intercept), (OutboundStatus::Picking, true), "{b:?}");
    let o2 = find(&two).await;
    app.cancel_or_intercept(&fx.client, &o2.id, None).await.unwrap();
    let sku = fx.store.sku(&fx.client, fx.sku).await.unwrap();
    app.pack_unit(&who, &wh, &two, &sku.mfskuid, 1, None).await.unwrap();
    app.close_pack(&who, &wh, &two, 320, (200, 150, 100), false).await.unwrap();
    let e = app.manifest_parcel(&who, &wh, &two).await.unwrap_err();
    assert!(e.to_string().contains("intercept"), "{b:?}: {e}");
    // Plain staff decide; sellers may not.
    let seller = Actor {
        user: None,
        name: "ann".into(),
        role: Role::Seller { client: fx.client.clone(), owner: true },
        device: None,
    };
    assert!(app.resolve_intercept(&seller, &fx.client, &one, true).await.is_err());
    let cancelled = app.resolve_intercept(&who, &fx.client, &one, true).await.unwrap();
    assert_eq!(cancelled.status, OutboundStatus::Cancelled, "{b:?}");
    assert!(app.resolve_intercept(&who, &fx.client, &one, true).await.is_err(), "{b:?}: decided once");
    booked(&fx, &two).await;
    let shipped = app.resolve_intercept(&who, &fx.client, &two, false).await.unwrap();
    assert_eq!(shipped.status, OutboundStatus::Packed);
    let m = app.manifest_parcel(&who, &wh, &two).await.unwrap();
    app.close_manifest(&who, &m.id).await.unwrap();
    // O-1's three units went back to A-01-01 and are available again; O-2's one left.
    let row = &fx.store.stock(&fx.client, &[fx.sku], None).await.unwrap()[0];
    assert_eq!((row.position.get(Bucket::Available), row.position.get(Bucket::ReservedAllocated)), (9, 0), "{b:?}");
    let f = entrepot_app::LocationStockFilter { warehouse: wh.clone(), ..Default::default() };
    let held: Vec<(String, i64)> =
        fx.store.location_stock(&f).await.unwrap().into_iter().map(|r| (r.code, r.qty)).collect();
    assert_eq!(held, [("A-01-01".to_owned(), 9)], "{b:?}");
    let (acc, _) = fx.store.balance(&fx.client).await.unwrap();
    assert_eq!(acc.get(MoneyBucket::Held), 0, "{b:?}: every hold released or charged");
    let v = fx.store.check().await.unwrap();
    assert!(v.is_empty(), "{b:?}: {v:?}");
}

#[each_backend]
async fn a_shared_product_goes_through_the_floor_from_its_owners_stock(b: Backend) {
    let fx = fixture(b).await;
    let app = App::new(Arc::new(fx.store.clone()));
    let (owner, orderer) = (fx.client.clone(), fx.other.clone());
    fx.store.top_up(&orderer, None, 100_000, "t").await.unwrap();
    let n = NewOutbound { client_id: orderer.clone(), lines: vec![(fx.sku, 1)], ..order(&fx, OrderKind::Local, "GB") };
    let e = crate::fixtures::place_order(&fx.store, n, &fx.service, true).await.unwrap_err();
    assert!(e.to_string().contains("not found") || e.to_string().contains("does not exist"), "{b:?}: {e}");
    app.share_sku(&owner, fx.sku, &ShareWith::Client(orderer.clone())).await.unwrap();
    // Seller B's three orders of A's mug, released and picked (O-3 waits for the next wave).
    let (one, two) = picked_for(&fx, &app, &orderer).await;
    let (who, wh) = (staff(&fx, false), fx.warehouse.clone());
    // B cancels O-1 after picking: staff accept, and its units go back to A's bin.
    let o1 = fx.store.find_order(&orderer, &one).await.unwrap();
    assert_eq!(o1.owners.get(&fx.sku), Some(&owner), "{b:?}");
    app.cancel_or_intercept(&orderer, &o1.id, None).await.unwrap();
    app.resolve_intercept(&who, &orderer, &one, true).await.unwrap();
    // O-2 is packed, manifested and handed over: its unit leaves A's stock, B pays the fees.
    let sku = fx.store.sku(&owner, fx.sku).await.unwrap();
    app.pack_unit(&who, &wh, &two, &sku.mfskuid, 1, None).await.unwrap();
    app.close_pack(&who, &wh, &two, 320, (200, 150, 100), false).await.unwrap();
    booked(&fx, &two).await;
    let m = app.manifest_parcel(&who, &wh, &two).await.unwrap();
    let (before, _) = fx.store.balance(&orderer).await.unwrap();
    app.close_manifest(&who, &m.id).await.unwrap();
    assert_eq!(fx.store.find_order(&orderer, &two).await.unwrap().status, OutboundStatus::Shipped, "{b:?}");
    let (after, _) = fx.store.balance(&orderer).await.unwrap();
    assert!(after.get(MoneyBucket::Charged) > before.get(MoneyBucket::Charged), "{b:?}: B is charged");
    // A's stock: 10 in, 1 shipped, 1 reserved for O-3; B holds none, and no location row is B's.
    let row = &fx.store.stock(&owner, &[fx.sku], None).await.unwrap()[0];
    assert_eq!((row.position.get(Bucket::Available), row.position.get(Bucket::ReservedAllocated)), (8, 1), "{b:?}");
    assert!(fx.store.stock(&orderer, &[fx.sku], None).await.unwrap().is_empty(), "{b:?}");
    let theirs =
        "SELECT COUNT(*) AS n FROM location_stock WHERE client_id <> (SELECT client_id FROM skus WHERE id = sku_id)";
    assert_eq!(fx.store.count_raw(theirs).await.unwrap(), 0, "{b:?}");
    // A's ledger names B on every move B's orders made.
    let moves = fx.store.movements(&owner, &[fx.sku], 0, i64::MAX).await.unwrap();
    let shipped: i64 = moves
        .iter()
        .filter(|m| m.for_client.as_ref() == Some(&orderer) && m.to == Bucket::Outside)
        .map(|m| m.qty)
        .sum();
    assert_eq!(shipped, 1, "{b:?}: {moves:?}");
    assert!(moves.iter().filter(|m| m.doc_kind == "outbound").all(|m| m.for_client.as_ref() == Some(&orderer)));
    let v = fx.store.check().await.unwrap();
    assert!(v.is_empty(), "{b:?}: {v:?}");
}
