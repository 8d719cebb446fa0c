//! SKUs / products, always scoped to their client.

pub(crate) mod audit;
pub(crate) mod cache;
pub(crate) mod extras;
pub(crate) mod lookup;
pub(crate) mod shares;

use entrepot_app::types::audit::AuditRecord;
use entrepot_core::{
    actor::Actor,
    ids::{ClientId, SkuId},
    sku::{Dimensions, Measurement, Sku, SkuStatus},
    CoreError,
};
use serde_json::json;
use sqlx::{Any, Transaction};

use crate::{
    engine::{
        bulk::{bind_all, placeholders, Val},
        clock::now_ms,
        exec::Tx,
        rows::{b, i, json, oi, os, parse, s, to_json},
        seq,
    },
    error::on_unique,
    webhook::outbox,
    Store, StoreResult,
};
pub use entrepot_app::types::skus::{NewSku, SkuFilter};

const COLS: &str =
    "id, client_id, mfskuid, seller_sku, reference_sku, name_en, name_cn, weight_g, length_mm, width_mm, height_mm, \
     declared_value, declared_currency, hs_code, origin_country, properties, image_url, status, active, reject_reason";

/// What a SKU read selects: [`COLS`] and the warehouse's measurement.
pub(crate) const READ_COLS: &str =
    "id, client_id, mfskuid, seller_sku, reference_sku, name_en, name_cn, weight_g, length_mm, \
     width_mm, height_mm, declared_value, declared_currency, hs_code, origin_country, properties, image_url, status, \
     active, reject_reason, measured_weight_g, measured_length_mm, measured_width_mm, measured_height_mm, measured_at";

/// A SKU from its row: the weight and dimensions columns hold what the seller declared; once the
/// warehouse measured (`measured_at`), the measured ones are in force and the declared are kept
/// in [`Sku::measurement`].
pub(crate) fn sku(row: &impl crate::engine::rows::Columns) -> StoreResult<Sku> {
    let declared = Dimensions {
        weight_g: i(row, "weight_g")?,
        length_mm: i(row, "length_mm")?,
        width_mm: i(row, "width_mm")?,
        height_mm: i(row, "height_mm")?,
    };
    let (dims, measurement) = match oi(row, "measured_at")? {
        Some(at_ms) => (
            Dimensions {
                weight_g: oi(row, "measured_weight_g")?.unwrap_or(declared.weight_g),
                length_mm: oi(row, "measured_length_mm")?.unwrap_or(declared.length_mm),
                width_mm: oi(row, "measured_width_mm")?.unwrap_or(declared.width_mm),
                height_mm: oi(row, "measured_height_mm")?.unwrap_or(declared.height_mm),
            },
            Some(Measurement { declared, at_ms }),
        ),
        None => (declared, None),
    };
    Ok(Sku {
        id: SkuId(i(row, "id")?),
        client_id: ClientId(s(row, "client_id")?),
        mfskuid: s(row, "mfskuid")?,
        seller_sku: s(row, "seller_sku")?,
        reference_sku: os(row, "reference_sku")?,
        name_en: s(row, "name_en")?,
        name_cn: os(row, "name_cn")?,
        weight_g: dims.weight_g,
        length_mm: dims.length_mm,
        width_mm: dims.width_mm,
        height_mm: dims.height_mm,
        declared_value: i(row, "declared_value")?,
        declared_currency: s(row, "declared_currency")?,
        hs_code: os(row, "hs_code")?,
        origin_country: os(row, "origin_country")?,
        properties: json(row, "properties")?,
        image_url: os(row, "image_url")?,
        status: parse(row, "status")?,
        active: b(row, "active")?,
        reject_reason: os(row, "reject_reason")?,
        measurement,
    })
}

impl Store {
    /// Creates SKUs all-or-nothing; a failing row is named by its 1-based line.
    pub async fn create_skus(&self, tenant: &ClientId, new: Vec<NewSku>) -> StoreResult<Vec<Sku>> {
        let mut tx = self.begin().await?;
        let first = seq::next(&mut Tx::from(&mut tx), "sku", new.len() as i64).await?;
        let now = now_ms();
        let mut out = Vec::with_capacity(new.len());
        for (k, n) in new.into_iter().enumerate() {
            let id = first + k as i64;
            let seller_sku = n.seller_sku.trim().to_owned();
            let sku = n.into_sku(SkuId(id), tenant, seller_sku);
            sku.validate().map_err(|e| e.at_line(k + 1))?;
            insert_sku(&mut tx, tenant, &sku, now, k + 1).await?;
            out.push(sku);
        }
        tx.commit().await?;
        Ok(out)
    }

