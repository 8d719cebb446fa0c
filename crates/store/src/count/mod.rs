//! Cycle counts on disk: count tasks per location and their lines, recorded and decided each in
//! one transaction with its ledger transfers (reason IAA, `doc_kind` `count`, `doc_id` the
//! task's id, the location named), its audit entry and its events.
//!
//! The expected quantity of a line is what `location_stock` says in the transaction that
//! records the count: locations are not frozen while a task is open, and a variance is always
//! against the bin as it was when the counter finished. A variance is applied as a delta (at
//! approval too), through `stock::apply_at`, whose conditional updates keep every bucket and
//! location non-negative whatever races it; `entrepot_core::count::plan` refuses beforehand,
//! with what is reserved, what those updates would refuse.
//!
//! Events: each applied line raises `stock.changed` (Bird's live-stock webhook, as any stock
//! change) and `stock.adjusted` (the count, location, SKU, expected, counted and variance).

use entrepot_app::types::{
    audit::AuditRecord,
    counts::{CountFilter, CountLineView, CountOutcome, CountResults, CountTarget, CountTask, NewCounts},
};
use entrepot_core::{
    actor::Actor,
    count::{count_lines, largest_variance, needs_approval, plan, CountScan, CountState, CountedLine, Site},
    ids::{ClientId, SkuId, WarehouseId},
    inventory::Bucket,
    location::{code::normalize, Location, LocationId},
    CoreError,
};
use serde_json::json;
use sqlx::{any::AnyRow, Any, Transaction};

use crate::{
    audit,
    engine::{
        bulk::{bind_all, placeholders, Val},
        clock::now_ms,
        exec::Tx,
        rows::{b, i, oi, os, parse, s},
    },
    location::{by_code, location_row, LOCATION_COLS},
    receiving::new_text_id,
    stock::{self, stock_row, At, StockMove, STOCK_COLS},
    webhook::outbox,
    Store, StoreResult,
};

/// The SKU a count is of: its client, id and label.
type SkuScope = (ClientId, SkuId, String);

/// A line to apply, its SKU's label and the transfers that apply it.
type Planned = (CountedLine, String, Vec<entrepot_core::inventory::Transfer>);

const TASK_COLS: &str = "id, warehouse_id, location_id, location_code, client_id, sku_id, state, threshold, \
                         hold_reason, scan_id, created_by, created_at, counted_by, counted_at, decided_by, decided_at, reason";

fn task_row(r: &AnyRow) -> StoreResult<(CountTask, Option<String>)> {
    let t = CountTask {
        id: s(r, "id")?,
        warehouse_id: WarehouseId(s(r, "warehouse_id")?),
        location_id: LocationId(s(r, "location_id")?),
        location_code: s(r, "location_code")?,
        client_id: os(r, "client_id")?.map(ClientId),
        sku_id: oi(r, "sku_id")?.map(SkuId),
        state: parse(r, "state")?,
        threshold: oi(r, "threshold")?,
        hold_reason: os(r, "hold_reason")?,
        created_by: s(r, "created_by")?,
        created_at_ms: i(r, "created_at")?,
        counted_by: os(r, "counted_by")?,
        counted_at_ms: oi(r, "counted_at")?,
        decided_by: os(r, "decided_by")?,
        decided_at_ms: oi(r, "decided_at")?,
        reason: os(r, "reason")?,
        lines: vec![],
    };
    Ok((t, os(r, "scan_id")?))
}

fn line_row(r: &AnyRow) -> StoreResult<(String, CountLineView)> {
    let (expected, counted) = (i(r, "expected")?, i(r, "counted")?);
    Ok((
        s(r, "task_id")?,
        CountLineView {
            client_id: ClientId(s(r, "client_id")?),
            sku_id: SkuId(i(r, "sku_id")?),
            mfskuid: os(r, "mfskuid")?.unwrap_or_default(),
            seller_sku: os(r, "seller_sku")?.unwrap_or_default(),
            expected: Some(expected),
            counted: Some(counted),
            variance: counted.checked_sub(expected),
            applied: b(r, "applied")?,
        },
    ))
}

