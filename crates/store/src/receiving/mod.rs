//! Receiving at the dock on disk: the core's [`ReceivingSession`] decides each scan; this module
//! finds what a scanned code is, and writes each scan in one transaction (ledger moves, line
//! counts, the scan row keyed by the handheld's scan id, the audit entry, the events).
//!
//! Floor staff scan inbound numbers and SKU labels without knowing whose goods they are, so these
//! reads find an inbound across clients ([`load_floor`]) and check the actor's warehouse on it.

pub(crate) mod appointments;
pub(crate) mod discrepancies;
mod unidentified;

use entrepot_app::types::{
    audit::AuditRecord,
    receiving::{DockToStock, NewUnexpected, ReceiptLine, ReceiptView, ReceiveScan, ScanResult},
};
use entrepot_core::{
    actor::Actor,
    ids::{AuditId, ClientId, SkuId},
    inbound::{Condition, DiscrepancyKind},
    receiving::{carton_inbound, Accepted, ExpectedSku, ReceivingSession, Scanned},
    sku::Sku,
    CoreError,
};
use sqlx::{Any, Transaction};

use crate::{
    audit,
    engine::{
        bulk::Val,
        clock::{new_id, now_ms},
        exec::Tx,
        lookup::first_by_any_key,
        rows::{i, oi, s},
    },
    inbound::{load, load_locked, persist, InboundView, Step},
    sku::skus_in,
    Backend, Store, StoreResult,
};

/// A new id with `prefix` (time-sortable like every other id).
pub(crate) fn new_text_id(prefix: &str) -> String {
    let id = new_id!(AuditId).0;
    format!("{prefix}_{}", id.strip_prefix("aud_").unwrap_or(&id))
}

/// Any client's inbound by id or number (what a carton mark or a handheld names).
pub(crate) async fn load_floor(tx: &mut Tx<'_>, key: &str) -> StoreResult<Option<InboundView>> {
    let q = first_by_any_key("SELECT client_id FROM inbound_orders", "", &["id = $1", "number = $1"]);
    let row = tx.fetch_optional(&q, [Val::from(key.trim())]).await?;
    let Some(row) = row else { return Ok(None) };
    load(tx, &ClientId(s(&row, "client_id")?), key).await
}

/// [`load_floor`], refused when missing or outside the actor's warehouses (reported as missing).
pub(crate) async fn load_for(tx: &mut Tx<'_>, actor: &Actor, key: &str) -> StoreResult<InboundView> {
    let v = load_floor(tx, key).await?.ok_or_else(|| CoreError::not_found("inbound order", key))?;
    if !actor.sees_warehouse(&v.warehouse_id) && actor.client() != Some(&v.client_id) {
        return Err(CoreError::not_found("inbound order", key).into());
    }
    Ok(v)
}

/// What a receive scan reads before its write: any client's inbound by id or number (its id and
/// warehouse), the SKUs of its lines (in id order), and the SKU whose label is `code`, if any.
struct ScanReads {
    id: String,
    warehouse: entrepot_core::ids::WarehouseId,
    skus: Vec<Sku>,
    labelled: Option<Sku>,
}

