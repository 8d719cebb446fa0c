//! Putaway and bin-to-bin moves on disk: what waits at the dock, what the suggestion needs to
//! know, and the moves themselves, each in one transaction with its audit entry.

use std::collections::HashMap;

use entrepot_app::types::{
    audit::AuditRecord,
    locations::{BinMove, PutawayAfter, PutawayContext, PutawayPending, PutawayPendingPage, PutawayScan},
};
use entrepot_core::{
    actor::Actor,
    company::Warehouse,
    ids::{ClientId, SkuId, WarehouseId},
    inventory::{Bucket, Reason, Transfer},
    location::{putaway::ensure_room, Location, LocationKind, DEFAULT_PICK_SEQ},
    CoreError,
};
use serde_json::json;

use super::{location_row, placement, LOCATION_COLS};
use crate::{
    engine::{
        bulk::{bind_all, placeholders, Val},
        clock::{new_id, now_ms},
        exec::Tx,
        rows::{i, s},
    },
    inbound::{load_for_update, persist, Step},
    stock::{self, At, StockMove},
    webhook::outbox,
    Backend, Store, StoreResult,
};

/// Empty bins of each kind the suggestion looks at, per zone: enough to skip those too small.
const EMPTY_CANDIDATES: usize = 50;
/// Zones the SKUs already live in that the suggestion looks at.
const MAX_ZONES: usize = 20;
/// Inbound statuses whose lines wait to be put away; spelt as the partial indexes of migration
/// 30 spell them, so that both backends use those.
pub(crate) const OPEN_INBOUND: &str = "'RECEIVING', 'PARTIALLY_PUT_AWAY'";
/// Received stock rows one putaway page reads at a time...
const RECEIVED_BATCH: usize = 100;
/// ...and at most, before it ends short (the rest explained by open inbounds).
const MAX_RECEIVED_SCAN: usize = 2_000;

/// Makes `bin` ready to take `qty` more units inside `tx`: enabled, and with room (its row
/// locked first on PostgreSQL, so two putaways cannot both take the last space).
async fn ready_to_take(tx: &mut Tx<'_>, bin: &Location, qty: i64) -> StoreResult<()> {
    if bin.disabled {
        return Err(CoreError::Conflict(format!("bin {} is disabled", bin.code)).into());
    }
    if bin.capacity.is_none() {
        return Ok(());
    }
    let id = || [Val::from(bin.id.0.as_str())];
    tx.execute("UPDATE locations SET capacity = capacity WHERE id = $1", id()).await?;
    let r = tx
        .fetch_one("SELECT CAST(COALESCE(SUM(qty), 0) AS BIGINT) AS u FROM location_stock WHERE location_id = $1", id())
        .await?;
    Ok(ensure_room(bin, i(&r, "u")?, qty)?)
}

