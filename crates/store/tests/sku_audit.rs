//! The SKU audit on the floor, through the use cases (`App`) over the store, on both backends:
//! the queue, measuring (measured values rule, declared ones are kept), approving and rejecting
//! with a reason, the seller's submit scoped to its client, and the audit trail of each step.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{sync::Arc, time::Duration};

use entrepot_app::{App, SkuAuditQuery, SkuVerdict, MAX_AUDIT_QUEUE_PAGE};
use entrepot_core::{
    actor::{Actor, Role},
    ids::{ClientId, SkuId, UserId, WarehouseId},
    outbound::{Customs, NewOutbound},
    sku::{Dimensions, MeasuredValues, SkuStatus},
    CoreError,
};
use entrepot_store::{fixtures, NewSku, Store};
use entrepot_testkit::{each_backend, Backend, TestDb};

struct Fx {
    app: App,
    store: Store,
    seller: fixtures::Seller,
    /// A second client of the same operator.
    other: ClientId,
    _db: TestDb,
}

async fn fixture(b: Backend) -> Fx {
    let db = TestDb::new(b).await;
    let store = Store::open(&db.url).await.unwrap();
    let seller = fixtures::seller(&store, "Acme").await.unwrap();
    let company = store.client(&seller.client).await.unwrap().company_id;
    let gbp = entrepot_core::money::Currency::parse("GBP").unwrap();
    let other = store.create_client(&company, "Other", &gbp).await.unwrap().id;
    Fx { app: App::new(Arc::new(store.clone())), store, seller, other, _db: db }
}

fn staff(warehouse: &WarehouseId) -> Actor {
    Actor {
        user: Some(UserId::from("usr_staff")),
        name: "sam".into(),
        role: Role::Staff { warehouses: vec![warehouse.clone()], supervisor: false },
        device: Some("TC52-1".into()),
    }
}

fn seller_of(client: &ClientId) -> Actor {
    Actor {
        user: Some(UserId::from("usr_seller")),
        name: "ann@acme".into(),
        role: Role::Seller { client: client.clone(), owner: false },
        device: None,
    }
}

fn draft(code: &str) -> NewSku {
    NewSku { status: SkuStatus::Draft, ..fixtures::sku(code) }
}

impl Fx {
    async fn drafts(&self, client: &ClientId, codes: &[&str]) -> Vec<SkuId> {
        let new = codes.iter().map(|c| draft(c)).collect();
        self.store.create_skus(client, new).await.unwrap().into_iter().map(|s| s.id).collect()
    }

    async fn submit(&self, client: &ClientId, id: SkuId) {
        self.app.submit_sku_for_audit(&seller_of(client), client, id).await.unwrap();
        // Distinct submission times, so the queue's order is the submissions' order.
        tokio::time::sleep(Duration::from_millis(3)).await;
    }

