//! The store's conformance suite: every test runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, SkuId},
    inbound::ShippingMode,
    inventory::{Bucket, Transfer},
    money::Currency,
    outbound::{Customs, NewOutbound, OutboundStatus},
    service::Service,
    sku::SkuStatus,
    CoreError,
};
use entrepot_store::{fixtures, NewInbound, NewSku, Store, StoreError};
use entrepot_testkit::{each_backend, Backend, TestDb};

struct Fx {
    store: Store,
    client: ClientId,
    other: ClientId,
    warehouse: Warehouse,
    service: Service,
    sku: SkuId,
    _db: TestDb,
}

fn new_sku(code: &str, status: SkuStatus) -> NewSku {
    NewSku { status, ..fixtures::sku(code) }
}

async fn fixture(backend: entrepot_testkit::Backend) -> Fx {
    let db = TestDb::new(backend).await;
    let store = Store::open(&db.url).await.expect("open store");
    let company = store.create_company("Op").await.unwrap();
    let warehouse = store.create_warehouse(fixtures::uk1(&company.id)).await.unwrap();
    let service = store
        .create_service(fixtures::service("UK1", "GBDomesticStandard", 105, "Royal Mail 2nd Class"))
        .await
        .unwrap();
    let gbp = Currency::parse("GBP").unwrap();
    let client = store.create_client(&company.id, "Seller A", &gbp).await.unwrap().id;
    let other = store.create_client(&company.id, "Seller B", &gbp).await.unwrap().id;
    let sku = store.create_skus(&client, vec![new_sku("A-1", SkuStatus::Approved)]).await.unwrap()[0].id;
    Fx { store, client, other, warehouse, service, sku, _db: db }
}

impl Fx {
    async fn stock(&self, qty: i64) {
        self.store
            .move_stock(
                &self.client,
                self.sku,
                &self.warehouse.id,
                Transfer::adjustment(Bucket::Available, qty).unwrap(),
                Some("count"),
            )
            .await
            .unwrap();
    }

    fn order(&self, reference: &str, qty: i64) -> NewOutbound {
        NewOutbound {
            client_id: self.client.clone(),
            reference: reference.into(),
            platform: None,
            platform_order_id: None,
            recipient: fixtures::leeds(),
            sender: None,
            lines: vec![(self.sku, qty)],
            customs: Customs::default(),
            ..Default::default()
        }
    }

    async fn available(&self) -> i64 {
        self.store
            .stock(&self.client, &[self.sku], None)
            .await
            .unwrap()
            .first()
            .map(|r| r.position.get(Bucket::Available))
            .unwrap_or(0)
    }

    async fn assert_books_balance(&self) {
        let v = self.store.check().await.unwrap();
        assert!(v.is_empty(), "admin check found: {v:?}");
    }
}

fn core(e: StoreError) -> CoreError {
    match e {
        StoreError::Core(c) => c,
        other => panic!("expected a domain error, got {other}"),
    }
}

#[each_backend]
async fn sku_life_cycle_and_batch_atomicity(b: Backend) {
    let fx = fixture(b).await;
    let s = &fx.store;
    let drafts = s
        .create_skus(&fx.client, vec![new_sku("D-1", SkuStatus::Draft), new_sku("D-2", SkuStatus::Draft)])
        .await
        .unwrap();
    assert!(drafts[0].mfskuid.starts_with("OC") && drafts[0].mfskuid.len() == 15);
    assert!(s.audit_sku(&fx.client, drafts[0].id, true, None).await.is_err(), "{b:?}: drafts are not audited");
    s.submit_sku(&fx.client, drafts[0].id).await.unwrap();
    let approved = s.audit_sku(&fx.client, drafts[0].id, true, None).await.unwrap();
    assert_eq!(approved.status, SkuStatus::Approved);
    // A batch with a duplicate on line 2 creates nothing.
    let err = core(
        s.create_skus(&fx.client, vec![new_sku("N-1", SkuStatus::Draft), new_sku("D-2", SkuStatus::Draft)])
            .await
            .unwrap_err(),
    );
    assert!(matches!(err, CoreError::Validation { line: Some(2), .. }), "{b:?}: {err:?}");
    assert!(s.resolve_sku(&fx.client, "N-1").await.is_err(), "{b:?}: failed batch left a row");
    // The same seller SKU is fine for another client.
    s.create_skus(&fx.other, vec![new_sku("D-2", SkuStatus::Draft)]).await.unwrap();
}

