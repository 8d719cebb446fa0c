//! Waves on disk: releasing one (candidates, allocation to bins, pick lists, the orders moved
//! to WAIT_PICKING) in one write transaction, and reading waves and pick lists back. Pick scans
//! are in [`pick`].
//!
//! Two releases never promise the same units: a bin's `allocated` grows only where the units
//! not yet promised cover it (a conditional update), and an order moves only from SUBMITTED, so
//! a release racing another (or a cancel) fails as a whole and can be run again.

mod board;
mod pick;
pub(crate) use pick::put_back;

use std::collections::{BTreeMap, HashMap};

use entrepot_app::types::{audit::AuditRecord, waves::*};
use entrepot_core::{
    actor::Actor,
    ids::{ClientId, OrderId, PickId, PickListId, ServiceId, SkuId, WarehouseId, WaveId},
    location::LocationId,
    wave::{allocate, plan_lists, BinStock, WaveOrder},
    CoreError,
};
use serde_json::json;

use crate::{
    engine::{
        bulk::{self, Val},
        clock::{new_id, now_ms},
        exec::Tx,
        rows::{b, i, oi, os, s},
        seq,
    },
    webhook::outbox,
    Backend, Store, StoreResult,
};

/// Kinds of order that ship the client's stock from bins (the others are brought in or are
/// returns): the ones a wave takes.
const PICKED_KINDS: &str = "'LOCAL', 'DIRECT', 'FBA'";

/// Up to `limit` submitted orders of the warehouse due by `due_by`, most urgent first: those
/// submitted before due dates existed, then by due date and age.
async fn candidates(tx: &mut Tx<'_>, n: &NewWave) -> StoreResult<Vec<(OrderId, ClientId, ServiceId)>> {
    let mut out = vec![];
    for by_date in [false, true] {
        let left = n.max_orders.saturating_sub(out.len());
        if left == 0 {
            break;
        }
        let mut vals = vec![Val::from(n.warehouse.0.as_str())];
        let mut cond = String::new();
        if by_date {
            vals.push(Val::from(n.due_by.as_str()));
            cond.push_str(&format!(" AND due_date <= ${}", vals.len()));
        } else {
            cond.push_str(" AND due_date IS NULL");
        }
        if let Some(svc) = &n.service {
            vals.push(Val::from(svc.0.as_str()));
            cond.push_str(&format!(" AND service_id = ${}", vals.len()));
        }
        // Sandbox twins' orders are shipped by the sandbox floor, never waved (see `sandbox`).
        let sql = format!(
            "SELECT id, client_id, service_id FROM outbound_orders WHERE warehouse_id = $1 AND status = 'SUBMITTED'{cond} \
             AND kind IN ({PICKED_KINDS}) AND client_id NOT IN (SELECT id FROM clients WHERE sandbox_of IS NOT NULL) \
             ORDER BY due_date, created_at, id LIMIT {left}"
        );
        for r in tx.fetch_all(&sql, vals).await? {
            out.push((OrderId(s(&r, "id")?), ClientId(s(&r, "client_id")?), ServiceId(s(&r, "service_id")?)));
        }
    }
    Ok(out)
}

/// The lines of `orders`, by order.
async fn lines_of(tx: &mut Tx<'_>, orders: &[OrderId]) -> StoreResult<HashMap<OrderId, Vec<(SkuId, i64)>>> {
    let mut out: HashMap<OrderId, Vec<(SkuId, i64)>> = HashMap::new();
    for chunk in orders.chunks(bulk::MAX_ROWS) {
        let list = bulk::Ph::new(tx).tuples(1, chunk.len());
        let sql = format!("SELECT order_id, sku_id, qty FROM outbound_lines WHERE order_id IN {list}");
        for r in tx.fetch_all(&sql, chunk.iter().map(|o| Val::from(o.0.as_str()))).await? {
            out.entry(OrderId(s(&r, "order_id")?)).or_default().push((SkuId(i(&r, "sku_id")?), i(&r, "qty")?));
        }
    }
    Ok(out)
}