    pub async fn sku(&self, tenant: &ClientId, id: SkuId) -> StoreResult<Sku> {
        let row = sqlx::query(&format!("SELECT {READ_COLS} FROM skus WHERE client_id = $1 AND id = $2"))
            .bind(&tenant.0)
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(sku).transpose()?.ok_or_else(|| CoreError::not_found("SKU", id).into())
    }

    /// Finds a SKU by internal id, MFSKUID or seller SKU: what an operator or ERP may hold.
    pub async fn resolve_sku(&self, tenant: &ClientId, key: &str) -> StoreResult<Sku> {
        let key = key.trim();
        let id: i64 = key.parse().unwrap_or(-1);
        let row = sqlx::query(&format!(
            "SELECT {READ_COLS} FROM skus WHERE client_id = $1 AND (id = $2 OR mfskuid = $3 OR seller_sku = $3) ORDER BY id LIMIT 1"
        ))
        .bind(&tenant.0)
        .bind(id)
        .bind(key)
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(sku).transpose()?.ok_or_else(|| CoreError::not_found("SKU", key).into())
    }

    /// Changes a SKU's descriptive, physical and customs data (not its audit status).
    pub async fn update_sku(&self, tenant: &ClientId, id: SkuId, n: NewSku) -> StoreResult<Sku> {
        let mut sku = self.sku(tenant, id).await?;
        sku.seller_sku = n.seller_sku.trim().to_owned();
        sku.reference_sku = n.reference_sku.or(sku.reference_sku);
        sku.name_en = n.name_en;
        sku.name_cn = n.name_cn;
        let declared =
            Dimensions { weight_g: n.weight_g, length_mm: n.length_mm, width_mm: n.width_mm, height_mm: n.height_mm };
        declared.validate()?;
        sku.declare(declared);
        sku.declared_value = n.declared_value;
        sku.declared_currency = n.declared_currency;
        sku.hs_code = n.hs_code;
        sku.origin_country = n.origin_country;
        sku.properties = n.properties;
        sku.image_url = n.image_url;
        sku.validate()?;
        let mut tx = self.begin().await?;
        write_sku_data(&mut tx, tenant, &sku).await?;
        tx.commit().await?;
        self.sku_cache.forget();
        Ok(sku)
    }

    /// The SKUs with these ids that belong to the tenant (others are silently absent).
    pub async fn skus_by_ids(&self, tenant: &ClientId, ids: &[SkuId]) -> StoreResult<Vec<Sku>> {
        skus_in(&self.read, tenant, ids).await
    }

    /// Lists the tenant's SKUs matching the filter; returns the page and the total count.
    pub async fn list_skus(&self, tenant: &ClientId, f: &SkuFilter) -> StoreResult<(Vec<Sku>, i64)> {
        let mut wh = vec!["client_id = $1".to_owned()];
        let mut binds: Vec<Val> = vec![Val::S(tenant.0.clone())];
        let mut push = |cond: &str, vals: Vec<Val>| {
            let start = binds.len() + 1;
            wh.push(cond.replace("{}", &placeholders(start, vals.len())));
            binds.extend(vals);
        };
        if let Some(v) = f.updated_from_ms {
            push("updated_at >= {}", vec![Val::I(v)]);
        }
        if let Some(v) = f.updated_to_ms {
            push("updated_at <= {}", vec![Val::I(v)]);
        }
        if !f.ids.is_empty() {
            push("id IN ({})", f.ids.iter().map(|v| Val::I(v.0)).collect());
        }
        if !f.mfskuids.is_empty() {
            push("mfskuid IN ({})", f.mfskuids.iter().map(|v| Val::S(v.clone())).collect());
        }
        if !f.seller_skus.is_empty() {
            push("seller_sku IN ({})", f.seller_skus.iter().map(|v| Val::S(v.clone())).collect());
        }
        if !f.reference_skus.is_empty() {
            push("reference_sku IN ({})", f.reference_skus.iter().map(|v| Val::S(v.clone())).collect());
        }
        let cond = wh.join(" AND ");
        let total_q = format!("SELECT COUNT(*) AS n FROM skus WHERE {cond}");
        let total = i(&bind_all(sqlx::query(&total_q), &binds).fetch_one(&self.read).await?, "n")?;
        let limit = if f.limit <= 0 { i64::MAX } else { f.limit };
        let page_q =
            format!("SELECT {READ_COLS} FROM skus WHERE {cond} ORDER BY id LIMIT {limit} OFFSET {}", f.offset.max(0));
        let rows = bind_all(sqlx::query(&page_q), &binds).fetch_all(&self.read).await?;
        Ok((rows.iter().map(sku).collect::<StoreResult<_>>()?, total))
    }

