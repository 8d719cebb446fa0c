//! Warehouses and services, and which of them a client is attached to.

use std::sync::Arc;

use async_trait::async_trait;
use entrepot_core::{company::Warehouse, ids::*, service::Service, CoreResult};

use crate::types::reference::*;

#[async_trait]
pub trait SitePort: Send + Sync {
    /// [`Self::service`] through the snapshot.
    async fn cached_service(&self, id: &ServiceId) -> CoreResult<Service>;
    /// [`Self::warehouse`] through the snapshot.
    async fn cached_warehouse(&self, id: &WarehouseId) -> CoreResult<Warehouse>;
    /// The services of the warehouses `client` is attached to (of `warehouse` only, when given),
    /// ordered like [`Self::services`].
    async fn client_services(&self, client: &ClientId, warehouse: Option<&WarehouseId>) -> CoreResult<Vec<Service>>;
    /// The warehouses `client` is attached to, ordered by code.
    async fn client_warehouses(&self, client: &ClientId) -> CoreResult<Vec<Warehouse>>;
    /// Warehouses and services, at most [`TTL`] old.
    async fn reference_data(&self) -> CoreResult<Arc<Snapshot>>;
    async fn service(&self, id: &ServiceId) -> CoreResult<Service>;
    /// A service by its OC code within a warehouse.
    async fn service_by_code(&self, warehouse: &WarehouseId, code: &str) -> CoreResult<Service>;
    /// The service a Bird ERP means by `delivery_service_id`, if it is offered at a site `client`
    /// is attached to; otherwise the same `NotFound` as for an unknown id.
    async fn service_for_client_by_numeric_id(&self, client: &ClientId, bird_id: i64) -> CoreResult<Service>;
    async fn warehouse(&self, id: &WarehouseId) -> CoreResult<Warehouse>;
    async fn warehouse_by_code(&self, code: &str) -> CoreResult<Warehouse>;
    /// The warehouse a Bird ERP means by `company_id`, if `client` is attached to it; otherwise
    /// the same `NotFound` as for an unknown `company_id`.
    async fn warehouse_for_client_by_numeric_id(
        &self,
        client: &ClientId,
        bird_company_id: i64,
    ) -> CoreResult<Warehouse>;
    /// The warehouse with operator code `code`, if `client` is attached to it; otherwise the same
    /// `NotFound` as for an unknown code.
    async fn warehouse_for_client_by_code(&self, client: &ClientId, code: &str) -> CoreResult<Warehouse>;
    /// The warehouse an OC ERP means by `serviceRegion` (any case), if `client` is attached to
    /// it; otherwise the same `NotFound` as for an unknown region.
    async fn warehouse_for_client_by_region(&self, client: &ClientId, region: &str) -> CoreResult<Warehouse>;
    async fn warehouses(&self) -> CoreResult<Vec<Warehouse>>;
}