#[each_backend]
async fn tenants_cannot_see_or_touch_each_other(b: Backend) {
    let fx = fixture(b).await;
    let s = &fx.store;
    fx.stock(5).await;
    s.top_up(&fx.other, None, 10_000, "t").await.unwrap();
    assert!(matches!(core(s.sku(&fx.other, fx.sku).await.unwrap_err()), CoreError::NotFound { .. }));
    assert!(s.resolve_sku(&fx.other, "A-1").await.is_err());
    assert!(s.skus_by_ids(&fx.other, &[fx.sku]).await.unwrap().is_empty());
    assert!(s.stock(&fx.other, &[fx.sku], None).await.unwrap().is_empty());
    assert!(s.movements(&fx.other, &[fx.sku], 0, i64::MAX).await.unwrap().is_empty());
    let err = s
        .move_stock(&fx.other, fx.sku, &fx.warehouse.id, Transfer::adjustment(Bucket::Available, -5).unwrap(), None)
        .await
        .unwrap_err();
    assert!(matches!(core(err), CoreError::NotFound { .. }));
    let mut o = fx.order("X", 1);
    o.client_id = fx.other.clone();
    assert!(matches!(
        core(fixtures::place_order(s, o, &fx.service.id, true).await.unwrap_err()),
        CoreError::NotFound { .. }
    ));
    s.top_up(&fx.client, None, 10_000, "t").await.unwrap();
    let mine = fixtures::place_order(s, fx.order("MINE", 1), &fx.service.id, true).await.unwrap();
    assert!(s.find_order(&fx.other, &mine.id.0).await.is_err());
    assert!(s.transition_order(&fx.other, &mine.id, OutboundStatus::Cancelled).await.is_err());
    assert_eq!(s.list_orders(&fx.other, &Default::default()).await.unwrap().1, 0);
    assert_eq!(fx.available().await, 4, "{b:?}: the other client changed nothing");
    fx.assert_books_balance().await;
}

/// A SKU's console page: its newest movements first, as many as asked, none of another client's.
#[each_backend]
async fn latest_movements_are_the_newest_of_the_tenants(b: Backend) {
    let fx = fixture(b).await;
    let s = &fx.store;
    for _ in 0..5 {
        fx.stock(1).await;
    }
    let all = s.movements(&fx.client, &[fx.sku], 0, i64::MAX).await.unwrap();
    assert_eq!(all.len(), 5, "{b:?}");
    let newest: Vec<String> = all.iter().rev().take(3).map(|m| m.id.clone()).collect();
    let latest = s.latest_movements(&fx.client, fx.sku, 3).await.unwrap();
    assert_eq!(latest.iter().map(|m| m.id.clone()).collect::<Vec<_>>(), newest, "{b:?}");
    assert_eq!(latest[0].to_after, Some(5), "{b:?}: the newest holds the last balance");
    assert!(s.latest_movements(&fx.other, fx.sku, 3).await.unwrap().is_empty(), "{b:?}");
}

