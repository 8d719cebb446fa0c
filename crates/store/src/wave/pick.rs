//! A pick scan in one write transaction: checked again against the list as it is now, units
//! moved from the bin into PACK (a location move: reserved units stay reserved), the order
//! PICKING; a short bin re-allocates what it lacked from other bins or stops the order.

use entrepot_app::types::{audit::AuditRecord, waves::*};
use entrepot_core::{
    actor::Actor,
    ids::{ClientId, OrderId, PickId, PickListId, SkuId, WarehouseId, WaveId},
    location::{default_id, LocationId, PACK},
    wave::{allocate, check_pick, next_pick, walk, OpenPick, WaveOrder},
    CoreError,
};
use serde_json::json;

use super::{free_bins, insert_picks, list_in, pick_row, promise};
use crate::{
    engine::{
        bulk::Val,
        clock::{new_id, now_ms},
        exec::Tx,
        rows::{i, s},
    },
    location::placement,
    webhook::outbox,
    Backend, Store, StoreResult,
};

/// A pick of the list as stored, with what the scan check needs.
struct Stored {
    open: OpenPick,
    seller_sku: String,
    client: ClientId,
    /// The SKU's owner, whose units move: the order's client unless the SKU is shared with it.
    owner: ClientId,
    wave: WaveId,
    warehouse: WarehouseId,
}

async fn picks_of(tx: &mut Tx<'_>, list: &PickListId) -> StoreResult<Vec<Stored>> {
    let rows = tx
        .fetch_all(
            "SELECT p.id, p.order_id, p.client_id, p.wave_id, p.warehouse_id, p.tote, p.sku_id, p.location_id, p.qty, \
             p.picked, p.short, p.cancelled, l.code, l.pick_seq, k.mfskuid, k.seller_sku, k.client_id AS owner \
             FROM picks p JOIN locations l ON l.id = p.location_id JOIN skus k ON k.id = p.sku_id WHERE p.list_id = $1",
            [Val::from(list.0.as_str())],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Stored {
                open: OpenPick {
                    id: PickId(s(r, "id")?),
                    order: OrderId(s(r, "order_id")?),
                    sku: SkuId(i(r, "sku_id")?),
                    sku_code: s(r, "mfskuid")?,
                    location: LocationId(s(r, "location_id")?),
                    bin: s(r, "code")?,
                    pick_seq: i(r, "pick_seq")?,
                    tote: i(r, "tote")?,
                    qty: i(r, "qty")?,
                    picked: i(r, "picked")?,
                    short: i(r, "short")? + i(r, "cancelled")?,
                },
                seller_sku: s(r, "seller_sku")?,
                client: ClientId(s(r, "client_id")?),
                owner: ClientId(s(r, "owner")?),
                wave: WaveId(s(r, "wave_id")?),
                warehouse: WarehouseId(s(r, "warehouse_id")?),
            })
        })
        .collect()
}

/// Moves `qty` units of an order's SKU between two locations (no bucket changes) and writes
/// the location ledger's row for it.
#[allow(clippy::too_many_arguments)]
async fn move_units(
    tx: &mut Tx<'_>,
    (client, sku, warehouse): (&ClientId, SkuId, &WarehouseId),
    from: &LocationId,
    to: &LocationId,
    qty: i64,
    doc_kind: &str,
    order: &OrderId,
    label: &str,
) -> StoreResult<()> {
    placement::take(tx, (client, sku, warehouse), from, qty, label).await?;
    placement::add(tx, (client, sku, warehouse), to, qty).await?;
    let id = format!("lmv_{}", new_id!(entrepot_core::ids::TransferId).0.trim_start_matches("trf_"));
    tx.execute(
        "INSERT INTO location_moves (id, client_id, sku_id, warehouse_id, from_location, to_location, qty, doc_kind, doc_id, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10)",
        [
            Val::S(id),
            Val::from(client.0.as_str()),
            Val::I(sku.0),
            Val::from(warehouse.0.as_str()),
            Val::from(from.0.as_str()),
            Val::from(to.0.as_str()),
            Val::I(qty),
            Val::from(doc_kind),
            Val::from(order.0.as_str()),
            Val::I(now_ms()),
        ],
    )
    .await?;
    Ok(())
}