/// [`ScanReads`] in one statement: the inbound row, its SKUs each by key from it, and the SKU
/// looked up by label beside them.
async fn scan_reads(read: &sqlx::AnyPool, key: &str, code: &str) -> StoreResult<Option<ScanReads>> {
    let inbound =
        first_by_any_key("SELECT id, client_id, warehouse_id FROM inbound_orders", "", &["id = $1", "number = $1"]);
    let cols = crate::sku::READ_COLS.split(", ").map(|c| format!("s.{}", c.trim())).collect::<Vec<_>>().join(", ");
    let q = format!(
        "SELECT 'line' AS part, o.id AS inbound_id, o.client_id AS inbound_client, o.warehouse_id AS inbound_warehouse, {cols} \
         FROM ({inbound}) o LEFT JOIN inbound_lines l ON l.inbound_id = o.id LEFT JOIN skus s ON s.id = l.sku_id \
         UNION ALL SELECT * FROM (SELECT 'code' AS part, NULL AS inbound_id, NULL AS inbound_client, NULL AS inbound_warehouse, \
         {} FROM skus WHERE mfskuid = $2 OR mfskuid = $3 LIMIT 1) c ORDER BY part, id",
        crate::sku::READ_COLS
    );
    let code = code.trim();
    let rows = sqlx::query(&q).bind(key.trim()).bind(code).bind(code.to_ascii_uppercase()).fetch_all(read).await?;
    let mut labelled = None;
    let mut found: Option<(String, String, entrepot_core::ids::WarehouseId)> = None;
    let mut skus = vec![];
    for r in &rows {
        if s(r, "part")? == "code" {
            labelled = Some(crate::sku::sku(r)?);
            continue;
        }
        if found.is_none() {
            let warehouse = entrepot_core::ids::WarehouseId(s(r, "inbound_warehouse")?);
            found = Some((s(r, "inbound_id")?, s(r, "inbound_client")?, warehouse));
        }
        if oi(r, "id")?.is_some() {
            skus.push(crate::sku::sku(r)?);
        }
    }
    let Some((id, client, warehouse)) = found else { return Ok(None) };
    skus.retain(|sku| sku.client_id.0 == client);
    Ok(Some(ScanReads { id, warehouse, skus, labelled }))
}

/// On PostgreSQL, waits for the writes of the inbound that `key` names (id or number) to finish
/// and holds them off until `tx` ends, as SQLite's single writer does anyway. Scans of one inbound
/// from several devices then take turns: a second device's copy of a scan finds the first's scan
/// id (counted once, not refused as a concurrent change), two scans of one SKU both count, and a
/// close counts what was scanned before it.
pub(crate) async fn lock_inbound(tx: &mut Tx<'_>, backend: Backend, key: &str) -> StoreResult<()> {
    if backend == Backend::Postgres {
        tx.fetch_all("SELECT id FROM inbound_orders WHERE id = $1 OR number = $1 FOR UPDATE", [Val::from(key.trim())])
            .await?;
    }
    Ok(())
}

impl Store {
    /// What a scanned code is: a carton mark, a SKU label, or nothing Entrepot printed.
    async fn classify(&self, conn: &mut sqlx::AnyConnection, code: &str) -> StoreResult<Scanned> {
        self.classify_known(conn, code, None).await
    }