impl Store {
    /// Units received and not yet put away in `warehouse`, after `after`, at most `limit`: per
    /// open inbound line (by the inbound's creation, number, SKU), then what was received with
    /// no inbound (the received bucket beyond the open inbounds' share, by SKU). Both halves
    /// walk partial indexes in list order and stop after the page; the received half reads
    /// batches and gives up a page early (short, with `next` set) after [`MAX_RECEIVED_SCAN`]
    /// rows that the inbounds explain.
    pub async fn putaway_pending(
        &self,
        warehouse: &WarehouseId,
        after: Option<&PutawayAfter>,
        limit: i64,
    ) -> StoreResult<PutawayPendingPage> {
        let want = usize::try_from(limit.max(1)).unwrap_or(1);
        let mut out = vec![];
        if !matches!(after, Some(PutawayAfter::Received { .. })) {
            let mut q = format!(
                "SELECT o.client_id, o.number, l.sku_id, l.received - l.put_away AS q \
                 FROM inbound_orders o JOIN inbound_lines l ON l.inbound_id = o.id \
                 WHERE o.warehouse_id = $1 AND o.status IN ({OPEN_INBOUND}) AND l.received > l.put_away"
            );
            let mut binds = vec![Val::S(warehouse.0.clone())];
            if let Some(PutawayAfter::Line { inbound, sku }) = after {
                let r = sqlx::query("SELECT created_at FROM inbound_orders WHERE number = $1")
                    .bind(inbound)
                    .fetch_optional(&self.read)
                    .await?;
                let Some(r) = r else { return Err(CoreError::invalid("cursor", "not a cursor this list gave").into()) };
                // `(created_at, number, sku) > (...)`, the lower bound on its own for the range.
                q.push_str(
                    " AND o.created_at >= $2 AND (o.created_at > $2 OR o.number > $3 OR (o.number = $3 AND l.sku_id > $4))",
                );
                binds.extend([Val::I(i(&r, "created_at")?), Val::S(inbound.clone()), Val::I(sku.0)]);
            }
            q.push_str(&format!(" ORDER BY o.created_at, o.number, l.sku_id LIMIT {}", want + 1));
            for r in bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await? {
                out.push(PutawayPending {
                    client_id: ClientId(s(&r, "client_id")?),
                    sku_id: SkuId(i(&r, "sku_id")?),
                    warehouse_id: warehouse.clone(),
                    inbound: Some(s(&r, "number")?),
                    qty: i(&r, "q")?,
                });
            }
        }
        let mut from = match after {
            Some(PutawayAfter::Received { sku }) => Some(*sku),
            _ => None,
        };
        let mut scanned = 0;
        while out.len() <= want {
            if scanned >= MAX_RECEIVED_SCAN {
                // Many received SKUs the inbounds explain: a short page, resumed where it stopped.
                let next = from.map(|sku| PutawayAfter::Received { sku });
                return Ok(PutawayPendingPage { items: out, next });
            }
            let batch = (want + 1 - out.len()).max(RECEIVED_BATCH);
            let mut q =
                "SELECT client_id, sku_id, received FROM stock WHERE warehouse_id = $1 AND received > 0".to_owned();
            let mut binds = vec![Val::S(warehouse.0.clone())];
            if let Some(sku) = from {
                q.push_str(" AND sku_id > $2");
                binds.push(Val::I(sku.0));
            }
            q.push_str(&format!(" ORDER BY sku_id LIMIT {batch}"));
            let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
            let mut received = Vec::with_capacity(rows.len());
            for r in &rows {
                received.push((ClientId(s(r, "client_id")?), SkuId(i(r, "sku_id")?), i(r, "received")?));
            }
            let skus: Vec<SkuId> = received.iter().map(|(_, sku, _)| *sku).collect();
            let by_inbounds = self.waiting_on_inbounds(warehouse, &skus).await?;
            for (client, sku, units) in received {
                scanned += 1;
                from = Some(sku);
                let q = units - by_inbounds.get(&sku).copied().unwrap_or(0);
                if q > 0 {
                    out.push(PutawayPending {
                        client_id: client,
                        sku_id: sku,
                        warehouse_id: warehouse.clone(),
                        inbound: None,
                        qty: q,
                    });
                    if out.len() > want {
                        break;
                    }
                }
            }
            if rows.len() < batch {
                break;
            }
        }
        let next = if out.len() > want {
            out.truncate(want);
            out.last().map(PutawayAfter::of)
        } else {
            None
        };
        Ok(PutawayPendingPage { items: out, next })
    }

    /// Units of each of `skus` received against open inbounds of `warehouse` and not yet put
    /// away (read through the pending lines' SKU index).
    async fn waiting_on_inbounds(&self, warehouse: &WarehouseId, skus: &[SkuId]) -> StoreResult<HashMap<SkuId, i64>> {
        let mut out = HashMap::new();
        for chunk in skus.chunks(500) {
            let q = format!(
                "SELECT l.sku_id, CAST(SUM(l.received - l.put_away) AS BIGINT) AS q \
                 FROM inbound_lines l JOIN inbound_orders o ON o.id = l.inbound_id \
                 WHERE l.sku_id IN ({}) AND l.received > l.put_away AND o.warehouse_id = $1 AND o.status IN ({OPEN_INBOUND}) \
                 GROUP BY l.sku_id",
                placeholders(2, chunk.len())
            );
            let binds: Vec<Val> =
                std::iter::once(Val::S(warehouse.0.clone())).chain(chunk.iter().map(|s| Val::I(s.0))).collect();
            for r in bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await? {
                out.insert(SkuId(i(&r, "sku_id")?), i(&r, "q")?);
            }
        }
        Ok(out)
    }

