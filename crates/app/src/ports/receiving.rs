//! Receiving at the dock: appointments, scans, discrepancies, unidentified freight, dock-to-stock.
//!
//! Floor methods take the acting user: the store checks the warehouse scope on the inbound it
//! loads, in the transaction that writes, and records the audit trail there.

use async_trait::async_trait;
use entrepot_core::{actor::Actor, ids::*, CoreResult};

use crate::types::{inbound::InboundView, receiving::*};

#[async_trait]
pub trait ReceivingPort: Send + Sync {
    /// The receipt of the inbound a carton mark (or an inbound number) names.
    async fn open_receipt(&self, actor: &Actor, code: &str) -> CoreResult<ReceiptView>;
    /// The receipt of an inbound by id, number or reference; `client` narrows it to one client.
    async fn receipt(&self, actor: &Actor, client: Option<&ClientId>, inbound: &str) -> CoreResult<ReceiptView>;
    /// Counts one scan in its own transaction (units move, counters update, audit recorded).
    async fn receive_scan(&self, actor: &Actor, scan: &ReceiveScan) -> CoreResult<ScanResult>;
    /// Records an unexpected SKU with an inbound (an `inbound.discrepancy` event).
    async fn record_unexpected(&self, actor: &Actor, n: &NewUnexpected) -> CoreResult<DiscrepancyView>;
    /// Closes the receipt: short lines recorded, the rest waits for put-away.
    async fn close_receipt(&self, actor: &Actor, inbound: &str) -> CoreResult<ReceiptView>;
    /// The discrepancies of the client's inbound (id, number or reference), oldest first.
    async fn inbound_discrepancies(&self, client: &ClientId, inbound: &str) -> CoreResult<Vec<DiscrepancyView>>;

    /// Creates dock slots (a slot already starting at the same time is kept as it is).
    async fn create_dock_slots(&self, actor: &Actor, n: &NewSlots) -> CoreResult<Vec<DockSlot>>;
    /// The warehouse's slots starting in `[from_ms, to_ms)`.
    async fn dock_slots(&self, warehouse: &WarehouseId, from_ms: i64, to_ms: i64) -> CoreResult<Vec<DockSlot>>;
    /// The inbounds booked into the warehouse's slots starting in `[from_ms, to_ms)` (cancelled
    /// bookings left out), in slot order, at most `limit`.
    async fn dock_bookings(
        &self,
        warehouse: &WarehouseId,
        from_ms: i64,
        to_ms: i64,
        limit: i64,
    ) -> CoreResult<Vec<DockBooking>>;
    /// Books (or moves) the appointment of the client's inbound into `slot`, or the earliest free
    /// slot from now when `None`; with no slots in the warehouse at all, only the inbound's flag
    /// is set (what `admin inbound appointment` did before slots existed).
    async fn book_appointment(
        &self,
        actor: &Actor,
        client: &ClientId,
        inbound: &str,
        slot: Option<&str>,
    ) -> CoreResult<(InboundView, Option<AppointmentView>)>;
    /// Cancels the client's booked appointment: the inbound waits for a new one.
    async fn cancel_appointment(&self, actor: &Actor, client: &ClientId, inbound: &str) -> CoreResult<InboundView>;
    /// The client's inbound's appointment, if one was ever booked.
    async fn appointment(&self, client: &ClientId, inbound: &str) -> CoreResult<Option<AppointmentView>>;
    /// Check-in at the dock: the inbound (number or id) arrives, its appointment with it.
    async fn check_in(&self, actor: &Actor, inbound: &str) -> CoreResult<InboundView>;
    /// Booked appointments whose slot ended before `now_ms` with no arrival become no-shows (the
    /// inbound waits for a new appointment); returns them.
    async fn record_no_shows(&self, actor: &Actor, now_ms: i64) -> CoreResult<Vec<AppointmentView>>;

    /// Records freight that came with no inbound order.
    async fn record_unidentified(&self, actor: &Actor, n: &NewUnidentified) -> CoreResult<Unidentified>;
    /// The queue: open freight (all when `open_only` is false) of `warehouses` (all when empty),
    /// oldest first, at most `limit`.
    async fn unidentified(
        &self,
        warehouses: &[WarehouseId],
        open_only: bool,
        limit: i64,
    ) -> CoreResult<Vec<Unidentified>>;
    /// Matches open freight to an inbound (which opens for receiving) or closes it.
    async fn resolve_unidentified(&self, actor: &Actor, id: &str, r: &Resolution) -> CoreResult<Unidentified>;

    /// Dock-to-stock times of the last `last` inbounds that became available.
    async fn dock_to_stock(&self, last: i64) -> CoreResult<DockToStock>;
}