/// Units of `skus` in the warehouse's bins that no open pick promised, by SKU: pick faces and
/// reserve bins only (units at the dock wait for putaway), and no bin being counted.
pub(crate) async fn free_bins(
    tx: &mut Tx<'_>,
    warehouse: &WarehouseId,
    skus: &[SkuId],
    except: Option<&LocationId>,
) -> StoreResult<HashMap<SkuId, Vec<BinStock>>> {
    let mut out: HashMap<SkuId, Vec<BinStock>> = HashMap::new();
    for chunk in skus.chunks(bulk::MAX_ROWS) {
        let mut ph = bulk::Ph::new(tx);
        let (wh, other) = (ph.one(), ph.one());
        let list = ph.tuples(1, chunk.len());
        let sql = format!(
            "SELECT ls.location_id, ls.sku_id, ls.qty - ls.allocated AS free, ls.since, l.code, l.zone, l.pick_seq \
             FROM location_stock ls JOIN locations l ON l.id = ls.location_id \
             WHERE ls.warehouse_id = {wh} AND ls.location_id <> {other} AND ls.sku_id IN {list} \
             AND ls.qty > ls.allocated AND l.kind IN ('pick_face', 'reserve') \
             AND NOT EXISTS (SELECT 1 FROM count_tasks c WHERE c.location_id = ls.location_id AND c.state = 'open')"
        );
        let vals = [Val::from(warehouse.0.as_str()), Val::from(except.map(|l| l.0.as_str()).unwrap_or(""))]
            .into_iter()
            .chain(chunk.iter().map(|s| Val::I(s.0)));
        for r in tx.fetch_all(&sql, vals).await? {
            out.entry(SkuId(i(&r, "sku_id")?)).or_default().push(BinStock {
                location: LocationId(s(&r, "location_id")?),
                code: s(&r, "code")?,
                zone: s(&r, "zone")?,
                pick_seq: i(&r, "pick_seq")?,
                since_ms: i(&r, "since")?,
                free: i(&r, "free")?,
            });
        }
    }
    Ok(out)
}

/// Promises `rows` (location, SKU, units) to picks; refuses if any bin no longer has them free.
pub(crate) async fn promise(tx: &mut Tx<'_>, rows: Vec<Vec<Val>>) -> StoreResult<()> {
    for chunk in rows.chunks(bulk::rows_per_chunk(3, 0)) {
        let mut ph = bulk::Ph::new(tx);
        let (source, vals) = bulk::rows_source(&mut ph, chunk);
        let sql = format!(
            "UPDATE location_stock SET allocated = location_stock.allocated + v.column3 FROM {source} \
             WHERE location_stock.location_id = v.column1 AND location_stock.sku_id = v.column2 \
             AND location_stock.qty - location_stock.allocated >= v.column3"
        );
        if tx.execute(&sql, vals).await? != chunk.len() as u64 {
            return Err(
                CoreError::Conflict("a bin's units were taken while this was allocated; try again".into()).into()
            );
        }
    }
    Ok(())
}

const PICK_COLS: [&str; 13] = [
    "id",
    "list_id",
    "wave_id",
    "order_id",
    "client_id",
    "warehouse_id",
    "sku_id",
    "location_id",
    "tote",
    "qty",
    "created_at",
    "updated_at",
    "picked",
];

/// A new pick row of [`PICK_COLS`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn pick_row(
    list: &PickListId,
    wave: &WaveId,
    order: &OrderId,
    client: &ClientId,
    warehouse: &WarehouseId,
    sku: SkuId,
    location: &LocationId,
    tote: i64,
    qty: i64,
    now: i64,
) -> Vec<Val> {
    vec![
        Val::S(new_id!(PickId).0),
        Val::from(list.0.as_str()),
        Val::from(wave.0.as_str()),
        Val::from(order.0.as_str()),
        Val::from(client.0.as_str()),
        Val::from(warehouse.0.as_str()),
        Val::I(sku.0),
        Val::from(location.0.as_str()),
        Val::I(tote),
        Val::I(qty),
        Val::I(now),
        Val::I(now),
        Val::I(0),
    ]
}

