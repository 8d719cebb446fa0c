//! SKUs: the catalogue each client keeps.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use entrepot_core::{ids::*, share::ShareWith, sku::Sku, CoreResult};
use serde_json::Value;

use crate::types::skus::*;

#[async_trait]
pub trait SkuPort: Send + Sync {
    /// Creates SKUs all-or-nothing; a failing row is named by its 1-based line.
    async fn create_skus(&self, tenant: &ClientId, new: Vec<NewSku>) -> CoreResult<Vec<Sku>>;
    /// Creates one SKU with its OC extras in one transaction, unless the client already has a SKU
    /// whose reference or seller SKU equals this one's reference (or seller SKU): then that SKU is
    /// returned and nothing is written.
    async fn create_sku_once(
        &self,
        tenant: &ClientId,
        n: NewSku,
        oc_details: Option<&Value>,
    ) -> CoreResult<SkuCreation>;
    /// Lists the tenant's SKUs matching the filter; returns the page and the total count.
    async fn list_skus(&self, tenant: &ClientId, f: &SkuFilter) -> CoreResult<(Vec<Sku>, i64)>;
    /// Finds a SKU by internal id, MFSKUID or seller SKU: what an operator or ERP may hold.
    async fn resolve_sku(&self, tenant: &ClientId, key: &str) -> CoreResult<Sku>;
    /// Bird's ACTIVE/INACTIVE switch.
    async fn set_sku_active(&self, tenant: &ClientId, id: SkuId, active: bool) -> CoreResult<Sku>;
    async fn sku(&self, tenant: &ClientId, id: SkuId) -> CoreResult<Sku>;
    /// The extras and times of the tenant's SKUs among `ids` (others are absent).
    async fn sku_extras(&self, tenant: &ClientId, ids: &[SkuId]) -> CoreResult<HashMap<SkuId, SkuExtras>>;
    /// The SKUs with these ids that belong to the tenant (others are silently absent).
    async fn skus_by_ids(&self, tenant: &ClientId, ids: &[SkuId]) -> CoreResult<Vec<Sku>>;
    /// The tenant's SKUs with these seller codes (unknown codes are simply absent), by id.
    async fn skus_by_seller_skus(&self, tenant: &ClientId, seller_skus: &[String]) -> CoreResult<Vec<Sku>>;
    /// Changes a SKU's descriptive, physical and customs data (not its audit status).
    async fn update_sku(&self, tenant: &ClientId, id: SkuId, n: NewSku) -> CoreResult<Sku>;
    /// Lets `with` order the owner's SKU (a shared product); sharing again changes nothing.
    async fn share_sku(&self, owner: &ClientId, id: SkuId, with: &ShareWith) -> CoreResult<()>;
    /// Ends a share; whether there was one.
    async fn unshare_sku(&self, owner: &ClientId, id: SkuId, with: &ShareWith) -> CoreResult<bool>;
    /// Whom each of the owner's SKUs among `ids` is shared with (the unshared are absent).
    async fn sku_shares(&self, owner: &ClientId, ids: &[SkuId]) -> CoreResult<BTreeMap<SkuId, Vec<ShareWith>>>;
    /// The SKUs among `ids` that other clients own and share with `tenant`.
    async fn skus_shared_with(&self, tenant: &ClientId, ids: &[SkuId]) -> CoreResult<Vec<Sku>>;
}