#[each_backend]
async fn orders_reserve_hold_release_and_consume(b: Backend) {
    let fx = fixture(b).await;
    let s = &fx.store;
    fx.stock(3).await;
    // No money: refused, and nothing is left behind.
    let err = core(fixtures::place_order(s, fx.order("R1", 1), &fx.service.id, true).await.unwrap_err());
    assert!(matches!(err, CoreError::InsufficientBalance { required: 300, available: 0, .. }), "{b:?}: {err:?}");
    assert!(s.find_order(&fx.client, "R1").await.is_err(), "{b:?}: refused order was stored");
    assert_eq!(fx.available().await, 3);
    s.top_up(&fx.client, None, 1_000, "card").await.unwrap();
    // Too many units: refused with the numbers.
    let err = core(fixtures::place_order(s, fx.order("R1", 4), &fx.service.id, true).await.unwrap_err());
    assert!(
        matches!(err, CoreError::InsufficientStock { requested: 4, available: 3, ref sku, .. } if sku == "A-1"),
        "{b:?}: {err:?}"
    );
    let o = fixtures::place_order(s, fx.order("R1", 2), &fx.service.id, true).await.unwrap();
    assert_eq!(o.status, OutboundStatus::Submitted);
    assert_eq!((o.handling_fee, o.delivery_fee), (100, 200));
    assert!(o.oc_number.starts_with("OCO") && o.oc_number.ends_with("GB"));
    assert_eq!(o.bird_id.to_string().len(), 16);
    assert_eq!(fx.available().await, 1);
    let (acc, _) = s.balance(&fx.client).await.unwrap();
    assert_eq!(acc.get(entrepot_core::balance::MoneyBucket::Held), 300);
    // The same reference never makes a second order.
    let err = core(fixtures::place_order(s, fx.order("R1", 1), &fx.service.id, true).await.unwrap_err());
    assert!(matches!(err, CoreError::Duplicate { .. }), "{b:?}: {err:?}");
    assert_eq!(fx.available().await, 1);
    // Cancel before picking releases stock and money.
    s.transition_order(&fx.client, &o.id, OutboundStatus::Cancelled).await.unwrap();
    assert_eq!(fx.available().await, 3);
    let (acc, _) = s.balance(&fx.client).await.unwrap();
    assert_eq!(acc.get(entrepot_core::balance::MoneyBucket::Available), 1_000);
    // A second order goes through picking and cannot be cancelled any more.
    let o2 = fixtures::place_order(s, fx.order("R2", 3), &fx.service.id, true).await.unwrap();
    for st in [OutboundStatus::WaitPicking, OutboundStatus::Picking] {
        s.transition_order(&fx.client, &o2.id, st).await.unwrap();
    }
    let err = core(s.transition_order(&fx.client, &o2.id, OutboundStatus::Cancelled).await.unwrap_err());
    assert!(err.to_string().contains("picking has started"), "{b:?}: {err}");
    for st in [OutboundStatus::Packed, OutboundStatus::Shipped] {
        s.transition_order(&fx.client, &o2.id, st).await.unwrap();
    }
    let row = &s.stock(&fx.client, &[fx.sku], None).await.unwrap()[0];
    assert_eq!(
        (row.position.get(Bucket::Available), row.position.get(Bucket::ReservedAllocated), row.position.total()),
        (0, 0, 0)
    );
    let (acc, _) = s.balance(&fx.client).await.unwrap();
    assert_eq!(acc.get(entrepot_core::balance::MoneyBucket::Charged), 300);
    // Drafts reserve nothing until submitted.
    fx.stock(1).await;
    let d = fixtures::place_order(s, fx.order("R3", 1), &fx.service.id, false).await.unwrap();
    assert_eq!(d.status, OutboundStatus::Draft);
    assert_eq!(fx.available().await, 1);
    s.transition_order(&fx.client, &d.id, OutboundStatus::Submitted).await.unwrap();
    assert_eq!(fx.available().await, 0);
    let movements = s.movements(&fx.client, &[fx.sku], 0, i64::MAX).await.unwrap();
    let last = movements.last().unwrap();
    assert_eq!((last.from, last.to, last.from_after), (Bucket::Available, Bucket::ReservedAllocated, Some(0)));
    fx.assert_books_balance().await;
}

#[each_backend]
async fn inbound_receive_and_put_away(b: Backend) {
    let fx = fixture(b).await;
    let s = &fx.store;
    let new = |reference: &str, mode| NewInbound {
        warehouse_id: fx.warehouse.id.clone(),
        reference: reference.into(),
        mode,
        lines: vec![(fx.sku, 10)],
        need_clearance_doc: false,
        details: serde_json::json!({}),
    };
    let ib = s.create_inbound(&fx.client, new("SIN-1", ShippingMode::Express)).await.unwrap();
    assert!(ib.inbound.number.starts_with("OCI"));
    assert!(matches!(
        core(s.create_inbound(&fx.client, new("SIN-1", ShippingMode::Express)).await.unwrap_err()),
        CoreError::Duplicate { .. }
    ));
    let row = &s.stock(&fx.client, &[fx.sku], None).await.unwrap()[0];
    assert_eq!(row.position.get(Bucket::InTransit), 10);
    s.add_inbound_tracking(&fx.client, "SIN-1", &["1Z999".into()]).await.unwrap();
    s.arrive_inbound(&fx.client, &ib.inbound.number).await.unwrap();
    s.receive_inbound(&fx.client, "SIN-1", fx.sku, 8).await.unwrap();
    s.put_away_inbound(&fx.client, "SIN-1", fx.sku, 8).await.unwrap();
    let v = s.close_inbound(&fx.client, "SIN-1").await.unwrap();
    assert_eq!(v.inbound.status.as_str(), "PUT_AWAY");
    assert_eq!(fx.available().await, 8);
    assert!(s.find_inbound(&fx.other, "SIN-1").await.is_err(), "{b:?}: tenant isolation");
    // Non-express: the appointment moves it in transit; it can be cancelled before arrival.
    s.create_inbound(&fx.client, new("SIN-2", ShippingMode::Sea)).await.unwrap();
    s.book_inbound_appointment(&fx.client, "SIN-2").await.unwrap();
    s.cancel_inbound(&fx.client, "SIN-2").await.unwrap();
    let row = &s.stock(&fx.client, &[fx.sku], None).await.unwrap()[0];
    assert_eq!(row.position.get(Bucket::InTransit), 0);
    fx.assert_books_balance().await;
}