/// Lowers a bin's promised units by `qty` (picked, found short or cancelled).
async fn unpromise(tx: &mut Tx<'_>, location: &LocationId, sku: SkuId, qty: i64) -> StoreResult<()> {
    if qty > 0 {
        tx.execute(
            "UPDATE location_stock SET allocated = allocated - $1 WHERE location_id = $2 AND sku_id = $3",
            [Val::I(qty), Val::from(location.0.as_str()), Val::I(sku.0)],
        )
        .await?;
    }
    Ok(())
}

/// Moves an order on, from `from` only, with its event; the status it was in, if it moved.
/// One conditional update per status it may be in: no read first (a pick scan's round trips
/// are its time on PostgreSQL).
async fn order_to(
    tx: &mut Tx<'_>,
    client: &ClientId,
    order: &OrderId,
    from: &[&str],
    to: &str,
) -> StoreResult<Option<String>> {
    for was in from {
        let moved = tx
            .execute(
                "UPDATE outbound_orders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
                [Val::from(to), Val::I(now_ms()), Val::from(order.0.as_str()), Val::from(*was)],
            )
            .await?;
        if moved == 1 {
            let payload = json!({"id": order, "from": was, "to": to});
            outbox::record(tx, Some(client), "order.status", &order.0, &payload).await?;
            return Ok(Some((*was).to_owned()));
        }
    }
    Ok(None)
}

/// Stops an order no bin can complete: EXCEPTION (the seller is told by webhook), its open picks
/// cancelled, and the units already in its tote put back into the bins they came from.
async fn stop_order(tx: &mut Tx<'_>, s0: &Stored, order: &OrderId, detail: &str) -> StoreResult<()> {
    order_to(tx, &s0.client, order, &["WAIT_PICKING", "PICKING"], "EXCEPTION").await?;
    put_back(tx, &s0.warehouse, order).await?;
    outbox::record(tx, Some(&s0.client), "order.exception", &order.0, &json!({"id": order, "reason": detail})).await
}

/// Cancels an order's picks: what is still to pick is no longer promised, and what was picked
/// goes from PACK back to the bins it came from.
pub(crate) async fn put_back(tx: &mut Tx<'_>, warehouse: &WarehouseId, order: &OrderId) -> StoreResult<()> {
    let rows = tx
        .fetch_all(
            "SELECT p.id, p.sku_id, p.location_id, p.qty, p.picked, p.short, p.cancelled, k.seller_sku, k.client_id AS owner \
             FROM picks p JOIN skus k ON k.id = p.sku_id WHERE p.order_id = $1",
            [Val::from(order.0.as_str())],
        )
        .await?;
    let pack = default_id(warehouse, PACK);
    for r in rows {
        let (id, sku, loc) = (s(&r, "id")?, SkuId(i(&r, "sku_id")?), LocationId(s(&r, "location_id")?));
        let (qty, picked, short, cancelled) = (i(&r, "qty")?, i(&r, "picked")?, i(&r, "short")?, i(&r, "cancelled")?);
        let left = (qty - picked - short - cancelled).max(0);
        unpromise(tx, &loc, sku, left).await?;
        if picked > 0 {
            let (label, owner) = (s(&r, "seller_sku")?, ClientId(s(&r, "owner")?));
            move_units(tx, (&owner, sku, warehouse), &pack, &loc, picked, "unpick", order, &label).await?;
        }
        // Units put back are no longer picked: the pick is cancelled whole.
        tx.execute(
            "UPDATE picks SET cancelled = qty - short, picked = 0, updated_at = $1 WHERE id = $2",
            [Val::I(now_ms()), Val::S(id)],
        )
        .await?;
    }
    Ok(())
}

