//! The operator's set-up: companies, their warehouses and services, clients and the sites each
//! client may use.

use async_trait::async_trait;
use entrepot_core::{
    calendar::Calendar,
    company::{Client, Company, Warehouse},
    ids::*,
    money::Currency,
    service::Service,
    CoreResult,
};

use crate::types::operator::NewService;

#[async_trait]
pub trait SetupPort: Send + Sync {
    /// Attaches `client` to a site of its own operator company (attaching twice is harmless).
    async fn attach_client_site(&self, client: &ClientId, warehouse: &WarehouseId) -> CoreResult<()>;
    /// Every client, by name.
    async fn clients(&self) -> CoreResult<Vec<Client>>;
    /// Every operator company, oldest first.
    async fn companies(&self) -> CoreResult<Vec<Company>>;
    async fn create_client(&self, company: &CompanyId, name: &str, currency: &Currency) -> CoreResult<Client>;
    async fn create_company(&self, name: &str) -> CoreResult<Company>;
    /// A service at the warehouse coded `n.warehouse_code`; the id is generated.
    async fn create_service(&self, n: NewService) -> CoreResult<Service>;
    /// Creates a warehouse after the core validated it; `w.id` is replaced by a new id.
    async fn create_warehouse(&self, w: Warehouse) -> CoreResult<Warehouse>;
    /// Stops `client` from naming the site; its orders and stock there stay.
    async fn detach_client_site(&self, client: &ClientId, warehouse: &WarehouseId) -> CoreResult<()>;
    /// A client by id or name.
    async fn find_client(&self, id_or_name: &str) -> CoreResult<Client>;
    /// Every service (of one warehouse, when given), by warehouse and code.
    async fn services(&self, warehouse: Option<&WarehouseId>) -> CoreResult<Vec<Service>>;
    /// Stops (or resumes) taking orders on a service.
    async fn set_service_active(&self, id: &ServiceId, active: bool) -> CoreResult<()>;
    /// Replaces the days warehouse `code` does not ship.
    async fn set_warehouse_calendar(&self, code: &str, calendar: &Calendar) -> CoreResult<Warehouse>;
    /// Moves warehouse `code`'s daily cut-off (minutes after local midnight).
    async fn set_warehouse_cutoff(&self, code: &str, minutes: i32) -> CoreResult<Warehouse>;
}
