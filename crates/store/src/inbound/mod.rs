//! Inbound orders on disk: the core's [`Inbound`] decides each move; this module loads it,
//! persists the result and the ledger transfers in one transaction.

pub(crate) mod details;
pub(crate) mod references;
pub(crate) mod search;

use std::collections::HashMap;

use entrepot_core::{
    company::Warehouse,
    ids::{oc_inbound_number, ClientId, InboundId, SkuId, WarehouseId},
    inbound::{Clearance, Inbound, InboundLine, InboundStatus},
    inventory::Transfer,
    CoreError, CoreResult,
};
use serde_json::json;
use sqlx::{Any, Transaction};

use crate::{
    engine::{
        bulk::{self, Val},
        clock::{new_id, now_ms},
        exec::Tx,
        lookup::first_by_any_key,
        rows::{b, i, oi, parse, s, Columns},
        seq,
    },
    error::on_unique,
    stock::{self, At, StockMove},
    webhook::outbox,
    Store, StoreError, StoreResult,
};
pub use entrepot_app::types::inbound::{InboundView, NewInbound};

impl Store {
    /// Creates and submits an inbound order: expected goods go in transit at once.
    pub async fn create_inbound(&self, tenant: &ClientId, n: NewInbound) -> StoreResult<InboundView> {
        let mut created = self.create_inbounds(tenant, vec![n]).await.map_err(|e| match e {
            StoreError::Core(CoreError::InBatch { error, .. }) => StoreError::Core(*error),
            other => other,
        })?;
        created.pop().ok_or_else(|| StoreError::Corrupt("no inbound created".into()))
    }

