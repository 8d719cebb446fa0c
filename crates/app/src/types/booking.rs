use entrepot_core::ids::OrderId;

use super::orders::OrderView;

/// The most orders one claim takes, and the most ids one statement binds (SQLite limits those).
pub const MAX_BOOKING_BATCH: usize = 500;

/// A claimed order and how many times booking it has been started (this claim included).
#[derive(Debug, Clone)]
pub struct BookingClaim {
    pub order: OrderView,
    pub attempts: i64,
}

/// What the carrier answered for a claimed order, to record with [`Store::finish_bookings`].
#[derive(Debug, Clone)]
pub struct FinishedBooking {
    pub id: OrderId,
    pub tracking: String,
    pub carrier: String,
    /// The label as the carrier produced it (a PDF), kept with the booking.
    pub label: Vec<u8>,
    /// The weight the label declares, in grams (packing re-books a parcel that weighs onto
    /// another step of the price list); 0 when not known.
    pub declared_weight_g: i64,
}
