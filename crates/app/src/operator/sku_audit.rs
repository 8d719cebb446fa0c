//! The SKU audit OC-created SKUs wait for: submit, then approve or reject. Which status may move
//! where is `core::sku`'s rule.

use entrepot_core::{ids::*, sku::Sku, CoreResult};

use crate::App;

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
}
