//! Bins over the real store, on both backends: default locations, receipts at the dock,
//! putaway into the suggested bin, capacity, bin-to-bin moves, shipping from bins, and the
//! ledger check catching a tampered location.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use entrepot_app::{
    types::locations::{
        BinMove, LocationFilter, LocationStockFilter, NewLocationRange, PutawayAfter, PutawayPending, PutawayScan,
    },
    App,
};
use entrepot_core::{
    actor::{Actor, Role},
    inbound::ShippingMode,
    inventory::{Bucket, Transfer},
    location::LocationKind,
    outbound::{OrderKind, OutboundStatus},
};
use entrepot_testkit::{each_backend, Backend};

use crate::{
    fixtures,
    outbound::direct::tests::{fixture, order, Fx},
    NewInbound,
};

fn app(fx: &Fx) -> App {
    App::new(Arc::new(fx.store.clone()))
}

fn staff(fx: &Fx) -> Actor {
    Actor {
        user: None,
        name: "alice".into(),
        role: Role::Staff { warehouses: vec![fx.warehouse.clone()], supervisor: false },
        device: Some("TC52".into()),
    }
}

/// `(code, sku, qty)` of every non-empty location of the fixture's warehouse.
async fn bins(fx: &Fx) -> Vec<(String, i64)> {
    let f = LocationStockFilter { warehouse: fx.warehouse.clone(), ..Default::default() };
    fx.store.location_stock(&f).await.unwrap().into_iter().map(|r| (r.code, r.qty)).collect()
}

async fn received(fx: &Fx, reference: &str, qty: i64) -> String {
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
    number
}

async fn assert_clean(fx: &Fx, b: Backend) {
    let v = fx.store.check().await.unwrap();
    assert!(v.is_empty(), "{b:?}: {v:?}");
}

fn scan(fx: &Fx, inbound: Option<&str>, bin: &str, qty: i64) -> PutawayScan {
    PutawayScan {
        client: fx.client.clone(),
        sku: fx.sku,
        warehouse: fx.warehouse.clone(),
        qty,
        inbound: inbound.map(str::to_owned),
        bin: bin.into(),
        confirm_other_bin: false,
    }
}

#[each_backend]
async fn receipts_land_at_the_dock_and_damaged_goods_in_damaged(b: Backend) {
    let fx = fixture(b).await;
    let all = app(&fx)
        .list_locations(&staff(&fx), LocationFilter { warehouse: fx.warehouse.clone(), ..Default::default() })
        .await
        .unwrap();
    let codes: Vec<&str> = all.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["DAMAGED", "DOCK", "PACK", "RETURNS"], "{b:?}: a new warehouse has its defaults");
    received(&fx, "IB-1", 10).await;
    let t = Transfer::adjustment(Bucket::Unfulfillable, 2).unwrap();
    fx.store.move_stock(&fx.client, fx.sku, &fx.warehouse, t, None).await.unwrap();
    assert_eq!(bins(&fx).await, [("DAMAGED".to_owned(), 2), ("DOCK".to_owned(), 10)], "{b:?}");
    // Writing off damaged goods takes them from DAMAGED.
    let t = Transfer::adjustment(Bucket::Unfulfillable, -1).unwrap();
    fx.store.move_stock(&fx.client, fx.sku, &fx.warehouse, t, None).await.unwrap();
    assert_eq!(bins(&fx).await[0], ("DAMAGED".to_owned(), 1), "{b:?}");
    assert_clean(&fx, b).await;
}

