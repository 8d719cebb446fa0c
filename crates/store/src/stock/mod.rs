//! The stock ledger on disk: transfers and the materialised balances they add up to, written in
//! the same transaction.
//!
//! Atomicity without locks: a transfer out of a bucket is one conditional
//! `UPDATE ... SET from = from - q WHERE from >= q`, so concurrent reservations can never take
//! the same unit twice on either backend. Reading the result back with `RETURNING` gives the
//! running balance OC shows as `actualCount`.
//!
//! Batches ([`apply_batch`]) keep that guard but add up what each (SKU, warehouse) gives, so a
//! 1,000-order upload is a few multi-row statements rather than two per line. They move between
//! held buckets only (reservations), which moves no goods, so they name no location.
//!
//! Locations: a transfer that brings units into or takes them out of the physical buckets
//! names the location(s) in its ledger rows and keeps `location_stock` in step
//! ([`crate::location::placement`]); [`apply`] uses the defaults (receipts at the DOCK, damaged
//! goods in DAMAGED, units leaving drawn from the bins holding the SKU), [`apply_at`] the
//! locations given.

pub(crate) mod age;
pub(crate) mod days;
pub(crate) mod page;

use std::collections::{BTreeMap, HashMap};

use entrepot_core::{
    ids::{ClientId, SkuId, TransferId, WarehouseId},
    inventory::{Bucket, Position, Reason, Transfer},
    CoreError,
};

pub(crate) use crate::location::placement::At;
use crate::{
    engine::{
        bulk::{self, bind_all, placeholders, Val},
        clock::now_ms,
        exec::Tx,
        rows::{i, oi, os, parse, s},
    },
    Store, StoreResult,
};
pub use entrepot_app::types::stock::{Movement, StockRow};

/// One transfer to write, with what it belongs to.
pub(crate) struct StockMove<'a> {
    pub client: &'a ClientId,
    pub sku: SkuId,
    pub warehouse: &'a WarehouseId,
    pub transfer: Transfer,
    pub doc_kind: &'a str,
    pub doc_id: &'a str,
    pub note: Option<&'a str>,
    /// The client whose order moves the owner's units (a shared product), when not the owner.
    pub for_client: Option<&'a ClientId>,
}

/// Applies one transfer inside `tx`; refuses (and changes nothing) if the source bucket lacks
/// the quantity. Its units land in, or leave from, the default locations (see
/// [`crate::location::placement`]).
pub(crate) async fn apply(tx: &mut Tx<'_>, m: StockMove<'_>, sku_label: &str, wh_label: &str) -> StoreResult<()> {
    apply_at(tx, m, At::default(), sku_label, wh_label).await
}