/// 64 tasks each reserve one unit of a SKU with 10 available: exactly 10 win.
#[each_backend(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reservations_never_oversell(b: Backend) {
    let fx = fixture(b).await;
    fx.stock(10).await;
    fx.store.top_up(&fx.client, None, 1_000_000, "t").await.unwrap();
    let mut tasks = vec![];
    for k in 0..64 {
        let store = fx.store.clone();
        let order = fx.order(&format!("C-{k}"), 1);
        let svc = fx.service.id.clone();
        tasks.push(tokio::spawn(async move { fixtures::place_order(&store, order, &svc, true).await }));
    }
    let (mut ok, mut short) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Core(CoreError::InsufficientStock { .. })) => short += 1,
            Err(e) => panic!("{b:?}: unexpected error {e}"),
        }
    }
    assert_eq!((ok, short), (10, 54), "{b:?}");
    assert_eq!(fx.available().await, 0);
    fx.assert_books_balance().await;
}

#[each_backend]
async fn check_names_what_is_wrong(b: Backend) {
    let fx = fixture(b).await;
    fx.stock(4).await;
    fx.assert_books_balance().await;
    fx.store.execute_raw("UPDATE stock SET available = available + 1").await.unwrap();
    let v = fx.store.check().await.unwrap();
    assert_eq!(v.len(), 1, "{b:?}: {v:?}");
    assert!(v[0].to_string().contains("available is 5 but transfers add up to 4"), "{v:?}");
    fx.store.execute_raw("UPDATE stock SET available = -1").await.unwrap();
    let v = fx.store.check().await.unwrap();
    assert!(v.iter().any(|x| x.invariant == "no negative stock"), "{b:?}: {v:?}");
}

/// On PostgreSQL no foreign key guards the rows written per order any more (migration 14); the
/// check reports what one would have refused.
#[each_backend]
async fn check_names_orders_whose_references_are_missing(b: Backend) {
    let fx = fixture(b).await;
    fx.stock(4).await;
    fx.store.top_up(&fx.client, None, 10_000, "t").await.unwrap();
    let order = fixtures::place_order(&fx.store, fx.order("REF-1", 1), &fx.service.id, true).await.unwrap().id;
    fx.assert_books_balance().await;
    // SQLite still enforces its keys: switched off on that connection to break them on purpose.
    let (off, on, pdf) = match b {
        Backend::Sqlite => ("PRAGMA foreign_keys = OFF; ", "; PRAGMA foreign_keys = ON", "X'00'"),
        Backend::Postgres => ("", "", "'\\x00'::bytea"),
    };
    fx.store.execute_raw(&format!("{off}UPDATE outbound_orders SET service_id = 'svc_gone'{on}")).await.unwrap();
    let label = format!("{off}INSERT INTO order_labels (order_id, pdf) VALUES ('ord_gone', {pdf}){on}");
    fx.store.execute_raw(&label).await.unwrap();
    let v = fx.store.check().await.unwrap();
    assert_eq!(v.len(), 2, "{b:?}: {v:?}");
    assert!(v.iter().all(|x| x.invariant == "rows name rows that exist"), "{v:?}");
    assert!(v[0].detail.contains(&order.0) && v[1].detail.contains("ord_gone"), "{v:?}");
}

#[each_backend]
async fn data_survives_reopening(b: Backend) {
    let fx = fixture(b).await;
    fx.stock(7).await;
    fx.store.close().await;
    let again = Store::open(&fx._db.url).await.unwrap();
    let sku = again.resolve_sku(&fx.client, "A-1").await.unwrap();
    assert_eq!(again.stock(&fx.client, &[sku.id], None).await.unwrap()[0].position.get(Bucket::Available), 7);
}

#[tokio::test]
async fn bad_urls_are_clear_errors() {
    let e = Store::open("mysql://x").await.unwrap_err();
    assert!(e.to_string().contains("unsupported database URL"), "{e}");
    let e = Store::open("postgres://nobody:pw@127.0.0.1:1/none").await.unwrap_err();
    assert!(e.to_string().contains("cannot connect to PostgreSQL") && !e.to_string().contains("pw@"), "{e}");
}

