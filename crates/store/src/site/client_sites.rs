//! Which sites a client may use. A client is attached to the warehouses it has a contract with
//! (`admin client attach`); every site, region or service a request names is resolved here,
//! through the client, so that both dialects refuse one the client is not attached to exactly as
//! they refuse one that does not exist: the same `NotFound`, reached along the same path (the
//! lookup searches only the client's sites, so an existing foreign site costs what an unknown one
//! costs).
//!
//! The attached warehouse ids of a client are kept for at most [`crate::CACHE_TTL`] like the other
//! per-request lookups (single orders arrive by the thousand per second); an attachment changed
//! through this store is seen at once, one changed by another process within the TTL.

use std::sync::Arc;

use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, WarehouseId},
    service::Service,
    CoreError,
};

use crate::{
    engine::{clock::now_ms, rows::s},
    Store, StoreResult, Violation,
};

/// A client's attached warehouse ids.
pub(crate) type SiteIds = Arc<[WarehouseId]>;

impl Store {
    /// Attaches `client` to `warehouse` (nothing happens if it already is). A warehouse of
    /// another operator company than the client's is refused: operators do not share clients.
    pub async fn attach_client_site(&self, client: &ClientId, warehouse: &WarehouseId) -> StoreResult<()> {
        let c = self.client(client).await?;
        let wh = self.warehouse(warehouse).await?;
        if wh.company_id != c.company_id {
            return Err(CoreError::invalid(
                "site",
                format!("warehouse {} belongs to another operator company than client {}", wh.code, c.name),
            )
            .into());
        }
        sqlx::query(
            "INSERT INTO client_sites (client_id, warehouse_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (client_id, warehouse_id) DO NOTHING",
        )
        .bind(&c.id.0)
        .bind(&wh.id.0)
        .bind(now_ms())
        .execute(&self.write)
        .await?;
        self.site_cache.forget();
        Ok(())
    }

    /// Detaches `client` from `warehouse` (nothing happens if it was not attached). Its orders
    /// and stock there stay; it can no longer name the site.
    pub async fn detach_client_site(&self, client: &ClientId, warehouse: &WarehouseId) -> StoreResult<()> {
        sqlx::query("DELETE FROM client_sites WHERE client_id = $1 AND warehouse_id = $2")
            .bind(&client.0)
            .bind(&warehouse.0)
            .execute(&self.write)
            .await?;
        self.site_cache.forget();
        Ok(())
    }

    /// The ids of the warehouses `client` is attached to, at most [`crate::CACHE_TTL`] old.
    pub(crate) async fn client_site_ids(&self, client: &ClientId) -> StoreResult<SiteIds> {
        let ids = self
            .site_cache
            .get_or_read(client.0.clone(), || async {
                let rows = sqlx::query("SELECT warehouse_id FROM client_sites WHERE client_id = $1")
                    .bind(&client.0)
                    .fetch_all(&self.read)
                    .await?;
                let ids =
                    rows.iter().map(|r| s(r, "warehouse_id").map(WarehouseId)).collect::<StoreResult<Vec<_>>>()?;
                Ok(Some(SiteIds::from(ids)))
            })
            .await?;
        Ok(ids.unwrap_or_else(|| SiteIds::from(vec![])))
    }