    /// [`Store::classify`], with the SKU labelled `code` already looked up when `labelled` is
    /// given (a carton mark still wins over it, as in `classify`).
    async fn classify_known(
        &self,
        conn: &mut sqlx::AnyConnection,
        code: &str,
        labelled: Option<Option<Sku>>,
    ) -> StoreResult<Scanned> {
        let code = code.trim();
        if let Some(number) = carton_inbound(code) {
            let found = sqlx::query("SELECT number FROM inbound_orders WHERE number = $1")
                .bind(number)
                .fetch_optional(&mut *conn)
                .await?;
            if found.is_some() {
                return Ok(Scanned::CartonMark { inbound: number.to_owned() });
            }
        }
        let labelled = match labelled {
            Some(found) => found,
            None => {
                let q =
                    format!("SELECT {} FROM skus WHERE mfskuid = $1 OR mfskuid = $2 LIMIT 1", crate::sku::READ_COLS);
                let row = sqlx::query(&q).bind(code).bind(code.to_ascii_uppercase()).fetch_optional(&mut *conn).await?;
                row.as_ref().map(crate::sku::sku).transpose()?
            }
        };
        if let Some(sku) = labelled {
            let approved = sku.ensure_usable().is_ok();
            return Ok(Scanned::Sku { sku: sku.id, client: sku.client_id, code: sku.mfskuid, approved });
        }
        // A carton number the seller gave (printed on its carton mark): in an open inbound's
        // details, checked exactly after the coarse text match.
        let pattern = format!("%\"cartonNumber\":{}%", serde_json::Value::String(code.to_owned()));
        let rows = sqlx::query(
            "SELECT number, details FROM inbound_orders WHERE details LIKE $1 \
             AND status NOT IN ('DRAFT', 'CANCELLED', 'PUT_AWAY') LIMIT 20",
        )
        .bind(&pattern)
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let details: serde_json::Value = serde_json::from_str(&s(&r, "details")?).unwrap_or_default();
            let cartons = details.pointer("/request/cartons").and_then(|c| c.as_array()).cloned().unwrap_or_default();
            if cartons.iter().any(|c| c["cartonNumber"].as_str() == Some(code)) {
                return Ok(Scanned::CartonMark { inbound: s(&r, "number")? });
            }
        }
        Ok(Scanned::Unknown)
    }

    /// The session the core decides scans on, and the inbound's SKUs as its receipt shows them.
    async fn receiving_session(&self, v: &InboundView) -> StoreResult<(ReceivingSession, Vec<Sku>)> {
        let ids: Vec<SkuId> = v.inbound.lines.iter().map(|l| l.sku_id).collect();
        let skus = self.skus_by_ids(&v.client_id, &ids).await?;
        let session = ReceivingSession {
            client: v.client_id.clone(),
            inbound: v.inbound.clone(),
            skus: skus.iter().map(|s| ExpectedSku { sku_id: s.id, code: s.mfskuid.clone() }).collect(),
        };
        Ok((session, skus))
    }

    /// The receipt view of `v`, read inside `tx`.
    async fn receipt_view(&self, tx: &mut Transaction<'static, Any>, v: InboundView) -> StoreResult<ReceiptView> {
        let ids: Vec<SkuId> = v.inbound.lines.iter().map(|l| l.sku_id).collect();
        let skus = skus_in(&mut **tx, &v.client_id, &ids).await?;
        receipt_in(&mut Tx::from(&mut *tx), v, &skus).await
    }

    /// The receipt of the inbound a carton mark (or an inbound number) names.
    pub async fn open_receipt(&self, actor: &Actor, code: &str) -> StoreResult<ReceiptView> {
        let mut tx = self.read.begin().await?;
        let number = match self.classify(&mut tx, code).await? {
            Scanned::CartonMark { inbound } => inbound,
            Scanned::Sku { code: c, .. } => {
                return Err(CoreError::invalid(
                    "code",
                    format!("expected the carton mark of an inbound; got SKU label {c}: scan the carton first"),
                )
                .into())
            }
            Scanned::Unknown => {
                return Err(CoreError::invalid(
                    "code",
                    format!("expected the carton mark of an inbound; got '{}', which is no carton mark", code.trim()),
                )
                .into())
            }
        };
        let v = load_for(&mut Tx::from(&mut tx), actor, &number).await?;
        let view = self.receipt_view(&mut tx, v).await?;
        tx.rollback().await?;
        Ok(view)
    }

    /// The receipt of an inbound (id or number; with `client`, also its reference).
    pub async fn receipt(&self, actor: &Actor, client: Option<&ClientId>, key: &str) -> StoreResult<ReceiptView> {
        let mut tx = self.read.begin().await?;
        let v = match client {
            Some(c) => {
                load(&mut Tx::from(&mut tx), c, key).await?.ok_or_else(|| CoreError::not_found("inbound order", key))?
            }
            None => load_for(&mut Tx::from(&mut tx), actor, key).await?,
        };
        let view = self.receipt_view(&mut tx, v).await?;
        tx.rollback().await?;
        Ok(view)
    }

    /// Counts one scan (see `App::receive_scan`).
    ///
    /// Which inbound it is, what the scanned code is and the inbound's SKUs are read before the
    /// write lock, each in one statement (none changes under a scan); the inbound's read, the
    /// writes and the receipt shown back run as one writer transaction (on SQLite, on the
    /// writer's own connection, statements back to back), so scans from many devices hold the
    /// lock as briefly as possible.
    pub async fn receive_scan(&self, actor: &Actor, scan: &ReceiveScan) -> StoreResult<ScanResult> {
        let not_found = || CoreError::not_found("inbound order", &scan.inbound);
        let ScanReads { id, warehouse, skus, labelled } =
            scan_reads(&self.read, &scan.inbound, &scan.code).await?.ok_or_else(not_found)?;
        if !actor.sees_warehouse(&warehouse) {
            return Err(not_found().into());
        }
        let scanned = self.classify_known(&mut *self.read.acquire().await?, &scan.code, Some(labelled)).await?;
        let wh_code = self.cached_warehouse(&warehouse).await?.code;
        let backend = self.backend;
        let (actor, scan) = (actor.clone(), scan.clone());
        self.writer_transaction(move |tx| {
            Box::pin(async move {
                let step = ScanStep { backend, actor: &actor, scan: &scan, scanned: &scanned, wh_code: &wh_code };
                count_scan_in(tx, step, &id, skus).await
            })
        })
        .await
    }

    /// Records an unexpected SKU with an inbound (an `inbound.discrepancy` event).
    pub async fn record_unexpected(
        &self,
        actor: &Actor,
        n: &NewUnexpected,
    ) -> StoreResult<entrepot_app::types::receiving::DiscrepancyView> {
        let mut tx = self.begin().await?;
        let v = load_for(&mut Tx::from(&mut tx), actor, &n.inbound).await?;
        if !actor.sees_warehouse(&v.warehouse_id) {
            return Err(CoreError::not_found("inbound order", &n.inbound).into());
        }
        let scanned = self.classify(&mut tx, &n.code).await?;
        let (session, _) = self.receiving_session(&v).await?;
        let sku = session.unexpected(&n.code, &scanned, n.quantity)?;
        let d = discrepancies::Row {
            id: new_text_id("dsc"),
            kind: DiscrepancyKind::Unexpected,
            sku_id: sku,
            code: Some(n.code.clone()),
            expected: 0,
            received: n.quantity,
            quantity: n.quantity,
            note: n.note.clone(),
            photo_key: n.photo_key.clone(),
        };
        let view = discrepancies::write(&mut Tx::from(&mut tx), &v, d, actor, now_ms()).await?;
        let detail = format!("{} × {} unexpected", n.quantity, n.code);
        audit::record(&mut Tx::from(&mut tx), actor, audit_of(&v, "inbound.discrepancy", &detail)).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Closes the receipt of an inbound (see `App::close_receipt`).
    pub async fn close_receipt(&self, actor: &Actor, key: &str) -> StoreResult<ReceiptView> {
        let mut tx = self.begin().await?;
        lock_inbound(&mut Tx::from(&mut tx), self.backend, key).await?;
        let mut v = load_for(&mut Tx::from(&mut tx), actor, key).await?;
        if !actor.sees_warehouse(&v.warehouse_id) {
            return Err(CoreError::not_found("inbound order", key).into());
        }
        let (mut session, _) = self.receiving_session(&v).await?;
        let before = v.inbound.clone();
        let (moves, found) = session.close()?;
        v.inbound = session.inbound;
        let wh = self.warehouse(&v.warehouse_id).await?;
        persist(&mut Tx::from(&mut tx), &mut v, &before, moves, &wh.code, Step::by("inbound.closed", actor)).await?;
        let detail = format!("receipt closed with {} discrepancies", found.len());
        audit::record(&mut Tx::from(&mut tx), actor, audit_of(&v, "inbound.receipt_closed", &detail)).await?;
        let view = self.receipt_view(&mut tx, v).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// The discrepancies of the client's inbound (id, number or reference), oldest first.
    pub async fn inbound_discrepancies(
        &self,
        client: &ClientId,
        key: &str,
    ) -> StoreResult<Vec<entrepot_app::types::receiving::DiscrepancyView>> {
        let mut tx = self.read.begin().await?;
        let v = load(&mut Tx::from(&mut tx), client, key)
            .await?
            .ok_or_else(|| CoreError::not_found("inbound order", key))?;
        let out = discrepancies::of(&mut Tx::from(&mut tx), &v.id.0).await?;
        tx.rollback().await?;
        Ok(out)
    }

    /// Dock-to-stock times of the last `last` inbounds that became available.
    pub async fn dock_to_stock(&self, last: i64) -> StoreResult<DockToStock> {
        let rows = sqlx::query(
            "SELECT available_at - arrived_at AS ms FROM inbound_orders WHERE available_at IS NOT NULL \
             AND arrived_at IS NOT NULL ORDER BY available_at DESC LIMIT $1",
        )
        .bind(last)
        .fetch_all(&self.read)
        .await?;
        let mut ms: Vec<i64> = rows.iter().map(|r| i(r, "ms")).collect::<StoreResult<_>>()?;
        ms.sort_unstable();
        let pick = |q: f64| -> f64 {
            if ms.is_empty() {
                return 0.0;
            }
            let k = ((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1;
            ms[k].max(0) as f64 / 1000.0
        };
        Ok(DockToStock { count: ms.len(), p50_seconds: pick(0.5), p90_seconds: pick(0.9), max_seconds: pick(1.0) })
    }
}

/// The audit row of a step on inbound `v`, in its warehouse and its client's trail.
fn audit_of<'a>(v: &'a InboundView, action: &'a str, detail: &'a str) -> AuditRecord<'a> {
    AuditRecord {
        action,
        subject_kind: "inbound",
        subject_id: &v.id.0,
        warehouse: Some(&v.warehouse_id),
        client: Some(&v.client_id),
        detail: Some(detail),
    }
}

#[cfg(test)]
mod tests;

/// What a scan's writes need beside the session: the scan, who scanned it, what its code is.
struct ScanStep<'a> {
    backend: Backend,
    actor: &'a Actor,
    scan: &'a ReceiveScan,
    scanned: &'a Scanned,
    wh_code: &'a str,
}

