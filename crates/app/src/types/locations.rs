//! Bins and putaway: what the location use cases take and return.

use entrepot_core::{
    ids::{ClientId, SkuId, WarehouseId},
    location::{Location, LocationId, LocationKind},
};
use serde::{Deserialize, Serialize};

/// Most locations one list returns.
pub const MAX_LOCATION_PAGE: i64 = 1_000;

/// A location to create (the code is normalised and checked by the use case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLocation {
    pub code: String,
    /// `None`: the code's first part.
    pub zone: Option<String>,
    pub kind: LocationKind,
    /// `None`: after the warehouse's last bin.
    pub pick_seq: Option<i64>,
    pub capacity: Option<i64>,
}

/// A range of locations (`A-01..03-01..10-1..4`) of one type, numbered in walking order from
/// `pick_seq` (default: after the warehouse's last bin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLocationRange {
    pub range: String,
    pub zone: Option<String>,
    pub kind: LocationKind,
    pub pick_seq: Option<i64>,
    pub capacity: Option<i64>,
}

/// Which locations a list shows, in code order; `after` is the cursor (the last code seen).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationFilter {
    pub warehouse: WarehouseId,
    pub zone: Option<String>,
    pub kind: Option<LocationKind>,
    pub code_prefix: Option<String>,
    pub after: Option<String>,
    pub include_disabled: bool,
    pub limit: i64,
}

/// Units of one SKU in one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocationStock {
    pub location_id: LocationId,
    pub code: String,
    pub kind: LocationKind,
    pub sku_id: SkuId,
    pub client_id: ClientId,
    pub warehouse_id: WarehouseId,
    pub qty: i64,
}

/// Most location stock rows one list returns.
pub const MAX_LOCATION_STOCK_PAGE: i64 = 10_000;

/// Which location stock to show: a warehouse, narrowed to a location (by id, or by code for a
/// seller, who may not look bins up), a SKU or a client; in location code then SKU order,
/// after `after` (the last row seen), at most `limit` rows (`None`: [`MAX_LOCATION_STOCK_PAGE`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocationStockFilter {
    pub warehouse: WarehouseId,
    pub location: Option<LocationId>,
    pub code: Option<String>,
    pub sku: Option<SkuId>,
    pub client: Option<ClientId>,
    pub after: Option<(String, SkuId)>,
    pub limit: Option<i64>,
}

/// Units received and not yet put away, as the store counts them: per inbound line, or
/// received without an inbound (`inbound: None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PutawayPending {
    pub client_id: ClientId,
    pub sku_id: SkuId,
    pub warehouse_id: WarehouseId,
    /// The inbound's number.
    pub inbound: Option<String>,
    pub qty: i64,
}

/// Where a list of putaway tasks resumes. Tasks are listed per open inbound line first (by the
/// inbound's creation, its number, then the SKU), then the units received with no inbound (by
/// SKU).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PutawayAfter {
    /// After this inbound's line of this SKU.
    Line { inbound: String, sku: SkuId },
    /// After the units of this SKU received with no inbound.
    Received { sku: SkuId },
}

impl PutawayAfter {
    /// The position of `p` in the list.
    pub fn of(p: &PutawayPending) -> Self {
        match &p.inbound {
            Some(n) => Self::Line { inbound: n.clone(), sku: p.sku_id },
            None => Self::Received { sku: p.sku_id },
        }
    }
}

/// One page of what waits to be put away; `next` resumes after it (`None`: the last page).
/// A page may hold fewer rows than asked for when the store stopped reading early.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PutawayPendingPage {
    pub items: Vec<PutawayPending>,
    pub next: Option<PutawayAfter>,
}

/// One page of putaway tasks; `next` resumes after it (`None`: the last page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PutawayTaskPage {
    pub items: Vec<PutawayTask>,
    pub next: Option<PutawayAfter>,
}

/// What the putaway suggestion needs of a warehouse: the candidate locations with the units
/// each holds (those holding the SKUs asked about, and the first empty bins), and where the
/// SKUs are.
#[derive(Debug, Clone, Default)]
pub struct PutawayContext {
    pub locations: Vec<(Location, i64)>,
    /// (location, SKU, units).
    pub holdings: Vec<(LocationId, SkuId, i64)>,
}

/// A putaway task: units waiting at the dock and the bin they should go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PutawayTask {
    pub client_id: ClientId,
    pub sku_id: SkuId,
    pub warehouse_id: WarehouseId,
    pub inbound: Option<String>,
    pub qty: i64,
    /// The location the units wait in.
    pub from: String,
    /// The suggested bin's code; `None` when no bin fits (staff choose and confirm one).
    pub suggested_bin: Option<String>,
}

/// A putaway confirmed by scanning a bin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PutawayScan {
    pub client: ClientId,
    pub sku: SkuId,
    pub warehouse: WarehouseId,
    pub qty: i64,
    /// The inbound the units were received against (id, number or reference).
    pub inbound: Option<String>,
    /// The scanned bin code.
    pub bin: String,
    /// Required to put away into another bin than the suggested one.
    #[serde(default)]
    pub confirm_other_bin: bool,
}

/// What a confirmed putaway did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PutawayDone {
    pub bin: String,
    pub suggested_bin: Option<String>,
    pub qty: i64,
}

/// Units moved from one bin to another (no bucket changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinMove {
    pub client: ClientId,
    pub sku: SkuId,
    pub warehouse: WarehouseId,
    pub from: String,
    pub to: String,
    pub qty: i64,
}