/// Opens a count of `sku` in the bin that was short, unless one is open there already; its id.
async fn count_bin(tx: &mut Tx<'_>, actor: &Actor, s0: &Stored) -> StoreResult<String> {
    let id = crate::receiving::new_text_id("cnt");
    tx.execute(
        "INSERT INTO count_tasks (id, warehouse_id, location_id, location_code, client_id, sku_id, state, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) ON CONFLICT (location_id) WHERE state = 'open' DO NOTHING",
        [
            Val::S(id),
            Val::from(s0.warehouse.0.as_str()),
            Val::from(s0.open.location.0.as_str()),
            Val::from(s0.open.bin.as_str()),
            Val::from(s0.owner.0.as_str()),
            Val::I(s0.open.sku.0),
            Val::S(actor.name.clone()),
            Val::I(now_ms()),
        ],
    )
    .await?;
    let row = tx
        .fetch_one(
            "SELECT id FROM count_tasks WHERE location_id = $1 AND state = 'open'",
            [Val::from(s0.open.location.0.as_str())],
        )
        .await?;
    s(&row, "id")
}

/// What the transaction decided, before the list is read back.
struct Applied {
    pick: PickId,
    applied: bool,
    reallocated: Vec<PickId>,
    exception: Option<OrderId>,
    count_task: Option<String>,
}