pub(crate) async fn insert_picks(tx: &mut Tx<'_>, rows: Vec<Vec<Val>>) -> StoreResult<()> {
    bulk::insert(tx, "picks", &PICK_COLS, rows, "").await?;
    Ok(())
}

/// [`Store::release_wave`] inside the write transaction.
async fn release_in(tx: &mut Tx<'_>, backend: Backend, actor: &Actor, n: &NewWave) -> StoreResult<WaveView> {
    if backend == Backend::Postgres {
        // One release per warehouse at a time; the conditional updates below guard the rest.
        tx.execute("SELECT id FROM warehouses WHERE id = $1 FOR UPDATE", [Val::from(n.warehouse.0.as_str())]).await?;
    }
    let found = candidates(tx, n).await?;
    if found.is_empty() {
        return Err(CoreError::Conflict(format!("no submitted order is due by {} to release", n.due_by)).into());
    }
    let ids: Vec<OrderId> = found.iter().map(|(o, _, _)| o.clone()).collect();
    let mut lines = lines_of(tx, &ids).await?;
    let orders: Vec<WaveOrder> = found
        .iter()
        .map(|(id, _, svc)| WaveOrder {
            id: id.clone(),
            service: svc.clone(),
            lines: lines.remove(id).unwrap_or_default(),
        })
        .collect();
    let mut skus: Vec<SkuId> = orders.iter().flat_map(|o| o.lines.iter().map(|(s, _)| *s)).collect();
    skus.sort_unstable();
    skus.dedup();
    let mut stock = free_bins(tx, &n.warehouse, &skus, None).await?;
    let alloc = allocate(&orders, &mut stock);
    let short: Vec<WaveShort> =
        alloc.short.iter().map(|(o, s, q)| WaveShort { order_id: o.clone(), sku_id: *s, missing: *q }).collect();
    if alloc.waved.is_empty() {
        return Err(CoreError::Conflict(format!(
            "none of the {} order(s) due by {} has its units in bins (put away what waits at the dock first)",
            found.len(),
            n.due_by
        ))
        .into());
    }
    let plans = plan_lists(&orders, &alloc, n.rules);
    let now = now_ms();
    let number = seq::next(tx, &format!("wave:{}", n.warehouse.0), 1).await?;
    let wave = new_id!(WaveId);
    let units: i64 = alloc.picks.iter().map(|p| p.qty).sum();
    tx.execute(
        "INSERT INTO waves (id, warehouse_id, number, due_by, service_id, status, orders, units, released_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, $7, $8, $9, $9)",
        [
            Val::from(wave.0.as_str()),
            Val::from(n.warehouse.0.as_str()),
            Val::I(number),
            Val::from(n.due_by.as_str()),
            Val::OS(n.service.as_ref().map(|s| s.0.clone())),
            Val::I(alloc.waved.len() as i64),
            Val::I(units),
            Val::S(actor.name.clone()),
            Val::I(now),
        ],
    )
    .await?;
    // Each order's list and tote.
    let client_of: HashMap<&OrderId, &ClientId> = found.iter().map(|(o, c, _)| (o, c)).collect();
    let mut seat: HashMap<&OrderId, (PickListId, i64)> = HashMap::new();
    let mut list_rows = vec![];
    for (k, plan) in plans.iter().enumerate() {
        let id = new_id!(PickListId);
        for (t, o) in plan.orders.iter().enumerate() {
            seat.insert(o, (id.clone(), t as i64 + 1));
        }
        list_rows.push(vec![
            Val::S(id.0),
            Val::from(wave.0.as_str()),
            Val::from(n.warehouse.0.as_str()),
            Val::I(k as i64 + 1),
            Val::from(plan.service.0.as_str()),
            Val::OS(plan.zone.clone()),
            Val::I(i64::from(plan.single)),
            Val::I(plan.orders.len() as i64),
            Val::from("OPEN"),
            Val::I(now),
            Val::I(now),
        ]);
    }
    let cols = [
        "id",
        "wave_id",
        "warehouse_id",
        "number",
        "service_id",
        "zone",
        "single",
        "totes",
        "status",
        "created_at",
        "updated_at",
    ];
    bulk::insert(tx, "pick_lists", &cols, list_rows, "").await?;
    let mut pick_rows = Vec::with_capacity(alloc.picks.len());
    let mut promised: BTreeMap<(&str, i64), i64> = BTreeMap::new();
    for p in &alloc.picks {
        let (list, tote) = seat.get(&p.order).ok_or_else(|| crate::StoreError::Corrupt("unseated order".into()))?;
        let client = client_of.get(&p.order).ok_or_else(|| crate::StoreError::Corrupt("unknown order".into()))?;
        pick_rows.push(pick_row(list, &wave, &p.order, client, &n.warehouse, p.sku, &p.location, *tote, p.qty, now));
        *promised.entry((p.location.0.as_str(), p.sku.0)).or_default() += p.qty;
    }
    insert_picks(tx, pick_rows).await?;
    promise(tx, promised.into_iter().map(|((l, s), q)| vec![Val::from(l), Val::I(s), Val::I(q)]).collect()).await?;
    // The orders, from SUBMITTED only: one a client cancelled meanwhile fails the release.
    let moved: Vec<Vec<Val>> = alloc
        .waved
        .iter()
        .filter_map(|o| seat.get(o).map(|(l, t)| vec![Val::from(o.0.as_str()), Val::from(l.0.as_str()), Val::I(*t)]))
        .collect();
    for chunk in moved.chunks(bulk::rows_per_chunk(3, 3)) {
        let mut ph = bulk::Ph::new(tx);
        let (w, at) = (ph.one(), ph.one());
        let (source, vals) = bulk::rows_source(&mut ph, chunk);
        let sql = format!(
            "UPDATE outbound_orders SET status = 'WAIT_PICKING', wave_id = {w}, pick_list_id = v.column2, tote = v.column3, \
             updated_at = {at} FROM {source} WHERE outbound_orders.id = v.column1 AND outbound_orders.status = 'SUBMITTED'"
        );
        let vals = [Val::from(wave.0.as_str()), Val::I(now)].into_iter().chain(vals);
        if tx.execute(&sql, vals).await? != chunk.len() as u64 {
            return Err(
                CoreError::Conflict("an order changed while the wave was released; release again".into()).into()
            );
        }
    }
    let mut events: BTreeMap<&ClientId, Vec<(String, serde_json::Value)>> = BTreeMap::new();
    for o in &alloc.waved {
        if let Some(c) = client_of.get(o) {
            events
                .entry(*c)
                .or_default()
                .push((o.0.clone(), json!({"id": o, "from": "SUBMITTED", "to": "WAIT_PICKING", "wave": wave})));
        }
    }
    for (client, items) in events {
        outbox::record_many(tx, Some(client), "order.status", items).await?;
    }
    let detail = format!("wave {number}: {} order(s), {units} unit(s) due by {}", alloc.waved.len(), n.due_by);
    let rec = AuditRecord {
        action: "wave.released",
        subject_kind: "wave",
        subject_id: &wave.0,
        warehouse: Some(&n.warehouse),
        client: None,
        detail: Some(&detail),
    };
    crate::audit::record(tx, actor, rec).await?;
    let mut view = wave_in(tx, &wave).await?;
    view.short = short;
    Ok(view)
}