#[each_backend]
async fn batches_are_all_or_nothing_and_name_the_line(b: Backend) {
    let fx = fixture(b).await;
    let s = &fx.store;
    fx.stock(5).await;
    s.top_up(&fx.client, None, 100_000, "t").await.unwrap();
    let svc = fx.service.id.clone();
    let mut bad = fx.order("B-3", 1);
    bad.recipient.country = "FR".into();
    let batch = vec![(fx.order("B-1", 1), svc.clone()), (fx.order("B-2", 1), svc.clone()), (bad, svc.clone())];
    let err = core(fixtures::place_orders(s, batch, true).await.unwrap_err());
    assert_eq!(err.line(), Some(3), "{b:?}: {err}");
    assert!(matches!(err.innermost(), CoreError::UnsuitableService { .. }), "{b:?}: {err:?}");
    assert_eq!(s.list_orders(&fx.client, &Default::default()).await.unwrap().1, 0, "{b:?}: nothing kept");
    assert_eq!(fx.available().await, 5);
    // Stock runs out on line 2 of a batch: still nothing kept.
    let err = core(
        fixtures::place_orders(s, vec![(fx.order("C-1", 3), svc.clone()), (fx.order("C-2", 3), svc.clone())], true)
            .await
            .unwrap_err(),
    );
    assert!(matches!(err.innermost(), CoreError::InsufficientStock { .. }) && err.line() == Some(2), "{b:?}: {err:?}");
    assert_eq!(fx.available().await, 5);
    let ok =
        fixtures::place_orders(s, vec![(fx.order("D-1", 2), svc.clone()), (fx.order("D-2", 3), svc.clone())], true)
            .await
            .unwrap();
    assert_eq!(ok.len(), 2);
    assert_ne!(ok[0].bird_id, ok[1].bird_id);
    assert_eq!(fx.available().await, 0);
    fx.assert_books_balance().await;
}

#[each_backend]
async fn identity_references_are_unique_per_kind_and_site_for_six_months(b: Backend) {
    use entrepot_core::outbound::OrderKind;
    let fx = fixture(b).await;
    let s = &fx.store;
    let with_ref = |reference: &str, kind: OrderKind| {
        let mut o = fx.order(reference, 1);
        o.identity_ref = Some("CIR-1".into());
        o.kind = kind;
        o
    };
    fixtures::place_order(s, with_ref("E-1", OrderKind::Local), &fx.service.id, false).await.unwrap();
    let err =
        core(fixtures::place_order(s, with_ref("E-2", OrderKind::Local), &fx.service.id, false).await.unwrap_err());
    assert_eq!(err.to_string(), "duplicate consignment identity reference [CIR-1]", "{b:?}");
    // Another type is another namespace.
    fixtures::place_order(s, with_ref("E-3", OrderKind::Direct), &fx.service.id, false).await.unwrap();
    // Older than six months: free again.
    fx.store.execute_raw("UPDATE identity_refs SET created_at = created_at - 16000000000").await.unwrap();
    fixtures::place_order(s, with_ref("E-4", OrderKind::Local), &fx.service.id, false).await.unwrap();
}

#[each_backend]
async fn drafts_take_products_then_submit_with_fresh_fees(b: Backend) {
    use entrepot_store::OrderFilter;
    let fx = fixture(b).await;
    let s = &fx.store;
    fx.stock(4).await;
    s.top_up(&fx.client, None, 100_000, "t").await.unwrap();
    let mut new = fx.order("F-1", 1);
    new.lines.clear();
    new.sales_reference = Some("SR-9".into());
    let d = fixtures::place_order(s, new, &fx.service.id, false).await.unwrap();
    let err = core(s.transition_order(&fx.client, &d.id, OutboundStatus::Submitted).await.unwrap_err());
    assert!(matches!(err, CoreError::EmptyOrder { .. }), "{b:?}: {err:?}");
    let l1 = s.add_order_line(&fx.client, &d.id, fx.sku, 1, Default::default()).await.unwrap();
    let l2 = s.add_order_line(&fx.client, &d.id, fx.sku, 2, Default::default()).await.unwrap();
    assert_eq!((l1.line_id, l2.qty), (l2.line_id, 3), "{b:?}: same SKU adds up on one line");
    assert!(s.add_order_line(&fx.other, &d.id, fx.sku, 1, Default::default()).await.is_err(), "{b:?}: tenant");
    // A line added and taken off again leaves the order's units (the board counts them) as its
    // lines are: `admin check` below says so.
    let extra = s.create_skus(&fx.client, vec![new_sku("A-2", SkuStatus::Approved)]).await.unwrap()[0].id;
    let l3 = s.add_order_line(&fx.client, &d.id, extra, 5, Default::default()).await.unwrap();
    fx.assert_books_balance().await;
    s.remove_order_line(&fx.client, l3.line_id).await.unwrap();
    let o = s.transition_order(&fx.client, &d.id, OutboundStatus::Submitted).await.unwrap();
    assert_eq!((o.weight_g, o.handling_fee, o.delivery_fee), (900, 100, 200));
    assert_eq!(fx.available().await, 1);
    assert!(
        s.add_order_line(&fx.client, &d.id, fx.sku, 1, Default::default()).await.is_err(),
        "{b:?}: submitted orders are closed"
    );
    assert!(s.remove_order_line(&fx.client, l1.line_id).await.is_err());
    let f = OrderFilter { sales_reference: Some("SR-9".into()), ..Default::default() };
    let (rows, total) = s.list_orders(&fx.client, &f).await.unwrap();
    assert_eq!((total, rows[0].lines.clone()), (1, vec![(fx.sku, 3)]));
    let f = OrderFilter { statuses: vec![OutboundStatus::Draft], ..Default::default() };
    assert_eq!(s.list_orders(&fx.client, &f).await.unwrap().1, 0);
    fx.assert_books_balance().await;
    s.execute_raw(&format!("UPDATE outbound_orders SET units = 4 WHERE id = '{}'", d.id.0)).await.unwrap();
    let v = s.check().await.unwrap();
    assert!(v.iter().any(|v| v.invariant.contains("units")), "{b:?}: {v:?}");
}

