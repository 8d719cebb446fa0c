//! Receiving at the dock: appointments, scans, discrepancies, unidentified freight — what the
//! floor use cases take and return (typed for the native API's request and response bodies).

use entrepot_core::{
    appointment::{AppointmentStatus, SlotPlan},
    ids::{ClientId, SkuId, WarehouseId},
    inbound::{Condition, DiscrepancyKind},
};
use serde::Serialize;

use super::inbound::InboundView;

/// The most characters of a note, a photo key, a carrier or a tracking number.
pub const MAX_NOTE: usize = 1_000;
pub const MAX_KEY: usize = 200;

/// One SKU of a receipt with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptLine {
    pub sku_id: SkuId,
    /// The MFSKUID, what the SKU label's barcode carries.
    pub mfskuid: String,
    pub seller_sku: String,
    pub expected: i64,
    /// Good units counted.
    pub received: i64,
    pub damaged: i64,
    pub put_away: i64,
    /// Units missing, known once the receipt is closed.
    pub short: i64,
}

/// An inbound as the dock sees it: its lines with their codes, and the discrepancies so far.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptView {
    pub inbound: InboundView,
    pub lines: Vec<ReceiptLine>,
    pub discrepancies: Vec<DiscrepancyView>,
    /// Arrival at the dock (check-in or first scan), UTC ms.
    pub arrived_at_ms: Option<i64>,
    /// When the last unit was put away, UTC ms.
    pub available_at_ms: Option<i64>,
}

/// One scan at the dock: a SKU label (or a carton mark) against the receipt of `inbound`.
#[derive(Debug, Clone)]
pub struct ReceiveScan {
    /// The inbound the handheld opened (its number, as the carton mark named it).
    pub inbound: String,
    /// The scanned code.
    pub code: String,
    /// Units the scan counts: 1 for each label scanned, or a quantity typed once.
    pub quantity: i64,
    pub condition: Condition,
    /// The handheld's own id for this scan: a replay with the same id counts nothing again.
    pub scan_id: Option<String>,
}

/// What a scan did.
#[derive(Debug, Clone, Serialize)]
pub struct ScanResult {
    pub receipt: ReceiptView,
    /// The SKU and units counted; `None` for the carton mark of the open inbound.
    pub counted: Option<(SkuId, i64)>,
    /// The scan id was seen before: nothing was counted again.
    pub replayed: bool,
}

/// An unexpected SKU found with an inbound: recorded, not received.
#[derive(Debug, Clone)]
pub struct NewUnexpected {
    pub inbound: String,
    /// The code scanned or typed (a SKU label, or whatever the goods carry).
    pub code: String,
    pub quantity: i64,
    pub note: Option<String>,
    /// A photo in the blob store (the door stores the bytes first).
    pub photo_key: Option<String>,
}

/// A discrepancy of a receipt, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiscrepancyView {
    pub id: String,
    pub inbound_id: String,
    pub client_id: ClientId,
    pub warehouse_id: WarehouseId,
    pub kind: DiscrepancyKind,
    /// `None` for a code that is no SKU of the client.
    pub sku_id: Option<SkuId>,
    pub code: Option<String>,
    pub expected: i64,
    /// Units counted (good or damaged) when it was recorded.
    pub received: i64,
    /// The units it is about.
    pub quantity: i64,
    pub note: Option<String>,
    pub photo_key: Option<String>,
    pub actor_name: String,
    pub created_at_ms: i64,
}

/// Slots to create in a warehouse.
#[derive(Debug, Clone)]
pub struct NewSlots {
    pub warehouse: WarehouseId,
    pub plan: SlotPlan,
}

/// A dock slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DockSlot {
    pub id: String,
    pub warehouse_id: WarehouseId,
    pub start_ms: i64,
    pub end_ms: i64,
    /// Inbounds the slot takes.
    pub capacity: i64,
    pub booked: i64,
}

/// An inbound's appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppointmentView {
    pub inbound_id: String,
    pub inbound_number: String,
    pub client_id: ClientId,
    pub slot: DockSlot,
    pub status: AppointmentStatus,
    pub booked_at_ms: i64,
    pub updated_at_ms: i64,
}

/// An inbound booked into a dock slot, as the warehouse's calendar shows it.
#[derive(Debug, Clone)]
pub struct DockBooking {
    pub slot_id: String,
    pub status: AppointmentStatus,
    pub inbound: InboundView,
}

/// A warehouse's dock over some days: its slots in time order and the inbounds booked into them
/// (cancelled bookings left out).
#[derive(Debug, Clone, Default)]
pub struct DockCalendar {
    pub slots: Vec<DockSlot>,
    pub bookings: Vec<DockBooking>,
}

/// Freight at the dock with no inbound order.
#[derive(Debug, Clone, Default)]
pub struct NewUnidentified {
    pub warehouse: WarehouseId,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub cartons: i64,
    pub note: Option<String>,
    pub photo_key: Option<String>,
}

/// How staff resolve unidentified freight.
#[derive(Debug, Clone)]
pub enum Resolution {
    /// It belongs to `client`'s inbound `inbound` (id, number or reference): it opens for
    /// receiving against it.
    Match { client: ClientId, inbound: String },
    /// Nobody's: closed with a reason (returned to the carrier, disposed...).
    Close { reason: String },
}

/// Unidentified freight in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unidentified {
    pub id: String,
    pub warehouse_id: WarehouseId,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    pub cartons: i64,
    pub note: Option<String>,
    pub photo_key: Option<String>,
    /// OPEN, MATCHED or CLOSED.
    pub status: String,
    pub client_id: Option<ClientId>,
    pub inbound_id: Option<String>,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at_ms: i64,
    pub resolved_by: Option<String>,
    pub resolved_at_ms: Option<i64>,
}

/// Dock-to-stock times (arrival → available) of recently finished inbounds, for `/metrics`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DockToStock {
    /// How many inbounds the figures cover.
    pub count: usize,
    pub p50_seconds: f64,
    pub p90_seconds: f64,
    pub max_seconds: f64,
}
