//! Waves and picking: what the wave use cases take and return.

use entrepot_core::{
    ids::{ClientId, OrderId, PickId, PickListId, ServiceId, SkuId, WarehouseId, WaveId},
    location::LocationId,
    wave::ListRules,
};
use serde::Serialize;

/// Most waves or pick lists one list returns.
pub const MAX_WAVE_PAGE: i64 = 500;

/// A wave to release, as the use case hands it to storage (the due day resolved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWave {
    pub warehouse: WarehouseId,
    /// Orders due on or before this warehouse-local day (`YYYY-MM-DD`) are taken.
    pub due_by: String,
    /// Only this service's orders (a carrier's wave).
    pub service: Option<ServiceId>,
    /// Most orders taken, the most urgent first.
    pub max_orders: usize,
    pub rules: ListRules,
}

/// An order a wave left out: the first SKU its bins lacked, and by how many units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaveShort {
    pub order_id: OrderId,
    pub sku_id: SkuId,
    pub missing: i64,
}

/// A pick list, without its picks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickListSummary {
    pub id: PickListId,
    pub wave_id: WaveId,
    pub warehouse_id: WarehouseId,
    /// 1, 2, ... within its wave.
    pub number: i64,
    pub service_id: ServiceId,
    /// The zone all its bins are in; `None` when it spans zones.
    pub zone: Option<String>,
    /// One large order picked on its own.
    pub single: bool,
    /// Totes on the cart (orders on the list).
    pub totes: i64,
    /// OPEN, PICKING (taken by `picker`) or DONE.
    pub status: String,
    pub picker: Option<String>,
    /// Units to pick in all, picked so far, and found short.
    pub units: i64,
    pub picked: i64,
    pub short: i64,
    pub created_at_ms: i64,
}

/// A released wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaveView {
    pub id: WaveId,
    pub warehouse_id: WarehouseId,
    /// 1, 2, ... per warehouse.
    pub number: i64,
    pub due_by: String,
    pub service_id: Option<ServiceId>,
    /// OPEN or DONE.
    pub status: String,
    pub orders: i64,
    pub units: i64,
    pub released_by: String,
    pub created_at_ms: i64,
    pub lists: Vec<PickListSummary>,
    /// Due orders the release could not allocate (set on the release's answer only).
    pub short: Vec<WaveShort>,
}

/// One pick as the picker sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickView {
    pub id: PickId,
    pub order_id: OrderId,
    pub client_id: ClientId,
    pub tote: i64,
    pub sku_id: SkuId,
    /// What the SKU label's barcode carries.
    pub mfskuid: String,
    pub seller_sku: String,
    /// The product's name, for paper pick lists.
    pub name: String,
    pub location_id: LocationId,
    pub bin: String,
    pub pick_seq: i64,
    pub qty: i64,
    pub picked: i64,
    pub short: i64,
    /// Units still to take.
    pub left: i64,
}

/// Which order rides in which tote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToteView {
    pub tote: i64,
    pub order_id: OrderId,
    pub oc_number: String,
    pub bird_id: i64,
    /// The order's status (PICKING once its first unit is in the tote, EXCEPTION if stopped).
    pub status: String,
}

/// A pick list with its walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickListView {
    pub list: PickListSummary,
    pub totes: Vec<ToteView>,
    /// Every pick, in walk order (bins by pick sequence).
    pub picks: Vec<PickView>,
    /// The next pick of the walk; `None` when the list is done.
    pub next: Option<PickView>,
}

/// A pick scan as a handheld sends it: the bin, the SKU label, the tote, and how many units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickScan {
    pub list: String,
    /// The handheld's own id for the scan: a replay with the same id changes nothing.
    pub scan_id: Option<String>,
    pub bin: String,
    /// The SKU label scanned (MFSKUID, or the seller's SKU code).
    pub sku: String,
    pub tote: i64,
    pub qty: i64,
    /// The bin holds fewer units than the list expects: `qty` is what was there (maybe 0).
    pub short: bool,
}