#[each_backend]
async fn putaway_goes_to_the_suggested_bin_and_shipping_takes_from_it(b: Backend) {
    let fx = fixture(b).await;
    let (app, who) = (app(&fx), staff(&fx));
    let range = NewLocationRange {
        range: "A-01-01..03".into(),
        zone: None,
        kind: LocationKind::PickFace,
        pick_seq: None,
        capacity: None,
    };
    let made = app.create_location_range(&who, &fx.warehouse, range).await.unwrap();
    assert_eq!(made.iter().map(|l| l.pick_seq).collect::<Vec<_>>(), [1, 2, 3], "{b:?}");
    let number = received(&fx, "IB-1", 10).await;
    let tasks = app.putaway_tasks(&who, &fx.warehouse, None, 50).await.unwrap().items;
    assert_eq!(tasks.len(), 1, "{b:?}: {tasks:?}");
    assert_eq!((tasks[0].qty, tasks[0].inbound.as_deref()), (10, Some(number.as_str())));
    assert_eq!(tasks[0].suggested_bin.as_deref(), Some("A-01-01"), "{b:?}");
    // Another bin needs a confirmation, and the refusal names the suggested one.
    let e = app.confirm_putaway(&who, scan(&fx, Some(&number), "a-01-02", 4)).await.unwrap_err();
    assert!(e.to_string().contains("suggested bin is A-01-01"), "{b:?}: {e}");
    let done = app.confirm_putaway(&who, scan(&fx, Some(&number), "A-01-01", 6)).await.unwrap();
    assert_eq!(done.bin, "A-01-01");
    // The SKU's pick face is suggested again for the rest.
    let e = app.confirm_putaway(&who, scan(&fx, Some(&number), "A-01-03", 4)).await.unwrap_err();
    assert!(e.to_string().contains("A-01-01"), "{b:?}: {e}");
    let other = PutawayScan { confirm_other_bin: true, ..scan(&fx, Some(&number), "A-01-03", 4) };
    app.confirm_putaway(&who, other).await.unwrap();
    let v = fx.store.find_inbound(&fx.client, &number).await.unwrap();
    assert_eq!(v.inbound.lines[0].put_away, 10, "{b:?}: the inbound line counts the putaway");
    assert_eq!(bins(&fx).await, [("A-01-01".to_owned(), 6), ("A-01-03".to_owned(), 4)], "{b:?}");
    let row = &fx.store.stock(&fx.client, &[fx.sku], None).await.unwrap()[0];
    assert_eq!((row.position.get(Bucket::Received), row.position.get(Bucket::Available)), (0, 10));
    assert!(app.putaway_tasks(&who, &fx.warehouse, None, 50).await.unwrap().items.is_empty());
    let trail = app.audit_trail(&who, "inbound", &v.id.0).await.unwrap();
    assert_eq!(trail.len(), 2, "{b:?}: {trail:?}");
    assert_eq!((trail[0].action.as_str(), trail[0].device.as_deref()), ("putaway.confirmed", Some("TC52")));
    assert_clean(&fx, b).await;
    // A bin-to-bin move, then the check still balances.
    let m = BinMove {
        client: fx.client.clone(),
        sku: fx.sku,
        warehouse: fx.warehouse.clone(),
        from: "A-01-03".into(),
        to: "A-01-02".into(),
        qty: 3,
    };
    app.move_between_bins(&who, m).await.unwrap();
    assert_eq!(
        bins(&fx).await,
        [("A-01-01".to_owned(), 6), ("A-01-02".to_owned(), 3), ("A-01-03".to_owned(), 1)],
        "{b:?}"
    );
    assert_clean(&fx, b).await;
    // Each bin counts what it holds in all (the dock does not: see `placement::units`).
    for (code, units) in [("A-01-01", 6), ("A-01-02", 3), ("A-01-03", 1), ("DOCK", 0)] {
        let same = format!("UPDATE locations SET units = units WHERE code = '{code}' AND units = {units}");
        assert_eq!(fx.store.execute_raw(&same).await.unwrap(), 1, "{b:?}: {code}");
    }
    fx.store.execute_raw("UPDATE locations SET units = 7 WHERE code = 'A-01-01'").await.unwrap();
    let v = fx.store.check().await.unwrap();
    assert!(
        v.iter().any(|x| x.invariant == "location units = its stock" && x.to_string().contains("A-01-01")),
        "{v:?}"
    );
}

#[each_backend]
async fn shipping_draws_units_from_bins_by_pick_sequence(b: Backend) {
    let fx = fixture(b).await;
    let (app, who) = (app(&fx), staff(&fx));
    for (code, seq) in [("A-2", 2), ("A-1", 1)] {
        let n = entrepot_app::types::locations::NewLocation {
            code: code.into(),
            zone: None,
            kind: LocationKind::PickFace,
            pick_seq: Some(seq),
            capacity: None,
        };
        app.create_location(&who, &fx.warehouse, n).await.unwrap();
    }
    let number = received(&fx, "IB-1", 5).await;
    app.confirm_putaway(&who, scan(&fx, Some(&number), "A-1", 2)).await.unwrap();
    let other = PutawayScan { confirm_other_bin: true, ..scan(&fx, Some(&number), "A-2", 3) };
    app.confirm_putaway(&who, other).await.unwrap();
    let mut new = order(&fx, OrderKind::Local, "GB");
    new.lines = vec![(fx.sku, 3)];
    let o = fixtures::place_order(&fx.store, new, &fx.service, true).await.unwrap();
    assert_eq!(bins(&fx).await.len(), 2, "{b:?}: reserving moves no goods");
    for st in [OutboundStatus::WaitPicking, OutboundStatus::Picking, OutboundStatus::Packed, OutboundStatus::Shipped] {
        fx.store.transition_order(&fx.client, &o.id, st).await.unwrap();
    }
    assert_eq!(bins(&fx).await, [("A-2".to_owned(), 2)], "{b:?}: A-1 emptied first");
    let moves = fx.store.movements(&fx.client, &[fx.sku], 0, i64::MAX).await.unwrap();
    let mut shipped: Vec<(i64, Option<i64>)> =
        moves.iter().filter(|m| m.to == Bucket::Outside).map(|m| (m.qty, m.from_after)).collect();
    shipped.sort();
    // One ledger row per bin drawn from, with the running balances of reserved (3 → 1 → 0).
    assert_eq!(shipped, [(1, Some(0)), (2, Some(1))], "{b:?}");
    assert_clean(&fx, b).await;
}

