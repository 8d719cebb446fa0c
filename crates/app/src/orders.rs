//! Outbound orders and their carrier bookings. Reads forward to the ports; a use case that is more than one
//! port call is written here once.

use entrepot_core::{
    actor::Actor,
    ids::*,
    outbound::{NewOutbound, OutboundStatus},
    CoreError, CoreResult,
};

use crate::types::{booking::*, orders::*};

use crate::App;

impl App {
    /// Adds a product to a draft (quantities of the same SKU add up).
    pub async fn add_order_line(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        sku: SkuId,
        qty: i64,
        sale: entrepot_core::sale::LineSale,
    ) -> CoreResult<OrderLine> {
        self.storage.add_order_line(tenant, id, sku, qty, sale).await
    }

    /// One of the tenant's orders by internal id, Bird id, OC number or reference.
    pub async fn find_order(&self, tenant: &ClientId, key: &str) -> CoreResult<OrderView> {
        self.storage.find_order(tenant, key).await
    }

    /// One order of `client` as a person on the native API may see it: a seller user its own
    /// client's, staff those of their warehouses (any client's), operators any. Another's is not
    /// found, as an order that does not exist.
    pub async fn order_for(&self, actor: &Actor, client: &ClientId, key: &str) -> CoreResult<OrderView> {
        actor.require_client(client).map_err(|_| CoreError::not_found("order", key))?;
        let o = self.storage.find_order(client, key).await?;
        if actor.client().is_none() && !actor.sees_warehouse(&o.warehouse_id) {
            return Err(CoreError::not_found("order", key));
        }
        Ok(o)
    }

    /// A client's cancel as every door gives it: before picking the order is cancelled (stock
    /// and fee released); once picking has started it becomes an intercept request that staff
    /// accept or refuse. Returns the order and whether it is now an intercept request.
    pub async fn cancel_or_intercept(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        reason: Option<&str>,
    ) -> CoreResult<(OrderView, bool)> {
        let o = self.storage.find_order(tenant, &id.0).await?;
        if o.status.intercepts() {
            let reason = reason.map(|r| entrepot_core::limits::free_text("reason", r)).transpose()?;
            return Ok((self.storage.request_intercept(tenant, id, reason).await?, true));
        }
        Ok((self.cancel_order(tenant, id, reason).await?, false))
    }

    /// Staff of the order's warehouse accept (the order is cancelled, its units go back to their
    /// bins) or refuse (it ships) a client's intercept request.
    pub async fn resolve_intercept(
        &self,
        actor: &Actor,
        client: &ClientId,
        key: &str,
        accept: bool,
    ) -> CoreResult<OrderView> {
        actor.require_staff()?;
        let o = self.order_for(actor, client, key).await?;
        self.storage.resolve_intercept(actor, client, &o.id, accept).await
    }

    /// Staff of the order's warehouse put an order stopped in Exception (a short pick no bin could
    /// make up) back onto the floor once its stock is sorted out: Submitted, keeping its due
    /// date, so the next wave takes it first. (Its client may cancel it instead.)
    pub async fn requeue_exception(&self, actor: &Actor, client: &ClientId, key: &str) -> CoreResult<OrderView> {
        actor.require_staff()?;
        let o = self.order_for(actor, client, key).await?;
        if o.status != entrepot_core::outbound::OutboundStatus::Exception {
            return Err(CoreError::Conflict(format!("order {} is {}, not in Exception", o.oc_number, o.status)));
        }
        self.storage.requeue_exception(actor, client, &o.id).await
    }

    /// REQUESTED, ACCEPTED, REFUSED or none, for an order `actor` may see.
    pub async fn intercept_of(&self, actor: &Actor, client: &ClientId, key: &str) -> CoreResult<Option<String>> {
        let o = self.order_for(actor, client, key).await?;
        self.storage.intercept_of(&o.id).await
    }