    /// The warehouses `client` is attached to, ordered by code.
    pub async fn client_warehouses(&self, client: &ClientId) -> StoreResult<Vec<Warehouse>> {
        let ids = self.client_site_ids(client).await?;
        let refs = self.reference_data().await?;
        let mut out: Vec<Warehouse> = refs.warehouses.iter().filter(|w| ids.contains(&w.id)).cloned().collect();
        if out.len() < ids.len() {
            // A warehouse created a moment ago, not yet in the snapshot.
            let refs = self.reload_reference_data().await?;
            out = refs.warehouses.iter().filter(|w| ids.contains(&w.id)).cloned().collect();
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(out)
    }

    /// The services of the warehouses `client` is attached to (of `warehouse` only, when given),
    /// ordered like [`Store::services`].
    pub async fn client_services(
        &self,
        client: &ClientId,
        warehouse: Option<&WarehouseId>,
    ) -> StoreResult<Vec<Service>> {
        let ids = self.client_site_ids(client).await?;
        let refs = self.reference_data().await?;
        let mut out: Vec<Service> = refs
            .services
            .iter()
            .filter(|s| ids.contains(&s.warehouse_id) && warehouse.is_none_or(|w| s.warehouse_id == *w))
            .cloned()
            .collect();
        out.sort_by(|a, b| (&a.warehouse_id, &a.code).cmp(&(&b.warehouse_id, &b.code)));
        Ok(out)
    }

    /// The warehouse of numeric id `number` (Bird's `company_id`), if `client` is attached to it;
    /// otherwise the same `NotFound` as for an unknown id.
    pub async fn warehouse_for_client_by_numeric_id(&self, client: &ClientId, number: i64) -> StoreResult<Warehouse> {
        let ids = self.client_site_ids(client).await?;
        self.attached_warehouse(&ids, |w| w.bird_company_id == Some(number))
            .await?
            .ok_or_else(|| CoreError::not_found("company", number).into())
    }

    /// The warehouse an OC ERP means by `serviceRegion` (any case), if `client` is attached to
    /// it; otherwise the same `NotFound` as for an unknown region.
    pub async fn warehouse_for_client_by_region(&self, client: &ClientId, region: &str) -> StoreResult<Warehouse> {
        let ids = self.client_site_ids(client).await?;
        let region = region.trim();
        self.attached_warehouse(&ids, |w| w.oc_region.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(region)))
            .await?
            .ok_or_else(|| CoreError::not_found("serviceRegion", region).into())
    }

    /// The warehouse with operator code `code`, if `client` is attached to it; otherwise the same
    /// `NotFound` as for an unknown code.
    pub async fn warehouse_for_client_by_code(&self, client: &ClientId, code: &str) -> StoreResult<Warehouse> {
        let ids = self.client_site_ids(client).await?;
        self.attached_warehouse(&ids, |w| w.code == code)
            .await?
            .ok_or_else(|| CoreError::not_found("warehouse", code).into())
    }

    /// The service of numeric id `number` (Bird's `delivery_service_id`), if it is offered at a
    /// site `client` is attached to; otherwise the same `NotFound` as for an unknown id.
    pub async fn service_for_client_by_numeric_id(&self, client: &ClientId, number: i64) -> StoreResult<Service> {
        let ids = self.client_site_ids(client).await?;
        self.cached(|snap| {
            snap.services.iter().find(|s| s.bird_id == Some(number) && ids.contains(&s.warehouse_id)).cloned()
        })
        .await?
        .ok_or_else(|| CoreError::not_found("delivery service", number).into())
    }

    /// `admin check`: no client is attached to a warehouse of another operator company.
    pub(crate) async fn check_sites(&self, out: &mut Vec<Violation>) -> StoreResult<()> {
        let rows = sqlx::query(
            "SELECT cs.client_id, w.code FROM client_sites cs JOIN clients c ON c.id = cs.client_id \
             JOIN warehouses w ON w.id = cs.warehouse_id WHERE c.company_id <> w.company_id",
        )
        .fetch_all(&self.read)
        .await?;
        for r in &rows {
            out.push(Violation {
                invariant: "sites",
                detail: format!(
                    "client {} is attached to {}, a site of another operator",
                    s(r, "client_id")?,
                    s(r, "code")?
                ),
            });
        }
        Ok(())
    }

    /// The first of the client's warehouses that `is` picks, from the reference-data snapshot
    /// (reloaded once if it finds none, as for an unknown id).
    async fn attached_warehouse(
        &self,
        ids: &[WarehouseId],
        is: impl Fn(&Warehouse) -> bool,
    ) -> StoreResult<Option<Warehouse>> {
        self.cached(|snap| snap.warehouses.iter().find(|w| ids.contains(&w.id) && is(w)).cloned()).await
    }
}