#[each_backend]
async fn a_full_bin_or_a_foreign_warehouse_is_refused(b: Backend) {
    let fx = fixture(b).await;
    let (app, who) = (app(&fx), staff(&fx));
    let n = entrepot_app::types::locations::NewLocation {
        code: "B-1".into(),
        zone: None,
        kind: LocationKind::Reserve,
        pick_seq: None,
        capacity: Some(5),
    };
    app.create_location(&who, &fx.warehouse, n.clone()).await.unwrap();
    let e = app.create_location(&who, &fx.warehouse, n).await.unwrap_err();
    assert!(e.to_string().contains("B-1"), "{b:?}: {e}");
    let number = received(&fx, "IB-1", 8).await;
    let s = PutawayScan { confirm_other_bin: true, ..scan(&fx, Some(&number), "B-1", 6) };
    let e = app.confirm_putaway(&who, s).await.unwrap_err();
    assert!(e.to_string().contains("room for 5 more"), "{b:?}: {e}");
    let e = app.confirm_putaway(&who, scan(&fx, Some(&number), "DOCK", 1)).await.unwrap_err();
    assert!(e.to_string().contains("dock location"), "{b:?}: {e}");
    assert_eq!(bins(&fx).await, [("DOCK".to_owned(), 8)], "{b:?}: nothing moved");
    let elsewhere =
        Actor { role: Role::Staff { warehouses: vec!["wh_other".into()], supervisor: false }, ..staff(&fx) };
    assert!(app.putaway_tasks(&elsewhere, &fx.warehouse, None, 50).await.is_err());
    assert!(app.confirm_putaway(&elsewhere, scan(&fx, Some(&number), "B-1", 1)).await.is_err());
    // A seller user sees its own client's units per location only, and runs no floor action.
    let seller = |client: &entrepot_core::ids::ClientId| Actor {
        user: None,
        name: "sue".into(),
        role: Role::Seller { client: client.clone(), owner: true },
        device: None,
    };
    let all = LocationStockFilter { warehouse: fx.warehouse.clone(), ..Default::default() };
    assert_eq!(app.stock_by_location(&seller(&fx.client), all.clone()).await.unwrap().len(), 1, "{b:?}");
    assert!(app.stock_by_location(&seller(&fx.other), all.clone()).await.unwrap().is_empty(), "{b:?}");
    let theirs = LocationStockFilter { client: Some(fx.client.clone()), ..all };
    assert!(app.stock_by_location(&seller(&fx.other), theirs).await.is_err(), "{b:?}");
    let listing = LocationFilter { warehouse: fx.warehouse.clone(), ..Default::default() };
    assert!(app.list_locations(&seller(&fx.client), listing).await.is_err(), "{b:?}");
    assert_clean(&fx, b).await;
}

#[each_backend]
async fn the_check_catches_a_tampered_location_row(b: Backend) {
    let fx = fixture(b).await;
    received(&fx, "IB-1", 4).await;
    assert_clean(&fx, b).await;
    fx.store.execute_raw("UPDATE location_stock SET qty = qty + 1").await.unwrap();
    let v = fx.store.check().await.unwrap();
    assert!(
        v.iter().any(|x| x.invariant == "locations = physical stock"
            && x.to_string().contains("locations hold 5 but its physical buckets")),
        "{b:?}: {v:?}"
    );

    fx.store.execute_raw("UPDATE location_stock SET qty = -1").await.unwrap();
    let v = fx.store.check().await.unwrap();
    assert!(v.iter().any(|x| x.invariant == "no negative location"), "{b:?}: {v:?}");
}