    /// What the suggestion for `skus` needs, bounded whatever the warehouse's size: the
    /// locations holding them (with all they hold), and the first empty bins that take putaway
    /// in walking order, pick faces and reserve apart, in the warehouse and in each zone the SKUs
    /// already live in (those only with `empty_bins`). Every read goes through an index and
    /// stops early.
    pub async fn putaway_context(
        &self,
        warehouse: &WarehouseId,
        skus: &[SkuId],
        empty_bins: bool,
    ) -> StoreResult<PutawayContext> {
        let cols: Vec<String> = LOCATION_COLS.split(", ").map(|c| format!("l.{c}")).collect();
        let cols = cols.join(", ");
        // Where the SKUs are, with each location's row and count in the same read (a default
        // location's count is not kept: the suggestion never offers one).
        let mut holdings = vec![];
        let mut locations: Vec<(Location, i64)> = vec![];
        for chunk in skus.chunks(500) {
            let q = format!(
                "SELECT ls.sku_id, ls.qty, {cols}, l.units FROM location_stock ls JOIN locations l ON l.id = ls.location_id \
                 WHERE ls.sku_id IN ({}) AND ls.warehouse_id = $1 AND ls.qty > 0",
                placeholders(2, chunk.len())
            );
            let binds: Vec<Val> =
                std::iter::once(Val::S(warehouse.0.clone())).chain(chunk.iter().map(|s| Val::I(s.0))).collect();
            for r in bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await? {
                let l = location_row(&r)?;
                holdings.push((l.id.clone(), SkuId(i(&r, "sku_id")?), i(&r, "qty")?));
                if !locations.iter().any(|(x, _)| x.id == l.id) {
                    locations.push((l, i(&r, "units")?));
                }
            }
        }
        if !empty_bins {
            return Ok(PutawayContext { locations, holdings });
        }
        let mut zones: Vec<Option<String>> = vec![None];
        for (l, _) in &locations {
            if !l.is_default() && !zones.contains(&Some(l.zone.clone())) && zones.len() <= MAX_ZONES {
                zones.push(Some(l.zone.clone()));
            }
        }
        // The first empty bins of each kind in the warehouse and in each zone: one read, each
        // part walking the partial index in order and stopping early.
        let mut parts = vec![];
        let mut binds = vec![Val::S(warehouse.0.clone()), Val::I(DEFAULT_PICK_SEQ)];
        for zone in &zones {
            for kind in [LocationKind::PickFace, LocationKind::Reserve] {
                binds.push(Val::from(kind.as_str()));
                let mut q = format!(
                    "SELECT {cols} FROM locations l WHERE l.warehouse_id = $1 AND l.kind = ${} AND l.disabled = 0 \
                     AND l.pick_seq < $2 AND l.units = 0",
                    binds.len()
                );
                if let Some(z) = zone {
                    binds.push(Val::S(z.clone()));
                    q.push_str(&format!(" AND l.zone = ${}", binds.len()));
                }
                q.push_str(&format!(" ORDER BY l.pick_seq, l.code LIMIT {EMPTY_CANDIDATES}"));
                parts.push(format!("SELECT * FROM ({q}) AS p{}", parts.len()));
            }
        }
        let q = parts.join(" UNION ALL ");
        for r in bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await? {
            let l = location_row(&r)?;
            if !locations.iter().any(|(x, _)| x.id == l.id) {
                locations.push((l, 0));
            }
        }
        Ok(PutawayContext { locations, holdings })
    }

    /// Puts received units away into `bin` in one transaction (see `LocationPort`), on the
    /// writer's own connection like a receiving scan (see `Store::writer_transaction`).
    pub async fn put_away_to_bin(&self, actor: &Actor, scan: &PutawayScan, bin: &Location) -> StoreResult<()> {
        let sku = self.sku(&scan.client, scan.sku).await?;
        let wh = self.cached_warehouse(&scan.warehouse).await?;
        if bin.warehouse_id != wh.id {
            return Err(CoreError::not_found("location", &bin.code).into());
        }
        let (actor, scan, bin, backend) = (actor.clone(), scan.clone(), bin.clone(), self.backend);
        self.writer_transaction(move |tx| {
            Box::pin(async move { put_away_in(tx, backend, &actor, &scan, &bin, &wh, &sku.seller_sku).await })
        })
        .await
    }

