//! SKUs. Reads forward to the ports; a use case that is more than one
//! port call is written here once.

use std::collections::{BTreeMap, HashMap};

use entrepot_core::{actor::Actor, ids::*, share::ShareWith, sku::Sku, CoreError, CoreResult};
use serde_json::Value;

use crate::types::{orders::OrderView, skus::*};

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

    /// Lets `with` order the owner's SKU from the owner's stock (a shared product).
    pub async fn share_sku(&self, owner: &ClientId, id: SkuId, with: &ShareWith) -> CoreResult<()> {
        self.storage.share_sku(owner, id, with).await
    }

    /// Ends a share; orders placed under it keep their lines. Whether there was one.
    pub async fn unshare_sku(&self, owner: &ClientId, id: SkuId, with: &ShareWith) -> CoreResult<bool> {
        self.storage.unshare_sku(owner, id, with).await
    }

    /// Whom each of the owner's SKUs among `ids` is shared with (the unshared are absent).
    pub async fn sku_shares(&self, owner: &ClientId, ids: &[SkuId]) -> CoreResult<BTreeMap<SkuId, Vec<ShareWith>>> {
        self.storage.sku_shares(owner, ids).await
    }

    /// Whom one of the seller's SKUs is shared with (its people, owners or staff).
    pub async fn seller_sku_sharing(&self, actor: &Actor, id: SkuId) -> CoreResult<SkuSharing> {
        let client = crate::integrations::seller(actor)?;
        let sku = self.storage.sku(client, id).await?;
        let shares = self.storage.sku_shares(client, &[id]).await?.remove(&id).unwrap_or_default();
        let mut out = SkuSharing { sku, everyone: false, clients: vec![] };
        for share in shares {
            match share {
                ShareWith::Everyone => out.everyone = true,
                ShareWith::Client(c) => {
                    let name = self.storage.find_client(&c.0).await.map(|k| k.name).unwrap_or_else(|_| c.0.clone());
                    out.clients.push((c, name));
                }
            }
        }
        out.clients.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(out)
    }

    /// An owner shares one of the seller's SKUs with every client (`*`) or with one, named by
    /// its name or id; sharing again changes nothing.
    pub async fn seller_share_sku(&self, actor: &Actor, id: SkuId, with: &str) -> CoreResult<()> {
        let owner = crate::integrations::owner(actor)?;
        let with = match with.parse::<ShareWith>()? {
            ShareWith::Everyone => ShareWith::Everyone,
            ShareWith::Client(_) => ShareWith::Client(self.storage.find_client(with.trim()).await?.id),
        };
        self.storage.share_sku(owner, id, &with).await
    }

    /// An owner ends a share (`*`, or a client's id); orders placed under it keep their lines.
    /// Whether there was one.
    pub async fn seller_unshare_sku(&self, actor: &Actor, id: SkuId, with: &str) -> CoreResult<bool> {
        let owner = crate::integrations::owner(actor)?;
        self.storage.unshare_sku(owner, id, &with.parse()?).await
    }

    /// A SKU the tenant may order: its own, or another client's shared with it.
    pub async fn orderable_sku(&self, tenant: &ClientId, id: SkuId) -> CoreResult<Sku> {
        match self.storage.sku(tenant, id).await {
            Err(CoreError::NotFound { .. }) => {
                let shared = self.storage.skus_shared_with(tenant, &[id]).await?;
                shared.into_iter().next().ok_or_else(|| CoreError::not_found("SKU", id))
            }
            found => found,
        }
    }

    /// The SKUs among `ids` the tenant may order: its own and those shared with it, by id.
    pub async fn orderable_skus(&self, tenant: &ClientId, ids: &[SkuId]) -> CoreResult<Vec<Sku>> {
        let mut out = self.storage.skus_by_ids(tenant, ids).await?;
        let rest: Vec<SkuId> = ids.iter().copied().filter(|id| !out.iter().any(|s| s.id == *id)).collect();
        out.extend(self.storage.skus_shared_with(tenant, &rest).await?);
        out.sort_by_key(|s| s.id);
        Ok(out)
    }

    /// The SKUs of orders' lines: each order's client's own, and the owners' of its shared lines
    /// (the line is the proof of access, checked when it was written), by id.
    pub async fn line_skus<'a>(&self, orders: impl IntoIterator<Item = &'a OrderView>) -> CoreResult<Vec<Sku>> {
        let mut out = vec![];
        for (owner, ids) in OrderView::skus_by_owner(orders) {
            out.extend(self.storage.skus_by_ids(owner, &ids).await?);
        }
        out.sort_by_key(|s| s.id);
        out.dedup_by_key(|s| s.id);
        Ok(out)
    }
}