const WAVE_COLS: &str = "id, warehouse_id, number, due_by, service_id, status, orders, units, released_by, created_at";

fn wave_row(r: &impl crate::engine::rows::Columns) -> StoreResult<WaveView> {
    Ok(WaveView {
        id: WaveId(s(r, "id")?),
        warehouse_id: WarehouseId(s(r, "warehouse_id")?),
        number: i(r, "number")?,
        due_by: s(r, "due_by")?,
        service_id: os(r, "service_id")?.map(ServiceId),
        status: s(r, "status")?,
        orders: i(r, "orders")?,
        units: i(r, "units")?,
        released_by: s(r, "released_by")?,
        created_at_ms: i(r, "created_at")?,
        lists: vec![],
        short: vec![],
    })
}

/// A list's columns with its picks' totals, for `... FROM pick_lists pl LEFT JOIN picks p ...
/// GROUP BY pl.id`.
const LIST_SUMMARY: &str = "SELECT pl.id, pl.wave_id, pl.warehouse_id, pl.number, pl.service_id, pl.zone, pl.single, \
     pl.totes, pl.status, pl.picker, pl.created_at, CAST(COALESCE(SUM(p.qty - p.cancelled), 0) AS BIGINT) AS units, \
     CAST(COALESCE(SUM(p.picked), 0) AS BIGINT) AS picked, CAST(COALESCE(SUM(p.short), 0) AS BIGINT) AS short \
     FROM pick_lists pl LEFT JOIN picks p ON p.list_id = pl.id";