/// Batches are written in multi-row statements with one conditional update per SKU and per
/// currency; a refusal must still be the one writing the orders one by one would have met first,
/// name its line, and leave nothing behind.
#[each_backend]
async fn batch_refusals_name_the_first_line_a_one_by_one_write_would_refuse(b: Backend) {
    use entrepot_core::outbound::OrderKind;
    let fx = fixture(b).await;
    let s = &fx.store;
    fx.stock(5).await;
    // Three fees of 3.00 fit in 10.00, four do not.
    s.top_up(&fx.client, None, 1_000, "t").await.unwrap();
    let svc = fx.service.id.clone();
    let batch = |orders: &[(&str, i64)]| -> Vec<(NewOutbound, entrepot_core::ids::ServiceId)> {
        orders.iter().map(|(r, q)| (fx.order(r, *q), svc.clone())).collect()
    };
    let refusal = |e: StoreError| {
        let c = core(e);
        (c.line(), c.innermost().clone())
    };
    // Line 3 needs what lines 1 and 2 of the same batch already took.
    let (line, e) =
        refusal(fixtures::place_orders(s, batch(&[("G-1", 2), ("G-2", 2), ("G-3", 2)]), true).await.unwrap_err());
    assert_eq!(line, Some(3), "{b:?}");
    assert!(
        matches!(e, CoreError::InsufficientStock { requested: 2, available: 1, ref sku, .. } if sku == "A-1"),
        "{b:?}: {e:?}"
    );
    // The fourth fee overdraws what the first three left.
    let (line, e) = refusal(
        fixtures::place_orders(s, batch(&[("H-1", 1), ("H-2", 1), ("H-3", 1), ("H-4", 1)]), true).await.unwrap_err(),
    );
    assert_eq!(line, Some(4), "{b:?}");
    assert!(matches!(e, CoreError::InsufficientBalance { required: 300, available: 100, .. }), "{b:?}: {e:?}");
    // Stock is met before money on the same line.
    let (line, e) = refusal(
        fixtures::place_orders(s, batch(&[("J-1", 1), ("J-2", 1), ("J-3", 1), ("J-4", 3)]), true).await.unwrap_err(),
    );
    assert_eq!(line, Some(4), "{b:?}");
    assert!(matches!(e, CoreError::InsufficientStock { requested: 3, available: 2, .. }), "{b:?}: {e:?}");
    // A reference used twice in one batch: the second row, before a later row's shortage.
    let (line, e) =
        refusal(fixtures::place_orders(s, batch(&[("K-1", 1), ("K-1", 1), ("K-3", 9)]), true).await.unwrap_err());
    assert_eq!(line, Some(2), "{b:?}");
    assert!(matches!(e, CoreError::Duplicate { what: "order reference", .. }), "{b:?}: {e:?}");
    // An identity reference used twice in one batch, drafts or not.
    let mut twice = batch(&[("L-1", 1), ("L-2", 1)]);
    for (o, _) in twice.iter_mut() {
        o.identity_ref = Some("CIR-7".into());
        o.kind = OrderKind::Local;
    }
    let (line, e) = refusal(fixtures::place_orders(s, twice, false).await.unwrap_err());
    assert_eq!(line, Some(2), "{b:?}");
    assert!(matches!(e, CoreError::Duplicate { what: "consignment identity reference", .. }), "{b:?}: {e:?}");
    // None of these left anything: no order, no claim, no transfer, untouched balances.
    assert_eq!(s.list_orders(&fx.client, &Default::default()).await.unwrap().1, 0, "{b:?}");
    assert_eq!(fx.available().await, 5);
    assert_eq!(s.balance(&fx.client).await.unwrap().0.get(entrepot_core::balance::MoneyBucket::Held), 0);
    assert_eq!(s.movements(&fx.client, &[], 0, i64::MAX).await.unwrap().len(), 1, "{b:?}: only the count");
    let mut claim = fx.order("L-3", 1);
    claim.identity_ref = Some("CIR-7".into());
    fixtures::place_order(s, claim, &svc, false)
        .await
        .unwrap_or_else(|e| panic!("{b:?}: the claim was rolled back: {e}"));
    fx.assert_books_balance().await;
    // Within its limits the batch goes through, and each ledger row carries the running
    // balances it would have had on its own.
    let ok = fixtures::place_orders(s, batch(&[("M-1", 2), ("M-2", 3)]), true).await.unwrap();
    assert_eq!(ok.len(), 2);
    let mut moved: Vec<_> = s
        .movements(&fx.client, &[fx.sku], 0, i64::MAX)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.doc_kind == "outbound")
        .map(|m| (m.qty, m.from_after, m.to_after))
        .collect();
    moved.sort();
    assert_eq!(moved, vec![(2, Some(3), Some(2)), (3, Some(0), Some(5))], "{b:?}");
    assert_eq!(fx.available().await, 0);
    fx.assert_books_balance().await;
}