    /// Moves units between two bins of one warehouse (see `LocationPort`).
    pub async fn move_between_bins(
        &self,
        actor: &Actor,
        m: &BinMove,
        from: &Location,
        to: &Location,
    ) -> StoreResult<()> {
        let sku = self.sku(&m.client, m.sku).await?;
        if from.warehouse_id != m.warehouse || to.warehouse_id != m.warehouse {
            return Err(CoreError::invalid("location", "both locations must be in the warehouse").into());
        }
        if from.id == to.id {
            return Err(CoreError::invalid("location", format!("{} is both source and destination", from.code)).into());
        }
        entrepot_core::limits::quantity("qty", m.qty)?;
        let mut tx = self.begin().await?;
        ready_to_take(&mut Tx::from(&mut tx), to, m.qty).await?;
        let units = (&m.client, m.sku, &m.warehouse);
        placement::take(&mut Tx::from(&mut tx), units, &from.id, m.qty, &sku.seller_sku).await?;
        placement::add(&mut Tx::from(&mut tx), units, &to.id, m.qty).await?;
        let now = now_ms();
        let id = format!("lmv_{}", new_id!(entrepot_core::ids::TransferId).0.trim_start_matches("trf_"));
        sqlx::query(
            "INSERT INTO location_moves (id, client_id, sku_id, warehouse_id, from_location, to_location, qty, doc_kind, doc_id, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'move', $8, NULL, $9)",
        )
        .bind(&id)
        .bind(&m.client.0)
        .bind(m.sku.0)
        .bind(&m.warehouse.0)
        .bind(&from.id.0)
        .bind(&to.id.0)
        .bind(m.qty)
        .bind(&id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let detail = format!("{} × {} from {} to {}", m.qty, sku.seller_sku, from.code, to.code);
        let subject = m.sku.to_string();
        let rec = AuditRecord {
            action: "location.moved",
            subject_kind: "sku",
            subject_id: &subject,
            warehouse: Some(&m.warehouse),
            client: Some(&m.client),
            detail: Some(&detail),
        };
        crate::audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// [`Store::put_away_to_bin`] inside `tx`: out of the dock into `bin`, received → available,
/// the inbound line counted (when the scan names its inbound), the audit entry.
async fn put_away_in(
    tx: &mut Tx<'_>,
    backend: Backend,
    actor: &Actor,
    scan: &PutawayScan,
    bin: &Location,
    wh: &Warehouse,
    seller_sku: &str,
) -> StoreResult<()> {
    let at = At { from: None, to: Some(&bin.id) };
    let (kind, subject) = match scan.inbound.as_deref() {
        Some(key) => {
            // Putaways of one inbound from several devices take turns on PostgreSQL, as scans
            // do; the inbound is locked before the bin, as everywhere.
            let mut v = load_for_update(tx, backend, &scan.client, key)
                .await?
                .ok_or_else(|| CoreError::not_found("inbound order", key))?;
            ready_to_take(tx, bin, scan.qty).await?;
            if v.warehouse_id != wh.id {
                return Err(CoreError::Conflict(format!(
                    "inbound {} is not for warehouse {}",
                    v.inbound.number, wh.code
                ))
                .into());
            }
            let before = v.inbound.clone();
            let moves = vec![(scan.sku, v.inbound.put_away(scan.sku, scan.qty)?)];
            let step = Step { event: "inbound.put_away", actor: None, at };
            persist(tx, &mut v, &before, moves, &wh.code, step).await?;
            ("inbound", v.id.0)
        }
        None => {
            ready_to_take(tx, bin, scan.qty).await?;
            let transfer = Transfer::new(Bucket::Received, Bucket::Available, scan.qty, Reason::PutAway)?;
            let doc_id = format!("{}-{}", transfer.reason.code(), now_ms());
            let m = StockMove {
                client: &scan.client,
                sku: scan.sku,
                warehouse: &wh.id,
                transfer,
                doc_kind: "adjustment",
                doc_id: &doc_id,
                note: None,
                for_client: None,
            };
            stock::apply_at(tx, m, at, seller_sku, &wh.code).await?;
            let payload = json!({"sku_id": scan.sku, "warehouse": wh.code});
            outbox::record(tx, Some(&scan.client), "stock.changed", &scan.sku.to_string(), &payload).await?;
            ("sku", scan.sku.to_string())
        }
    };
    let detail = format!("{} × {} into {}", scan.qty, seller_sku, bin.code);
    let rec = AuditRecord {
        action: "putaway.confirmed",
        subject_kind: kind,
        subject_id: &subject,
        warehouse: Some(&wh.id),
        client: Some(&scan.client),
        detail: Some(&detail),
    };
    crate::audit::record(tx, actor, rec).await
}