const LIST_GROUP: &str = "GROUP BY pl.id, pl.wave_id, pl.warehouse_id, pl.number, pl.service_id, pl.zone, pl.single, \
     pl.totes, pl.status, pl.picker, pl.created_at";

fn list_row(r: &impl crate::engine::rows::Columns) -> StoreResult<PickListSummary> {
    Ok(PickListSummary {
        id: PickListId(s(r, "id")?),
        wave_id: WaveId(s(r, "wave_id")?),
        warehouse_id: WarehouseId(s(r, "warehouse_id")?),
        number: i(r, "number")?,
        service_id: ServiceId(s(r, "service_id")?),
        zone: os(r, "zone")?,
        single: b(r, "single")?,
        totes: i(r, "totes")?,
        status: s(r, "status")?,
        picker: os(r, "picker")?,
        units: i(r, "units")?,
        picked: i(r, "picked")?,
        short: i(r, "short")?,
        created_at_ms: i(r, "created_at")?,
    })
}

/// A wave with its lists, read in `tx`.
async fn wave_in(tx: &mut Tx<'_>, id: &WaveId) -> StoreResult<WaveView> {
    let row = tx
        .fetch_optional(&format!("SELECT {WAVE_COLS} FROM waves WHERE id = $1"), [Val::from(id.0.as_str())])
        .await?
        .ok_or_else(|| CoreError::not_found("wave", id))?;
    let mut w = wave_row(&row)?;
    let sql = format!("{LIST_SUMMARY} WHERE pl.wave_id = $1 {LIST_GROUP} ORDER BY pl.number");
    w.lists = tx.fetch_all(&sql, [Val::from(id.0.as_str())]).await?.iter().map(list_row).collect::<StoreResult<_>>()?;
    Ok(w)
}