async fn pick_in(tx: &mut Tx<'_>, backend: Backend, actor: &Actor, c: &PickCommand) -> StoreResult<Applied> {
    let lock = if backend == Backend::Postgres { " FOR UPDATE" } else { "" };
    let head = tx
        .fetch_optional(
            &format!("SELECT warehouse_id FROM pick_lists WHERE id = $1{lock}"),
            [Val::from(c.list.0.as_str())],
        )
        .await?
        .ok_or_else(|| CoreError::not_found("pick list", &c.list))?;
    actor.require_warehouse(&WarehouseId(s(&head, "warehouse_id")?))?;
    if let Some(scan) = &c.scan_id {
        let seen = tx
            .fetch_optional(
                "SELECT pick_id FROM pick_scans WHERE list_id = $1 AND scan_id = $2",
                [Val::from(c.list.0.as_str()), Val::from(scan.as_str())],
            )
            .await?;
        if let Some(r) = seen {
            let pick = PickId(s(&r, "pick_id")?);
            return Ok(Applied { pick, applied: false, reallocated: vec![], exception: None, count_task: None });
        }
    }
    let stored = picks_of(tx, &c.list).await?;
    let mut open: Vec<OpenPick> = stored.iter().map(|p| p.open.clone()).collect();
    walk(&mut open);
    let of_label =
        |p: &&Stored| p.open.sku_code.eq_ignore_ascii_case(&c.label) || p.seller_sku.eq_ignore_ascii_case(&c.label);
    let Some(sku) = stored.iter().find(of_label).map(|p| p.open.sku) else {
        let next = next_pick(&open).map(|n| format!("; next is {} × {} from bin {}", n.left(), n.sku_code, n.bin));
        let e = format!("wrong SKU: label {} is not on this pick list{}", c.label, next.unwrap_or_default());
        return Err(CoreError::invalid("sku", e).into());
    };
    let target = check_pick(&open, &c.bin, sku, c.tote, c.qty, c.short)?.id.clone();
    let s0 = stored.iter().find(|p| p.open.id == target).ok_or_else(|| CoreError::not_found("pick", &target))?;
    let p = &s0.open;
    let now = now_ms();
    let units = (&s0.owner, p.sku, &s0.warehouse);
    if c.qty > 0 {
        let pack = default_id(&s0.warehouse, PACK);
        move_units(tx, units, &p.location, &pack, c.qty, "pick", &p.order, &p.sku_code).await?;
    }
    let shortfall = if c.short { p.left() - c.qty } else { 0 };
    tx.execute(
        "UPDATE picks SET picked = picked + $1, short = short + $2, updated_at = $3 WHERE id = $4",
        [Val::I(c.qty), Val::I(shortfall), Val::I(now), Val::from(p.id.0.as_str())],
    )
    .await?;
    unpromise(tx, &p.location, p.sku, c.qty + shortfall).await?;
    let mut out = Applied { pick: p.id.clone(), applied: true, reallocated: vec![], exception: None, count_task: None };
    if shortfall > 0 {
        out.count_task = Some(count_bin(tx, actor, s0).await?);
        let mut stock = free_bins(tx, &s0.warehouse, &[p.sku], Some(&p.location)).await?;
        let want = WaveOrder { id: p.order.clone(), service: Default::default(), lines: vec![(p.sku, shortfall)] };
        let alloc = allocate(std::slice::from_ref(&want), &mut stock);
        let detail = format!("bin {} had {} of {} × {} expected", p.bin, c.qty, p.left(), p.sku_code);
        if alloc.waved.is_empty() {
            stop_order(tx, s0, &p.order, &detail).await?;
            out.exception = Some(p.order.clone());
        } else {
            let mut rows = vec![];
            let mut promised = vec![];
            for a in &alloc.picks {
                let row = pick_row(
                    &c.list,
                    &s0.wave,
                    &p.order,
                    &s0.client,
                    &s0.warehouse,
                    p.sku,
                    &a.location,
                    p.tote,
                    a.qty,
                    now,
                );
                if let Val::S(id) = &row[0] {
                    out.reallocated.push(PickId(id.clone()));
                }
                rows.push(row);
                promised.push(vec![Val::from(a.location.0.as_str()), Val::I(p.sku.0), Val::I(a.qty)]);
            }
            insert_picks(tx, rows).await?;
            promise(tx, promised).await?;
        }
        let subject = p.location.0.clone();
        let rec = AuditRecord {
            action: "pick.short",
            subject_kind: "location",
            subject_id: &subject,
            warehouse: Some(&s0.warehouse),
            client: Some(&s0.client),
            detail: Some(&detail),
        };
        crate::audit::record(tx, actor, rec).await?;
    }
    if out.exception.is_none() {
        order_to(tx, &s0.client, &p.order, &["WAIT_PICKING"], "PICKING").await?;
    }
    if c.qty > 0 {
        let detail = format!("{} × {} from {} into tote {}", c.qty, p.sku_code, p.bin, p.tote);
        let rec = AuditRecord {
            action: "pick.scanned",
            subject_kind: "order",
            subject_id: &p.order.0,
            warehouse: Some(&s0.warehouse),
            client: Some(&s0.client),
            detail: Some(&detail),
        };
        crate::audit::record(tx, actor, rec).await?;
    }
    // The list is taken by its first picker, and done when nothing is left on it; the wave is
    // done with its last list.
    tx.execute(
        "UPDATE pick_lists SET status = 'PICKING', picker = $1, updated_at = $2 WHERE id = $3 AND status = 'OPEN'",
        [Val::S(actor.name.clone()), Val::I(now), Val::from(c.list.0.as_str())],
    )
    .await?;
    let list_done = tx
        .execute(
            "UPDATE pick_lists SET status = 'DONE', updated_at = $1 WHERE id = $2 AND NOT EXISTS \
             (SELECT 1 FROM picks p WHERE p.list_id = $2 AND p.qty > p.picked + p.short + p.cancelled)",
            [Val::I(now), Val::from(c.list.0.as_str())],
        )
        .await?;
    if list_done > 0 {
        tx.execute(
            "UPDATE waves SET status = 'DONE', updated_at = $1 WHERE id = $2 AND NOT EXISTS \
             (SELECT 1 FROM pick_lists l WHERE l.wave_id = $2 AND l.status <> 'DONE')",
            [Val::I(now), Val::from(s0.wave.0.as_str())],
        )
        .await?;
    }
    if let Some(scan) = &c.scan_id {
        tx.execute(
            "INSERT INTO pick_scans (list_id, scan_id, pick_id, qty, short, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [
                Val::from(c.list.0.as_str()),
                Val::from(scan.as_str()),
                Val::from(p.id.0.as_str()),
                Val::I(c.qty),
                Val::I(shortfall),
                Val::I(now),
            ],
        )
        .await?;
    }
    Ok(out)
}

impl Store {
    /// See [`entrepot_app::ports::WavePort::pick`].
    pub async fn pick(&self, actor: &Actor, c: &PickCommand) -> StoreResult<PickOutcome> {
        let (a, cmd, backend) = (actor.clone(), c.clone(), self.backend);
        let done =
            self.writer_transaction(move |tx| Box::pin(async move { pick_in(tx, backend, &a, &cmd).await })).await?;
        let mut tx = self.read.begin().await?;
        let list = list_in(&mut Tx::from(&mut tx), &c.list).await?;
        tx.commit().await?;
        Ok(PickOutcome {
            pick_id: done.pick,
            applied: done.applied,
            reallocated: done.reallocated,
            exception: done.exception,
            count_task: done.count_task,
            list,
        })
    }
}