    /// The seller submits a draft (or a rejected SKU) for audit.
    pub async fn submit_sku(&self, tenant: &ClientId, id: SkuId) -> StoreResult<Sku> {
        self.change_sku(tenant, id, None, |s| s.submit().map(|()| None)).await
    }

    /// Staff audit: approve, or reject with a reason.
    pub async fn audit_sku(
        &self,
        tenant: &ClientId,
        id: SkuId,
        approve: bool,
        reason: Option<String>,
    ) -> StoreResult<Sku> {
        self.change_sku(tenant, id, None, |s| s.audit(approve, reason).map(|()| None)).await
    }

    /// Bird's ACTIVE/INACTIVE switch.
    pub async fn set_sku_active(&self, tenant: &ClientId, id: SkuId, active: bool) -> StoreResult<Sku> {
        self.change_sku(tenant, id, None, |s| {
            s.active = active;
            Ok(None)
        })
        .await
    }

    /// Changes a SKU's status, switch, rejection reason or measurement in one transaction with
    /// its event and, when an actor is given, its audit-trail entry (`action`, and the detail the
    /// change returns).
    pub(crate) async fn change_sku(
        &self,
        tenant: &ClientId,
        id: SkuId,
        audit: Option<(&Actor, &str)>,
        change: impl FnOnce(&mut Sku) -> entrepot_core::CoreResult<Option<String>>,
    ) -> StoreResult<Sku> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(&format!("SELECT {READ_COLS}, updated_at FROM skus WHERE client_id = $1 AND id = $2"))
            .bind(&tenant.0)
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
        let row = row.ok_or_else(|| CoreError::not_found("SKU", id))?;
        let mut sku = sku(&row)?;
        let updated_at = i(&row, "updated_at")?;
        let before = (sku.status, sku.active);
        let detail = change(&mut sku)?;
        let now = now_ms().max(updated_at + 1);
        let submitted_at = (sku.status == SkuStatus::Submitted && before.0 != SkuStatus::Submitted).then_some(now);
        let measured = sku.measurement.map(|m| (sku.dimensions(), m.at_ms));
        // Compare-and-set on the old status and time, so two concurrent changes cannot both win.
        let r = sqlx::query(
            "UPDATE skus SET status = $1, active = $2, reject_reason = $3, updated_at = $4, \
             submitted_at = COALESCE($5, submitted_at), measured_weight_g = $6, measured_length_mm = $7, \
             measured_width_mm = $8, measured_height_mm = $9, measured_at = $10 \
             WHERE client_id = $11 AND id = $12 AND status = $13 AND active = $14 AND updated_at = $15",
        )
        .bind(sku.status.as_str())
        .bind(i64::from(sku.active))
        .bind(sku.reject_reason.clone())
        .bind(now)
        .bind(submitted_at)
        .bind(measured.map(|(d, _)| d.weight_g))
        .bind(measured.map(|(d, _)| d.length_mm))
        .bind(measured.map(|(d, _)| d.width_mm))
        .bind(measured.map(|(d, _)| d.height_mm))
        .bind(measured.map(|(_, at)| at))
        .bind(&tenant.0)
        .bind(id.0)
        .bind(before.0.as_str())
        .bind(i64::from(before.1))
        .bind(updated_at)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() != 1 {
            return Err(CoreError::Conflict(format!("SKU {id} was changed concurrently; try again")).into());
        }
        outbox::record(
            &mut Tx::from(&mut tx),
            Some(tenant),
            "sku.updated",
            &id.to_string(),
            &json!({"id": id, "status": sku.status.as_str(), "active": sku.active}),
        )
        .await?;
        if let Some((actor, action)) = audit {
            let subject = id.to_string();
            let rec = AuditRecord {
                action,
                subject_kind: "sku",
                subject_id: &subject,
                warehouse: None,
                client: Some(tenant),
                detail: detail.as_deref(),
            };
            crate::audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        }
        tx.commit().await?;
        self.sku_cache.forget();
        Ok(sku)
    }
}

