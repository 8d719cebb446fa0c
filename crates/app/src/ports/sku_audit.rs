//! The SKU audit: a seller submits, staff approve or reject (the moves are `core::sku`'s).

use async_trait::async_trait;
use entrepot_core::{ids::*, sku::Sku, CoreResult};

#[async_trait]
pub trait SkuAuditPort: Send + Sync {
    /// Staff audit: approve, or reject with a reason.
    async fn audit_sku(&self, tenant: &ClientId, id: SkuId, approve: bool, reason: Option<String>) -> CoreResult<Sku>;
    /// The seller submits a draft (or a fixed rejected SKU) for audit.
    async fn submit_sku(&self, tenant: &ClientId, id: SkuId) -> CoreResult<Sku>;
}