/// A pick list with its totes and walk, read in `tx`.
pub(crate) async fn list_in(tx: &mut Tx<'_>, id: &PickListId) -> StoreResult<PickListView> {
    let sql = format!("{LIST_SUMMARY} WHERE pl.id = $1 {LIST_GROUP}");
    let row = tx
        .fetch_optional(&sql, [Val::from(id.0.as_str())])
        .await?
        .ok_or_else(|| CoreError::not_found("pick list", id))?;
    let list = list_row(&row)?;
    let totes = tx
        .fetch_all(
            "SELECT id, oc_number, bird_id, tote, status FROM outbound_orders WHERE pick_list_id = $1 ORDER BY tote",
            [Val::from(id.0.as_str())],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(ToteView {
                tote: oi(r, "tote")?.unwrap_or(0),
                order_id: OrderId(s(r, "id")?),
                oc_number: s(r, "oc_number")?,
                bird_id: i(r, "bird_id")?,
                status: s(r, "status")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let rows = tx
        .fetch_all(
            "SELECT p.id, p.order_id, p.client_id, p.tote, p.sku_id, p.location_id, p.qty, p.picked, p.short, p.cancelled, \
             l.code, l.pick_seq, k.mfskuid, k.seller_sku, k.name_en FROM picks p JOIN locations l ON l.id = p.location_id \
             JOIN skus k ON k.id = p.sku_id WHERE p.list_id = $1",
            [Val::from(id.0.as_str())],
        )
        .await?;
    let mut picks = rows
        .iter()
        .map(|r| {
            let (qty, picked, short, cancelled) = (i(r, "qty")?, i(r, "picked")?, i(r, "short")?, i(r, "cancelled")?);
            Ok(PickView {
                id: PickId(s(r, "id")?),
                order_id: OrderId(s(r, "order_id")?),
                client_id: ClientId(s(r, "client_id")?),
                tote: i(r, "tote")?,
                sku_id: SkuId(i(r, "sku_id")?),
                mfskuid: s(r, "mfskuid")?,
                seller_sku: s(r, "seller_sku")?,
                name: s(r, "name_en")?,
                location_id: LocationId(s(r, "location_id")?),
                bin: s(r, "code")?,
                pick_seq: i(r, "pick_seq")?,
                qty,
                picked,
                // What was cancelled counts as not there to pick any more.
                short: short + cancelled,
                left: (qty - picked - short - cancelled).max(0),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    picks.sort_by(|a, b| (a.pick_seq, &a.bin, a.tote, a.sku_id).cmp(&(b.pick_seq, &b.bin, b.tote, b.sku_id)));
    let next = picks.iter().find(|p| p.left > 0).cloned();
    Ok(PickListView { list, totes, picks, next })
}

impl Store {
    /// See [`entrepot_app::ports::WavePort::release_wave`].
    pub async fn release_wave(&self, actor: &Actor, n: &NewWave) -> StoreResult<WaveView> {
        let (actor, n, backend) = (actor.clone(), n.clone(), self.backend);
        self.writer_transaction(move |tx| Box::pin(async move { release_in(tx, backend, &actor, &n).await })).await
    }

    /// See [`entrepot_app::ports::WavePort::waves`].
    pub async fn waves(
        &self,
        warehouse: &WarehouseId,
        before: Option<&WaveId>,
        limit: i64,
    ) -> StoreResult<Vec<WaveView>> {
        let mut q = format!("SELECT {WAVE_COLS} FROM waves WHERE warehouse_id = $1");
        if before.is_some() {
            q.push_str(" AND id < $2");
        }
        q.push_str(&format!(" ORDER BY id DESC LIMIT {}", limit.clamp(1, MAX_WAVE_PAGE)));
        let mut query = sqlx::query(&q).bind(&warehouse.0);
        if let Some(b) = before {
            query = query.bind(&b.0);
        }
        query.fetch_all(&self.read).await?.iter().map(wave_row).collect()
    }

    /// See [`entrepot_app::ports::WavePort::wave`].
    pub async fn wave(&self, id: &WaveId) -> StoreResult<WaveView> {
        let mut tx = self.read.begin().await?;
        let w = wave_in(&mut Tx::from(&mut tx), id).await?;
        tx.commit().await?;
        Ok(w)
    }

    /// See [`entrepot_app::ports::WavePort::open_pick_lists`].
    pub async fn open_pick_lists(
        &self,
        warehouse: &WarehouseId,
        after: Option<&PickListId>,
        limit: i64,
    ) -> StoreResult<Vec<PickListSummary>> {
        let mut q = format!("{LIST_SUMMARY} WHERE pl.warehouse_id = $1 AND pl.status IN ('OPEN', 'PICKING')");
        if after.is_some() {
            q.push_str(" AND pl.id > $2");
        }
        q.push_str(&format!(" {LIST_GROUP} ORDER BY pl.id LIMIT {}", limit.clamp(1, MAX_WAVE_PAGE)));
        let mut query = sqlx::query(&q).bind(&warehouse.0);
        if let Some(a) = after {
            query = query.bind(&a.0);
        }
        query.fetch_all(&self.read).await?.iter().map(list_row).collect()
    }

    /// See [`entrepot_app::ports::WavePort::pick_list`].
    pub async fn pick_list(&self, id: &PickListId) -> StoreResult<PickListView> {
        let mut tx = self.read.begin().await?;
        let l = list_in(&mut Tx::from(&mut tx), id).await?;
        tx.commit().await?;
        Ok(l)
    }
}

#[cfg(test)]
mod tests;