    /// Creates a batch of inbound orders all-or-nothing (Bird's client-dispatch upload); an error
    /// names its 1-based line and leaves nothing behind.
    pub async fn create_inbounds(&self, tenant: &ClientId, batch: Vec<NewInbound>) -> StoreResult<Vec<InboundView>> {
        let mut ids: Vec<SkuId> = batch.iter().flat_map(|n| n.lines.iter().map(|l| l.0)).collect();
        ids.sort_unstable();
        ids.dedup();
        let skus = self.skus_by_ids(tenant, &ids).await?;
        let mut planned = Vec::with_capacity(batch.len());
        for (k, n) in batch.into_iter().enumerate() {
            let in_batch = |e: CoreError| StoreError::Core(CoreError::InBatch { line: k + 1, error: Box::new(e) });
            if n.reference.trim().is_empty() {
                return Err(in_batch(CoreError::invalid("reference", "must not be empty")));
            }
            let wh = self.warehouse(&n.warehouse_id).await.map_err(|e| match e {
                StoreError::Core(c) => in_batch(c),
                other => other,
            })?;
            for (j, (id, _)) in n.lines.iter().enumerate() {
                let sku = skus.iter().find(|s| s.id == *id).ok_or_else(|| in_batch(CoreError::not_found("SKU", id)))?;
                sku.ensure_usable().map_err(|e| in_batch(e.at_line(j + 1)))?;
            }
            let mut lines: Vec<InboundLine> = vec![];
            for (sku, qty) in &n.lines {
                match lines.iter_mut().find(|l| l.sku_id == *sku) {
                    Some(l) => l.expected += qty,
                    None => lines.push(InboundLine::expecting(*sku, *qty)),
                }
            }
            planned.push((n, wh, lines));
        }
        let mut tx = self.begin().await?;
        let mut out = Vec::with_capacity(planned.len());
        for (k, (n, wh, lines)) in planned.into_iter().enumerate() {
            let v = insert_inbound(&mut tx, tenant, n, &wh, lines).await.map_err(|e| match e {
                StoreError::Core(c) => StoreError::Core(CoreError::InBatch { line: k + 1, error: Box::new(c) }),
                other => other,
            })?;
            out.push(v);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// One of the tenant's inbound orders by id, number or reference.
    pub async fn find_inbound(&self, tenant: &ClientId, key: &str) -> StoreResult<InboundView> {
        let mut tx = self.read.begin().await?;
        let v = load(&mut Tx::from(&mut tx), tenant, key).await?;
        tx.rollback().await?;
        v.ok_or_else(|| CoreError::not_found("inbound order", key).into())
    }

    /// Receives goods against an inbound order.
    pub async fn receive_inbound(
        &self,
        tenant: &ClientId,
        key: &str,
        sku: SkuId,
        qty: i64,
    ) -> StoreResult<InboundView> {
        self.change_inbound(tenant, key, "inbound.received", |ib| {
            Ok(ib.receive(sku, qty)?.into_iter().map(|t| (sku, t)).collect())
        })
        .await
    }

    /// Puts received goods away, making them available.
    pub async fn put_away_inbound(
        &self,
        tenant: &ClientId,
        key: &str,
        sku: SkuId,
        qty: i64,
    ) -> StoreResult<InboundView> {
        self.change_inbound(tenant, key, "inbound.put_away", |ib| Ok(vec![(sku, ib.put_away(sku, qty)?)])).await
    }

    /// Books the delivery appointment of a non-express inbound.
    pub async fn book_inbound_appointment(&self, tenant: &ClientId, key: &str) -> StoreResult<InboundView> {
        self.change_inbound(tenant, key, "inbound.appointment", |ib| ib.book_appointment().map(|_| vec![])).await
    }

    /// Records that tracking numbers arrived for an express inbound.
    pub async fn add_inbound_tracking(
        &self,
        tenant: &ClientId,
        key: &str,
        numbers: &[String],
    ) -> StoreResult<InboundView> {
        let v = self.change_inbound(tenant, key, "inbound.tracking", |ib| ib.add_tracking().map(|_| vec![])).await?;
        // Through the compare-and-set, so a concurrent customs-file upload is not overwritten.
        let details = self
            .update_inbound_details(tenant, &v.id.0, |d| {
                let list = d.as_object_mut().map(|o| o.entry("trackingNumbers").or_insert_with(|| json!([])));
                if let Some(serde_json::Value::Array(a)) = list {
                    for n in numbers {
                        if !a.iter().any(|x| x.as_str() == Some(n.as_str())) {
                            a.push(json!(n));
                        }
                    }
                }
                Ok(())
            })
            .await?;
        Ok(InboundView { details, ..v })
    }

    /// Records uploaded customs clearance documents (OC's `fileType`s).
    pub async fn add_inbound_clearance_docs(
        &self,
        tenant: &ClientId,
        key: &str,
        types: &[String],
    ) -> StoreResult<InboundView> {
        self.change_inbound(tenant, key, "inbound.clearance", |ib| ib.add_clearance_docs(types).map(|_| vec![])).await
    }

    pub async fn arrive_inbound(&self, tenant: &ClientId, key: &str) -> StoreResult<InboundView> {
        self.change_inbound(tenant, key, "inbound.arrived", |ib| ib.arrive().map(|_| vec![])).await
    }

    /// Closes an inbound whose remaining goods will not come; records discrepancies.
    pub async fn close_inbound(&self, tenant: &ClientId, key: &str) -> StoreResult<InboundView> {
        self.change_inbound(tenant, key, "inbound.closed", |ib| ib.close().map(|(m, _)| m)).await
    }

    pub async fn cancel_inbound(&self, tenant: &ClientId, key: &str) -> StoreResult<InboundView> {
        self.change_inbound(tenant, key, "inbound.cancelled", |ib| ib.cancel()).await
    }

    /// Loads the client's inbound, lets the core step `f` change it, and writes what it did (its
    /// ledger moves to the default locations, its state, its event) in one transaction.
    async fn change_inbound(
        &self,
        tenant: &ClientId,
        key: &str,
        event: &str,
        f: impl FnOnce(&mut Inbound) -> CoreResult<Vec<(SkuId, Transfer)>>,
    ) -> StoreResult<InboundView> {
        let mut tx = self.begin().await?;
        let mut v = load(&mut Tx::from(&mut tx), tenant, key)
            .await?
            .ok_or_else(|| CoreError::not_found("inbound order", key))?;
        let before = v.inbound.clone();
        let moves = f(&mut v.inbound)?;
        let wh = self.warehouse(&v.warehouse_id).await?;
        let step = Step { event, actor: None, at: At::default() };
        persist(&mut Tx::from(&mut tx), &mut v, &before, moves, &wh.code, step).await?;
        tx.commit().await?;
        Ok(v)
    }
}

/// How [`persist`] records a step: its event, who took it, and where the units of its moves go.
#[derive(Clone, Copy)]
pub(crate) struct Step<'a> {
    pub event: &'a str,
    pub actor: Option<&'a entrepot_core::actor::Actor>,
    pub at: At<'a>,
}

impl<'a> Step<'a> {
    /// A step taken by `actor`, its units going to the default locations.
    pub(crate) fn by(event: &'a str, actor: &'a entrepot_core::actor::Actor) -> Self {
        Self { event, actor: Some(actor), at: At::default() }
    }
}

/// Writes what a core step did to `v` (from `before`) inside `tx`: the ledger `moves`, the order's
/// state compare-and-set against `before` (a concurrent change is refused, not overwritten), its
/// lines, the arrival and available times (dock-to-stock), the discrepancies when the receipt
/// closes or the order finishes (each an `inbound.discrepancy` event), and the step's event.
pub(crate) async fn persist(
    tx: &mut Tx<'_>,
    v: &mut InboundView,
    before: &Inbound,
    moves: Vec<(SkuId, Transfer)>,
    wh_code: &str,
    step: Step<'_>,
) -> StoreResult<()> {
    let Step { event, actor, at } = step;
    apply_moves(tx, v, moves, wh_code, at).await?;
    let now = now_ms();
    let at_dock = matches!(
        v.inbound.status,
        InboundStatus::Arrived | InboundStatus::Receiving | InboundStatus::PartiallyPutAway | InboundStatus::PutAway
    );
    let finished = v.inbound.status == InboundStatus::PutAway && before.status != InboundStatus::PutAway;
    let changed = tx
        .execute(
            "UPDATE inbound_orders SET status = $1, has_tracking = $2, has_appointment = $3, updated_at = $4, clearance_docs = $5, \
             receipt_closed = $6, arrived_at = COALESCE(arrived_at, $7), available_at = COALESCE(available_at, $8) \
             WHERE id = $9 AND client_id = $10 AND status = $11 AND clearance_docs = $12 AND receipt_closed = $13",
            [
                Val::from(v.inbound.status.as_str()),
                Val::I(i64::from(v.inbound.has_tracking)),
                Val::I(i64::from(v.inbound.has_appointment)),
                Val::I(now),
                Val::S(v.inbound.clearance.uploaded.join(",")),
                Val::I(i64::from(v.inbound.receipt_closed)),
                Val::OI(at_dock.then_some(now)),
                Val::OI(finished.then_some(now)),
                Val::from(v.id.0.as_str()),
                Val::from(v.client_id.0.as_str()),
                Val::from(before.status.as_str()),
                Val::S(before.clearance.uploaded.join(",")),
                Val::I(i64::from(before.receipt_closed)),
            ],
        )
        .await?;
    if changed != 1 {
        return Err(CoreError::Conflict(format!("inbound {} changed concurrently; try again", v.inbound.number)).into());
    }
    for l in &v.inbound.lines {
        let Some(was) = before.lines.iter().find(|b| b.sku_id == l.sku_id) else { continue };
        if was == l {
            continue;
        }
        // Compare-and-set on the counts read: two scans of one line at once must not both count
        // on the same old value (PostgreSQL does not lock the row read above).
        let changed = tx
            .execute(
                "UPDATE inbound_lines SET received = $1, put_away = $2, damaged = $3 WHERE inbound_id = $4 AND sku_id = $5 \
                 AND received = $6 AND put_away = $7 AND damaged = $8",
                [
                    Val::I(l.received),
                    Val::I(l.put_away),
                    Val::I(l.damaged),
                    Val::from(v.id.0.as_str()),
                    Val::I(l.sku_id.0),
                    Val::I(was.received),
                    Val::I(was.put_away),
                    Val::I(was.damaged),
                ],
            )
            .await?;
        if changed != 1 {
            return Err(
                CoreError::Conflict(format!("inbound {} changed concurrently; try again", v.inbound.number)).into()
            );
        }
    }
    let closed_now = v.inbound.receipt_closed && !before.receipt_closed;
    if closed_now || (finished && !before.receipt_closed) {
        let system = entrepot_core::actor::Actor::system("entrepot");
        let actor = actor.unwrap_or(&system);
        for d in v.inbound.discrepancies() {
            crate::receiving::discrepancies::write_line(tx, v, &d, actor, now).await?;
        }
    }
    v.updated_at_ms = now;
    if at_dock && v.arrived_at_ms.is_none() {
        v.arrived_at_ms = Some(now);
    }
    if finished && v.available_at_ms.is_none() {
        v.available_at_ms = Some(now);
    }
    outbox::record(
        tx,
        Some(&v.client_id),
        event,
        &v.id.0,
        &json!({"number": v.inbound.number, "status": v.inbound.status.as_str()}),
    )
    .await?;
    Ok(())
}

/// Writes one new inbound inside `tx`: submitted at once, its expected goods in transit.
async fn insert_inbound(
    tx: &mut Transaction<'static, Any>,
    tenant: &ClientId,
    n: NewInbound,
    wh: &Warehouse,
    lines: Vec<InboundLine>,
) -> StoreResult<InboundView> {
    let number = oc_inbound_number(seq::next(&mut Tx::from(&mut *tx), "oc_inbound", 1).await?);
    let mut inbound = Inbound {
        number,
        mode: n.mode,
        status: InboundStatus::Draft,
        lines,
        has_tracking: false,
        has_appointment: false,
        clearance: Clearance { required: n.need_clearance_doc, uploaded: vec![] },
        receipt_closed: false,
    };
    let moves = inbound.submit()?;
    let now = now_ms();
    let v = InboundView {
        id: new_id!(InboundId),
        client_id: tenant.clone(),
        warehouse_id: wh.id.clone(),
        reference: n.reference.trim().to_owned(),
        inbound,
        details: n.details,
        created_at_ms: now,
        updated_at_ms: now,
        arrived_at_ms: None,
        available_at_ms: None,
    };
    let r = sqlx::query(
            "INSERT INTO inbound_orders (id, client_id, warehouse_id, number, reference, mode, status, has_tracking, has_appointment, details, created_at, updated_at, need_clearance_doc) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(&v.id.0)
        .bind(&tenant.0)
        .bind(&v.warehouse_id.0)
        .bind(&v.inbound.number)
        .bind(&v.reference)
        .bind(v.inbound.mode.as_str())
        .bind(v.inbound.status.as_str())
        .bind(0i64)
        .bind(0i64)
        .bind(v.details.to_string())
        .bind(now)
        .bind(now)
        .bind(i64::from(v.inbound.clearance.required))
        .execute(&mut **tx)
        .await;
    on_unique(r, "inbound reference", &v.reference)?;
    for l in &v.inbound.lines {
        sqlx::query(
            "INSERT INTO inbound_lines (inbound_id, sku_id, expected, received, put_away) VALUES ($1, $2, $3, 0, 0)",
        )
        .bind(&v.id.0)
        .bind(l.sku_id.0)
        .bind(l.expected)
        .execute(&mut **tx)
        .await?;
    }
    apply_moves(&mut Tx::from(&mut *tx), &v, moves, &wh.code, At::default()).await?;
    outbox::record(
        &mut Tx::from(&mut *tx),
        Some(tenant),
        "inbound.created",
        &v.id.0,
        &json!({"number": v.inbound.number}),
    )
    .await?;
    Ok(v)
}

pub(crate) async fn apply_moves(
    tx: &mut Tx<'_>,
    v: &InboundView,
    moves: Vec<(SkuId, Transfer)>,
    wh_code: &str,
    at: At<'_>,
) -> StoreResult<()> {
    for (sku, transfer) in moves {
        let m = StockMove {
            client: &v.client_id,
            sku,
            warehouse: &v.warehouse_id,
            transfer,
            doc_kind: "inbound",
            doc_id: &v.inbound.number,
            note: None,
            for_client: None,
        };
        stock::apply_at(tx, m, at, &sku.to_string(), wh_code).await?;
    }
    Ok(())
}

pub(crate) async fn load(tx: &mut Tx<'_>, tenant: &ClientId, key: &str) -> StoreResult<Option<InboundView>> {
    let q = first_by_any_key(
        &format!("SELECT {INBOUND_COLS} FROM inbound_orders"),
        "client_id = $1 AND ",
        &["id = $2", "number = $2", "reference = $2"],
    );
    let row = tx.fetch_optional(&q, [Val::from(tenant.0.as_str()), Val::from(key.trim())]).await?;
    let Some(row) = row else { return Ok(None) };
    let id = s(&row, "id")?;
    let mut lines = lines_of(tx, std::slice::from_ref(&id)).await?;
    inbound_view(&row, lines.remove(&id).unwrap_or_default()).map(Some)
}

/// The inbound `id` (any client's), on PostgreSQL locked until `tx` ends (see
/// `receiving::lock_inbound`; SQLite's single writer holds it anyway).
pub(crate) async fn load_locked(
    tx: &mut Tx<'_>,
    backend: crate::Backend,
    id: &str,
) -> StoreResult<Option<InboundView>> {
    let lock = if backend == crate::Backend::Postgres { " FOR UPDATE" } else { "" };
    let q = format!("SELECT {INBOUND_COLS} FROM inbound_orders WHERE id = $1{lock}");
    let Some(row) = tx.fetch_optional(&q, [Val::from(id)]).await? else { return Ok(None) };
    // The lines in a statement of their own, after the lock: on PostgreSQL a statement's reads
    // are of the moment it began, before it waited for the lock (stale under concurrent scans).
    let mut lines = lines_of(tx, &[id.to_owned()]).await?;
    inbound_view(&row, lines.remove(id).unwrap_or_default()).map(Some)
}

/// [`load`], on PostgreSQL with the inbound locked until `tx` ends, in the same read.
pub(crate) async fn load_for_update(
    tx: &mut Tx<'_>,
    backend: crate::Backend,
    tenant: &ClientId,
    key: &str,
) -> StoreResult<Option<InboundView>> {
    if backend != crate::Backend::Postgres {
        return load(tx, tenant, key).await;
    }
    // `load`'s order of keys: an id before a number before a reference.
    let q = format!(
        "SELECT {INBOUND_COLS} FROM inbound_orders WHERE client_id = $1 AND (id = $2 OR number = $2 OR reference = $2) \
         ORDER BY CASE WHEN id = $2 THEN 0 WHEN number = $2 THEN 1 ELSE 2 END LIMIT 1 FOR UPDATE"
    );
    let row = tx.fetch_optional(&q, [Val::from(tenant.0.as_str()), Val::from(key.trim())]).await?;
    let Some(row) = row else { return Ok(None) };
    let id = s(&row, "id")?;
    let mut lines = lines_of(tx, std::slice::from_ref(&id)).await?;
    inbound_view(&row, lines.remove(&id).unwrap_or_default()).map(Some)
}

/// The columns [`inbound_view`] reads.
pub(crate) const INBOUND_COLS: &str =
    "id, client_id, warehouse_id, number, reference, mode, status, has_tracking, has_appointment, need_clearance_doc, \
     clearance_docs, details, created_at, updated_at, receipt_closed, arrived_at, available_at";

/// The lines of the inbounds `ids`, by inbound id, each in SKU order.
pub(crate) async fn lines_of(tx: &mut Tx<'_>, ids: &[String]) -> StoreResult<HashMap<String, Vec<InboundLine>>> {
    let mut out: HashMap<String, Vec<InboundLine>> = HashMap::new();
    for chunk in ids.chunks(bulk::MAX_ROWS) {
        let list = bulk::Ph::new(tx).tuples(1, chunk.len());
        let q = format!(
            "SELECT inbound_id, sku_id, expected, received, put_away, damaged FROM inbound_lines WHERE inbound_id IN {list} \
             ORDER BY inbound_id, sku_id"
        );
        let vals = chunk.iter().map(|id| bulk::Val::from(id.as_str()));
        for r in tx.fetch_all(&q, vals).await? {
            out.entry(s(&r, "inbound_id")?).or_default().push(InboundLine {
                sku_id: SkuId(i(&r, "sku_id")?),
                expected: i(&r, "expected")?,
                received: i(&r, "received")?,
                put_away: i(&r, "put_away")?,
                damaged: i(&r, "damaged")?,
            });
        }
    }
    Ok(out)
}

/// An inbound from its row ([`INBOUND_COLS`]) and its lines.
pub(crate) fn inbound_view(row: &impl Columns, lines: Vec<InboundLine>) -> StoreResult<InboundView> {
    let mode: String = s(row, "mode")?;
    Ok(InboundView {
        id: InboundId(s(row, "id")?),
        client_id: ClientId(s(row, "client_id")?),
        warehouse_id: WarehouseId(s(row, "warehouse_id")?),
        reference: s(row, "reference")?,
        inbound: Inbound {
            number: s(row, "number")?,
            mode: mode.parse().map_err(|_| crate::StoreError::Corrupt(format!("inbound mode '{mode}'")))?,
            status: parse(row, "status")?,
            lines,
            has_tracking: b(row, "has_tracking")?,
            has_appointment: b(row, "has_appointment")?,
            clearance: Clearance {
                required: b(row, "need_clearance_doc")?,
                uploaded: s(row, "clearance_docs")?.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            },
            receipt_closed: b(row, "receipt_closed")?,
        },
        details: serde_json::from_str(&s(row, "details")?).unwrap_or(serde_json::Value::Null),
        created_at_ms: i(row, "created_at")?,
        updated_at_ms: i(row, "updated_at")?,
        arrived_at_ms: oi(row, "arrived_at")?,
        available_at_ms: oi(row, "available_at")?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use entrepot_core::{inbound::ShippingMode, CoreError};
    use entrepot_testkit::{each_backend, Backend};

    use crate::{outbound::direct::tests::fixture, NewInbound, StoreError};

    #[each_backend]
    async fn a_batch_of_inbounds_is_all_or_nothing_and_names_the_failing_line(b: Backend) {
        let fx = fixture(b).await;
        let new = |reference: &str, qty: i64| NewInbound {
            warehouse_id: fx.warehouse.clone(),
            reference: reference.into(),
            mode: ShippingMode::Sea,
            lines: vec![(fx.sku, qty)],
            need_clearance_doc: false,
            details: serde_json::json!({}),
        };
        fx.store.create_inbound(&fx.client, new("TAKEN", 1)).await.unwrap();
        let in_transit = |store: &crate::Store| {
            let (client, sku) = (fx.client.clone(), fx.sku);
            let store = store.clone();
            async move {
                store.stock(&client, &[sku], None).await.unwrap()[0]
                    .position
                    .get(entrepot_core::inventory::Bucket::InTransit)
            }
        };
        let before = in_transit(&fx.store).await;
        // Line 2 reuses a reference; line 1 must not be left behind.
        let e = fx.store.create_inbounds(&fx.client, vec![new("NEW-1", 5), new("TAKEN", 7)]).await.unwrap_err();
        match e {
            StoreError::Core(CoreError::InBatch { line: 2, error }) => {
                assert!(matches!(*error, CoreError::Duplicate { .. }), "{b:?}: {error:?}")
            }
            other => panic!("{b:?}: {other:?}"),
        }
        assert!(fx.store.find_inbound(&fx.client, "NEW-1").await.is_err(), "{b:?}: nothing of the batch kept");
        assert_eq!(in_transit(&fx.store).await, before, "{b:?}: no stock moved");
        // Another client's SKU is not found, on its line.
        let mut foreign = new("F-1", 1);
        foreign.lines = vec![(entrepot_core::ids::SkuId(999_999), 1)];
        let e = fx.store.create_inbounds(&fx.client, vec![new("OK-1", 1), foreign]).await.unwrap_err();
        assert!(matches!(e, StoreError::Core(CoreError::InBatch { line: 2, .. })), "{b:?}: {e:?}");
        let both = fx.store.create_inbounds(&fx.client, vec![new("A-1", 2), new("A-2", 3)]).await.unwrap();
        assert_eq!(both.len(), 2);
        assert_eq!(in_transit(&fx.store).await, before + 5, "{b:?}");
    }

    /// Two processes on one SQLite file: a transaction that reads before it writes (receiving)
    /// must wait for the other's commits, not fail with SQLITE_BUSY_SNAPSHOT.
    #[tokio::test]
    async fn read_then_write_transactions_wait_for_another_process_on_sqlite() {
        let fx = fixture(entrepot_testkit::Backend::Sqlite).await;
        let other_process = crate::Store::open(&fx.db_url()).await.unwrap();
        let n = NewInbound {
            warehouse_id: fx.warehouse.clone(),
            reference: "BIG".into(),
            mode: ShippingMode::Sea,
            lines: vec![(fx.sku, 1_000)],
            need_clearance_doc: false,
            details: serde_json::json!({}),
        };
        fx.store.create_inbound(&fx.client, n).await.unwrap();
        let receiving = async {
            for _ in 0..60 {
                fx.store.receive_inbound(&fx.client, "BIG", fx.sku, 1).await.unwrap();
            }
        };
        let adjusting = async {
            for _ in 0..60 {
                let t = entrepot_core::inventory::Transfer::adjustment(entrepot_core::inventory::Bucket::Available, 1)
                    .unwrap();
                other_process.move_stock(&fx.client, fx.sku, &fx.warehouse, t, None).await.unwrap();
            }
        };
        tokio::join!(receiving, adjusting);
        let row = fx.store.stock(&fx.client, &[fx.sku], None).await.unwrap().remove(0);
        assert_eq!(row.position.get(entrepot_core::inventory::Bucket::Received), 60);
    }
}