/// Batches racing for the same SKU: each is all or nothing, together they never oversell.
#[each_backend(flavor = "multi_thread", worker_threads = 4)]
async fn racing_batches_never_oversell(b: Backend) {
    let fx = fixture(b).await;
    fx.stock(10).await;
    fx.store.top_up(&fx.client, None, 1_000_000, "t").await.unwrap();
    let mut tasks = vec![];
    for k in 0..12 {
        let store = fx.store.clone();
        let batch: Vec<_> = (0..3).map(|j| (fx.order(&format!("R-{k}-{j}"), 1), fx.service.id.clone())).collect();
        tasks.push(tokio::spawn(async move { fixtures::place_orders(&store, batch, true).await }));
    }
    let (mut ok, mut short) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(placed) => ok += placed.len(),
            Err(StoreError::Core(CoreError::InBatch { error, .. }))
                if matches!(*error, CoreError::InsufficientStock { .. }) =>
            {
                short += 1
            }
            Err(e) => panic!("{b:?}: unexpected error {e}"),
        }
    }
    assert_eq!((ok, short), (9, 9), "{b:?}: three whole batches fit in 10 units");
    assert_eq!(fx.available().await, 1);
    assert_eq!(fx.store.list_orders(&fx.client, &Default::default()).await.unwrap().1, 9);
    fx.assert_books_balance().await;
}

/// Concurrent requests are written together (group commit); a refused request must roll back
/// only its own part, get its own error with its own line numbers, and leave the others written.
#[each_backend(flavor = "multi_thread", worker_threads = 4)]
async fn grouped_requests_fail_alone(b: Backend) {
    let fx = fixture(b).await;
    let s = &fx.store;
    fx.stock(100).await;
    s.top_up(&fx.client, None, 1_000_000, "t").await.unwrap();
    fixtures::place_order(s, fx.order("TAKEN", 1), &fx.service.id, true).await.unwrap();
    // The other client can pay for one order only.
    let osku = s.create_skus(&fx.other, vec![fixtures::sku("O-1")]).await.unwrap()[0].id;
    let add = Transfer::adjustment(Bucket::Available, 50).unwrap();
    s.move_stock(&fx.other, osku, &fx.warehouse.id, add, None).await.unwrap();
    s.top_up(&fx.other, None, 300, "t").await.unwrap();
    // A wave of good requests, merged: all written, each numbered on its own.
    let wave: Vec<_> = (0..16)
        .map(|k| {
            let (store, order, svc) = (s.clone(), fx.order(&format!("W-{k}"), 1), fx.service.id.clone());
            tokio::spawn(async move { fixtures::place_orders(&store, vec![(order, svc)], true).await })
        })
        .collect();
    let mut bird_ids = vec![];
    for t in wave {
        let placed = t.await.unwrap().unwrap();
        assert_eq!(placed.len(), 1, "{b:?}");
        bird_ids.push(placed[0].bird_id);
    }
    bird_ids.sort();
    bird_ids.dedup();
    assert_eq!(bird_ids.len(), 16, "{b:?}");
    fx.assert_books_balance().await;
    let mut tasks = vec![];
    for k in 0..24 {
        let (store, svc) = (s.clone(), fx.service.id.clone());
        let batch = match k % 3 {
            // Fine.
            0 => vec![fx.order(&format!("OK-{k}"), 1)],
            // Line 2 reuses a reference taken before.
            1 => vec![fx.order(&format!("P-{k}"), 1), fx.order("TAKEN", 1)],
            // The other client's orders: one is paid for.
            _ => {
                let mut o = fx.order(&format!("O-{k}"), 1);
                o.client_id = fx.other.clone();
                o.lines = vec![(osku, 1)];
                vec![o]
            }
        };
        let batch = batch.into_iter().map(|o| (o, svc.clone())).collect();
        tasks.push(tokio::spawn(async move { (k, fixtures::place_orders(&store, batch, true).await) }));
    }
    let (mut ok, mut other_ok) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            (k, Ok(placed)) if k % 3 == 0 => ok += placed.len(),
            (k, Ok(placed)) if k % 3 == 2 => other_ok += placed.len(),
            (k, Err(StoreError::Core(e))) if k % 3 == 1 => {
                assert_eq!(e.line(), Some(2), "{b:?}: {e}");
                assert!(matches!(e.innermost(), CoreError::Duplicate { .. }), "{b:?}: {e:?}");
            }
            (k, Err(StoreError::Core(e))) if k % 3 == 2 => {
                assert!(matches!(e.innermost(), CoreError::InsufficientBalance { .. }), "{b:?}: {e:?}");
            }
            (k, other) => panic!("{b:?}: request {k}: {other:?}"),
        }
    }
    assert_eq!((ok, other_ok), (8, 1), "{b:?}");
    assert_eq!(s.list_orders(&fx.client, &Default::default()).await.unwrap().1, 16 + 9, "{b:?}");
    assert_eq!(s.list_orders(&fx.other, &Default::default()).await.unwrap().1, 1, "{b:?}");
    assert_eq!(fx.available().await, 100 - 16 - 9);
    fx.assert_books_balance().await;
}

