//! Bins on disk: a warehouse's locations (created one by one or as a range, listed in code
//! order, disabled), the units each holds, and the placement every stock transfer goes through
//! ([`placement`]); putaway and bin-to-bin moves in [`putaway`].

pub(crate) mod placement;
pub(crate) mod putaway;

use entrepot_app::types::{
    audit::AuditRecord,
    locations::{LocationFilter, LocationStock, LocationStockFilter, NewLocation, MAX_LOCATION_STOCK_PAGE},
};
use entrepot_core::{
    actor::Actor,
    ids::{ClientId, SkuId, WarehouseId},
    location::{default_id, Location, LocationId, DEFAULTS, DEFAULT_PICK_SEQ},
    CoreError,
};
use sqlx::{any::AnyRow, Any, Transaction};

use crate::{
    engine::{
        bulk::{bind_all, Val},
        clock::{new_id, now_ms},
        exec::Tx,
        rows::{b, i, oi, parse, s},
    },
    Store, StoreResult,
};

pub(crate) const LOCATION_COLS: &str = "id, warehouse_id, code, zone, kind, pick_seq, capacity, disabled, created_at";

pub(crate) fn location_row(r: &AnyRow) -> StoreResult<Location> {
    Ok(Location {
        id: LocationId(s(r, "id")?),
        warehouse_id: WarehouseId(s(r, "warehouse_id")?),
        code: s(r, "code")?,
        zone: s(r, "zone")?,
        kind: parse(r, "kind")?,
        pick_seq: i(r, "pick_seq")?,
        capacity: oi(r, "capacity")?,
        disabled: b(r, "disabled")?,
        created_at_ms: i(r, "created_at")?,
    })
}

