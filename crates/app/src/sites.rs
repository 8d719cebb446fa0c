//! Warehouses and services, and the sites a client is attached to. Reads forward to the ports; a use case that is more than one
//! port call is written here once.

use std::sync::Arc;

use entrepot_core::{company::Warehouse, ids::*, service::Service, CoreResult};

use crate::types::reference::*;

use crate::App;

impl App {
    /// [`Self::service`] through the snapshot.
    pub async fn cached_service(&self, id: &ServiceId) -> CoreResult<Service> {
        self.storage.cached_service(id).await
    }

    /// [`Self::warehouse`] through the snapshot.
    pub async fn cached_warehouse(&self, id: &WarehouseId) -> CoreResult<Warehouse> {
        self.storage.cached_warehouse(id).await
    }

    /// The services of the warehouses `client` is attached to (of `warehouse` only, when given),
    /// ordered like [`Self::services`].
    pub async fn client_services(
        &self,
        client: &ClientId,
        warehouse: Option<&WarehouseId>,
    ) -> CoreResult<Vec<Service>> {
        self.storage.client_services(client, warehouse).await
    }

    /// The warehouses `client` is attached to, ordered by code.
    pub async fn client_warehouses(&self, client: &ClientId) -> CoreResult<Vec<Warehouse>> {
        self.storage.client_warehouses(client).await
    }

    /// Warehouses and services, at most [`TTL`] old.
    pub async fn reference_data(&self) -> CoreResult<Arc<Snapshot>> {
        self.storage.reference_data().await
    }

    pub async fn service(&self, id: &ServiceId) -> CoreResult<Service> {
        self.storage.service(id).await
    }

    /// A service by its OC code within a warehouse.
    pub async fn service_by_code(&self, warehouse: &WarehouseId, code: &str) -> CoreResult<Service> {
        self.storage.service_by_code(warehouse, code).await
    }

    /// The service a Bird ERP means by `delivery_service_id`, if it is offered at a site `client`
    /// is attached to; otherwise the same `NotFound` as for an unknown id.
    pub async fn service_for_client_by_numeric_id(&self, client: &ClientId, bird_id: i64) -> CoreResult<Service> {
        self.storage.service_for_client_by_numeric_id(client, bird_id).await
    }

    pub async fn warehouse(&self, id: &WarehouseId) -> CoreResult<Warehouse> {
        self.storage.warehouse(id).await
    }

    pub async fn warehouse_by_code(&self, code: &str) -> CoreResult<Warehouse> {
        self.storage.warehouse_by_code(code).await
    }

    /// The warehouse a Bird ERP means by `company_id`, if `client` is attached to it; otherwise
    /// the same `NotFound` as for an unknown `company_id`.
    pub async fn warehouse_for_client_by_numeric_id(
        &self,
        client: &ClientId,
        bird_company_id: i64,
    ) -> CoreResult<Warehouse> {
        self.storage.warehouse_for_client_by_numeric_id(client, bird_company_id).await
    }

    /// The warehouse with operator code `code`, if `client` is attached to it; otherwise the same
    /// `NotFound` as for an unknown code.
    pub async fn warehouse_for_client_by_code(&self, client: &ClientId, code: &str) -> CoreResult<Warehouse> {
        self.storage.warehouse_for_client_by_code(client, code).await
    }

    /// The warehouse an OC ERP means by `serviceRegion` (any case), if `client` is attached to
    /// it; otherwise the same `NotFound` as for an unknown region.
    pub async fn warehouse_for_client_by_region(&self, client: &ClientId, region: &str) -> CoreResult<Warehouse> {
        self.storage.warehouse_for_client_by_region(client, region).await
    }

    pub async fn warehouses(&self) -> CoreResult<Vec<Warehouse>> {
        self.storage.warehouses().await
    }
}