const LINE_SELECT: &str =
    "SELECT l.task_id, l.client_id, l.sku_id, l.expected, l.counted, l.applied, k.mfskuid, k.seller_sku \
                           FROM count_lines l LEFT JOIN skus k ON k.id = l.sku_id";

/// A task by id, read in `tx` (with its lines once counted, none while open).
async fn load(tx: &mut Transaction<'static, Any>, id: &str) -> StoreResult<(CountTask, Option<String>)> {
    let row = sqlx::query(&format!("SELECT {TASK_COLS} FROM count_tasks WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| CoreError::not_found("count", id))?;
    let (mut t, scan_id) = task_row(&row)?;
    let rows = sqlx::query(&format!("{LINE_SELECT} WHERE l.task_id = $1 ORDER BY l.sku_id"))
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    for r in &rows {
        t.lines.push(line_row(r)?.1);
    }
    Ok((t, scan_id))
}

/// The location a task counts, read in `tx`.
async fn location_of(tx: &mut Transaction<'static, Any>, t: &CountTask) -> StoreResult<Location> {
    let row = sqlx::query(&format!("SELECT {LOCATION_COLS} FROM locations WHERE id = $1"))
        .bind(&t.location_id.0)
        .fetch_one(&mut **tx)
        .await?;
    location_row(&row)
}

/// What `location` holds now, per (client, SKU), one SKU's only when `sku` is given.
async fn held(
    tx: &mut Transaction<'static, Any>,
    location: &LocationId,
    sku: Option<SkuId>,
) -> StoreResult<Vec<(ClientId, SkuId, i64)>> {
    let mut q = sqlx::query(if sku.is_some() {
        "SELECT client_id, sku_id, qty FROM location_stock WHERE location_id = $1 AND qty > 0 AND sku_id = $2"
    } else {
        "SELECT client_id, sku_id, qty FROM location_stock WHERE location_id = $1 AND qty > 0 ORDER BY sku_id"
    })
    .bind(&location.0);
    if let Some(sku) = sku {
        q = q.bind(sku.0);
    }
    let rows = q.fetch_all(&mut **tx).await?;
    rows.iter().map(|r| Ok((ClientId(s(r, "client_id")?), SkuId(i(r, "sku_id")?), i(r, "qty")?))).collect()
}

/// A SKU's label and its client's id by what its label carries (any client's: staff count every
/// client's goods).
async fn sku_by_label(
    tx: &mut Transaction<'static, Any>,
    code: &str,
) -> StoreResult<Option<(ClientId, SkuId, String)>> {
    let row = sqlx::query("SELECT id, client_id, seller_sku FROM skus WHERE mfskuid = $1 OR mfskuid = $2 LIMIT 1")
        .bind(code)
        .bind(code.to_ascii_uppercase())
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| Ok((ClientId(s(&r, "client_id")?), SkuId(i(&r, "id")?), s(&r, "seller_sku")?))).transpose()
}

async fn seller_sku(tx: &mut Transaction<'static, Any>, sku: SkuId) -> StoreResult<String> {
    let row = sqlx::query("SELECT seller_sku FROM skus WHERE id = $1").bind(sku.0).fetch_optional(&mut **tx).await?;
    Ok(row.map(|r| s(&r, "seller_sku")).transpose()?.unwrap_or_else(|| sku.to_string()))
}

async fn threshold_of(tx: &mut Transaction<'static, Any>, warehouse: &WarehouseId) -> StoreResult<i64> {
    let row = sqlx::query("SELECT count_approval_units FROM warehouses WHERE id = $1")
        .bind(&warehouse.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| CoreError::not_found("warehouse", &warehouse.0))?;
    i(&row, "count_approval_units")
}

/// The transfers that apply each line's variance, decided by the core on the balances and the
/// location as they are in `tx`; `Err(Conflict)` when one cannot be applied (reserved units,
/// a location emptied since).
async fn plans(
    tx: &mut Transaction<'static, Any>,
    loc: &Location,
    wh_code: &str,
    lines: &[CountedLine],
) -> StoreResult<Vec<Planned>> {
    let mut out = vec![];
    for l in lines {
        let variance = l.variance()?;
        if variance == 0 {
            continue;
        }
        let row = sqlx::query(&format!("SELECT {STOCK_COLS} FROM stock WHERE sku_id = $1 AND warehouse_id = $2"))
            .bind(l.sku.0)
            .bind(&loc.warehouse_id.0)
            .fetch_optional(&mut **tx)
            .await?;
        let position = row.as_ref().map(stock_row).transpose()?.map(|r| r.position).unwrap_or_default();
        let holds = held(tx, &loc.id, Some(l.sku)).await?.iter().map(|(_, _, q)| *q).sum();
        let label = seller_sku(tx, l.sku).await?;
        let site = Site {
            kind: loc.kind,
            code: &loc.code,
            holds,
            position: &position,
            sku_label: &label,
            warehouse_label: wh_code,
        };
        let transfers = plan(variance, site)?;
        out.push((l.clone(), label, transfers));
    }
    Ok(out)
}

/// Writes the planned transfers at the task's location, marks the lines applied and raises the
/// events.
async fn apply(
    tx: &mut Transaction<'static, Any>,
    t: &CountTask,
    loc: &Location,
    wh_code: &str,
    planned: Vec<Planned>,
) -> StoreResult<()> {
    let note = format!("count at {}", loc.code);
    for (line, label, transfers) in planned {
        for transfer in transfers {
            let at = if transfer.from == Bucket::Outside {
                At { from: None, to: Some(&loc.id) }
            } else {
                At { from: Some(&loc.id), to: None }
            };
            let m = StockMove {
                client: &line.client,
                sku: line.sku,
                warehouse: &loc.warehouse_id,
                transfer,
                doc_kind: "count",
                doc_id: &t.id,
                note: Some(&note),
                for_client: None,
            };
            stock::apply_at(&mut Tx::from(&mut *tx), m, at, &label, wh_code).await?;
        }
        sqlx::query("UPDATE count_lines SET applied = 1 WHERE task_id = $1 AND sku_id = $2")
            .bind(&t.id)
            .bind(line.sku.0)
            .execute(&mut **tx)
            .await?;
        let sku = line.sku.to_string();
        let changed = json!({"sku_id": line.sku, "warehouse": wh_code});
        outbox::record(&mut Tx::from(&mut *tx), Some(&line.client), "stock.changed", &sku, &changed).await?;
        let adjusted = json!({
            "count_id": t.id, "sku_id": line.sku, "seller_sku": label, "warehouse": wh_code,
            "location": loc.code, "expected": line.expected, "counted": line.counted,
            "variance": line.variance()?, "reason": "IAA",
        });
        outbox::record(&mut Tx::from(&mut *tx), Some(&line.client), "stock.adjusted", &sku, &adjusted).await?;
    }
    Ok(())
}

/// One audit row for `t`.
async fn audit_row(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    t: &CountTask,
    action: &str,
    detail: &str,
) -> StoreResult<()> {
    let rec = AuditRecord {
        action,
        subject_kind: "count",
        subject_id: &t.id,
        warehouse: Some(&t.warehouse_id),
        client: t.client_id.as_ref(),
        detail: Some(detail),
    };
    audit::record(&mut Tx::from(&mut *tx), actor, rec).await
}

/// `3 × ACME-1 (expected 5, -2)` per line, for the audit trail.
fn summary(lines: &[CountedLine], labels: &[(SkuId, String)]) -> String {
    if lines.is_empty() {
        return "nothing counted, nothing expected".to_owned();
    }
    let parts: Vec<String> = lines
        .iter()
        .map(|l| {
            let label = labels.iter().find(|(s, _)| *s == l.sku).map(|(_, n)| n.clone()).unwrap_or(l.sku.to_string());
            format!("{} × {label} (expected {}, {:+})", l.counted, l.expected, l.counted - l.expected)
        })
        .collect();
    parts.join(", ")
}

impl Store {
    /// Creates count tasks all or nothing (see `CountPort`).
    pub async fn create_counts(&self, actor: &Actor, n: &NewCounts) -> StoreResult<Vec<CountTask>> {
        let wh = self.warehouse(&n.warehouse).await?;
        let mut tx = self.begin().await?;
        let targets: Vec<(Location, Option<SkuScope>)> = match &n.target {
            CountTarget::Bins(codes) => {
                let mut out = vec![];
                for (k, code) in codes.iter().enumerate() {
                    let loc = by_code(&mut tx, &wh.id, code).await.map_err(|e| match e {
                        crate::StoreError::Core(c) => c.at_line(k + 1).into(),
                        e => e,
                    })?;
                    out.push((loc, None));
                }
                out
            }
            CountTarget::Range(_) => {
                return Err(CoreError::invalid("range", "a range is expanded before it is stored").into())
            }
            CountTarget::Sku { client, sku } => {
                let found = self.sku(client, *sku).await?;
                let cols: Vec<String> = LOCATION_COLS.split(", ").map(|c| format!("l.{c}")).collect();
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM location_stock ls JOIN locations l ON l.id = ls.location_id \
                     WHERE ls.sku_id = $1 AND ls.warehouse_id = $2 AND ls.qty > 0 ORDER BY l.code LIMIT 501",
                    cols.join(", ")
                ))
                .bind(sku.0)
                .bind(&wh.id.0)
                .fetch_all(&mut *tx)
                .await?;
                if rows.is_empty() {
                    return Err(CoreError::Conflict(format!(
                        "no location of {} holds SKU {}: nothing to count",
                        wh.code, found.seller_sku
                    ))
                    .into());
                }
                let mut out = vec![];
                for r in &rows {
                    out.push((location_row(r)?, Some((client.clone(), *sku, found.seller_sku.clone()))));
                }
                out
            }
        };
        if targets.len() > entrepot_app::types::counts::MAX_NEW_COUNTS {
            return Err(CoreError::invalid(
                "sku",
                format!(
                    "held in more than {} locations: count them by bin",
                    entrepot_app::types::counts::MAX_NEW_COUNTS
                ),
            )
            .into());
        }
        let now = now_ms();
        let mut ids = vec![];
        for (k, (loc, sku)) in targets.iter().enumerate() {
            let open = sqlx::query("SELECT id FROM count_tasks WHERE location_id = $1 AND state = 'open'")
                .bind(&loc.id.0)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(r) = open {
                return Err(CoreError::Conflict(format!("{} already has an open count ({})", loc.code, s(&r, "id")?))
                    .at_line(k + 1)
                    .into());
            }
            let id = new_text_id("cnt");
            sqlx::query(
                "INSERT INTO count_tasks (id, warehouse_id, location_id, location_code, client_id, sku_id, state, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8)",
            )
            .bind(&id)
            .bind(&wh.id.0)
            .bind(&loc.id.0)
            .bind(&loc.code)
            .bind(sku.as_ref().map(|(c, _, _)| c.0.clone()))
            .bind(sku.as_ref().map(|(_, s, _)| s.0))
            .bind(&actor.name)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                // Another count of the bin opened meanwhile (the index keeps one open per bin).
                let e = crate::StoreError::from(e);
                if e.is_unique_violation() {
                    CoreError::Conflict(format!("{} already has an open count", loc.code)).at_line(k + 1).into()
                } else {
                    e
                }
            })?;
            let detail = match sku {
                Some((_, _, label)) => format!("count of SKU {label} at {}", loc.code),
                None => format!("count of {}", loc.code),
            };
            let rec = AuditRecord {
                action: "count.created",
                subject_kind: "count",
                subject_id: &id,
                warehouse: Some(&wh.id),
                client: sku.as_ref().map(|(c, _, _)| c),
                detail: Some(&detail),
            };
            audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
            ids.push(id);
        }
        let mut out = vec![];
        for id in &ids {
            out.push(load(&mut tx, id).await?.0);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Count tasks of a warehouse after the cursor, oldest first, with their lines.
    pub async fn count_tasks(&self, f: &CountFilter) -> StoreResult<Vec<CountTask>> {
        let mut q = format!("SELECT {TASK_COLS} FROM count_tasks WHERE warehouse_id = $1");
        let mut binds = vec![Val::S(f.warehouse.0.clone())];
        if let Some(st) = f.state {
            binds.push(Val::from(st.as_str()));
            q.push_str(&format!(" AND state = ${}", binds.len()));
        }
        if let Some(a) = &f.after {
            binds.push(Val::S(a.clone()));
            q.push_str(&format!(" AND id > ${}", binds.len()));
        }
        binds.push(Val::I(f.limit.clamp(1, entrepot_app::types::counts::MAX_COUNT_PAGE)));
        q.push_str(&format!(" ORDER BY id LIMIT ${}", binds.len()));
        let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
        let mut tasks: Vec<CountTask> = rows.iter().map(|r| task_row(r).map(|(t, _)| t)).collect::<StoreResult<_>>()?;
        let ids: Vec<Val> = tasks.iter().map(|t| Val::S(t.id.clone())).collect();
        if !ids.is_empty() {
            let q = format!(
                "{LINE_SELECT} WHERE l.task_id IN ({}) ORDER BY l.task_id, l.sku_id",
                placeholders(1, ids.len())
            );
            for r in bind_all(sqlx::query(&q), &ids).fetch_all(&self.read).await? {
                let (task, line) = line_row(&r)?;
                if let Some(t) = tasks.iter_mut().find(|t| t.id == task) {
                    t.lines.push(line);
                }
            }
        }
        Ok(tasks)
    }

    /// One task; an open one lists what its location holds now, uncounted.
    pub async fn count_task(&self, id: &str) -> StoreResult<CountTask> {
        let mut tx = self.read.begin().await?;
        let (mut t, _) = load(&mut tx, id).await?;
        if t.state == CountState::Open {
            for (client, sku, qty) in held(&mut tx, &t.location_id, t.sku_id).await? {
                let row = sqlx::query("SELECT mfskuid, seller_sku FROM skus WHERE id = $1")
                    .bind(sku.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                t.lines.push(CountLineView {
                    client_id: client,
                    sku_id: sku,
                    mfskuid: row.as_ref().map(|r| s(r, "mfskuid")).transpose()?.unwrap_or_default(),
                    seller_sku: row.as_ref().map(|r| s(r, "seller_sku")).transpose()?.unwrap_or_default(),
                    expected: Some(qty),
                    counted: None,
                    variance: None,
                    applied: false,
                });
            }
        }
        tx.rollback().await?;
        Ok(t)
    }

    /// Records a count (see `CountPort::record_count`).
    pub async fn record_count(&self, actor: &Actor, r: &CountResults) -> StoreResult<CountOutcome> {
        let mut tx = self.begin().await?;
        let (mut t, seen) = load(&mut tx, &r.task).await?;
        if !actor.sees_warehouse(&t.warehouse_id) {
            return Err(CoreError::not_found("count", &r.task).into());
        }
        if r.scan_id.is_some() && seen == r.scan_id {
            tx.rollback().await?;
            return Ok(CountOutcome { task: self.count_task(&r.task).await?, replayed: true });
        }
        t.state.ensure(CountState::Counted, &t.id)?;
        let bin = normalize(&r.bin).map_err(|_| {
            CoreError::invalid("bin", format!("expected the scan of bin {}, got '{}'", t.location_code, r.bin))
        })?;
        if bin != t.location_code {
            return Err(CoreError::invalid(
                "bin",
                format!("this count is of bin {}; {bin} is another bin: scan {}", t.location_code, t.location_code),
            )
            .into());
        }
        let now = now_ms();
        let claimed = sqlx::query(
            "UPDATE count_tasks SET state = 'counted', scan_id = $2, counted_by = $3, counted_at = $4 \
             WHERE id = $1 AND state = 'open'",
        )
        .bind(&t.id)
        .bind(r.scan_id.clone())
        .bind(&actor.name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            // Counted from another connection meanwhile: answer as that count left it.
            tx.rollback().await?;
            return Box::pin(self.record_count(actor, r)).await;
        }
        let mut scans = Vec::with_capacity(r.scans.len());
        let mut labels: Vec<(SkuId, String)> = vec![];
        for (k, sc) in r.scans.iter().enumerate() {
            let (client, sku, label) = sku_by_label(&mut tx, sc.code.trim()).await?.ok_or_else(|| {
                CoreError::invalid(
                    "code",
                    format!("expected a SKU label (MFSKUID); got '{}', which is no SKU", sc.code.trim()),
                )
                .at_line(k + 1)
            })?;
            labels.push((sku, label));
            scans.push(CountScan { client, sku, code: sc.code.trim().to_owned(), qty: sc.qty });
        }
        let only_label = match t.sku_id {
            Some(sku) => Some(seller_sku(&mut tx, sku).await?),
            None => None,
        };
        let only = t.sku_id.zip(only_label.as_deref());
        let held = held(&mut tx, &t.location_id, t.sku_id).await?;
        let lines = count_lines(&held, &scans, only)?;
        for l in &lines {
            if !labels.iter().any(|(s, _)| *s == l.sku) {
                labels.push((l.sku, seller_sku(&mut tx, l.sku).await?));
            }
            sqlx::query(
                "INSERT INTO count_lines (task_id, client_id, sku_id, expected, counted, applied) VALUES ($1, $2, $3, $4, $5, 0)",
            )
            .bind(&t.id)
            .bind(&l.client.0)
            .bind(l.sku.0)
            .bind(l.expected)
            .bind(l.counted)
            .execute(&mut *tx)
            .await?;
        }
        let threshold = threshold_of(&mut tx, &t.warehouse_id).await?;
        let wh = self.warehouse(&t.warehouse_id).await?;
        let loc = location_of(&mut tx, &t).await?;
        let mut hold = if needs_approval(&lines, threshold)? {
            Some(format!(
                "a variance of {} unit(s) is above the approval threshold of {threshold}: a supervisor approves it",
                largest_variance(&lines)?
            ))
        } else {
            None
        };
        if hold.is_none() {
            match plans(&mut tx, &loc, &wh.code, &lines).await {
                Ok(planned) => apply(&mut tx, &t, &loc, &wh.code, planned).await?,
                Err(crate::StoreError::Core(CoreError::Conflict(m))) => hold = Some(m),
                Err(e) => return Err(e),
            }
        }
        let state = if hold.is_some() { CountState::Counted } else { CountState::Adjusted };
        sqlx::query("UPDATE count_tasks SET state = $2, threshold = $3, hold_reason = $4 WHERE id = $1")
            .bind(&t.id)
            .bind(state.as_str())
            .bind(threshold)
            .bind(hold.clone())
            .execute(&mut *tx)
            .await?;
        t.state = state;
        let mut detail = format!("{} at {}", summary(&lines, &labels), t.location_code);
        if let Some(h) = &hold {
            detail.push_str(&format!("; waits: {h}"));
        }
        let action = if state == CountState::Adjusted { "count.adjusted" } else { "count.counted" };
        audit_row(&mut tx, actor, &t, action, &detail).await?;
        tx.commit().await?;
        Ok(CountOutcome { task: self.count_task(&t.id).await?, replayed: false })
    }

    /// A supervisor's decision (see `CountPort::decide_count`).
    pub async fn decide_count(
        &self,
        actor: &Actor,
        id: &str,
        approve: bool,
        reason: Option<&str>,
    ) -> StoreResult<CountTask> {
        let mut tx = self.begin().await?;
        let (mut t, _) = load(&mut tx, id).await?;
        if !actor.sees_warehouse(&t.warehouse_id) {
            return Err(CoreError::not_found("count", id).into());
        }
        let to = if approve { CountState::Approved } else { CountState::Rejected };
        t.state.ensure(to, &t.id)?;
        let now = now_ms();
        let r = sqlx::query(
            "UPDATE count_tasks SET state = $2, decided_by = $3, decided_at = $4, reason = $5 WHERE id = $1 AND state = $6",
        )
        .bind(&t.id)
        .bind(to.as_str())
        .bind(&actor.name)
        .bind(now)
        .bind(reason.map(str::to_owned))
        .bind(t.state.as_str())
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() != 1 {
            return Err(CoreError::Conflict(format!("count {id} was decided meanwhile")).into());
        }
        let detail = if approve {
            let wh = self.warehouse(&t.warehouse_id).await?;
            let loc = location_of(&mut tx, &t).await?;
            let rows = sqlx::query(
                "SELECT client_id, sku_id, expected, counted FROM count_lines WHERE task_id = $1 ORDER BY sku_id",
            )
            .bind(&t.id)
            .fetch_all(&mut *tx)
            .await?;
            let lines: Vec<CountedLine> = rows
                .iter()
                .map(|r| {
                    Ok(CountedLine {
                        client: ClientId(s(r, "client_id")?),
                        sku: SkuId(i(r, "sku_id")?),
                        expected: i(r, "expected")?,
                        counted: i(r, "counted")?,
                    })
                })
                .collect::<StoreResult<_>>()?;
            let planned = plans(&mut tx, &loc, &wh.code, &lines).await?;
            let labels: Vec<(SkuId, String)> = planned.iter().map(|(l, n, _)| (l.sku, n.clone())).collect();
            apply(&mut tx, &t, &loc, &wh.code, planned).await?;
            format!("approved: {} at {}", summary(&lines, &labels), t.location_code)
        } else {
            format!("rejected{}", reason.map(|r| format!(": {r}")).unwrap_or_default())
        };
        t.state = to;
        audit_row(&mut tx, actor, &t, if approve { "count.approved" } else { "count.rejected" }, &detail).await?;
        tx.commit().await?;
        self.count_task(id).await
    }

    /// The warehouse's approval threshold.
    pub async fn count_threshold(&self, warehouse: &WarehouseId) -> StoreResult<i64> {
        let mut tx = self.read.begin().await?;
        let t = threshold_of(&mut tx, warehouse).await?;
        tx.rollback().await?;
        Ok(t)
    }

    /// Sets the warehouse's approval threshold, with its audit entry.
    pub async fn set_count_threshold(&self, actor: &Actor, warehouse: &WarehouseId, units: i64) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        let r = sqlx::query("UPDATE warehouses SET count_approval_units = $1 WHERE id = $2")
            .bind(units)
            .bind(&warehouse.0)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() != 1 {
            return Err(CoreError::not_found("warehouse", &warehouse.0).into());
        }
        let detail = format!("count approval threshold set to {units} unit(s)");
        let rec = AuditRecord {
            action: "count.threshold_set",
            subject_kind: "warehouse",
            subject_id: &warehouse.0,
            warehouse: Some(warehouse),
            client: None,
            detail: Some(&detail),
        };
        audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        Ok(units)
    }
}