/// Creates the default locations of a new warehouse (DOCK, DAMAGED, RETURNS) inside `tx`.
pub(crate) async fn create_defaults(tx: &mut Transaction<'static, Any>, warehouse: &WarehouseId) -> StoreResult<()> {
    let now = now_ms();
    for (code, kind, seq) in DEFAULTS {
        sqlx::query(
            "INSERT INTO locations (id, warehouse_id, code, zone, kind, pick_seq, capacity, disabled, created_at) \
             VALUES ($1, $2, $3, $3, $4, $5, NULL, 0, $6) ON CONFLICT (warehouse_id, code) DO NOTHING",
        )
        .bind(default_id(warehouse, code).0)
        .bind(&warehouse.0)
        .bind(code)
        .bind(kind.as_str())
        .bind(seq)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A location of `warehouse` by code, read in `tx`.
pub(crate) async fn by_code(
    tx: &mut Transaction<'static, Any>,
    warehouse: &WarehouseId,
    code: &str,
) -> StoreResult<Location> {
    let row = sqlx::query(&format!("SELECT {LOCATION_COLS} FROM locations WHERE warehouse_id = $1 AND code = $2"))
        .bind(&warehouse.0)
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(location_row).transpose()?.ok_or_else(|| CoreError::not_found("location", code).into())
}

impl Store {
    /// Creates locations all or nothing, with one audit entry (see `LocationPort`).
    pub async fn create_locations(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        new: Vec<NewLocation>,
    ) -> StoreResult<Vec<Location>> {
        let wh = self.warehouse(warehouse).await?;
        let mut tx = self.begin().await?;
        let next: i64 = {
            let r = sqlx::query(
                "SELECT CAST(COALESCE(MAX(pick_seq), 0) AS BIGINT) AS m FROM locations WHERE warehouse_id = $1 AND pick_seq < $2",
            )
            .bind(&wh.id.0)
            .bind(DEFAULT_PICK_SEQ)
            .fetch_one(&mut *tx)
            .await?;
            i(&r, "m")? + 1
        };
        let now = now_ms();
        let mut out = Vec::with_capacity(new.len());
        for (k, n) in new.into_iter().enumerate() {
            let l = Location {
                id: new_id!(LocationId),
                warehouse_id: wh.id.clone(),
                zone: n.zone.unwrap_or_else(|| entrepot_core::location::code::zone_of(&n.code).to_owned()),
                code: n.code,
                kind: n.kind,
                pick_seq: n.pick_seq.unwrap_or(next + k as i64),
                capacity: n.capacity,
                disabled: false,
                created_at_ms: now,
            };
            let r = sqlx::query(
                "INSERT INTO locations (id, warehouse_id, code, zone, kind, pick_seq, capacity, disabled, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8) ON CONFLICT (warehouse_id, code) DO NOTHING",
            )
            .bind(&l.id.0)
            .bind(&l.warehouse_id.0)
            .bind(&l.code)
            .bind(&l.zone)
            .bind(l.kind.as_str())
            .bind(l.pick_seq)
            .bind(l.capacity)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if r.rows_affected() != 1 {
                return Err(CoreError::Duplicate { what: "location code", key: format!("{} in {}", l.code, wh.code) }
                    .at_line(k + 1)
                    .into());
            }
            out.push(l);
        }
        let (first, last) = match (out.first(), out.last()) {
            (Some(f), Some(l)) => (f.clone(), l.clone()),
            _ => return Err(CoreError::invalid("locations", "nothing to create").into()),
        };
        let detail = if out.len() == 1 {
            format!("{} ({}, zone {}, pick sequence {})", first.code, first.kind, first.zone, first.pick_seq)
        } else {
            format!("{} locations {} … {} ({})", out.len(), first.code, last.code, first.kind)
        };
        let (action, kind, subject) = if out.len() == 1 {
            ("location.created", "location", first.id.0.clone())
        } else {
            ("location.range_created", "warehouse", wh.id.0.clone())
        };
        let rec = AuditRecord {
            action,
            subject_kind: kind,
            subject_id: &subject,
            warehouse: Some(&wh.id),
            client: None,
            detail: Some(&detail),
        };
        crate::audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Locations in code order after `f.after`, at most `f.limit`.
    pub async fn list_locations(&self, f: &LocationFilter) -> StoreResult<Vec<Location>> {
        // The sandbox twins' location is not the floor's (see `sandbox`).
        let mut q = format!(
            "SELECT {LOCATION_COLS} FROM locations WHERE warehouse_id = $1 AND code <> '{}'",
            crate::sandbox::SANDBOX_LOCATION
        );
        let mut binds = vec![Val::S(f.warehouse.0.clone())];
        let mut arg = |q: &mut String, cond: &str, v: Val| {
            binds.push(v);
            q.push_str(&cond.replace('?', &format!("${}", binds.len())));
        };
        if let Some(z) = &f.zone {
            arg(&mut q, " AND zone = ?", Val::S(z.clone()));
        }
        if let Some(k) = f.kind {
            arg(&mut q, " AND kind = ?", Val::from(k.as_str()));
        }
        if let Some(p) = f.code_prefix.as_deref().filter(|p| !p.is_empty()) {
            // Codes hold letters, digits and dashes only; the prefix is checked the same way by
            // the use case, so it carries no LIKE wildcard.
            arg(&mut q, " AND code LIKE ?", Val::S(format!("{p}%")));
        }
        if let Some(a) = &f.after {
            arg(&mut q, " AND code > ?", Val::S(a.clone()));
        }
        if !f.include_disabled {
            q.push_str(" AND disabled = 0");
        }
        arg(
            &mut q,
            " ORDER BY code LIMIT ?",
            Val::I(f.limit.clamp(1, entrepot_app::types::locations::MAX_LOCATION_PAGE)),
        );
        let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
        rows.iter().map(location_row).collect()
    }

    pub async fn location_by_code(&self, warehouse: &WarehouseId, code: &str) -> StoreResult<Location> {
        let row = sqlx::query(&format!("SELECT {LOCATION_COLS} FROM locations WHERE warehouse_id = $1 AND code = $2"))
            .bind(&warehouse.0)
            .bind(code)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(location_row).transpose()?.ok_or_else(|| CoreError::not_found("location", code).into())
    }

    /// Disables or enables a location; the default ones stay enabled.
    pub async fn set_location_disabled(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        code: &str,
        disabled: bool,
    ) -> StoreResult<Location> {
        let mut tx = self.begin().await?;
        let mut l = by_code(&mut tx, warehouse, code).await?;
        if l.is_default() && disabled {
            return Err(CoreError::Conflict(format!("{} is a default location and cannot be disabled", l.code)).into());
        }
        sqlx::query("UPDATE locations SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(&l.id.0)
            .execute(&mut *tx)
            .await?;
        l.disabled = disabled;
        let rec = AuditRecord {
            action: if disabled { "location.disabled" } else { "location.enabled" },
            subject_kind: "location",
            subject_id: &l.id.0,
            warehouse: Some(warehouse),
            client: None,
            detail: Some(&l.code),
        };
        crate::audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        Ok(l)
    }

    /// Units per location and SKU, non-zero, in code then SKU order after `f.after`, at most
    /// `f.limit`. Warehouse-wide, the read walks the warehouse's locations in code order
    /// (`locations (warehouse_id, code)`) and each one's rows in SKU order (the primary key),
    /// so it stops after the page; narrowed to a SKU or a client it starts from their indexes.
    pub async fn location_stock(&self, f: &LocationStockFilter) -> StoreResult<Vec<LocationStock>> {
        fn arg(q: &mut String, binds: &mut Vec<Val>, cond: &str, v: Val) {
            binds.push(v);
            q.push_str(&cond.replace('?', &format!("${}", binds.len())));
        }
        // The sandbox twins' play stock is nobody's on the floor (see `sandbox`).
        let mut q = format!(
            "SELECT ls.location_id, l.code, l.kind, ls.sku_id, ls.client_id, ls.warehouse_id, ls.qty \
             FROM locations l JOIN location_stock ls ON ls.location_id = l.id \
             WHERE l.warehouse_id = $1 AND ls.warehouse_id = $1 AND ls.qty > 0 AND l.code <> '{}'",
            crate::sandbox::SANDBOX_LOCATION
        );
        let mut binds = vec![Val::S(f.warehouse.0.clone())];
        if let Some(l) = &f.location {
            arg(&mut q, &mut binds, " AND ls.location_id = ?", Val::S(l.0.clone()));
        }
        if let Some(c) = &f.code {
            arg(&mut q, &mut binds, " AND l.code = ?", Val::S(c.clone()));
        }
        if let Some(sku) = f.sku {
            arg(&mut q, &mut binds, " AND ls.sku_id = ?", Val::I(sku.0));
        }
        if let Some(c) = &f.client {
            arg(&mut q, &mut binds, " AND ls.client_id = ?", Val::S(c.0.clone()));
        }
        if let Some((code, sku)) = &f.after {
            // `(code, sku) > (after)` spelt so both backends read it, with the code's lower
            // bound on its own for the index range.
            arg(&mut q, &mut binds, " AND l.code >= ?", Val::S(code.clone()));
            let n = binds.len();
            arg(&mut q, &mut binds, &format!(" AND (l.code > ${n} OR ls.sku_id > ?)"), Val::I(sku.0));
        }
        let limit = f.limit.unwrap_or(MAX_LOCATION_STOCK_PAGE).clamp(1, MAX_LOCATION_STOCK_PAGE);
        arg(&mut q, &mut binds, " ORDER BY l.code, ls.sku_id LIMIT ?", Val::I(limit));
        let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                Ok(LocationStock {
                    location_id: LocationId(s(r, "location_id")?),
                    code: s(r, "code")?,
                    kind: parse(r, "kind")?,
                    sku_id: SkuId(i(r, "sku_id")?),
                    client_id: ClientId(s(r, "client_id")?),
                    warehouse_id: WarehouseId(s(r, "warehouse_id")?),
                    qty: i(r, "qty")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