/// Inserts a new SKU and its event inside `tx`; a taken seller SKU is a validation error of batch
/// row `line`.
pub(crate) async fn insert_sku(
    tx: &mut Transaction<'static, Any>,
    tenant: &ClientId,
    sku: &Sku,
    now: i64,
    line: usize,
) -> StoreResult<()> {
    let r = sqlx::query(&format!(
        "INSERT INTO skus ({COLS}, created_at, updated_at, submitted_at) VALUES ({})",
        placeholders(1, 23)
    ))
    .bind(sku.id.0)
    .bind(&tenant.0)
    .bind(&sku.mfskuid)
    .bind(&sku.seller_sku)
    .bind(sku.reference_sku.clone())
    .bind(&sku.name_en)
    .bind(sku.name_cn.clone())
    .bind(sku.weight_g)
    .bind(sku.length_mm)
    .bind(sku.width_mm)
    .bind(sku.height_mm)
    .bind(sku.declared_value)
    .bind(&sku.declared_currency)
    .bind(sku.hs_code.clone())
    .bind(sku.origin_country.clone())
    .bind(to_json(&sku.properties))
    .bind(sku.image_url.clone())
    .bind(sku.status.as_str())
    .bind(1i64)
    .bind(None::<String>)
    .bind(now)
    .bind(now)
    .bind((sku.status == SkuStatus::Submitted).then_some(now))
    .execute(&mut **tx)
    .await;
    on_unique(r, "SKU", &sku.seller_sku).map_err(|e| match e {
        crate::StoreError::Core(c) => crate::StoreError::Core(CoreError::Validation {
            field: "seller_sku".into(),
            message: c.to_string(),
            line: Some(line),
        }),
        other => other,
    })?;
    outbox::record(
        &mut Tx::from(&mut *tx),
        Some(tenant),
        "sku.created",
        &sku.id.to_string(),
        &json!({"id": sku.id, "mfskuid": sku.mfskuid}),
    )
    .await?;
    Ok(())
}

/// Writes a SKU's descriptive, physical and customs data (not its status, nor the warehouse's
/// measurement: the weight and dimensions written are the seller's declared ones) and its event
/// inside `tx`.
pub(crate) async fn write_sku_data(
    tx: &mut Transaction<'static, Any>,
    tenant: &ClientId,
    sku: &Sku,
) -> StoreResult<()> {
    let declared = sku.declared();
    let r = sqlx::query(
    "UPDATE skus SET seller_sku = $1, reference_sku = $2, name_en = $3, name_cn = $4, weight_g = $5, length_mm = $6, \
     width_mm = $7, height_mm = $8, declared_value = $9, declared_currency = $10, hs_code = $11, origin_country = $12, \
     properties = $13, image_url = $14, updated_at = $15 WHERE client_id = $16 AND id = $17",
)
.bind(&sku.seller_sku)
.bind(sku.reference_sku.clone())
.bind(&sku.name_en)
.bind(sku.name_cn.clone())
.bind(declared.weight_g)
.bind(declared.length_mm)
.bind(declared.width_mm)
.bind(declared.height_mm)
.bind(sku.declared_value)
.bind(&sku.declared_currency)
.bind(sku.hs_code.clone())
.bind(sku.origin_country.clone())
.bind(to_json(&sku.properties))
.bind(sku.image_url.clone())
.bind(now_ms())
.bind(&tenant.0)
.bind(sku.id.0)
.execute(&mut **tx)
.await;
    on_unique(r, "SKU", &sku.seller_sku)?;
    outbox::record(
        &mut Tx::from(&mut *tx),
        Some(tenant),
        "sku.updated",
        &sku.id.to_string(),
        &json!({"id": sku.id, "status": sku.status.as_str(), "active": sku.active}),
    )
    .await?;
    Ok(())
}

/// [`Store::skus_by_ids`] on `ex`: inside a transaction, a read that must not wait for a second
/// connection of the pool the transaction holds one of (under load, every connection can be
/// held by a request waiting for another: a deadlock until the acquire timeout).
pub(crate) async fn skus_in<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    tenant: &ClientId,
    ids: &[SkuId],
) -> StoreResult<Vec<Sku>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let q = format!(
        "SELECT {READ_COLS} FROM skus WHERE client_id = $1 AND id IN ({}) ORDER BY id",
        placeholders(2, ids.len())
    );
    let mut query = sqlx::query(&q).bind(&tenant.0);
    for id in ids {
        query = query.bind(id.0);
    }
    let rows = query.fetch_all(ex).await?;
    rows.iter().map(sku).collect()
}