/// A database from before bins: migration 0024 places what is on hand (received at the DOCK,
/// unfulfillable in DAMAGED, the rest in STOCK) and the books balance.
#[each_backend]
async fn the_migration_places_stock_that_was_on_hand(b: Backend) {
    let fx = fixture(b).await;
    received(&fx, "IB-1", 6).await;
    for (bucket, q) in [(Bucket::Available, 4), (Bucket::Unfulfillable, 2)] {
        let t = Transfer::adjustment(bucket, q).unwrap();
        fx.store.move_stock(&fx.client, fx.sku, &fx.warehouse, t, None).await.unwrap();
    }
    fx.store
        .execute_raw(
            // Cycle counts (0028) hang off locations: they go too, and come back after 0024, as
            // do the units column of 0031, the waves of 0033 and their index of 0038 (what later migrations add to
            // locations runs again).
            "DROP INDEX outbound_orders_pick_list; DELETE FROM schema_migrations WHERE version = 38; \
             DROP TABLE pick_scans; DROP TABLE picks; DROP TABLE pick_lists; DROP TABLE waves; \
             ALTER TABLE outbound_orders DROP COLUMN wave_id; ALTER TABLE outbound_orders DROP COLUMN pick_list_id; \
             ALTER TABLE outbound_orders DROP COLUMN tote; DELETE FROM schema_migrations WHERE version = 33; \
             DROP TABLE count_lines; DROP TABLE count_tasks; ALTER TABLE warehouses DROP COLUMN count_approval_units; \
             DELETE FROM schema_migrations WHERE version = 28; \
             DROP TABLE locations; DROP TABLE location_stock; DROP TABLE location_moves; \
             ALTER TABLE stock_transfers DROP COLUMN from_location; ALTER TABLE stock_transfers DROP COLUMN to_location; \
             DROP INDEX inbound_orders_warehouse_status; \
             DELETE FROM schema_migrations WHERE version IN (24, 31)",
        )
        .await
        .unwrap();
    let reopened = crate::Store::open(&fx.db_url()).await.unwrap();
    let f = LocationStockFilter { warehouse: fx.warehouse.clone(), ..Default::default() };
    let placed: Vec<(String, i64)> =
        reopened.location_stock(&f).await.unwrap().into_iter().map(|r| (r.code, r.qty)).collect();
    assert_eq!(placed, [("DAMAGED".to_owned(), 2), ("DOCK".to_owned(), 6), ("STOCK".to_owned(), 4)], "{b:?}");
    let v = reopened.check().await.unwrap();
    assert!(v.is_empty(), "{b:?}: {v:?}");
    // And the ledger goes on from there: shipping takes from STOCK, receipts land at the DOCK.
    let t = Transfer::adjustment(Bucket::Available, -3).unwrap();
    reopened.move_stock(&fx.client, fx.sku, &fx.warehouse, t, None).await.unwrap();
    assert_eq!(reopened.location_stock(&f).await.unwrap()[2].qty, 1, "{b:?}");
    assert!(reopened.check().await.unwrap().is_empty(), "{b:?}");
}

/// Every page of `putaway_pending` with pages of `limit`, checking each `next` resumes there.
async fn pending_pages(fx: &Fx, limit: i64) -> Vec<PutawayPending> {
    let (mut all, mut after) = (vec![], None::<PutawayAfter>);
    loop {
        let page = fx.store.putaway_pending(&fx.warehouse, after.as_ref(), limit).await.unwrap();
        assert!(page.items.len() <= limit as usize, "{page:?}");
        all.extend(page.items);
        match page.next {
            Some(n) => {
                assert_eq!(Some(&n), all.last().map(PutawayAfter::of).as_ref(), "a page resumes after its last row");
                after = Some(n);
            }
            None => return all,
        }
    }
}