/// [`apply`], the units coming from or going to the locations `at` names. A transfer drawn from
/// several locations is written as one ledger row per location, each with its running balances.
pub(crate) async fn apply_at(
    tx: &mut Tx<'_>,
    m: StockMove<'_>,
    at: At<'_>,
    sku_label: &str,
    wh_label: &str,
) -> StoreResult<()> {
    let t = &m.transfer;
    let now = now_ms();
    let key = || [Val::I(m.sku.0), Val::from(m.warehouse.0.as_str()), Val::from(m.client.0.as_str())];
    let (from_after, to_after) = if t.from == Bucket::Outside {
        let to = t.to.as_str();
        let [sku, wh, client] = key();
        let row = tx
            .fetch_one(
                &format!(
                    "INSERT INTO stock (sku_id, warehouse_id, client_id, {to}, updated_at) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (sku_id, warehouse_id) DO UPDATE SET {to} = stock.{to} + excluded.{to}, updated_at = excluded.updated_at \
                     RETURNING {to} AS to_after, client_id"
                ),
                [sku, wh, client, Val::I(t.qty), Val::I(now)],
            )
            .await?;
        if s(&row, "client_id")? != m.client.0 {
            return Err(CoreError::Forbidden(format!("SKU {} belongs to another client", m.sku)).into());
        }
        (None, Some(i(&row, "to_after")?))
    } else {
        let from = t.from.as_str();
        let (set_to, ret_to) = if t.to == Bucket::Outside {
            (String::new(), "NULL".to_owned())
        } else {
            (format!(", {0} = {0} + $1", t.to.as_str()), t.to.as_str().to_owned())
        };
        let [sku, wh, client] = key();
        let row = tx
            .fetch_optional(
                &format!(
                    "UPDATE stock SET {from} = {from} - $1{set_to}, updated_at = $2 \
                     WHERE sku_id = $3 AND warehouse_id = $4 AND client_id = $5 AND {from} >= $1 \
                     RETURNING {from} AS from_after, {ret_to} AS to_after"
                ),
                [Val::I(t.qty), Val::I(now), sku, wh, client],
            )
            .await?;
        match row {
            Some(row) => (Some(i(&row, "from_after")?), oi(&row, "to_after")?),
            None => {
                let have = tx
                    .fetch_optional(
                        &format!(
                            "SELECT {from} AS q FROM stock WHERE sku_id = $1 AND warehouse_id = $2 AND client_id = $3"
                        ),
                        key(),
                    )
                    .await?
                    .map(|r| i(&r, "q"))
                    .transpose()?
                    .unwrap_or(0);
                return Err(CoreError::InsufficientStock {
                    sku: sku_label.to_owned(),
                    warehouse: wh_label.to_owned(),
                    requested: t.qty,
                    available: have,
                }
                .into());
            }
        }
    };
    let legs = crate::location::placement::place(tx, &m, at, sku_label, wh_label).await?;
    let mut done = 0i64;
    for leg in legs {
        done += leg.qty;
        // What the later legs still move: this row's balances are the running ones.
        let rest = t.qty - done;
        tx.execute(
            "INSERT INTO stock_transfers (id, client_id, sku_id, warehouse_id, from_bucket, to_bucket, qty, from_after, to_after, reason, doc_kind, doc_id, note, created_at, from_location, to_location, for_client) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
            [
                // Ordered within a millisecond: movements list by (created_at, id) in the order
                // they happened (two moves of one request in the same millisecond came out swapped).
                Val::S(monotonic_transfer_id()),
                Val::from(m.client.0.as_str()),
                Val::I(m.sku.0),
                Val::from(m.warehouse.0.as_str()),
                Val::from(t.from.as_str()),
                Val::from(t.to.as_str()),
                Val::I(leg.qty),
                Val::OI(from_after.map(|f| f + rest)),
                Val::OI(to_after.map(|a| a - rest)),
                Val::from(t.reason.code()),
                Val::from(m.doc_kind),
                Val::from(m.doc_id),
                Val::OS(m.note.map(str::to_owned)),
                Val::I(now),
                Val::OS(leg.from.map(|l| l.0)),
                Val::OS(leg.to.map(|l| l.0)),
                Val::OS(m.for_client.map(|c| c.0.clone())),
            ],
        )
        .await?;
    }
    days::add(tx, m.client, now, days::delta(t.from, t.to, t.qty)).await?;
    Ok(())
}

/// One transfer of a batch between held buckets, in batch order.
pub(crate) struct BatchMove<'a> {
    /// The SKU's owner, whose stock moves.
    pub owner: &'a ClientId,
    /// The client whose order moves it, when not the owner (a shared product).
    pub for_client: Option<&'a ClientId>,
    pub sku: SkuId,
    pub warehouse: &'a WarehouseId,
    pub transfer: Transfer,
    pub doc_id: &'a str,
}

/// The first move of a batch its source bucket cannot cover, and what the bucket held for it once
/// the batch's earlier moves were taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shortage {
    pub index: usize,
    pub available: i64,
}

const TRANSFER_COLS: [&str; 15] = [
    "id",
    "client_id",
    "sku_id",
    "warehouse_id",
    "from_bucket",
    "to_bucket",
    "qty",
    "from_after",
    "to_after",
    "reason",
    "doc_kind",
    "doc_id",
    "note",
    "created_at",
    "for_client",
];

/// Moves `rows` (SKU, warehouse, quantity, owner) totals from one bucket to another, only where
/// the whole total is there; returns the rows moved with their new balances.
fn transfer_sql(from: Bucket, to: Bucket, sqlite: bool, ph: &mut bulk::Ph, rows: Vec<Vec<Val>>) -> (String, Vec<Val>) {
    let (f, t) = (from.as_str(), to.as_str());
    let at = ph.one();
    let (source, vals) = bulk::rows_source(ph, &rows);
    // SQLite: `+` keeps the client's index out of the plan. With statistics from when the table
    // was small, the planner walked every stock row of the client for each row of the batch.
    let plus = if sqlite { "+" } else { "" };
    let sql = format!(
        "UPDATE stock SET {f} = stock.{f} - v.column3, {t} = stock.{t} + v.column3, updated_at = {at} \
         FROM {source} \
         WHERE stock.sku_id = v.column1 AND stock.warehouse_id = v.column2 AND {plus}stock.client_id = v.column4 \
         AND stock.{f} >= v.column3 \
         RETURNING stock.sku_id AS sku_id, stock.warehouse_id AS warehouse_id, stock.{f} AS from_after, stock.{t} AS to_after"
    );
    (sql, vals)
}

