//! Keeping the booking queue (migration 13) in step with the orders: a row goes in with every order
//! that starts waiting for a carrier booking, in the transaction that makes it wait, and goes out
//! when the booking is recorded or the order can no longer be booked.
//!
//! The order row stays the truth: a claim reads the orders it took and drops the rows of those
//! that moved on (see `booking::claimed`), so a row left behind costs one claim slot, never a
//! wrong booking.

use entrepot_core::outbound::{OrderKind, OutboundStatus};

use crate::{
    engine::{
        bulk::{self, Val},
        exec::Tx,
    },
    OrderView, StoreResult,
};

/// Orders in these states, without a tracking number, wait for a carrier booking: from
/// submission until packed, so that a parcel picked and packed before the background booking
/// came round still gets its label before it is handed over. RETURN consignments come back to
/// the warehouse: nothing is shipped, so nothing is booked.
pub(crate) const WAITING: &str =
    "tracking_number IS NULL AND status IN ('SUBMITTED', 'WAIT_PICKING', 'PICKING', 'PACKED') \
     AND kind <> 'RETURN'";

/// Whether `o` waits for a carrier booking ([`WAITING`], read from the order).
pub(crate) fn waits(o: &OrderView) -> bool {
    o.tracking_number.is_none()
        && matches!(
            o.status,
            OutboundStatus::Submitted | OutboundStatus::WaitPicking | OutboundStatus::Picking | OutboundStatus::Packed
        )
        && o.kind != OrderKind::Return
}

/// Queues the orders of `orders` that wait for a booking, in claim order of `queued_at`.
pub(crate) async fn enqueue(tx: &mut Tx<'_>, orders: &[OrderView], queued_at: i64) -> StoreResult<()> {
    let rows: Vec<Vec<Val>> = orders
        .iter()
        .filter(|o| waits(o))
        .map(|o| vec![Val::from(o.id.0.as_str()), Val::from(o.client_id.0.as_str()), Val::I(queued_at)])
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    // An order queued already (a transition between two waiting states) keeps its place and lease.
    let tail = "ON CONFLICT (order_id) DO NOTHING";
    bulk::insert(tx, "booking_queue", &["order_id", "client_id", "queued_at"], rows, tail).await?;
    Ok(())
}

/// After `o` moved to its current status at `now`: queued if it waits now; out of the queue if it
/// can never be booked any more (cancelled, or in exception after a carrier refused it). An order
/// moving on to picking keeps a row a worker holds, so that a booking under way is still recorded.
pub(crate) async fn follow(tx: &mut Tx<'_>, o: &OrderView, now: i64) -> StoreResult<()> {
    if waits(o) {
        return enqueue(tx, std::slice::from_ref(o), now).await;
    }
    let sql = if matches!(o.status, OutboundStatus::Cancelled | OutboundStatus::Exception) {
        "DELETE FROM booking_queue WHERE order_id = $1"
    } else {
        "DELETE FROM booking_queue WHERE order_id = $1 AND owner IS NULL"
    };
    tx.execute(sql, [Val::from(o.id.0.as_str())]).await?;
    Ok(())
}
