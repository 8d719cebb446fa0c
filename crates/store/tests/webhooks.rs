//! Webhooks and carrier-booking claims on both backends: the outbox fans out exactly once with
//! racing dispatchers, a booking is recorded once with racing bookers, delivery retries keep
//! their state, and endpoints are tenant-scoped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::{HashMap, HashSet},
    time::Duration,
};

use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, OrderId, SkuId},
    inventory::{Bucket, Transfer},
    money::Currency,
    outbound::{NewOutbound, OutboundStatus},
    service::Service,
    CoreError,
};
use entrepot_store::{
    fixtures, AttemptOutcome, DeliveryFilter, DeliveryStatus, FinishedBooking, NewDelivery, NewWebhook, OutboxEvent,
    Store, StoreError, WebhookChange, WebhookStatus,
};
use entrepot_testkit::{each_backend, Backend, TestDb};

struct Fx {
    store: Store,
    client: ClientId,
    other: ClientId,
    warehouse: Warehouse,
    service: Service,
    sku: SkuId,
    db: TestDb,
}

async fn fixture(backend: entrepot_testkit::Backend) -> Fx {
    let db = TestDb::new(backend).await;
    let store = Store::open(&db.url).await.expect("open store");
    let fixtures::Seller { warehouse, service, client, sku } = fixtures::seller(&store, "Seller A").await.unwrap();
    let other =
        store.create_client(&warehouse.company_id, "Seller B", &Currency::parse("GBP").unwrap()).await.unwrap().id;
    Fx { store, client, other, warehouse, service, sku, db }
}

impl Fx {
    fn order(&self, reference: &str) -> NewOutbound {
        NewOutbound {
            client_id: self.client.clone(),
            reference: reference.into(),
            recipient: fixtures::leeds(),
            lines: vec![(self.sku, 1)],
            ..Default::default()
        }
    }

    async fn place(&self, reference: &str) -> OrderId {
        fixtures::place_order(&self.store, self.order(reference), &self.service.id, true).await.unwrap().id
    }

    async fn hook(&self, client: &ClientId, url: &str) -> i64 {
        let n = NewWebhook {
            dialect: "bird".into(),
            url: url.into(),
            resource_type: "PRODUCT".into(),
            action: "UPDATE_LIVE_STOCK".into(),
            secret: "s".into(),
            status: WebhookStatus::Active,
        };
        self.store.create_webhook(client, n).await.unwrap().id
    }

    /// `n` orders placed in one batch, in claim order (oldest first).
    async fn place_many(&self, prefix: &str, n: usize) -> Vec<OrderId> {
        let batch = (0..n).map(|k| (self.order(&format!("{prefix}-{k}")), self.service.id.clone())).collect();
        let mut placed = fixtures::place_orders(&self.store, batch, true).await.unwrap();
        placed.sort_by(|a, b| (a.created_at_ms, &a.id).cmp(&(b.created_at_ms, &b.id)));
        placed.into_iter().map(|o| o.id).collect()
    }

    async fn tracking_events(&self) -> Vec<OutboxEvent> {
        let events = self.store.events_to_fan_out(10_000).await.unwrap();
        events.into_iter().filter(|e| e.kind == "order.tracking").collect()
    }

    /// Another process on the same database: its own pools.
    async fn process(&self) -> Store {
        Store::open(&self.db.url).await.expect("second process")
    }
}

fn not_found(e: StoreError) -> bool {
    matches!(e, StoreError::Core(CoreError::NotFound { .. }))
}

#[each_backend(flavor = "multi_thread", worker_threads = 4)]
async fn each_event_fans_out_once_with_racing_dispatchers(b: Backend) {
    let fx = fixture(b).await;
    let hook = fx.hook(&fx.client, "http://127.0.0.1:9/h").await;
    for _ in 0..30 {
        let t = Transfer::adjustment(Bucket::Available, 1).unwrap();
        fx.store.move_stock(&fx.client, fx.sku, &fx.warehouse.id, t, None).await.unwrap();
    }
    let pending = fx.store.events_to_fan_out(10_000).await.unwrap().len();
    assert!(pending >= 30, "{b:?}: {pending}");
    let mut racers = vec![];
    for _ in 0..4 {
        let store = fx.process().await;
        racers.push(tokio::spawn(async move {
            let mut won = 0;
            loop {
                let events = store.events_to_fan_out(7).await.unwrap();
                if events.is_empty() {
                    return won;
                }
                for e in events {
                    let d = NewDelivery {
                        webhook_id: hook,
                        event_type: "PRODUCT.UPDATE_LIVE_STOCK".into(),
                        subject: e.id.clone(),
                        payload: "{}".into(),
                    };
                    if store.fan_out_event(&e, &[d]).await.unwrap() {
                        won += 1;
                    }
                }
            }
        }));
    }
    let mut won = 0;
    for r in racers {
        won += r.await.unwrap();
    }
    assert_eq!(won, pending, "{b:?}: every event fanned out by exactly one dispatcher");
    let (log, total) = fx.store.webhook_deliveries(&fx.client, &DeliveryFilter::default()).await.unwrap();
    assert_eq!(total as usize, pending, "{b:?}");
    let mut per_event: HashMap<String, usize> = HashMap::new();
    for d in &log {
        *per_event.entry(d.event_id.clone()).or_default() += 1;
    }
    assert!(per_event.values().all(|n| *n == 1), "{b:?}");
    assert!(fx.store.events_to_fan_out(10).await.unwrap().is_empty());
    // Events nobody wants are marked in one batch, once.
    let t = Transfer::adjustment(Bucket::Available, 1).unwrap();
    fx.store.move_stock(&fx.client, fx.sku, &fx.warehouse.id, t, None).await.unwrap();
    let ids: Vec<String> = fx.store.events_to_fan_out(10).await.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(fx.store.skip_events(&ids).await.unwrap(), ids.len() as u64);
    assert_eq!(fx.store.skip_events(&ids).await.unwrap(), 0);
}