/// The writes of one scan inside `tx` (the writer's own connection, see
/// `Store::writer_transaction`), and the receipt after them. The scan's row is written before
/// what it counts: when its scan id is there already (a replay, or the same scan from another
/// device that won the race) nothing is counted, and the first one's count is answered.
async fn count_scan_in(tx: &mut Tx<'_>, step: ScanStep<'_>, id: &str, skus: Vec<Sku>) -> StoreResult<ScanResult> {
    let ScanStep { backend, actor, scan, scanned, wh_code } = step;
    let mut v =
        load_locked(tx, backend, id).await?.ok_or_else(|| CoreError::not_found("inbound order", &scan.inbound))?;
    let mut session = ReceivingSession {
        client: v.client_id.clone(),
        inbound: v.inbound.clone(),
        skus: skus.iter().map(|s| ExpectedSku { sku_id: s.id, code: s.mfskuid.clone() }).collect(),
    };
    let sku = match session.accept(&scan.code, scanned) {
        Ok(Accepted::SameInbound) => {
            let receipt = receipt_in(tx, v, &skus).await?;
            return Ok(ScanResult { receipt, counted: None, replayed: false });
        }
        Ok(Accepted::Sku(sku)) => sku,
        // A replay of a scan that counted before the receipt closed is answered, not refused.
        Err(e) => match seen_scan(tx, &v.id.0, scan.scan_id.as_deref()).await? {
            Some(counted) => {
                let receipt = receipt_in(tx, v, &skus).await?;
                return Ok(ScanResult { receipt, counted, replayed: true });
            }
            None => return Err(e.into()),
        },
    };
    let inserted = tx
        .execute(
            "INSERT INTO receiving_scans (inbound_id, scan_id, sku_id, code, quantity, condition, actor_name, device, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (inbound_id, scan_id) DO NOTHING",
            [
                Val::from(v.id.0.as_str()),
                Val::S(scan.scan_id.clone().unwrap_or_else(|| new_text_id("scan"))),
                Val::I(sku.0),
                Val::from(scan.code.as_str()),
                Val::I(scan.quantity),
                Val::from(scan.condition.as_str()),
                Val::from(actor.name.as_str()),
                Val::OS(actor.device.clone()),
                Val::I(now_ms()),
            ],
        )
        .await?;
    if inserted == 0 {
        // A replay, or the same scan from another device that won the race: the first's count.
        let counted = seen_scan(tx, &v.id.0, scan.scan_id.as_deref()).await?.flatten();
        let receipt = receipt_in(tx, v, &skus).await?;
        return Ok(ScanResult { receipt, counted, replayed: true });
    }
    let before = v.inbound.clone();
    let moves = session.count(sku, scan.quantity, scan.condition)?.into_iter().map(|t| (sku, t)).collect();
    v.inbound = session.inbound;
    persist(tx, &mut v, &before, moves, wh_code, Step::by("inbound.received", actor)).await?;
    let code = session.skus.iter().find(|s| s.sku_id == sku).map(|s| s.code.as_str()).unwrap_or(&scan.code);
    let detail = match scan.condition {
        Condition::Good => format!("{} × {code}", scan.quantity),
        Condition::Damaged => format!("{} × {code}, damaged", scan.quantity),
    };
    audit::record(tx, actor, audit_of(&v, "inbound.received", &detail)).await?;
    let receipt = receipt_in(tx, v, &skus).await?;
    Ok(ScanResult { receipt, counted: Some((sku, scan.quantity)), replayed: false })
}