/// SKUs an upload names by code come from a cache for a moment (see the store's `sku::cache`): a change made
/// through this store is seen at once, one made by another process within a second, and the
/// cache never answers for another client.
#[each_backend]
async fn api_keys_revoked_are_refused_at_once_here_and_within_a_second_elsewhere(b: Backend) {
    let fx = fixture(b).await;
    let (a, c) = (
        fx.store.create_api_key(&fx.client, "a").await.unwrap(),
        fx.store.create_api_key(&fx.client, "c").await.unwrap(),
    );
    for k in [&a, &c] {
        assert_eq!(fx.store.client_by_api_key(&k.api_key).await.unwrap(), Some(fx.client.clone()), "{b:?}");
    }
    fx.store.revoke_api_key(&a.id).await.unwrap();
    assert_eq!(fx.store.client_by_api_key(&a.api_key).await.unwrap(), None, "{b:?}: revoked here, at once");
    assert!(fx.store.client_by_api_key(&c.api_key).await.unwrap().is_some(), "{b:?}: the other key still works");
    let other = Store::open(&fx._db.url).await.unwrap();
    other.revoke_api_key(&c.id).await.unwrap();
    tokio::time::sleep(entrepot_store::CACHE_TTL + std::time::Duration::from_millis(100)).await;
    assert_eq!(
        fx.store.client_by_api_key(&c.api_key).await.unwrap(),
        None,
        "{b:?}: revoked elsewhere, within a second"
    );
    assert_eq!(fx.store.client_by_api_key("not-a-key").await.unwrap(), None, "{b:?}");
}

#[each_backend]
async fn skus_by_code_see_their_changes(b: Backend) {
    let fx = fixture(b).await;
    let code = fx.store.sku(&fx.client, fx.sku).await.unwrap().seller_sku;
    let weight = |skus: Vec<entrepot_core::sku::Sku>| skus.iter().map(|s| s.weight_g).collect::<Vec<_>>();
    let lookup = |store: Store| {
        let (client, code) = (fx.client.clone(), code.clone());
        async move { store.skus_by_seller_skus(&client, &[code]).await.unwrap() }
    };
    assert_eq!(lookup(fx.store.clone()).await.len(), 1, "{b:?}");
    fx.store.update_sku(&fx.client, fx.sku, NewSku { weight_g: 999, ..fixtures::sku(&code) }).await.unwrap();
    assert_eq!(weight(lookup(fx.store.clone()).await), [999], "{b:?}: our own change, at once");
    let other = Store::open(&fx._db.url).await.unwrap();
    other.update_sku(&fx.client, fx.sku, NewSku { weight_g: 777, ..fixtures::sku(&code) }).await.unwrap();
    assert_eq!(weight(lookup(fx.store.clone()).await), [999], "{b:?}: another process's, not yet");
    tokio::time::sleep(entrepot_store::CACHE_TTL + std::time::Duration::from_millis(100)).await;
    assert_eq!(weight(lookup(fx.store.clone()).await), [777], "{b:?}: within a second");
    assert!(
        fx.store.skus_by_seller_skus(&fx.other, std::slice::from_ref(&code)).await.unwrap().is_empty(),
        "{b:?}: tenant"
    );
}