/// Applies a batch of transfers between held buckets inside `tx`, each from its owner's stock: per (from, to)
/// pair of buckets, one conditional `UPDATE ... FROM (VALUES ...)` of each (SKU, warehouse)'s
/// total (`WHERE from >= total`, so stock never goes negative however batches race), then the
/// ledger rows with the running balances each transfer would have seen on its own. A total that
/// does not fit is refused as the first move that overdraws it; the caller must then roll back.
pub(crate) async fn apply_batch(
    tx: &mut Tx<'_>,
    moves: &[BatchMove<'_>],
    doc_kind: &str,
) -> StoreResult<Result<(), Shortage>> {
    // (SKU, warehouse, owner).
    type Key<'k> = (i64, &'k str, &'k str);
    let now = now_ms();
    let mut groups: BTreeMap<(Bucket, Bucket), BTreeMap<Key<'_>, i64>> = BTreeMap::new();
    for m in moves {
        let t = &m.transfer;
        if t.from == Bucket::Outside || t.to == Bucket::Outside {
            return Err(crate::StoreError::Corrupt("a stock batch moves between held buckets only".into()));
        }
        let key = (m.sku.0, m.warehouse.0.as_str(), m.owner.0.as_str());
        *groups.entry((t.from, t.to)).or_default().entry(key).or_default() += t.qty;
    }
    // (from, to, sku, warehouse) -> the balances after the whole batch.
    let mut after: HashMap<(Bucket, Bucket, i64, String), (i64, i64)> = HashMap::new();
    let mut short: Vec<(Bucket, Bucket, i64, String, &str)> = vec![];
    for ((from, to), totals) in &groups {
        let totals: Vec<(&Key<'_>, &i64)> = totals.iter().collect();
        for chunk in totals.chunks(bulk::rows_per_chunk(4, 1)) {
            let rows = chunk
                .iter()
                .map(|((sku, wh, owner), q)| vec![Val::I(*sku), Val::from(*wh), Val::I(**q), Val::from(*owner)])
                .collect();
            let (sql, source) = transfer_sql(*from, *to, tx.sqlite(), &mut bulk::Ph::new(tx), rows);
            let vals = std::iter::once(Val::I(now)).chain(source);
            for r in tx.fetch_all(&sql, vals).await? {
                after.insert(
                    (*from, *to, i(&r, "sku_id")?, s(&r, "warehouse_id")?),
                    (i(&r, "from_after")?, i(&r, "to_after")?),
                );
            }
            for ((sku, wh, owner), _) in chunk {
                if !after.contains_key(&(*from, *to, *sku, (*wh).to_owned())) {
                    short.push((*from, *to, *sku, (*wh).to_owned(), *owner));
                }
            }
        }
    }
    if !short.is_empty() {
        let mut first: Option<Shortage> = None;
        for (from, to, sku, wh, owner) in short {
            let sql = format!(
                "SELECT {} AS q FROM stock WHERE sku_id = $1 AND warehouse_id = $2 AND client_id = $3",
                from.as_str()
            );
            let vals = [Val::I(sku), Val::from(wh.as_str()), Val::from(owner)];
            let have = tx.fetch_optional(&sql, vals).await?.map(|r| i(&r, "q")).transpose()?.unwrap_or(0);
            let mut taken = 0;
            for (index, m) in moves.iter().enumerate() {
                let t = &m.transfer;
                if (t.from, t.to, m.sku.0, m.warehouse.0.as_str()) != (from, to, sku, wh.as_str()) {
                    continue;
                }
                if taken + t.qty > have {
                    if first.is_none_or(|f| index < f.index) {
                        first = Some(Shortage { index, available: have - taken });
                    }
                    break;
                }
                taken += t.qty;
            }
        }
        // A shortfall of the total is always some move's: the fallback only guards the arithmetic.
        return Ok(Err(first.unwrap_or(Shortage { index: 0, available: 0 })));
    }
    // Running balances: what is left of each total to move after this transfer.
    let mut left: HashMap<(Bucket, Bucket, i64, &str), i64> = HashMap::new();
    for ((from, to), totals) in &groups {
        for ((sku, wh, _), q) in totals {
            left.insert((*from, *to, *sku, wh), *q);
        }
    }
    let mut rows = Vec::with_capacity(moves.len());
    for m in moves {
        let t = &m.transfer;
        let key = (t.from, t.to, m.sku.0, m.warehouse.0.as_str());
        let rest = left.get_mut(&key).map(|l| {
            *l -= t.qty;
            *l
        });
        let (f_after, t_after) = after.get(&(t.from, t.to, m.sku.0, m.warehouse.0.clone())).copied().unwrap_or((0, 0));
        let rest = rest.unwrap_or(0);
        rows.push(vec![
            Val::S(monotonic_transfer_id()),
            Val::from(m.owner.0.as_str()),
            Val::I(m.sku.0),
            Val::from(m.warehouse.0.as_str()),
            Val::from(t.from.as_str()),
            Val::from(t.to.as_str()),
            Val::I(t.qty),
            Val::OI(Some(f_after + rest)),
            Val::OI(Some(t_after - rest)),
            Val::from(t.reason.code()),
            Val::from(doc_kind),
            Val::from(m.doc_id),
            Val::OS(None),
            Val::I(now),
            Val::OS(m.for_client.map(|c| c.0.clone())),
        ]);
    }
    bulk::insert(tx, "stock_transfers", &TRANSFER_COLS, rows, "").await?;
    // Units on hand per owner, for its daily tally.
    let mut on_hand: BTreeMap<&ClientId, i64> = BTreeMap::new();
    for m in moves {
        let n = on_hand.entry(m.owner).or_default();
        *n = n.saturating_add(days::delta(m.transfer.from, m.transfer.to, m.transfer.qty));
    }
    for (owner, n) in on_hand {
        days::add(tx, owner, now, n).await?;
    }
    Ok(Ok(()))
}

pub(crate) const STOCK_COLS: &str =
    "sku_id, warehouse_id, in_transit, received, available, reserved_allocated, reserved_hold, suspend, unfulfillable, updated_at";

pub(crate) fn stock_row(row: &sqlx::any::AnyRow) -> StoreResult<StockRow> {
    let mut q = [0i64; 7];
    for (k, b) in Bucket::HELD.iter().enumerate() {
        q[k] = i(row, b.as_str())?;
    }
    Ok(StockRow {
        sku_id: SkuId(i(row, "sku_id")?),
        warehouse_id: WarehouseId(s(row, "warehouse_id")?),
        position: Position::from_array(q),
        updated_at_ms: i(row, "updated_at")?,
    })
}

impl Store {
    /// Moves stock by an operator's decision (count correction, damage, found goods, freeze).
    pub async fn move_stock(
        &self,
        tenant: &ClientId,
        sku: SkuId,
        warehouse: &WarehouseId,
        transfer: Transfer,
        note: Option<&str>,
    ) -> StoreResult<()> {
        let sku_row = self.sku(tenant, sku).await?;
        let wh = self.warehouse(warehouse).await?;
        let doc_id = format!("{}-{}", transfer.reason.code(), now_ms());
        let mut tx = self.begin().await?;
        let m = StockMove {
            client: tenant,
            sku,
            warehouse,
            transfer,
            doc_kind: "adjustment",
            doc_id: &doc_id,
            note,
            for_client: None,
        };
        apply(&mut Tx::from(&mut tx), m, &sku_row.seller_sku, &wh.code).await?;
        crate::webhook::outbox::record(
            &mut Tx::from(&mut tx),
            Some(tenant),
            "stock.changed",
            &sku.to_string(),
            &serde_json::json!({"sku_id": sku, "warehouse": wh.code}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stock balances of the tenant, optionally narrowed to SKUs and a warehouse.
    pub async fn stock(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouse: Option<&WarehouseId>,
    ) -> StoreResult<Vec<StockRow>> {
        let mut q = format!("SELECT {STOCK_COLS} FROM stock WHERE client_id = $1");
        let mut binds = vec![Val::S(tenant.0.clone())];
        if let Some(w) = warehouse {
            q.push_str(&format!(" AND warehouse_id = ${}", binds.len() + 1));
            binds.push(Val::S(w.0.clone()));
        }
        if !skus.is_empty() {
            q.push_str(&format!(" AND sku_id IN ({})", placeholders(binds.len() + 1, skus.len())));
            binds.extend(skus.iter().map(|s| Val::I(s.0)));
        }
        q.push_str(" ORDER BY sku_id, warehouse_id");
        let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
        rows.iter().map(stock_row).collect()
    }

    /// Ledger entries of the tenant in `[from_ms, to_ms)`, optionally for some SKUs, oldest first.
    pub async fn movements(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        from_ms: i64,
        to_ms: i64,
    ) -> StoreResult<Vec<Movement>> {
        let mut q = format!(
            "SELECT {MOVEMENT_COLS} FROM stock_transfers WHERE client_id = $1 AND created_at >= $2 AND created_at < $3"
        );
        let mut binds = vec![Val::S(tenant.0.clone()), Val::I(from_ms), Val::I(to_ms)];
        if !skus.is_empty() {
            q.push_str(&format!(" AND sku_id IN ({})", placeholders(4, skus.len())));
            binds.extend(skus.iter().map(|s| Val::I(s.0)));
        }
        q.push_str(" ORDER BY created_at, id");
        let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
        rows.iter().map(movement).collect()
    }

    /// See [`entrepot_app::ports::StockPort::latest_movements`].
    pub async fn latest_movements(&self, tenant: &ClientId, sku: SkuId, limit: i64) -> StoreResult<Vec<Movement>> {
        let q = format!(
            "SELECT {MOVEMENT_COLS} FROM stock_transfers WHERE sku_id = $1 AND client_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT {}",
            limit.clamp(1, 10_000)
        );
        let rows = sqlx::query(&q).bind(sku.0).bind(&tenant.0).fetch_all(&self.read).await?;
        rows.iter().map(movement).collect()
    }
}

const MOVEMENT_COLS: &str = "id, sku_id, warehouse_id, from_bucket, to_bucket, qty, from_after, to_after, reason, doc_kind, doc_id, note, created_at, for_client";

fn movement(r: &sqlx::any::AnyRow) -> StoreResult<Movement> {
    Ok(Movement {
        id: s(r, "id")?,
        sku_id: SkuId(i(r, "sku_id")?),
        warehouse_id: WarehouseId(s(r, "warehouse_id")?),
        from: parse(r, "from_bucket")?,
        to: parse(r, "to_bucket")?,
        qty: i(r, "qty")?,
        from_after: oi(r, "from_after")?,
        to_after: oi(r, "to_after")?,
        reason: Reason::from_code(&s(r, "reason")?)?,
        doc_kind: s(r, "doc_kind")?,
        doc_id: s(r, "doc_id")?,
        note: os(r, "note")?,
        created_at_ms: i(r, "created_at")?,
        for_client: os(r, "for_client")?.map(ClientId),
    })
}

/// A transfer id whose time and random parts only grow within this process.
fn monotonic_transfer_id() -> String {
    let (at, bits) = crate::engine::clock::monotonic();
    TransferId::generate(at as u64, bits).0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// Statistics taken while the table was empty (as on a new install) must not turn a batch
    /// of moves into a walk over the client's whole stock per row.
    #[tokio::test]
    async fn a_transfer_seeks_each_row_whatever_the_statistics_say() {
        let db = entrepot_testkit::TestDb::new(entrepot_testkit::Backend::Sqlite).await;
        let store = crate::Store::open(&db.url).await.unwrap();
        let fill = crate::engine::exec::LiteConn::open(&db.sqlite_file().unwrap()).unwrap();
        fill.batch(
            "PRAGMA foreign_keys = OFF; \
             WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 4000) \
             INSERT INTO stock (sku_id, warehouse_id, client_id, available, updated_at) \
             SELECT k, 'W', CASE WHEN k % 2 = 0 THEN 'A' ELSE 'B' END, 5, 0 FROM n;",
        )
        .unwrap();
        let rows = (0..50).map(|k| vec![Val::I(2 * k + 2), Val::from("W"), Val::I(1), Val::from("A")]).collect();
        let mut ph = bulk::Ph::on(crate::Backend::Sqlite);
        let (sql, source) = transfer_sql(Bucket::Available, Bucket::ReservedAllocated, true, &mut ph, rows);
        let vals = std::iter::once(Val::I(0)).chain(source);
        let plan =
            bulk::bind(sqlx::query(&format!("EXPLAIN QUERY PLAN {sql}")), vals).fetch_all(&store.write).await.unwrap();
        let plan: Vec<String> = plan.iter().map(|r| sqlx::Row::try_get::<String, _>(r, "detail").unwrap()).collect();
        let stock = plan.iter().find(|d| d.contains(" stock ")).unwrap();
        assert!(stock.starts_with("SEARCH") && stock.contains("sku_id=?"), "{plan:?}");
    }
}