/// What the scan `scan_id` of an inbound counted, when it was scanned already.
async fn seen_scan(
    tx: &mut Tx<'_>,
    inbound_id: &str,
    scan_id: Option<&str>,
) -> StoreResult<Option<Option<(SkuId, i64)>>> {
    let Some(id) = scan_id else { return Ok(None) };
    let row = tx
        .fetch_optional(
            "SELECT sku_id, quantity FROM receiving_scans WHERE inbound_id = $1 AND scan_id = $2",
            [Val::from(inbound_id), Val::from(id)],
        )
        .await?;
    row.map(|r| Ok(oi(&r, "sku_id")?.map(SkuId).map(|s| (s, i(&r, "quantity").unwrap_or(0))))).transpose()
}

/// The receipt of `v` with its SKUs, its discrepancies read inside `tx`.
async fn receipt_in(tx: &mut Tx<'_>, v: InboundView, skus: &[Sku]) -> StoreResult<ReceiptView> {
    let closed = v.inbound.receipt_closed;
    let lines = v
        .inbound
        .lines
        .iter()
        .map(|l| {
            let sku = skus.iter().find(|s| s.id == l.sku_id);
            ReceiptLine {
                sku_id: l.sku_id,
                mfskuid: sku.map(|s| s.mfskuid.clone()).unwrap_or_default(),
                seller_sku: sku.map(|s| s.seller_sku.clone()).unwrap_or_default(),
                expected: l.expected,
                received: l.received,
                damaged: l.damaged,
                put_away: l.put_away,
                short: l.short(closed),
            }
        })
        .collect();
    let discrepancies = discrepancies::of(tx, &v.id.0).await?;
    Ok(ReceiptView {
        arrived_at_ms: v.arrived_at_ms,
        available_at_ms: v.available_at_ms,
        inbound: v,
        lines,
        discrepancies,
    })
}