    /// The orders of `warehouse` waiting for its staff: exceptions to put back onto the floor
    /// (or cancel), and intercepts to accept or refuse.
    pub async fn staff_queue(&self, actor: &Actor, warehouse: &WarehouseId) -> CoreResult<Vec<StaffQueueItem>> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        self.storage.staff_queue(warehouse, 200).await
    }

    /// System side: claims shipped orders to ask their carrier about (see
    /// [`crate::ports::TrackingPort::claim_in_transit`]).
    pub async fn claim_in_transit(&self, now_ms: i64, recheck_ms: i64, limit: i64) -> CoreResult<Vec<InTransit>> {
        self.storage.claim_in_transit(now_ms, recheck_ms, limit).await
    }

    /// System side: records what a carrier reported of a shipped order.
    pub async fn record_tracking(
        &self,
        client: &ClientId,
        order: &OrderId,
        events: &[entrepot_core::tracking::TrackingEvent],
    ) -> CoreResult<usize> {
        self.storage.record_tracking(client, order, events).await
    }

    /// An order's tracking events, for whoever may see the order.
    pub async fn order_tracking(
        &self,
        actor: &Actor,
        client: &ClientId,
        key: &str,
    ) -> CoreResult<(OrderView, Vec<entrepot_core::tracking::TrackingEvent>)> {
        let mut o = self.order_for(actor, client, key).await?;
        let events = self.storage.tracking_events(&o.id).await?;
        // The delivery and its event are written together, but read one after the other: read
        // the order again rather than show a delivered parcel's order still SHIPPED.
        let delivered = events.iter().any(|e| e.code == entrepot_core::tracking::TrackingCode::Delivered);
        if delivered && o.status != entrepot_core::outbound::OutboundStatus::Delivered {
            o = self.order_for(actor, client, key).await?;
        }
        Ok((o, events))
    }

    /// A tenant's order's tracking events (the dialects' queries).
    pub async fn tracking_of(
        &self,
        tenant: &ClientId,
        id: &OrderId,
    ) -> CoreResult<Vec<entrepot_core::tracking::TrackingEvent>> {
        self.storage.find_order(tenant, &id.0).await?;
        self.storage.tracking_events(id).await
    }

    /// The tenant's orders matching `f`, newest first, with the total count.
    pub async fn list_orders(&self, tenant: &ClientId, f: &OrderFilter) -> CoreResult<(Vec<OrderView>, i64)> {
        self.storage.list_orders(tenant, f).await
    }

    /// The lines of one of the tenant's orders.
    pub async fn order_lines(&self, tenant: &ClientId, id: &OrderId) -> CoreResult<Vec<OrderLine>> {
        self.storage.order_lines(tenant, id).await
    }

    /// Removes a product line from a draft.
    pub async fn remove_order_line(&self, tenant: &ClientId, line_id: i64) -> CoreResult<()> {
        self.storage.remove_order_line(tenant, line_id).await
    }

    /// Moves an order to `to`, applying its ledger effect. Submitting a draft re-plans it (its
    /// products may have changed); clients may cancel only before picking starts.
    pub async fn transition_order(&self, tenant: &ClientId, id: &OrderId, to: OutboundStatus) -> CoreResult<OrderView> {
        self.storage.transition_order(tenant, id, to).await
    }

    /// Cancels an order (clients only before picking starts), keeping the client's `reason`:
    /// free text, at most [`entrepot_core::limits::MAX_FREE_TEXT_CHARS`] characters.
    pub async fn cancel_order(&self, tenant: &ClientId, id: &OrderId, reason: Option<&str>) -> CoreResult<OrderView> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = reason {
            entrepot_core::limits::free_text("cancelReason", r)?;
        }
        self.storage.cancel_order(tenant, id, reason).await
    }

    /// Moves several orders in one transaction: all of them, or none.
    pub async fn transition_orders(
        &self,
        tenant: &ClientId,
        ids: &[OrderId],
        to: OutboundStatus,
    ) -> CoreResult<Vec<OrderView>> {
        self.storage.transition_orders(tenant, ids, to).await
    }

    /// Changes a draft's recipient, service and references.
    pub async fn update_draft(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        new: NewOutbound,
        service: &ServiceId,
    ) -> CoreResult<OrderView> {
        self.storage.update_draft(tenant, id, new, service).await
    }

    /// Why the last booking of one of the tenant's orders failed, if it did.
    pub async fn booking_error(&self, tenant: &ClientId, id: &OrderId) -> CoreResult<Option<String>> {
        self.storage.booking_error(tenant, id).await
    }

    /// The label kept with the booking of one of the tenant's orders; `None` if the order has none
    /// in the database (not booked yet, or booked before labels were kept there).
    pub async fn order_label(&self, tenant: &ClientId, id: &OrderId) -> CoreResult<Option<Vec<u8>>> {
        self.storage.order_label(tenant, id).await
    }

    /// Claims one of the tenant's orders for an immediate booking (Bird's `returnLabel=1`). A
    /// retry waiting for its time is taken at once; an order another worker is booking right now
    /// is not (`None`).
    pub async fn claim_booking_of(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        owner: &str,
        lease_ms: i64,
    ) -> CoreResult<Option<BookingClaim>> {
        self.storage.claim_booking_of(tenant, id, owner, lease_ms).await
    }

    /// System side: claims up to `max` (at most [`MAX_BOOKING_BATCH`]) of the oldest orders
    /// waiting for a booking, in claim order, for `owner` until `lease_ms` from now, in one
    /// statement. Fewer than `max` may come back while more wait, if a concurrent claimer
    /// took some of them first.
    pub async fn claim_bookings(&self, owner: &str, lease_ms: i64, max: usize) -> CoreResult<Vec<BookingClaim>> {
        self.storage.claim_bookings(owner, lease_ms, max).await
    }

    /// Gives a claimed order back after a temporary failure, to be retried from `retry_at_ms`.
    pub async fn defer_booking(&self, id: &OrderId, owner: &str, retry_at_ms: i64, error: &str) -> CoreResult<bool> {
        self.storage.defer_booking(id, owner, retry_at_ms, error).await
    }

    /// Records many bookings and their `order.tracking` events in one transaction, each under the
    /// conditions of [`Self::finish_booking`]; says per booking, in order, whether it was recorded.
    pub async fn finish_bookings(&self, owner: &str, done: Vec<FinishedBooking>) -> CoreResult<Vec<bool>> {
        self.storage.finish_bookings(owner, done).await
    }

    /// Keeps why a carrier refused a claimed order, for the order's EXCEPTION status the caller
    /// sets next; `false` if `owner` no longer holds it. The lease stays, so nobody books the
    /// order again before it leaves the waiting states (or the lease runs out, if setting the
    /// status failed).
    pub async fn refuse_booking(&self, id: &OrderId, owner: &str, reason: &str) -> CoreResult<bool> {
        self.storage.refuse_booking(id, owner, reason).await
    }

    /// Gives claimed orders that were never sent to the carrier back at once (a batch cut short
    /// by shutdown or by its lease running low), uncounted, so that nobody waits for their lease
    /// to run out; returns how many were still ours.
    pub async fn release_bookings(&self, owner: &str, ids: &[OrderId]) -> CoreResult<u64> {
        self.storage.release_bookings(owner, ids).await
    }
}
