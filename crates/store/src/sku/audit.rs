//! The SKU audit on the floor: the queue of submitted SKUs (keyset-paged on `skus_audit_queue`),
//! and the actions staff and sellers take on it, each recorded in the audit trail in the change's
//! own transaction (see `change_sku`).

use entrepot_app::types::sku_audit::{SkuAuditItem, SkuAuditQuery, SkuVerdict, MAX_AUDIT_QUEUE_PAGE};
use entrepot_core::{
    actor::Actor,
    ids::{ClientId, SkuId},
    sku::{MeasuredValues, Sku, SkuStatus},
};

use crate::{
    engine::{
        bulk::{bind_all, Val},
        clock::now_ms,
        rows::i,
    },
    sku::{sku, READ_COLS},
    Store, StoreResult,
};

impl Store {
    /// Submitted SKUs, oldest submission first, after the query's cursor.
    pub async fn sku_audit_queue(&self, q: &SkuAuditQuery) -> StoreResult<Vec<SkuAuditItem>> {
        let mut cond = vec!["status = $1".to_owned()];
        let mut binds = vec![Val::from(SkuStatus::Submitted.as_str())];
        if let Some(c) = &q.after {
            let n = binds.len();
            cond.push(format!("(submitted_at > ${} OR (submitted_at = ${} AND id > ${}))", n + 1, n + 1, n + 2));
            binds.extend([Val::I(c.submitted_at_ms), Val::I(c.id.0)]);
        }
        if let Some(client) = &q.client {
            cond.push(format!("client_id = ${}", binds.len() + 1));
            binds.push(Val::S(client.0.clone()));
        }
        let limit = if q.limit <= 0 { MAX_AUDIT_QUEUE_PAGE } else { q.limit.min(MAX_AUDIT_QUEUE_PAGE) };
        let sql = format!(
            "SELECT {READ_COLS}, submitted_at FROM skus WHERE {} ORDER BY submitted_at, id LIMIT {limit}",
            cond.join(" AND ")
        );
        let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(&self.read).await?;
        rows.iter().map(|r| Ok(SkuAuditItem { sku: sku(r)?, submitted_at_ms: i(r, "submitted_at")? })).collect()
    }

    /// `actor` submits a draft (or a fixed rejected SKU) for audit.
    pub async fn submit_sku_as(&self, actor: &Actor, tenant: &ClientId, id: SkuId) -> StoreResult<Sku> {
        self.change_sku(tenant, id, Some((actor, "sku.submitted")), |s| s.submit().map(|()| None)).await
    }

    /// `actor` records the SKU's measured weight and dimensions, which now rule.
    pub async fn measure_sku(
        &self,
        actor: &Actor,
        tenant: &ClientId,
        id: SkuId,
        v: MeasuredValues,
    ) -> StoreResult<Sku> {
        self.change_sku(tenant, id, Some((actor, "sku.measured")), |s| {
            s.measure(v, now_ms())?;
            let (m, d) = (s.dimensions(), s.declared());
            Ok(Some(format!(
                "measured {} g, {}×{}×{} mm; declared {} g, {}×{}×{} mm",
                m.weight_g, m.length_mm, m.width_mm, m.height_mm, d.weight_g, d.length_mm, d.width_mm, d.height_mm
            )))
        })
        .await
    }

    /// `actor` approves or rejects the submitted SKU.
    pub async fn decide_sku(
        &self,
        actor: &Actor,
        tenant: &ClientId,
        id: SkuId,
        verdict: &SkuVerdict,
    ) -> StoreResult<Sku> {
        let (action, approve, reason) = match verdict {
            SkuVerdict::Approve => ("sku.approved", true, None),
            SkuVerdict::Reject { reason } => ("sku.rejected", false, Some(reason.clone())),
        };
        self.change_sku(tenant, id, Some((actor, action)), |s| s.audit(approve, reason.clone()).map(|()| reason)).await
    }
}