    async fn queue(&self, q: SkuAuditQuery) -> Vec<SkuId> {
        let staff = staff(&self.seller.warehouse.id);
        self.app.sku_audit_queue(&staff, &q).await.unwrap().into_iter().map(|i| i.sku.id).collect()
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, CoreError>) -> bool {
    matches!(r, Err(CoreError::Forbidden(_)))
}

#[each_backend]
async fn the_queue_lists_submitted_skus_oldest_first_by_client_a_page_at_a_time(b: Backend) {
    let fx = fixture(b).await;
    let (a, o) = (&fx.seller.client, &fx.other);
    let mine = fx.drafts(a, &["Q-1", "Q-2", "Q-3"]).await;
    let theirs = fx.drafts(o, &["Q-9"]).await;
    assert!(fx.queue(SkuAuditQuery::default()).await.is_empty(), "{b:?}: drafts wait for their seller");
    // Submitted in an order unlike the ids'.
    fx.submit(a, mine[2]).await;
    fx.submit(o, theirs[0]).await;
    fx.submit(a, mine[0]).await;
    let all = vec![mine[2], theirs[0], mine[0]];
    assert_eq!(fx.queue(SkuAuditQuery::default()).await, all, "{b:?}");
    let only_a = SkuAuditQuery { client: Some(a.clone()), ..Default::default() };
    assert_eq!(fx.queue(only_a).await, vec![mine[2], mine[0]], "{b:?}");

    // Page by page with the cursor of each page's last entry.
    let staff = staff(&fx.seller.warehouse.id);
    let mut walked = vec![];
    let mut after = None;
    loop {
        let page =
            fx.app.sku_audit_queue(&staff, &SkuAuditQuery { after, limit: 1, ..Default::default() }).await.unwrap();
        let Some(last) = page.last() else { break };
        assert_eq!(page.len(), 1);
        after = Some(last.cursor());
        walked.push(last.sku.id);
    }
    assert_eq!(walked, all, "{b:?}");

    // Decided SKUs leave the queue; a resubmitted one joins its end.
    let ws = staff.clone();
    fx.app.decide_sku(&ws, a, mine[2], SkuVerdict::Reject { reason: "no picture".into() }).await.unwrap();
    fx.app.decide_sku(&ws, o, theirs[0], SkuVerdict::Approve).await.unwrap();
    assert_eq!(fx.queue(SkuAuditQuery::default()).await, vec![mine[0]], "{b:?}");
    fx.submit(a, mine[2]).await;
    assert_eq!(fx.queue(SkuAuditQuery::default()).await, vec![mine[0], mine[2]], "{b:?}");

    // Staff and the operator see it; a seller does not; pages are bounded.
    assert!(forbidden(fx.app.sku_audit_queue(&seller_of(a), &SkuAuditQuery::default()).await));
    let op = Actor { role: Role::Operator, ..staff.clone() };
    assert_eq!(fx.app.sku_audit_queue(&op, &SkuAuditQuery::default()).await.unwrap().len(), 2);
    let too_many = SkuAuditQuery { limit: MAX_AUDIT_QUEUE_PAGE + 1, ..Default::default() };
    assert!(matches!(fx.app.sku_audit_queue(&staff, &too_many).await, Err(CoreError::Validation { .. })));
}

#[each_backend]
async fn measured_values_override_the_declared_ones_which_are_kept(b: Backend) {
    let fx = fixture(b).await;
    let a = &fx.seller.client;
    let ws = staff(&fx.seller.warehouse.id);
    let id = fx.drafts(a, &["M-1"]).await[0];
    let declared = Dimensions { weight_g: 300, length_mm: 200, width_mm: 100, height_mm: 50 };
    let weigh = MeasuredValues { weight_g: Some(1_250), height_mm: Some(80), ..Default::default() };
    let r = fx.app.measure_sku(&ws, a, id, weigh).await;
    assert!(matches!(r, Err(CoreError::Conflict(_))), "{b:?}: a draft is not measured yet: {r:?}");
    fx.submit(a, id).await;
    assert!(forbidden(fx.app.measure_sku(&seller_of(a), a, id, weigh).await), "{b:?}: sellers do not measure");
    let zero = MeasuredValues { weight_g: Some(0), ..Default::default() };
    assert!(matches!(fx.app.measure_sku(&ws, a, id, zero).await, Err(CoreError::Validation { .. })));

    let measured = fx.app.measure_sku(&ws, a, id, weigh).await.unwrap();
    let expect = Dimensions { weight_g: 1_250, height_mm: 80, ..declared };
    assert_eq!(measured.dimensions(), expect, "{b:?}");
    // Every read shows the measured values, with the declaration kept beside them.
    let read = fx.store.sku(a, id).await.unwrap();
    assert_eq!((read.dimensions(), read.declared()), (expect, declared), "{b:?}");
    assert!(read.measurement.is_some_and(|m| m.at_ms > 0));
    let listed = fx.store.skus_by_seller_skus(a, &["M-1".into()]).await.unwrap();
    assert_eq!(listed[0].weight_g, 1_250, "{b:?}: order intake reads the measured weight");

    // The seller's later declaration is stored, the measurement still rules.
    let update = NewSku { weight_g: 400, ..draft("M-1") };
    let updated = fx.store.update_sku(a, id, update).await.unwrap();
    assert_eq!((updated.weight_g, updated.declared().weight_g), (1_250, 400), "{b:?}");
    let read = fx.store.sku(a, id).await.unwrap();
    assert_eq!((read.weight_g, read.declared().weight_g, read.height_mm), (1_250, 400, 80), "{b:?}");

    // Approved, it ships at its measured weight: the order's weight, hence its fee, follows.
    fx.app.decide_sku(&ws, a, id, SkuVerdict::Approve).await.unwrap();
    let wh = &fx.seller.warehouse.id;
    let t = entrepot_core::inventory::Transfer::adjustment(entrepot_core::inventory::Bucket::Available, 5).unwrap();
    fx.store.move_stock(a, id, wh, t, None).await.unwrap();
    let order = NewOutbound {
        client_id: a.clone(),
        reference: "MEASURED-1".into(),
        recipient: fixtures::leeds(),
        lines: vec![(id, 2)],
        customs: Customs::default(),
        ..Default::default()
    };
    let placed = fixtures::place_order(&fx.store, order, &fx.seller.service.id, true).await.unwrap();
    assert_eq!(placed.weight_g, 2 * 1_250, "{b:?}");

    // Each step is in the trail, with who measured what.
    let trail = fx.app.audit_trail(&ws, "sku", &id.to_string()).await.unwrap();
    let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["sku.submitted", "sku.measured", "sku.approved"], "{b:?}");
    let m = &trail[1];
    assert_eq!((m.actor_name.as_str(), m.role.as_str(), m.device.as_deref()), ("sam", "staff", Some("TC52-1")));
    assert_eq!(m.detail.as_deref(), Some("measured 1250 g, 200×100×80 mm; declared 300 g, 200×100×50 mm"));
    assert_eq!(m.client_id.as_deref(), Some(a.0.as_str()));
}

