//! The SKU audit: a seller submits, staff measure, approve or reject (the moves are
//! `core::sku`'s). The methods taking an [`Actor`] record it in the audit trail, in the change's
//! own transaction.

use async_trait::async_trait;
use entrepot_core::{actor::Actor, ids::*, sku::MeasuredValues, sku::Sku, CoreResult};

use crate::types::sku_audit::{SkuAuditItem, SkuAuditQuery, SkuVerdict};

#[async_trait]
pub trait SkuAuditPort: Send + Sync {
    /// Staff audit: approve, or reject with a reason.
    async fn audit_sku(&self, tenant: &ClientId, id: SkuId, approve: bool, reason: Option<String>) -> CoreResult<Sku>;
    /// The seller submits a draft (or a fixed rejected SKU) for audit.
    async fn submit_sku(&self, tenant: &ClientId, id: SkuId) -> CoreResult<Sku>;
    /// Submitted SKUs, oldest submission first (every client's unless the query names one).
    async fn sku_audit_queue(&self, q: &SkuAuditQuery) -> CoreResult<Vec<SkuAuditItem>>;
    /// `actor` submits the tenant's SKU for audit.
    async fn submit_sku_as(&self, actor: &Actor, tenant: &ClientId, id: SkuId) -> CoreResult<Sku>;
    /// `actor` records what the SKU measured and weighed.
    async fn measure_sku(&self, actor: &Actor, tenant: &ClientId, id: SkuId, v: MeasuredValues) -> CoreResult<Sku>;
    /// `actor` approves or rejects the submitted SKU.
    async fn decide_sku(&self, actor: &Actor, tenant: &ClientId, id: SkuId, verdict: &SkuVerdict) -> CoreResult<Sku>;
}
