//! The SKU audit OC-created SKUs wait for: the seller submits its draft, staff measure and weigh
//! it, then approve or reject it with a reason the seller reads. Which status may move where, and
//! that measurements override declarations, is `core::sku`'s rule; who may do what is decided
//! here, from the [`Actor`], before anything is touched.

use entrepot_core::{
    actor::{Actor, Role},
    ids::*,
    limits,
    sku::{MeasuredValues, Sku},
    CoreError, CoreResult,
};

use crate::{
    types::sku_audit::{SkuAuditItem, SkuAuditQuery, SkuVerdict, MAX_AUDIT_QUEUE_PAGE},
    App,
};

impl App {
    /// The seller submits a draft (or a fixed rejected SKU) for audit.
    pub async fn submit_sku(&self, tenant: &ClientId, id: SkuId) -> CoreResult<Sku> {
        self.storage.submit_sku(tenant, id).await
    }

    /// Staff approve a submitted SKU: it may be stocked and sold.
    pub async fn approve_sku(&self, tenant: &ClientId, id: SkuId) -> CoreResult<Sku> {
        self.storage.audit_sku(tenant, id, true, None).await
    }

    /// Staff reject a submitted SKU, saying why; the seller may fix it and submit again.
    pub async fn reject_sku(&self, tenant: &ClientId, id: SkuId, reason: String) -> CoreResult<Sku> {
        self.storage.audit_sku(tenant, id, false, Some(reason)).await
    }

    /// The floor's audit queue: submitted SKUs of every client (or the query's), oldest
    /// submission first, a page at a time. Staff of any warehouse see it: a SKU belongs to no
    /// warehouse until its goods arrive.
    pub async fn sku_audit_queue(&self, actor: &Actor, q: &SkuAuditQuery) -> CoreResult<Vec<SkuAuditItem>> {
        actor.require_staff()?;
        if let Some(client) = &q.client {
            actor.require_client(client)?;
        }
        if q.limit < 0 || q.limit > MAX_AUDIT_QUEUE_PAGE {
            return Err(CoreError::invalid("limit", format!("must be between 1 and {MAX_AUDIT_QUEUE_PAGE}")));
        }
        self.storage.sku_audit_queue(q).await
    }

    /// A seller user submits one of its client's drafts (or a fixed rejected SKU) for audit. The
    /// operator and the system (the admin CLI) may submit for any client; warehouse staff may not:
    /// what goes to review is the seller's decision.
    pub async fn submit_sku_for_audit(&self, actor: &Actor, tenant: &ClientId, id: SkuId) -> CoreResult<Sku> {
        match &actor.role {
            Role::Seller { .. } | Role::Operator | Role::System => actor.require_client(tenant)?,
            Role::Staff { .. } => return Err(CoreError::Forbidden("the seller submits its own SKUs".into())),
        }
        self.storage.submit_sku_as(actor, tenant, id).await
    }

    /// Staff measure and weigh a SKU under review (or approved): the values given override the
    /// seller's declared ones, which are kept.
    pub async fn measure_sku(&self, actor: &Actor, tenant: &ClientId, id: SkuId, v: MeasuredValues) -> CoreResult<Sku> {
        actor.require_staff()?;
        actor.require_client(tenant)?;
        self.storage.measure_sku(actor, tenant, id, v).await
    }

    /// Staff approve a submitted SKU, or reject it with a reason (1 to 500 characters) that the
    /// seller reads.
    pub async fn decide_sku(
        &self,
        actor: &Actor,
        tenant: &ClientId,
        id: SkuId,
        verdict: SkuVerdict,
    ) -> CoreResult<Sku> {
        actor.require_staff()?;
        actor.require_client(tenant)?;
        let verdict = match verdict {
            SkuVerdict::Approve => SkuVerdict::Approve,
            SkuVerdict::Reject { reason } => {
                let reason = limits::free_text("reason", reason.trim())?.to_owned();
                if reason.is_empty() {
                    return Err(CoreError::invalid("reason", "say why the SKU is rejected"));
                }
                SkuVerdict::Reject { reason }
            }
        };
        self.storage.decide_sku(actor, tenant, id, &verdict).await
    }
}