#[each_backend]
async fn putaway_pending_pages_inbound_lines_then_units_received_without_one(b: Backend) {
    let fx = fixture(b).await;
    let made = fx
        .store
        .create_skus(&fx.client, vec![fixtures::sku("B-1"), fixtures::sku("B-2"), fixtures::sku("B-3")])
        .await
        .unwrap();
    let (b1, b2, b3) = (made[0].id, made[1].id, made[2].id);
    let inbound = |reference: &str, lines: Vec<(entrepot_core::ids::SkuId, i64)>| NewInbound {
        warehouse_id: fx.warehouse.clone(),
        reference: reference.into(),
        mode: ShippingMode::Sea,
        lines,
        need_clearance_doc: false,
        details: serde_json::json!({}),
    };
    let first = fx.store.create_inbound(&fx.client, inbound("IB-1", vec![(fx.sku, 10), (b1, 10)])).await.unwrap();
    let first = first.inbound.number;
    fx.store.receive_inbound(&fx.client, &first, fx.sku, 4).await.unwrap();
    fx.store.receive_inbound(&fx.client, &first, b1, 5).await.unwrap();
    let second = fx.store.create_inbound(&fx.client, inbound("IB-2", vec![(b2, 3), (b3, 9)])).await.unwrap();
    let second = second.inbound.number;
    fx.store.receive_inbound(&fx.client, &second, b2, 3).await.unwrap();
    // Units received with no inbound: 2 more of the first SKU, 7 of B-3 (of which none came
    // in on IB-2 yet); all of B-2's received units are IB-2's.
    for (sku, q) in [(fx.sku, 2), (b3, 7)] {
        let t = Transfer::adjustment(Bucket::Received, q).unwrap();
        fx.store.move_stock(&fx.client, sku, &fx.warehouse, t, None).await.unwrap();
    }
    let whole = pending_pages(&fx, 500).await;
    let seen: Vec<(Option<&str>, _, i64)> = whole.iter().map(|p| (p.inbound.as_deref(), p.sku_id, p.qty)).collect();
    assert_eq!(
        seen,
        [
            (Some(first.as_str()), fx.sku, 4),
            (Some(first.as_str()), b1, 5),
            (Some(second.as_str()), b2, 3),
            (None, fx.sku, 2),
            (None, b3, 7),
        ],
        "{b:?}"
    );
    for limit in [1, 2, 3, 4, 5] {
        assert_eq!(pending_pages(&fx, limit).await, whole, "{b:?}: pages of {limit}");
    }
    // A cursor naming no inbound is refused.
    let junk = PutawayAfter::Line { inbound: "IB-NONE".into(), sku: fx.sku };
    assert!(fx.store.putaway_pending(&fx.warehouse, Some(&junk), 2).await.is_err(), "{b:?}");
}

#[each_backend]
async fn location_stock_pages_by_code_then_sku(b: Backend) {
    let fx = fixture(b).await;
    let made = fx.store.create_skus(&fx.client, vec![fixtures::sku("B-1"), fixtures::sku("B-2")]).await.unwrap();
    for (sku, q) in [(fx.sku, 3), (made[0].id, 2), (made[1].id, 1)] {
        let t = Transfer::adjustment(Bucket::Received, q).unwrap();
        fx.store.move_stock(&fx.client, sku, &fx.warehouse, t, None).await.unwrap();
        let t = Transfer::adjustment(Bucket::Unfulfillable, q).unwrap();
        fx.store.move_stock(&fx.client, sku, &fx.warehouse, t, None).await.unwrap();
    }
    let f = LocationStockFilter { warehouse: fx.warehouse.clone(), ..Default::default() };
    let key = |r: &entrepot_app::types::locations::LocationStock| (r.code.clone(), r.sku_id);
    let whole: Vec<_> = fx.store.location_stock(&f).await.unwrap().iter().map(key).collect();
    assert_eq!(whole.len(), 6, "{b:?}: {whole:?}");
    let mut paged = vec![];
    let mut after = None;
    loop {
        let page = LocationStockFilter { after: after.clone(), limit: Some(4), ..f.clone() };
        let rows: Vec<_> = fx.store.location_stock(&page).await.unwrap().iter().map(key).collect();
        paged.extend(rows.iter().take(3).cloned());
        if rows.len() <= 3 {
            break;
        }
        after = rows.get(2).cloned();
    }
    assert_eq!(paged, whole, "{b:?}");
    // Narrowed to a location by code, as a seller names it.
    let dock = LocationStockFilter { code: Some("DOCK".into()), ..f.clone() };
    assert_eq!(fx.store.location_stock(&dock).await.unwrap().len(), 3, "{b:?}");
}

#[test]
fn the_open_inbound_statuses_are_spelt_as_the_partial_index_spells_them() {
    use entrepot_core::inbound::InboundStatus;
    let open = format!("'{}', '{}'", InboundStatus::Receiving.as_str(), InboundStatus::PartiallyPutAway.as_str());
    assert_eq!(super::putaway::OPEN_INBOUND, open);
    let migration = include_str!("../../migrations/0030_list_indexes.sql");
    assert!(migration.contains(&format!("WHERE status IN ({open})")), "{migration}");
}