/// A pick scan resolved against its list, as storage applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickCommand {
    pub list: PickListId,
    pub scan_id: Option<String>,
    pub bin: String,
    /// The scanned SKU label: its MFSKUID or seller SKU.
    pub label: String,
    pub tote: i64,
    pub qty: i64,
    pub short: bool,
}

/// What a pick scan did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickOutcome {
    /// The pick the scan counted against.
    pub pick_id: PickId,
    /// False when the scan id had been applied already (nothing changed).
    pub applied: bool,
    /// Units the bin lacked, moved to other bins (new picks on this list).
    pub reallocated: Vec<PickId>,
    /// The order stopped because no other bin had the units (Exception; seller told by webhook).
    pub exception: Option<OrderId>,
    /// The count task opened for the bin that was short.
    pub count_task: Option<String>,
    pub list: PickListView,
}

/// What a paper pick list prints, for the door to render: its heading, which order rides in
/// which tote, and the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedPickList {
    pub warehouse: String,
    pub list_id: String,
    pub title: String,
    /// When, on the warehouse's clock.
    pub printed_at: String,
    pub totes: Vec<ToteView>,
    /// Picks with units to take or taken, in walk order.
    pub picks: Vec<PickView>,
}

/// One carrier's line of the cut-off board: its orders due today by where they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BoardLine {
    pub carrier: String,
    /// Due today, in any status but cancelled.
    pub due: i64,
    /// Submitted, not released yet.
    pub waiting: i64,
    /// Released, not started.
    pub released: i64,
    pub picking: i64,
    pub packed: i64,
    /// Handed over (or delivered already).
    pub shipped: i64,
    pub exceptions: i64,
    /// Due before today and not handed over.
    pub overdue: i64,
    /// Units of today's orders not handed over yet and not packed.
    pub open_units: i64,
    /// Of today's open orders, how many will miss the cut-off at today's pick rate.
    pub projected_misses: i64,
}

/// What storage counts for the board, per carrier, for one warehouse-local day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardCounts {
    pub lines: Vec<BoardLine>,
    /// Units picked in the warehouse since the day began, and when the first of them was.
    pub picked_units: i64,
    pub first_pick_ms: Option<i64>,
}

/// The cut-off board of a warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CutoffBoard {
    pub warehouse_id: WarehouseId,
    /// The warehouse-local day.
    pub day: String,
    /// The daily cut-off, local `HH:MM`.
    pub cutoff: String,
    /// Minutes until today's cut-off (negative once passed; the whole day when closed).
    pub minutes_left: i64,
    /// Units picked per hour today, warehouse-wide (0 until someone picks).
    pub pick_rate_per_hour: i64,
    pub carriers: Vec<BoardLine>,
}

/// What storage reads for the warehouse's measures since a moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FloorFacts {
    /// Orders handed over: (warehouse, carrier, due date, handed over at ms, created at ms).
    pub shipped: Vec<(WarehouseId, String, Option<String>, i64, i64)>,
    /// Floor scans by (warehouse, user, action): `pick.scanned`, `pick.refused`, `pick.short`,
    /// `pack.closed`.
    pub scans: Vec<(WarehouseId, String, String, i64)>,
}

/// One warehouse and carrier's handovers against their due dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OnTime {
    pub warehouse: String,
    pub carrier: String,
    pub shipped: i64,
    /// Handed over on or before the day they were due (warehouse-local).
    pub on_time: i64,
}

/// One person's floor work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Worker {
    pub warehouse: String,
    pub user: String,
    /// Pick scans accepted, refused (wrong bin, SKU, tote or count), and parcels packed.
    pub picks: i64,
    pub wrong_picks: i64,
    pub packs: i64,
}

/// What the warehouse measures over a window (the last 24 hours).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FloorMeasures {
    pub window_hours: i64,
    pub on_time: Vec<OnTime>,
    /// Submitted → handed over, per warehouse: (warehouse, p50 seconds, p90 seconds, orders).
    pub cycle: Vec<(String, i64, i64, i64)>,
    pub workers: Vec<Worker>,
    /// Short picks (stock exceptions) per warehouse.
    pub stock_exceptions: Vec<(String, i64)>,
}
