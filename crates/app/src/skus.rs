//! SKUs. Reads forward to the ports; a use case that is more than one
//! port call is written here once.

use std::collections::HashMap;

use entrepot_core::{ids::*, sku::Sku, CoreResult};
use serde_json::Value;

use crate::types::skus::*;

use crate::App;

impl App {
    /// Creates SKUs all-or-nothing; a failing row is named by its 1-based line.
    pub async fn create_skus(&self, tenant: &ClientId, new: Vec<NewSku>) -> CoreResult<Vec<Sku>> {
        self.storage.create_skus(tenant, new).await
    }

    /// Creates one SKU with its OC extras in one transaction, unless the client already has a SKU
    /// whose reference or seller SKU equals this one's reference (or seller SKU): then that SKU is
    /// returned and nothing is written.
    pub async fn create_sku_once(
        &self,
        tenant: &ClientId,
        n: NewSku,
        oc_details: Option<&Value>,
    ) -> CoreResult<SkuCreation> {
        self.storage.create_sku_once(tenant, n, oc_details).await
    }

    /// Lists the tenant's SKUs matching the filter; returns the page and the total count.
    pub async fn list_skus(&self, tenant: &ClientId, f: &SkuFilter) -> CoreResult<(Vec<Sku>, i64)> {
        self.storage.list_skus(tenant, f).await
    }

    /// Finds a SKU by internal id, MFSKUID or seller SKU: what an operator or ERP may hold.
    pub async fn resolve_sku(&self, tenant: &ClientId, key: &str) -> CoreResult<Sku> {
        self.storage.resolve_sku(tenant, key).await
    }

    /// Bird's ACTIVE/INACTIVE switch.
    pub async fn set_sku_active(&self, tenant: &ClientId, id: SkuId, active: bool) -> CoreResult<Sku> {
        self.storage.set_sku_active(tenant, id, active).await
    }

    pub async fn sku(&self, tenant: &ClientId, id: SkuId) -> CoreResult<Sku> {
        self.storage.sku(tenant, id).await
    }

    /// The extras and times of the tenant's SKUs among `ids` (others are absent).
    pub async fn sku_extras(&self, tenant: &ClientId, ids: &[SkuId]) -> CoreResult<HashMap<SkuId, SkuExtras>> {
        self.storage.sku_extras(tenant, ids).await
    }

    /// The SKUs with these ids that belong to the tenant (others are silently absent).
    pub async fn skus_by_ids(&self, tenant: &ClientId, ids: &[SkuId]) -> CoreResult<Vec<Sku>> {
        self.storage.skus_by_ids(tenant, ids).await
    }

    /// The tenant's SKUs with these seller codes (unknown codes are simply absent), by id.
    pub async fn skus_by_seller_skus(&self, tenant: &ClientId, seller_skus: &[String]) -> CoreResult<Vec<Sku>> {
        self.storage.skus_by_seller_skus(tenant, seller_skus).await
    }

    /// Changes a SKU's descriptive, physical and customs data (not its audit status).
    pub async fn update_sku(&self, tenant: &ClientId, id: SkuId, n: NewSku) -> CoreResult<Sku> {
        self.storage.update_sku(tenant, id, n).await
    }
}
