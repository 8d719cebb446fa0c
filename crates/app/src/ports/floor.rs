//! The warehouse floor: what staff do to stock and to the inbound orders bringing it.

use async_trait::async_trait;
use entrepot_core::{ids::*, inventory::Transfer, CoreResult};

use crate::types::inbound::InboundView;

#[async_trait]
pub trait FloorPort: Send + Sync {
    /// Marks an inbound as arrived at the dock.
    async fn arrive_inbound(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView>;
    /// Books the delivery appointment of a non-express inbound.
    async fn book_inbound_appointment(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView>;
    /// Closes an inbound whose remaining goods will not come; records discrepancies.
    async fn close_inbound(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView>;
    /// Moves stock by an operator's decision (count correction, damage, found goods, freeze),
    /// recording the movement and a `stock.changed` event.
    async fn move_stock(
        &self,
        tenant: &ClientId,
        sku: SkuId,
        warehouse: &WarehouseId,
        transfer: Transfer,
        note: Option<&str>,
    ) -> CoreResult<()>;
    /// Puts goods received against an inbound away, making them available.
    async fn put_away_inbound(&self, tenant: &ClientId, key: &str, sku: SkuId, qty: i64) -> CoreResult<InboundView>;
    /// Receives goods against an inbound order (`key`: id, number or reference).
    async fn receive_inbound(&self, tenant: &ClientId, key: &str, sku: SkuId, qty: i64) -> CoreResult<InboundView>;
}
