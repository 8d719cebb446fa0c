//! Outbound orders: placing, editing, moving through their states.

use async_trait::async_trait;
use entrepot_core::{
    ids::*,
    outbound::{NewOutbound, OutboundStatus},
    CoreResult,
};

use crate::types::orders::*;

#[async_trait]
pub trait OrderPort: Send + Sync {
    /// Adds a product to a draft (quantities of the same SKU add up).
    async fn add_order_line(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        sku: SkuId,
        qty: i64,
        sale: entrepot_core::sale::LineSale,
    ) -> CoreResult<OrderLine>;
    /// One of the tenant's orders by internal id, Bird id, OC number or reference.
    async fn find_order(&self, tenant: &ClientId, key: &str) -> CoreResult<OrderView>;
    /// The tenant's orders matching `f`, newest first, with the total count.
    async fn list_orders(&self, tenant: &ClientId, f: &OrderFilter) -> CoreResult<(Vec<OrderView>, i64)>;
    /// The tenant's orders due on `[from, to]` (warehouse-local `YYYY-MM-DD`), counted by
    /// warehouse, day and state.
    async fn due_counts(
        &self,
        tenant: &ClientId,
        from: &str,
        to: &str,
    ) -> CoreResult<Vec<crate::types::dashboard::DueCount>>;
    /// The tenant's orders handed over per due day in `[from, to]`, on time or late.
    async fn ship_days(
        &self,
        tenant: &ClientId,
        from: &str,
        to: &str,
    ) -> CoreResult<Vec<crate::types::dashboard::ShipDay>>;
    /// A warehouse's orders waiting for staff (exceptions, intercept requests), oldest change
    /// first, of any client.
    async fn staff_queue(&self, warehouse: &WarehouseId, limit: i64) -> CoreResult<Vec<StaffQueueItem>>;
    /// The lines of one of the tenant's orders.
    async fn order_lines(&self, tenant: &ClientId, id: &OrderId) -> CoreResult<Vec<OrderLine>>;
    /// Writes a batch of one client's orders (and the SKUs written with them) all-or-nothing; an
    /// error names its 1-based line. With `submit`, stock is reserved and fees held at once;
    /// without, the orders wait as drafts (Bird PREPARING). [`crate::App::place_orders`] is the
    /// one caller.
    async fn write_orders(&self, tenant: &ClientId, batch: OrderWrite, submit: bool) -> CoreResult<Vec<OrderView>>;
    /// Removes a product line from a draft.
    async fn remove_order_line(&self, tenant: &ClientId, line_id: i64) -> CoreResult<()>;
    /// Moves an order to `to`, applying its ledger effect. Submitting a draft re-plans it (its
    /// products may have changed); clients may cancel only before picking starts.
    async fn transition_order(&self, tenant: &ClientId, id: &OrderId, to: OutboundStatus) -> CoreResult<OrderView>;
    /// Cancels an order as [`Self::transition_order`] does, keeping `reason` (already bounded)
    /// with it.
    async fn cancel_order(&self, tenant: &ClientId, id: &OrderId, reason: Option<&str>) -> CoreResult<OrderView>;
    /// Records a cancel past picking as an intercept request (asking twice keeps the first).
    async fn request_intercept(&self, tenant: &ClientId, id: &OrderId, reason: Option<&str>) -> CoreResult<OrderView>;
    /// REQUESTED, ACCEPTED, REFUSED, or none.
    async fn intercept_of(&self, id: &OrderId) -> CoreResult<Option<String>>;
    /// Staff accept (cancel, units back to their bins) or refuse a requested intercept.
    async fn resolve_intercept(
        &self,
        actor: &entrepot_core::actor::Actor,
        tenant: &ClientId,
        id: &OrderId,
        accept: bool,
    ) -> CoreResult<OrderView>;
    /// Staff put an order stopped in Exception back onto the floor: Submitted, out of its old
    /// wave, for the next one.
    async fn requeue_exception(
        &self,
        actor: &entrepot_core::actor::Actor,
        tenant: &ClientId,
        id: &OrderId,
    ) -> CoreResult<OrderView>;
    /// Moves several orders in one transaction: all of them, or none.
    async fn transition_orders(
        &self,
        tenant: &ClientId,
        ids: &[OrderId],
        to: OutboundStatus,
    ) -> CoreResult<Vec<OrderView>>;
    /// Changes a draft's recipient, service and references.
    async fn update_draft(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        new: NewOutbound,
        service: &ServiceId,
    ) -> CoreResult<OrderView>;
    /// Why the last booking of one of the tenant's orders failed, if it did.
    async fn booking_error(&self, tenant: &ClientId, id: &OrderId) -> CoreResult<Option<String>>;
    /// The label kept with the booking of one of the tenant's orders; `None` if the order has none
    /// in the database (not booked yet, or booked before labels were kept there).
    async fn order_label(&self, tenant: &ClientId, id: &OrderId) -> CoreResult<Option<Vec<u8>>>;
}
