//! Carrier booking claims: which submitted order a booking worker takes next, and recording what
//! the carrier answered.
//!
//! An order waits for booking while it is SUBMITTED or WAIT_PICKING without a tracking number.
//! A worker claims one with a single conditional `UPDATE` on `booking_lease_until` (portable: no
//! `SKIP LOCKED`), so of several processes on one database exactly one holds an order at a time;
//! the lease doubles as the "not before" time of a retry after a temporary carrier failure. The
//! result is recorded only by the lease holder and only while the order has no tracking number,
//! so even a worker whose lease ran out mid-booking cannot record a second booking.

use entrepot_core::{
    ids::{ClientId, OrderId},
    CoreError,
};
use serde_json::json;

use crate::{
    clock::now_ms,
    events,
    rows::{i, os, s},
    OrderView, Store, StoreResult,
};

/// A claimed order and how many times booking it has been started (this claim included).
#[derive(Debug, Clone)]
pub struct BookingClaim {
    pub order: OrderView,
    pub attempts: i64,
}

/// Orders in these states, without a tracking number, wait for a carrier booking. RETURN
/// consignments come back to the warehouse: nothing is shipped, so nothing is booked.
const WAITING: &str = "tracking_number IS NULL AND status IN ('SUBMITTED', 'WAIT_PICKING') AND kind <> 'RETURN'";

impl Store {
    /// System side: claims the oldest order waiting for a booking (and not leased, nor waiting to
    /// be retried) for `owner` until `lease_ms` from now.
    pub async fn claim_booking(&self, owner: &str, lease_ms: i64) -> StoreResult<Option<BookingClaim>> {
        let now = now_ms();
        let free = "(booking_lease_until IS NULL OR booking_lease_until < $3)";
        let row = sqlx::query(&format!(
            "UPDATE outbound_orders SET booking_owner = $1, booking_lease_until = $2, booking_attempts = booking_attempts + 1 \
             WHERE id = (SELECT id FROM outbound_orders WHERE {WAITING} AND {free} ORDER BY created_at, id LIMIT 1) \
             AND {WAITING} AND {free} RETURNING id, client_id, booking_attempts"
        ))
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(&self.write)
        .await?;
        self.claimed(row).await
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
    ) -> StoreResult<Option<BookingClaim>> {
        let now = now_ms();
        let free = "(booking_lease_until IS NULL OR booking_lease_until < $3 OR booking_owner IS NULL)";
        let row = sqlx::query(&format!(
            "UPDATE outbound_orders SET booking_owner = $1, booking_lease_until = $2, booking_attempts = booking_attempts + 1 \
             WHERE id = $4 AND client_id = $5 AND {WAITING} AND {free} RETURNING id, client_id, booking_attempts"
        ))
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .bind(&id.0)
        .bind(&tenant.0)
        .fetch_optional(&self.write)
        .await?;
        self.claimed(row).await
    }

    async fn claimed(&self, row: Option<sqlx::any::AnyRow>) -> StoreResult<Option<BookingClaim>> {
        let Some(row) = row else { return Ok(None) };
        let client = ClientId(s(&row, "client_id")?);
        let order = self.find_order(&client, &s(&row, "id")?).await?;
        Ok(Some(BookingClaim { order, attempts: i(&row, "booking_attempts")? }))
    }

    /// Records a booking and writes the `order.tracking` event, in one transaction, if `owner`
    /// still holds the order and it has no tracking number yet; `false` otherwise (another worker
    /// recorded it, or the order was cancelled meanwhile).
    pub async fn finish_booking(
        &self,
        id: &OrderId,
        owner: &str,
        tracking: &str,
        carrier: &str,
        label_path: &str,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "UPDATE outbound_orders SET tracking_number = $1, carrier = $2, label_path = $3, updated_at = $4, \
             booking_owner = NULL, booking_lease_until = NULL, booking_error = NULL \
             WHERE id = $5 AND booking_owner = $6 AND tracking_number IS NULL AND status NOT IN ('DRAFT', 'CANCELLED') \
             RETURNING client_id",
        )
        .bind(tracking)
        .bind(carrier)
        .bind(label_path)
        .bind(now_ms())
        .bind(&id.0)
        .bind(owner)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(false);
        };
        let client = ClientId(s(&row, "client_id")?);
        events::record(
            &mut tx,
            Some(&client),
            "order.tracking",
            &id.0,
            &json!({"id": id, "tracking_number": tracking, "carrier": carrier}),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Gives a claimed order back after a temporary failure, to be retried from `retry_at_ms`.
    pub async fn defer_booking(&self, id: &OrderId, owner: &str, retry_at_ms: i64, error: &str) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE outbound_orders SET booking_owner = NULL, booking_lease_until = $1, booking_error = $2 \
             WHERE id = $3 AND booking_owner = $4",
        )
        .bind(retry_at_ms)
        .bind(error)
        .bind(&id.0)
        .bind(owner)
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Keeps why a carrier refused a claimed order, for the order's EXCEPTION status the caller
    /// sets next; `false` if `owner` no longer holds it. The lease stays, so nobody books the
    /// order again before it leaves the waiting states (or the lease runs out, if setting the
    /// status failed).
    pub async fn refuse_booking(&self, id: &OrderId, owner: &str, reason: &str) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE outbound_orders SET booking_error = $1 WHERE id = $2 AND booking_owner = $3")
            .bind(reason)
            .bind(&id.0)
            .bind(owner)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Why the last booking of one of the tenant's orders failed, if it did.
    pub async fn booking_error(&self, tenant: &ClientId, id: &OrderId) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT booking_error FROM outbound_orders WHERE client_id = $1 AND id = $2")
            .bind(&tenant.0)
            .bind(&id.0)
            .fetch_optional(&self.read)
            .await?
            .ok_or_else(|| CoreError::not_found("order", id))?;
        os(&row, "booking_error")
    }
}
