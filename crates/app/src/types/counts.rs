//! Cycle counts: what the count use cases take and return.

use entrepot_core::{
    count::CountState,
    ids::{ClientId, SkuId, WarehouseId},
    location::LocationId,
};
use serde::Serialize;

/// Most tasks one creation makes (bins listed, a range, or the locations holding a SKU).
pub const MAX_NEW_COUNTS: usize = 500;
/// Most tasks one list returns.
pub const MAX_COUNT_PAGE: i64 = 1_000;

/// What to count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountTarget {
    /// These locations (codes, normalised by the use case), every SKU in each.
    Bins(Vec<String>),
    /// A range of codes (`A-01..03-01-1`), expanded by the use case into [`CountTarget::Bins`].
    Range(String),
    /// One SKU, in every location of the warehouse holding it (one task per location).
    Sku { client: ClientId, sku: SkuId },
}

/// Count tasks to create in a warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCounts {
    pub warehouse: WarehouseId,
    pub target: CountTarget,
}

/// One SKU of a count task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountLineView {
    pub client_id: ClientId,
    pub sku_id: SkuId,
    pub mfskuid: String,
    pub seller_sku: String,
    /// What the location held when the count was recorded (for an open task shown to a
    /// supervisor: what it holds now). `None` where the count is blind.
    pub expected: Option<i64>,
    /// `None` until counted.
    pub counted: Option<i64>,
    /// Counted minus expected; `None` until counted.
    pub variance: Option<i64>,
    /// Whether the variance went into the ledger (reason IAA).
    pub applied: bool,
}

/// A count task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountTask {
    pub id: String,
    pub warehouse_id: WarehouseId,
    pub location_id: LocationId,
    pub location_code: String,
    /// Set for a count of one SKU.
    pub client_id: Option<ClientId>,
    pub sku_id: Option<SkuId>,
    pub state: CountState,
    /// The warehouse's threshold the count was judged by (set once counted).
    pub threshold: Option<i64>,
    /// Why a counted task waits for a supervisor.
    pub hold_reason: Option<String>,
    pub created_by: String,
    pub created_at_ms: i64,
    pub counted_by: Option<String>,
    pub counted_at_ms: Option<i64>,
    pub decided_by: Option<String>,
    pub decided_at_ms: Option<i64>,
    /// Why a supervisor rejected it.
    pub reason: Option<String>,
    pub lines: Vec<CountLineView>,
}

/// Which tasks a list shows, oldest first; `after` is the cursor (the last id seen).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountFilter {
    pub warehouse: WarehouseId,
    pub state: Option<CountState>,
    pub after: Option<String>,
    pub limit: i64,
}

/// One SKU label scanned at the bin, with the units it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountScanIn {
    /// The label's code (MFSKUID).
    pub code: String,
    pub qty: i64,
}

/// The results of a count: the bin scanned, then the SKU labels with quantities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountResults {
    pub task: String,
    /// The bin's scanned code: it must be the task's.
    pub bin: String,
    /// The same SKU scanned more than once adds up; a SKU the bin holds and nobody scanned
    /// counts zero.
    pub scans: Vec<CountScanIn>,
    /// The handheld's id for this submission: a replay with the same id records nothing again.
    pub scan_id: Option<String>,
}

/// What recording results did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountOutcome {
    pub task: CountTask,
    /// The scan id was seen before: nothing was recorded again.
    pub replayed: bool,
}
