//! Carrier bookings of submitted orders (the booking worker's side).

use async_trait::async_trait;
use entrepot_core::{ids::*, CoreResult};

use crate::types::booking::*;

#[async_trait]
pub trait BookingPort: Send + Sync {
    /// Claims one of the tenant's orders for an immediate booking (Bird's `returnLabel=1`). A
    /// retry waiting for its time is taken at once; an order another worker is booking right now
    /// is not (`None`).
    async fn claim_booking_of(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        owner: &str,
        lease_ms: i64,
    ) -> CoreResult<Option<BookingClaim>>;
    /// System side: claims up to `max` (at most [`MAX_BOOKING_BATCH`]) of the oldest orders
    /// waiting for a booking, in claim order, for `owner` until `lease_ms` from now, in one
    /// statement. Fewer than `max` may come back while more wait, if a concurrent claimer
    /// took some of them first.
    async fn claim_bookings(&self, owner: &str, lease_ms: i64, max: usize) -> CoreResult<Vec<BookingClaim>>;
    /// Gives a claimed order back after a temporary failure, to be retried from `retry_at_ms`.
    async fn defer_booking(&self, id: &OrderId, owner: &str, retry_at_ms: i64, error: &str) -> CoreResult<bool>;
    /// Records many bookings and their `order.tracking` events in one transaction, each under the
    /// conditions of [`Self::finish_booking`]; says per booking, in order, whether it was recorded.
    async fn finish_bookings(&self, owner: &str, done: Vec<FinishedBooking>) -> CoreResult<Vec<bool>>;
    /// Keeps why a carrier refused a claimed order, for the order's EXCEPTION status the caller
    /// sets next; `false` if `owner` no longer holds it. The lease stays, so nobody books the
    /// order again before it leaves the waiting states (or the lease runs out, if setting the
    /// status failed).
    async fn refuse_booking(&self, id: &OrderId, owner: &str, reason: &str) -> CoreResult<bool>;
    /// Gives claimed orders that were never sent to the carrier back at once (a batch cut short
    /// by shutdown or by its lease running low), uncounted, so that nobody waits for their lease
    /// to run out; returns how many were still ours.
    async fn release_bookings(&self, owner: &str, ids: &[OrderId]) -> CoreResult<u64>;
}