#[each_backend(flavor = "multi_thread", worker_threads = 4)]
async fn racing_bookers_book_each_order_once(b: Backend) {
    let fx = fixture(b).await;
    fixtures::listening(&fx.store, &fx.client).await.unwrap(); // its events wait for fan-out
    let mut orders = vec![];
    for k in 0..12 {
        orders.push(fx.place(&format!("PO-{k}")).await);
    }
    let mut racers = vec![];
    for p in 0..4 {
        let store = fx.process().await;
        racers.push(tokio::spawn(async move {
            let owner = format!("booker-{p}");
            let mut booked = vec![];
            // A claim that loses a race returns nothing even when other orders wait: stop only
            // after a few empty claims in a row.
            let mut empty = 0;
            while empty < 3 {
                let Some(c) = store.claim_booking(&owner, 30_000).await.unwrap() else {
                    empty += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                empty = 0;
                assert_eq!(c.attempts, 1);
                let t = format!("T-{}", c.order.id);
                assert!(store.finish_booking(&c.order.id, &owner, &t, "Royal Mail", b"%PDF-x").await.unwrap());
                booked.push(c.order.id);
            }
            booked
        }));
    }
    let mut all = vec![];
    for r in racers {
        all.extend(r.await.unwrap());
    }
    all.sort();
    let mut expected = orders.clone();
    expected.sort();
    assert_eq!(all, expected, "{b:?}: each order booked by exactly one process");
    for id in &orders {
        let o = fx.store.find_order(&fx.client, &id.0).await.unwrap();
        assert_eq!(o.tracking_number, Some(format!("T-{id}")));
    }
    let tracking_events =
        fx.store.events_to_fan_out(10_000).await.unwrap().iter().filter(|e| e.kind == "order.tracking").count();
    assert_eq!(tracking_events, orders.len(), "{b:?}: one order.tracking event per order");
    assert!(fx.store.claim_booking("late", 30_000).await.unwrap().is_none());
}

#[each_backend]
async fn booking_leases_expire_defer_and_refuse(b: Backend) {
    let fx = fixture(b).await;
    let id = fx.place("PO-1").await;
    // A booker that dies keeps the order only until its lease runs out.
    let first = fx.store.claim_booking("dead", 50).await.unwrap().expect("claimed");
    assert_eq!(first.order.id, id);
    assert!(fx.store.claim_booking("other", 30_000).await.unwrap().is_none(), "{b:?}: leased");
    tokio::time::sleep(Duration::from_millis(80)).await;
    let again = fx.store.claim_booking("alive", 30_000).await.unwrap().expect("reclaimed");
    assert_eq!(again.attempts, 2);
    assert!(!fx.store.finish_booking(&id, "dead", "T-DEAD", "RM", b"l").await.unwrap(), "{b:?}: lost its lease");
    // A temporary failure waits for its retry time; an immediate booking may take it anyway.
    assert!(fx.store.defer_booking(&id, "alive", i64::MAX / 2, "carrier down").await.unwrap());
    assert!(fx.store.claim_booking("alive", 30_000).await.unwrap().is_none(), "{b:?}: not yet due");
    assert_eq!(fx.store.booking_error(&fx.client, &id).await.unwrap().as_deref(), Some("carrier down"));
    assert!(fx.store.claim_booking_of(&fx.other, &id, "now", 30_000).await.unwrap().is_none(), "{b:?}: tenant");
    let now = fx.store.claim_booking_of(&fx.client, &id, "now", 30_000).await.unwrap().expect("book now");
    assert_eq!(now.attempts, 3);
    assert!(fx.store.claim_booking_of(&fx.client, &id, "now2", 30_000).await.unwrap().is_none(), "{b:?}: held");
    assert!(fx.store.finish_booking(&id, "now", "T-1", "Royal Mail", b"%PDF-1").await.unwrap());
    assert!(!fx.store.finish_booking(&id, "now", "T-2", "Royal Mail", b"%PDF-2").await.unwrap());
    let o = fx.store.find_order(&fx.client, &id.0).await.unwrap();
    assert_eq!(o.tracking_number.as_deref(), Some("T-1"));
    // The label is kept with the first booking, and only its tenant reads it.
    assert_eq!(fx.store.order_label(&fx.client, &id).await.unwrap().as_deref(), Some(&b"%PDF-1"[..]));
    assert_eq!(fx.store.order_label(&fx.other, &id).await.unwrap(), None, "{b:?}: tenant");
    assert_eq!(fx.store.booking_error(&fx.client, &id).await.unwrap(), None);
    // A refusal keeps its reason; the order then leaves the waiting states.
    let id = fx.place("PO-2").await;
    fx.store.claim_booking("b", 30_000).await.unwrap().expect("claimed");
    assert!(fx.store.refuse_booking(&id, "b", "recipient.postcode: required").await.unwrap());
    fx.store.transition_order(&fx.client, &id, OutboundStatus::Exception).await.unwrap();
    assert_eq!(fx.store.booking_error(&fx.client, &id).await.unwrap().as_deref(), Some("recipient.postcode: required"));
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert!(fx.store.claim_booking("b", 1).await.unwrap().is_none(), "{b:?}: EXCEPTION is not booked");
    // Cancelled orders are not booked, and a booking in flight is not recorded on them.
    let id = fx.place("PO-3").await;
    fx.store.claim_booking("c", 30_000).await.unwrap().expect("claimed");
    fx.store.transition_order(&fx.client, &id, OutboundStatus::Cancelled).await.unwrap();
    assert!(!fx.store.finish_booking(&id, "c", "T-3", "RM", b"l").await.unwrap(), "{b:?}");
}

/// Due retries (and claims whose worker died) come first, then the oldest never claimed, and a
/// batch stops at its size: the two come from different indexes (see migration 13).
#[each_backend]
async fn claims_take_due_retries_before_the_oldest_fresh_orders(b: Backend) {
    let fx = fixture(b).await;
    let (o1, o2, o3) = (fx.place("PO-1").await, fx.place("PO-2").await, fx.place("PO-3").await);
    fx.store.claim_booking_of(&fx.client, &o2, "dead", 50).await.unwrap().expect("claimed");
    assert_eq!(fx.store.claim_booking("x", 30_000).await.unwrap().expect("claimed").order.id, o1);
    let next = fx.store.claim_booking("y", 30_000).await.unwrap().expect("claimed");
    assert_eq!(next.order.id, o3, "{b:?}: past the order in flight");
    assert!(fx.store.defer_booking(&o3, "y", 1, "carrier down").await.unwrap());
    assert_eq!(fx.store.release_bookings("x", std::slice::from_ref(&o1)).await.unwrap(), 1);
    tokio::time::sleep(Duration::from_millis(80)).await;
    let ids = |claims: Vec<entrepot_store::BookingClaim>| claims.into_iter().map(|c| c.order.id).collect::<Vec<_>>();
    let due = ids(fx.store.claim_bookings("w", 30_000, 2).await.unwrap());
    assert_eq!(due, vec![o2, o3], "{b:?}: both due, before the older fresh order, and no more");
    assert_eq!(ids(fx.store.claim_bookings("w", 30_000, 5).await.unwrap()), vec![o1], "{b:?}");
    assert!(fx.store.claim_bookings("w", 30_000, 5).await.unwrap().is_empty(), "{b:?}: all in flight");
    assert_eq!(fx.store.backlog().await.unwrap().orders_awaiting_booking, 3, "{b:?}: claimed is not booked");
}

/// A stock change fanned out to `hook` as two deliveries.
async fn two_deliveries(fx: &Fx, hook: i64) {
    let t = Transfer::adjustment(Bucket::Available, 1).unwrap();
    fx.store.move_stock(&fx.client, fx.sku, &fx.warehouse.id, t, None).await.unwrap();
    let events = fx.store.events_to_fan_out(100).await.unwrap();
    let e = events.iter().find(|e| e.kind == "stock.changed").unwrap().clone();
    let d = |subject: &str| NewDelivery {
        webhook_id: hook,
        event_type: "PRODUCT.UPDATE_LIVE_STOCK".into(),
        subject: subject.into(),
        payload: r#"{"a":1}"#.into(),
    };
    assert!(fx.store.fan_out_event(&e, &[d("1"), d("2")]).await.unwrap());
}

#[each_backend]
async fn deliveries_keep_their_retry_state(b: Backend) {
    let fx = fixture(b).await;
    let hook = fx.hook(&fx.client, "http://127.0.0.1:9/h").await;
    two_deliveries(&fx, hook).await;
    let (c, w) = fx.store.claim_delivery("p1", 30_000).await.unwrap().expect("due");
    assert_eq!((c.attempts, c.status, w.id, w.secret.as_str()), (1, DeliveryStatus::Pending, hook, "s"));
    // The second one's holder dies: its lease runs out and another process counts a new attempt.
    let (c2, _) = fx.store.claim_delivery("dead", 50).await.unwrap().expect("the second one");
    assert_ne!(c.id, c2.id);
    assert!(fx.store.claim_delivery("p2", 30_000).await.unwrap().is_none(), "{b:?}: both leased");
    let now = jiff::Timestamp::now().as_millisecond();
    let failed = AttemptOutcome {
        status: DeliveryStatus::Pending,
        next_attempt_at_ms: now + 150,
        response_code: Some(500),
        response_body: Some("x".repeat(10_000)),
        error: None,
    };
    assert!(!fx.store.finish_attempt(c.id, "p2", &failed).await.unwrap(), "{b:?}: not p2's lease");
    assert!(fx.store.finish_attempt(c.id, "p1", &failed).await.unwrap());
    tokio::time::sleep(Duration::from_millis(80)).await;
    let (re, _) = fx.store.claim_delivery("p3", 30_000).await.unwrap().expect("lease ran out");
    assert_eq!((re.id, re.attempts), (c2.id, 2), "{b:?}");
    assert!(fx.store.claim_delivery("p2", 30_000).await.unwrap().is_none(), "{b:?}: first one not due yet");
    tokio::time::sleep(Duration::from_millis(120)).await;
    let (again, _) = fx.store.claim_delivery("p2", 30_000).await.unwrap().expect("due again");
    assert_eq!((again.id, again.attempts), (c.id, 2));
    assert_eq!(again.response_body.as_ref().map(String::len), Some(entrepot_store::RESPONSE_BODY_CAP));
    assert_eq!(again.response_code, Some(500));
    let ok = AttemptOutcome {
        status: DeliveryStatus::Success,
        next_attempt_at_ms: now,
        response_code: Some(204),
        response_body: Some(String::new()),
        error: None,
    };
    assert!(fx.store.finish_attempt(again.id, "p2", &ok).await.unwrap());
    assert!(!fx.store.finish_attempt(again.id, "p2", &ok).await.unwrap(), "{b:?}: finished once");
    assert!(!fx.store.finish_attempt(c2.id, "dead", &ok).await.unwrap(), "{b:?}: the dead holder lost it");
    let retry_now = AttemptOutcome { status: DeliveryStatus::Pending, error: Some("timeout".into()), ..ok.clone() };
    assert!(fx.store.finish_attempt(c2.id, "p3", &retry_now).await.unwrap());
    // Inactive endpoints are not called; their deliveries wait for reactivation.
    let set = |st| WebhookChange { status: Some(st), ..Default::default() };
    fx.store.update_webhook(&fx.client, hook, set(WebhookStatus::Inactive)).await.unwrap();
    assert!(fx.store.claim_delivery("p4", 30_000).await.unwrap().is_none(), "{b:?}: endpoint inactive");
    fx.store.update_webhook(&fx.client, hook, set(WebhookStatus::Active)).await.unwrap();
    let (last, _) = fx.store.claim_delivery("p4", 30_000).await.unwrap().expect("active again");
    assert_eq!((last.id, last.attempts, last.last_error.as_deref()), (c2.id, 3, Some("timeout")));
    let gave_up = AttemptOutcome { status: DeliveryStatus::Failed, error: Some("refused".into()), ..ok.clone() };
    assert!(fx.store.finish_attempt(c2.id, "p4", &gave_up).await.unwrap());
    assert!(fx.store.claim_delivery("p4", 30_000).await.unwrap().is_none(), "{b:?}: FAILED is final");
    let f = DeliveryFilter { webhook_id: Some(hook), ..Default::default() };
    let (log, total) = fx.store.webhook_deliveries(&fx.client, &f).await.unwrap();
    assert_eq!(total, 2);
    let done = log.iter().find(|x| x.id == c.id).unwrap();
    assert_eq!((done.status, done.attempts, done.response_code), (DeliveryStatus::Success, 2, Some(204)));
    let f = DeliveryFilter { status: Some(DeliveryStatus::Failed), ..Default::default() };
    assert_eq!(fx.store.webhook_deliveries(&fx.client, &f).await.unwrap().1, 1);
    assert_eq!(fx.store.webhook_deliveries(&fx.other, &DeliveryFilter::default()).await.unwrap().1, 0);
    assert_eq!(fx.store.prune_webhook_deliveries(now - 60_000).await.unwrap(), 0);
    assert_eq!(fx.store.prune_webhook_deliveries(i64::MAX).await.unwrap(), 2, "{b:?}");
}

#[each_backend]
async fn claims_pass_over_busy_endpoints_and_the_backlog_shows_each_endpoint(b: Backend) {
    let fx = fixture(b).await;
    let (slow, fast) =
        (fx.hook(&fx.client, "http://192.0.2.1/slow").await, fx.hook(&fx.client, "http://192.0.2.1/fast").await);
    two_deliveries(&fx, slow).await;
    two_deliveries(&fx, fast).await;
    let backlog = fx.store.webhook_endpoint_backlog().await.unwrap();
    let seen: Vec<(i64, i64, i64)> = backlog.iter().map(|e| (e.webhook_id, e.pending, e.due)).collect();
    assert_eq!(seen, vec![(slow, 2, 2), (fast, 2, 2)], "{b:?}");
    assert!(backlog.iter().all(|e| e.lag_ms >= 0 && e.client_id == fx.client.0), "{b:?}: {backlog:?}");
    // The slow endpoint has all the slots it may have: the fast one's deliveries are claimed,
    // although the slow one's are older.
    let (d, w) = fx.store.claim_delivery_except("p", 30_000, &[slow]).await.unwrap().expect("fast is due");
    assert_eq!((d.webhook_id, w.id), (fast, fast), "{b:?}");
    assert!(fx.store.claim_delivery_except("p", 30_000, &[slow, fast]).await.unwrap().is_none(), "{b:?}");
    let (d, _) = fx.store.claim_delivery("p", 30_000).await.unwrap().expect("slow is due");
    assert_eq!(d.webhook_id, slow, "{b:?}: the oldest due delivery first");
    let backlog = fx.store.webhook_endpoint_backlog().await.unwrap();
    assert_eq!(backlog.iter().map(|e| e.pending).sum::<i64>(), 4, "{b:?}: claimed is not delivered");
}

#[each_backend]
async fn endpoints_are_tenant_scoped(b: Backend) {
    let fx = fixture(b).await;
    let mine = fx.hook(&fx.client, "https://erp.example/a").await;
    let theirs = fx.hook(&fx.other, "https://other.example/b").await;
    assert_eq!(
        fx.store.webhooks(&fx.client, "bird", &[]).await.unwrap().iter().map(|w| w.id).collect::<Vec<_>>(),
        [mine]
    );
    assert!(fx.store.webhooks(&fx.client, "bird", &[theirs]).await.unwrap().is_empty());
    assert!(fx.store.webhooks(&fx.client, "oc", &[]).await.unwrap().is_empty());
    assert!(not_found(fx.store.webhook(&fx.client, theirs).await.unwrap_err()), "{b:?}");
    let change = WebhookChange { url: Some("https://evil.example/".into()), ..Default::default() };
    assert!(not_found(fx.store.update_webhook(&fx.client, theirs, change).await.unwrap_err()));
    assert!(not_found(fx.store.delete_webhooks(&fx.client, &[mine, theirs]).await.unwrap_err()));
    // All or nothing: mine is still there, theirs unchanged.
    fx.store.webhook(&fx.client, mine).await.unwrap();
    assert_eq!(fx.store.webhook(&fx.other, theirs).await.unwrap().url, "https://other.example/b");
    let active = fx.store.active_webhooks(&fx.other).await.unwrap();
    assert_eq!(active.iter().map(|w| w.id).collect::<Vec<_>>(), [theirs]);
    let w = fx
        .store
        .update_webhook(&fx.client, mine, WebhookChange { secret: Some("new".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!((w.secret.as_str(), w.url.as_str()), ("new", "https://erp.example/a"));
    fx.store.delete_webhooks(&fx.client, &[mine]).await.unwrap();
    assert!(fx.store.webhooks(&fx.client, "bird", &[]).await.unwrap().is_empty());
    assert!(!format!("{w:?}").contains("new"), "Debug hides the secret");
}

#[each_backend]
async fn endpoints_failing_for_the_whole_period_are_switched_off(b: Backend) {
    let fx = fixture(b).await;
    fixtures::listening(&fx.store, &fx.client).await.unwrap(); // its events wait for fan-out
    let hook = fx.hook(&fx.client, "http://127.0.0.1:9/h").await;
    two_deliveries(&fx, hook).await;
    let now = jiff::Timestamp::now().as_millisecond();
    let outcome = |status| AttemptOutcome {
        status,
        next_attempt_at_ms: now,
        response_code: Some(500),
        response_body: None,
        error: Some("HTTP 500".into()),
    };
    let (first, _) = fx.store.claim_delivery("p", 30_000).await.unwrap().unwrap();
    assert!(fx.store.finish_attempt(first.id, "p", &outcome(DeliveryStatus::Failed)).await.unwrap());
    // Failing, but not yet for the whole period: stays on.
    assert!(!fx.store.disable_if_failing(hook, 60_000).await.unwrap(), "{b:?}");
    assert_eq!(fx.store.webhook(&fx.client, hook).await.unwrap().status, WebhookStatus::Active);
    tokio::time::sleep(Duration::from_millis(60)).await;
    assert!(fx.store.disable_if_failing(hook, 50).await.unwrap(), "{b:?}: failing for the whole period");
    assert_eq!(fx.store.webhook(&fx.client, hook).await.unwrap().status, WebhookStatus::Inactive);
    assert!(!fx.store.disable_if_failing(hook, 50).await.unwrap(), "{b:?}: once");
    let said = fx.store.events_to_fan_out(100).await.unwrap();
    assert!(said.iter().any(|e| e.kind == "webhook.disabled" && e.client_id.as_ref() == Some(&fx.client)), "{b:?}");
    // Re-enabling restarts the clock; a success in between keeps it on.
    let set = WebhookChange { status: Some(WebhookStatus::Active), ..Default::default() };
    fx.store.update_webhook(&fx.client, hook, set).await.unwrap();
    assert!(!fx.store.disable_if_failing(hook, 50).await.unwrap(), "{b:?}: no failure since re-enabled");
    let (second, _) = fx.store.claim_delivery("p", 30_000).await.unwrap().unwrap();
    assert!(fx.store.finish_attempt(second.id, "p", &outcome(DeliveryStatus::Success)).await.unwrap());
    tokio::time::sleep(Duration::from_millis(60)).await;
    assert!(!fx.store.disable_if_failing(hook, 50).await.unwrap(), "{b:?}: it succeeded since");
}

fn finished(id: &OrderId, tracking: &str) -> FinishedBooking {
    FinishedBooking {
        id: id.clone(),
        tracking: tracking.into(),
        carrier: "Royal Mail".into(),
        label: format!("%PDF-{tracking}").into_bytes(),
        declared_weight_g: 0,
    }
}

#[each_backend]
async fn batch_claims_take_the_oldest_free_orders_up_to_max(b: Backend) {
    let fx = fixture(b).await;
    let orders = fx.place_many("PB", 7).await;
    assert!(fx.store.claim_bookings("a", 30_000, 0).await.unwrap().is_empty(), "{b:?}: max 0");
    // The oldest order is held by another owner under a live lease: never taken.
    let held = fx.store.claim_booking("other", 30_000).await.unwrap().expect("claimed");
    assert_eq!(held.order.id, orders[0], "{b:?}");
    let ids = |claims: Vec<entrepot_store::BookingClaim>| -> Vec<OrderId> {
        assert!(claims.iter().all(|c| c.attempts == 1 && c.order.lines == vec![(fx.sku, 1)]), "{b:?}: {claims:?}");
        claims.into_iter().map(|c| c.order.id).collect()
    };
    let first = fx.store.claim_bookings("a", 30_000, 3).await.unwrap();
    for c in &first {
        let found = fx.store.find_order(&fx.client, &c.order.id.0).await.unwrap();
        let json = |o| serde_json::to_value(o).unwrap();
        assert_eq!(json(&c.order), json(&found), "{b:?}: loaded in bulk as one by one");
    }
    assert_eq!(ids(first), orders[1..4], "{b:?}: max, in order");
    assert_eq!(ids(fx.store.claim_bookings("a", 30_000, 10).await.unwrap()), orders[4..], "{b:?}: the rest");
    assert!(fx.store.claim_bookings("b", 30_000, 10).await.unwrap().is_empty(), "{b:?}: all leased");
    // Orders not waiting for a booking are not claimed: booked, deferred, cancelled.
    let more = fx.place_many("PM", 3).await;
    let c = fx.store.claim_bookings("c", 30_000, 3).await.unwrap();
    assert_eq!(c.len(), 3, "{b:?}");
    assert!(fx.store.finish_booking(&more[0], "c", "T-0", "RM", b"l").await.unwrap());
    assert!(fx.store.defer_booking(&more[1], "c", i64::MAX / 2, "carrier down").await.unwrap());
    fx.store.transition_order(&fx.client, &more[2], OutboundStatus::Cancelled).await.unwrap();
    assert!(fx.store.claim_bookings("d", 1, 10).await.unwrap().is_empty(), "{b:?}: none waiting");
}

#[each_backend(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_batch_claimers_never_share_an_order(b: Backend) {
    let fx = fixture(b).await;
    let orders = fx.place_many("PB", 150).await;
    let mut racers = vec![];
    for p in 0..4 {
        let store = fx.process().await;
        racers.push(tokio::spawn(async move {
            let owner = format!("claimer-{p}");
            let mut rounds = vec![];
            // A claim that loses a race may come back short or empty while orders wait: stop
            // only after a few empty claims in a row.
            let mut empty = 0;
            while empty < 3 {
                let claims = store.claim_bookings(&owner, 30_000, 3 + p).await.unwrap();
                assert!(claims.len() <= 3 + p, "{owner}: {} claimed", claims.len());
                if claims.is_empty() {
                    empty += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
                empty = 0;
                rounds.push(claims.into_iter().map(|c| c.order.id).collect::<Vec<_>>());
            }
            rounds
        }));
    }
    let mut seen = HashSet::new();
    let mut rounds = 0;
    for r in racers {
        for round in r.await.unwrap() {
            rounds += 1;
            for id in round {
                assert!(seen.insert(id.clone()), "{b:?}: {id} claimed twice");
            }
        }
    }
    assert_eq!(seen, orders.iter().cloned().collect::<HashSet<_>>(), "{b:?}: every order claimed");
    assert!(rounds >= 150 / 6, "{b:?}: {rounds} rounds");
}

#[each_backend]
async fn finish_bookings_records_only_held_orders_with_one_event_each(b: Backend) {
    let fx = fixture(b).await;
    fixtures::listening(&fx.store, &fx.client).await.unwrap(); // its events wait for fan-out
    let o = fx.place_many("PB", 4).await;
    assert_eq!(fx.store.claim_bookings("a", 30_000, 3).await.unwrap().len(), 3);
    assert_eq!(fx.store.claim_bookings("b", 30_000, 3).await.unwrap().len(), 1);
    fx.store.transition_order(&fx.client, &o[2], OutboundStatus::Cancelled).await.unwrap();
    assert!(fx.store.finish_bookings("a", vec![]).await.unwrap().is_empty());
    let done = [
        finished(&o[1], "T-1"),
        finished(&o[0], "T-0"),
        finished(&o[2], "T-2"),  // cancelled meanwhile
        finished(&o[3], "T-3"),  // held by b
        finished(&o[0], "T-0b"), // already recorded above
    ];
    assert_eq!(fx.store.finish_bookings("a", done.to_vec()).await.unwrap(), [true, true, false, false, false], "{b:?}");
    let events = fx.tracking_events().await;
    let mut got: Vec<(String, String)> = events
        .iter()
        .map(|e| (e.entity_id.clone(), e.payload["tracking_number"].as_str().unwrap().to_owned()))
        .collect();
    got.sort();
    assert_eq!(got, [(o[0].0.clone(), "T-0".to_owned()), (o[1].0.clone(), "T-1".to_owned())], "{b:?}");
    assert!(events.iter().all(|e| e.client_id.as_ref() == Some(&fx.client) && e.payload["carrier"] == "Royal Mail"));
    for (id, t) in [(&o[0], "T-0"), (&o[1], "T-1")] {
        let v = fx.store.find_order(&fx.client, &id.0).await.unwrap();
        assert_eq!(v.tracking_number.as_deref(), Some(t), "{b:?}");
        let label = fx.store.order_label(&fx.client, id).await.unwrap();
        assert_eq!(label, Some(format!("%PDF-{t}").into_bytes()), "{b:?}");
    }
    assert_eq!(fx.store.find_order(&fx.client, &o[2].0).await.unwrap().tracking_number, None, "{b:?}");
    // Nothing recorded: no event either; b's own order is still b's to record.
    assert_eq!(fx.store.finish_bookings("a", vec![finished(&o[3], "T-3")]).await.unwrap(), [false]);
    assert_eq!(fx.tracking_events().await.len(), 2, "{b:?}");
    assert_eq!(fx.store.finish_bookings("b", vec![finished(&o[3], "T-3")]).await.unwrap(), [true]);
    assert_eq!(fx.tracking_events().await.len(), 3, "{b:?}");
}

#[each_backend]
async fn a_batch_whose_owner_died_is_booked_by_another_and_the_late_finish_refused(b: Backend) {
    let fx = fixture(b).await;
    fixtures::listening(&fx.store, &fx.client).await.unwrap(); // its events wait for fan-out
    let orders = fx.place_many("PB", 3).await;
    // Opened first: opening a store under a loaded test run can outlast the short lease.
    let other = fx.process().await;
    // A process claims a batch with a short lease and is killed before recording anything.
    let dead = fx.store.claim_bookings("dead", 300, 10).await.unwrap();
    assert_eq!(dead.iter().map(|c| c.order.id.clone()).collect::<Vec<_>>(), orders, "{b:?}");
    assert!(other.claim_bookings("alive", 30_000, 10).await.unwrap().is_empty(), "{b:?}: still leased");
    tokio::time::sleep(Duration::from_millis(350)).await;
    let alive = other.claim_bookings("alive", 30_000, 10).await.unwrap();
    assert_eq!(alive.iter().map(|c| c.order.id.clone()).collect::<Vec<_>>(), orders, "{b:?}: reclaimed");
    assert!(alive.iter().all(|c| c.attempts == 2), "{b:?}");
    let late: Vec<FinishedBooking> = orders.iter().map(|id| finished(id, "T-DEAD")).collect();
    assert_eq!(fx.store.finish_bookings("dead", late).await.unwrap(), [false; 3], "{b:?}: lost its leases");
    let done: Vec<FinishedBooking> = orders.iter().map(|id| finished(id, &format!("T-{id}"))).collect();
    assert_eq!(other.finish_bookings("alive", done).await.unwrap(), [true; 3], "{b:?}");
    assert_eq!(fx.tracking_events().await.len(), 3, "{b:?}: one event per order");
    for id in &orders {
        let v = fx.store.find_order(&fx.client, &id.0).await.unwrap();
        assert_eq!(v.tracking_number, Some(format!("T-{id}")), "{b:?}");
    }
}

#[each_backend]
async fn released_claims_are_free_at_once_and_uncounted(b: Backend) {
    let fx = fixture(b).await;
    let orders = fx.place_many("PB", 3).await;
    assert_eq!(fx.store.claim_bookings("a", 30_000, 3).await.unwrap().len(), 3);
    assert_eq!(fx.store.release_bookings("b", &orders).await.unwrap(), 0, "{b:?}: not b's");
    assert_eq!(fx.store.release_bookings("a", &orders[1..]).await.unwrap(), 2, "{b:?}");
    let again = fx.store.claim_bookings("b", 30_000, 3).await.unwrap();
    assert_eq!(
        again.iter().map(|c| (c.order.id.clone(), c.attempts)).collect::<Vec<_>>(),
        [(orders[1].clone(), 1), (orders[2].clone(), 1)]
    );
}

#[each_backend]
async fn the_backlog_counts_what_the_workers_have_not_done(b: Backend) {
    let fx = fixture(b).await;
    fixtures::listening(&fx.store, &fx.client).await.unwrap(); // its events wait for fan-out
    let orders = fx.place_many("BL", 3).await;
    let before = fx.store.backlog().await.unwrap();
    assert_eq!(before.orders_awaiting_booking, 3, "{b:?}");
    assert!(before.events_to_fan_out >= 3, "{b:?}: an order.created event each");
    let claim = fx.store.claim_booking("w", 30_000).await.unwrap().expect("claimed");
    assert_eq!(fx.store.backlog().await.unwrap().orders_awaiting_booking, 3, "{b:?}: claimed is not booked yet");
    assert!(fx.store.finish_booking(&claim.order.id, "w", "T-1", "RM", b"l").await.unwrap());
    let after = fx.store.backlog().await.unwrap();
    assert_eq!(after.orders_awaiting_booking, 2, "{b:?}");
    assert_eq!(after.events_to_fan_out, before.events_to_fan_out + 1, "{b:?}: the order.tracking event");
    let other = orders.iter().find(|o| **o != claim.order.id).unwrap();
    fx.store.transition_order(&fx.client, other, OutboundStatus::Cancelled).await.unwrap();
    assert_eq!(fx.store.backlog().await.unwrap().orders_awaiting_booking, 1, "{b:?}: a cancelled order waits no more");
}

#[each_backend]
async fn events_wait_for_fan_out_only_while_a_webhook_listens(b: Backend) {
    let fx = fixture(b).await;
    fx.place("QUIET-1").await;
    assert!(fx.store.events_to_fan_out(100).await.unwrap().is_empty(), "{b:?}: nobody listens");
    let hook = fixtures::listening(&fx.store, &fx.client).await.unwrap();
    fx.place("HEARD-1").await;
    let waiting = fx.store.events_to_fan_out(100).await.unwrap();
    assert!(!waiting.is_empty(), "{b:?}: the order's events wait for fan-out");
    assert!(waiting.iter().all(|e| e.client_id.as_ref() == Some(&fx.client)), "{b:?}");
    // Switched off: quiet again.
    let off = WebhookChange { status: Some(WebhookStatus::Inactive), ..Default::default() };
    fx.store.update_webhook(&fx.client, hook.id, off).await.unwrap();
    let ids: Vec<String> = fx.store.events_to_fan_out(100).await.unwrap().into_iter().map(|e| e.id).collect();
    fx.store.skip_events(&ids).await.unwrap();
    fx.place("QUIET-2").await;
    assert!(fx.store.events_to_fan_out(100).await.unwrap().is_empty(), "{b:?}: its endpoint is off");
}

/// The booking queue follows each order through its moves (migration 13): it holds exactly the
/// orders waiting for a booking, a booking under way survives the order moving on to picking,
/// and `admin check` notices a waiting order the queue lost.
#[each_backend]
async fn the_booking_queue_follows_every_move_of_an_order(b: Backend) {
    let fx = fixture(b).await;
    let waiting = || async { fx.store.backlog().await.unwrap().orders_awaiting_booking };
    let clean = || async {
        let v = fx.store.check().await.unwrap();
        assert!(v.is_empty(), "{b:?}: {v:?}");
    };
    let draft = fixtures::place_order(&fx.store, fx.order("D-1"), &fx.service.id, false).await.unwrap().id;
    assert_eq!(waiting().await, 0, "{b:?}: a draft is not booked");
    fx.store.transition_order(&fx.client, &draft, OutboundStatus::Submitted).await.unwrap();
    assert_eq!(waiting().await, 1, "{b:?}: submitted, it waits");
    clean().await;
    // Claimed, then picked while the carrier answers: the booking is still recorded.
    assert_eq!(fx.store.claim_booking("w", 30_000).await.unwrap().expect("claimed").order.id, draft);
    fx.store.transition_order(&fx.client, &draft, OutboundStatus::WaitPicking).await.unwrap();
    fx.store.transition_order(&fx.client, &draft, OutboundStatus::Picking).await.unwrap();
    assert!(fx.store.finish_booking(&draft, "w", "T-1", "RM", b"l").await.unwrap(), "{b:?}");
    assert_eq!(waiting().await, 0, "{b:?}");
    // Picked and packed before any worker took it: it still waits (its label must exist before
    // the handover), then it is booked.
    let picked = fx.place("P-1").await;
    fx.store.transition_order(&fx.client, &picked, OutboundStatus::WaitPicking).await.unwrap();
    assert_eq!(waiting().await, 1, "{b:?}: still waiting at WAIT_PICKING");
    fx.store.transition_order(&fx.client, &picked, OutboundStatus::Picking).await.unwrap();
    fx.store.transition_order(&fx.client, &picked, OutboundStatus::Packed).await.unwrap();
    assert_eq!(waiting().await, 1, "{b:?}: still waiting, packed");
    clean().await;
    assert_eq!(fx.store.claim_booking("w", 30_000).await.unwrap().expect("claimed").order.id, picked, "{b:?}");
    assert!(fx.store.finish_booking(&picked, "w", "T-2", "RM", b"l").await.unwrap(), "{b:?}");
    assert_eq!(waiting().await, 0, "{b:?}");
    assert!(fx.store.claim_booking("w", 30_000).await.unwrap().is_none(), "{b:?}");
    clean().await;
    // Refused by the carrier, then put right by the warehouse: it waits again.
    let refused = fx.place("R-1").await;
    fx.store.claim_booking("w", 30_000).await.unwrap().expect("claimed");
    assert!(fx.store.refuse_booking(&refused, "w", "bad address").await.unwrap());
    fx.store.transition_order(&fx.client, &refused, OutboundStatus::Exception).await.unwrap();
    assert_eq!(waiting().await, 0, "{b:?}: EXCEPTION waits for nobody");
    fx.store.transition_order(&fx.client, &refused, OutboundStatus::WaitPicking).await.unwrap();
    let again = fx.store.claim_booking("w2", 30_000).await.unwrap().expect("queued again");
    assert_eq!((again.order.id.clone(), again.attempts), (refused.clone(), 1), "{b:?}");
    clean().await;
    // A waiting order the queue lost is reported.
    fx.store.execute_raw("DELETE FROM booking_queue").await.unwrap();
    let v = fx.store.check().await.unwrap();
    assert_eq!(v.len(), 1, "{b:?}: {v:?}");
    assert!(v[0].detail.contains(&refused.0), "{b:?}: {v:?}");
}

#[each_backend(flavor = "multi_thread", worker_threads = 4)]
async fn a_test_and_a_replay_queue_once_however_often_they_race(b: Backend) {
    let fx = fixture(b).await;
    let hook = fx.hook(&fx.client, "http://127.0.0.1:9/h").await;
    let theirs = fx.hook(&fx.other, "http://127.0.0.1:9/t").await;
    let second = fx.process().await;
    let test = NewDelivery {
        webhook_id: hook,
        event_type: "test".into(),
        subject: "test".into(),
        payload: r#"{"t":1}"#.into(),
    };
    // The same form posted eight times at once, through two processes: one message.
    let mut racing = vec![];
    for k in 0..8 {
        let (store, client, d) =
            (if k % 2 == 0 { fx.store.clone() } else { second.clone() }, fx.client.clone(), test.clone());
        racing.push(tokio::spawn(async move { store.queue_delivery(&client, "evt_test_same", &d).await.unwrap() }));
    }
    let mut queued = vec![];
    for r in racing {
        queued.extend(r.await.unwrap());
    }
    assert_eq!(queued.len(), 1, "{b:?}: one test queued");
    assert_eq!((queued[0].status, queued[0].attempts, queued[0].webhook_id), (DeliveryStatus::Pending, 0, hook));
    // Another tenant cannot queue to this endpoint, nor replay its deliveries.
    let mine = NewDelivery { webhook_id: hook, ..test.clone() };
    assert!(not_found(fx.store.queue_delivery(&fx.other, "evt_test_other", &mine).await.unwrap_err()), "{b:?}");
    let id = queued[0].id;
    assert!(!fx.store.replay_delivery(&fx.client, hook, id).await.unwrap(), "{b:?}: pending, nothing to replay");

    // Delivered; then replayed eight times at once: one more attempt of the same row.
    let (c, _) = fx.store.claim_delivery("p1", 30_000).await.unwrap().expect("due");
    assert_eq!((c.id, c.attempts), (id, 1));
    let now = jiff::Timestamp::now().as_millisecond();
    let ok = AttemptOutcome {
        status: DeliveryStatus::Success,
        next_attempt_at_ms: now,
        response_code: Some(200),
        response_body: Some("ok".into()),
        error: None,
    };
    assert!(fx.store.finish_attempt(id, "p1", &ok).await.unwrap());
    assert!(not_found(fx.store.replay_delivery(&fx.other, hook, id).await.unwrap_err()), "{b:?}");
    assert!(not_found(fx.store.replay_delivery(&fx.other, theirs, id).await.unwrap_err()), "{b:?}");
    assert!(not_found(fx.store.replay_delivery(&fx.client, hook, id + 1000).await.unwrap_err()), "{b:?}");
    let summary = fx.store.webhook_summaries(&fx.client, 100).await.unwrap();
    assert_eq!(summary.len(), 1, "{b:?}: the other tenant's endpoint is not listed");
    assert_eq!((summary[0].webhook.id, summary[0].last_failure_ms), (hook, None));
    assert!(summary[0].last_success_ms.is_some(), "{b:?}");
    let mut racing = vec![];
    for k in 0..8 {
        let (store, client) = (if k % 2 == 0 { fx.store.clone() } else { second.clone() }, fx.client.clone());
        racing.push(tokio::spawn(async move { store.replay_delivery(&client, hook, id).await.unwrap() }));
    }
    let mut replayed = 0;
    for r in racing {
        replayed += usize::from(r.await.unwrap());
    }
    assert_eq!(replayed, 1, "{b:?}: one replay queued");
    let (c, w) = fx.store.claim_delivery("p2", 30_000).await.unwrap().expect("the replay is due");
    assert_eq!((c.id, c.attempts, c.payload.as_str(), w.id), (id, 2, r#"{"t":1}"#, hook));
    assert!(fx.store.claim_delivery("p3", 30_000).await.unwrap().is_none(), "{b:?}: nothing else queued");
    let f = DeliveryFilter { webhook_id: Some(hook), ..Default::default() };
    assert_eq!(fx.store.webhook_deliveries(&fx.client, &f).await.unwrap().1, 1, "{b:?}: one line in the log");
}
