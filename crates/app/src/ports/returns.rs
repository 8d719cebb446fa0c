//! Returns (RMAs) on the floor: receiving them and running their actions.

use async_trait::async_trait;
use entrepot_core::{actor::Actor, ids::*, returns::ReturnRates, service::Service, CoreResult};

use crate::types::returns::{ReturnCommand, ReturnReceipt, ReturnView, UnidentifiedReturn};

#[async_trait]
pub trait ReturnPort: Send + Sync {
    /// The warehouse's internal service that carries return authorisations created without a
    /// delivery service (created on first use; never listed).
    async fn return_service(&self, warehouse: &WarehouseId) -> CoreResult<Service>;
    /// The RETURN consignment a scan names (Bird id, order id or the buyer's tracking number),
    /// whichever client it belongs to.
    async fn find_return(&self, scan: &str) -> CoreResult<Option<(ClientId, OrderId)>>;
    async fn return_view(&self, tenant: &ClientId, order: &OrderId) -> CoreResult<ReturnView>;
    /// Receives the counted units, in one transaction with their stock, audit entry and event.
    async fn receive_return(
        &self,
        actor: &Actor,
        tenant: &ClientId,
        order: &OrderId,
        receipt: ReturnReceipt,
    ) -> CoreResult<ReturnView>;
    /// Runs an action (inspection, or a final action charged from `rates`), in one transaction.
    async fn run_return_action(
        &self,
        actor: &Actor,
        tenant: &ClientId,
        order: &OrderId,
        cmd: ReturnCommand,
        rates: &ReturnRates,
    ) -> CoreResult<ReturnView>;
    async fn record_unidentified_return(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        scanned: &str,
        note: Option<&str>,
    ) -> CoreResult<UnidentifiedReturn>;
    async fn unidentified_returns(&self, warehouse: Option<&WarehouseId>) -> CoreResult<Vec<UnidentifiedReturn>>;
    /// Matches a queued unidentified return to the authorisation `order` of `tenant`.
    async fn match_unidentified_return(
        &self,
        actor: &Actor,
        id: &UnidentifiedReturnId,
        tenant: &ClientId,
        order: &OrderId,
    ) -> CoreResult<UnidentifiedReturn>;
    /// Disposes of the unmatched parcel `id` of one of the actor's warehouses if it arrived at or
    /// before `arrived_by_ms` (again: nothing changes); it leaves the queue.
    async fn dispose_unidentified_return(
        &self,
        actor: &Actor,
        id: &UnidentifiedReturnId,
        arrived_by_ms: i64,
    ) -> CoreResult<UnidentifiedReturn>;
    /// The returns rate card the operator set for `warehouse`, if any.
    async fn return_rates(&self, warehouse: &WarehouseId) -> CoreResult<Option<ReturnRates>>;
    async fn set_return_rates(&self, actor: &Actor, warehouse: &WarehouseId, rates: &ReturnRates) -> CoreResult<()>;
}