#[each_backend]
async fn staff_approve_or_reject_with_a_reason_the_seller_reads(b: Backend) {
    let fx = fixture(b).await;
    let a = &fx.seller.client;
    // Staff of any warehouse audit: a SKU belongs to no warehouse yet.
    let ws = staff(&WarehouseId::from("wh_elsewhere"));
    let id = fx.drafts(a, &["R-1"]).await[0];
    assert!(matches!(
        fx.app.decide_sku(&ws, a, id, SkuVerdict::Approve).await,
        Err(CoreError::InvalidTransition { .. })
    ));
    fx.submit(a, id).await;
    let reject = |reason: &str| SkuVerdict::Reject { reason: reason.into() };
    for bad in ["", "   ", &"x".repeat(501)] {
        let r = fx.app.decide_sku(&ws, a, id, reject(bad)).await;
        assert!(matches!(r, Err(CoreError::Validation { .. })), "{b:?}: {r:?}");
    }
    assert!(forbidden(fx.app.decide_sku(&seller_of(a), a, id, SkuVerdict::Approve).await), "{b:?}");
    assert_eq!(fx.store.sku(a, id).await.unwrap().status, SkuStatus::Submitted, "{b:?}: refusals changed nothing");

    let rejected = fx.app.decide_sku(&ws, a, id, reject("  the picture is blurry ")).await.unwrap();
    assert_eq!(
        (rejected.status, rejected.reject_reason.as_deref()),
        (SkuStatus::Rejected, Some("the picture is blurry"))
    );
    let read = fx.store.sku(a, id).await.unwrap();
    assert_eq!(read.reject_reason.as_deref(), Some("the picture is blurry"), "{b:?}");

    // Fixed and resubmitted: the reason goes, staff approve.
    fx.submit(a, id).await;
    assert_eq!(fx.store.sku(a, id).await.unwrap().reject_reason, None);
    let approved = fx.app.decide_sku(&ws, a, id, SkuVerdict::Approve).await.unwrap();
    assert_eq!(approved.status, SkuStatus::Approved, "{b:?}");
    assert!(matches!(
        fx.app.decide_sku(&ws, a, id, SkuVerdict::Approve).await,
        Err(CoreError::InvalidTransition { .. })
    ));

    // The seller reads its own SKU's trail, reason included.
    let trail = fx.app.audit_trail(&seller_of(a), "sku", &id.to_string()).await.unwrap();
    let steps: Vec<_> = trail.iter().map(|e| (e.action.as_str(), e.detail.as_deref())).collect();
    assert_eq!(
        steps,
        [
            ("sku.submitted", None),
            ("sku.rejected", Some("the picture is blurry")),
            ("sku.submitted", None),
            ("sku.approved", None)
        ],
        "{b:?}"
    );
    assert!(fx.app.audit_trail(&seller_of(&fx.other), "sku", &id.to_string()).await.unwrap().is_empty());
}

#[each_backend]
async fn a_seller_submits_its_own_clients_drafts_only(b: Backend) {
    let fx = fixture(b).await;
    let (a, o) = (&fx.seller.client, &fx.other);
    let mine = fx.drafts(a, &["S-1"]).await[0];
    let theirs = fx.drafts(o, &["S-2"]).await[0];
    let ann = seller_of(a);
    // Another client's SKU: refused before anything is looked up.
    assert!(forbidden(fx.app.submit_sku_for_audit(&ann, o, theirs).await), "{b:?}");
    // Its own client named with another client's SKU id: not found.
    assert!(matches!(fx.app.submit_sku_for_audit(&ann, a, theirs).await, Err(CoreError::NotFound { .. })));
    assert_eq!(fx.store.sku(o, theirs).await.unwrap().status, SkuStatus::Draft, "{b:?}");
    // Warehouse staff do not submit for sellers.
    assert!(forbidden(fx.app.submit_sku_for_audit(&staff(&fx.seller.warehouse.id), a, mine).await));

    let submitted = fx.app.submit_sku_for_audit(&ann, a, mine).await.unwrap();
    assert_eq!(submitted.status, SkuStatus::Submitted, "{b:?}");
    assert!(matches!(fx.app.submit_sku_for_audit(&ann, a, mine).await, Err(CoreError::InvalidTransition { .. })));
    // The admin CLI acts as the system, for any client.
    fx.app.submit_sku_for_audit(&Actor::system("admin-cli"), o, theirs).await.unwrap();
    let trail = fx.app.audit_trail(&Actor::system("t"), "sku", &theirs.to_string()).await.unwrap();
    assert_eq!((trail[0].actor_name.as_str(), trail[0].role.as_str()), ("admin-cli", "system"), "{b:?}");
    let trail = fx.app.audit_trail(&Actor::system("t"), "sku", &mine.to_string()).await.unwrap();
    assert_eq!((trail[0].actor_name.as_str(), trail[0].user_id.as_deref()), ("ann@acme", Some("usr_seller")));
}
