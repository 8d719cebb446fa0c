//! Packing and manifests: what the packing and shipping use cases take and return.

use entrepot_core::ids::{ClientId, OrderId, SkuId, WarehouseId};
use serde::Serialize;

/// One SKU of an order at the packing bench.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackLineView {
    pub sku_id: SkuId,
    pub mfskuid: String,
    pub seller_sku: String,
    pub name: String,
    pub qty: i64,
    pub scanned: i64,
}

/// An order at the packing bench.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackView {
    pub order_id: OrderId,
    pub client_id: ClientId,
    pub warehouse_id: WarehouseId,
    pub oc_number: String,
    pub bird_id: i64,
    pub reference: String,
    pub status: String,
    pub lines: Vec<PackLineView>,
    /// Every unit scanned.
    pub complete: bool,
    /// What its units weigh by their SKUs' audited weights.
    pub expected_weight_g: i64,
    /// Why it waits for a supervisor (its weight); `None` when it does not.
    pub hold: Option<String>,
    pub packed_weight_g: Option<i64>,
    pub currency: String,
    pub handling_fee: i64,
    pub delivery_fee: i64,
    pub tracking_number: Option<String>,
    /// Whether its carrier label is kept and can be printed.
    pub label_ready: bool,
}

/// A unit (or a typed quantity) scanned into an order's parcel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackUnit {
    pub order: OrderId,
    pub sku: SkuId,
    pub qty: i64,
    pub scan_id: Option<String>,
}

/// Closing a parcel: its weight and box; a supervisor may release a weight hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackClose {
    pub order: OrderId,
    pub weight_g: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    /// A supervisor lets a parcel outside the weight tolerance go.
    pub release_hold: bool,
}

/// One parcel on a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestParcel {
    pub order_id: OrderId,
    pub client_id: ClientId,
    pub oc_number: String,
    pub bird_id: i64,
    pub tracking_number: Option<String>,
    pub weight_g: i64,
    pub recipient: String,
    pub postcode: String,
    pub country: String,
}

/// A carrier's manifest of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestView {
    pub id: String,
    pub warehouse_id: WarehouseId,
    pub carrier: String,
    /// The warehouse-local day.
    pub day: String,
    /// OPEN or CLOSED.
    pub status: String,
    pub created_by: String,
    pub created_at_ms: i64,
    pub closed_by: Option<String>,
    pub closed_at_ms: Option<i64>,
    /// How many parcels are on it.
    pub parcel_count: i64,
    /// All of them in scan order; in a scan's answer only the one scanned; none in lists.
    pub parcels: Vec<ManifestParcel>,
}

/// An order's place on a carrier's manifest: when it was scanned on, and when (and by whom) the
/// manifest was handed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderManifest {
    pub manifest_id: String,
    pub carrier: String,
    pub scanned_by: String,
    pub scanned_at_ms: i64,
    pub closed_by: Option<String>,
    pub closed_at_ms: Option<i64>,
}
