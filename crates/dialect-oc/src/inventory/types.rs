//! GetStockMovement, StockSnapshot v2 and GetStockAge bodies (spec §5.3, §5.4), and OC's names of the stock
//! buckets.

use entrepot_core::inventory::Bucket;
use serde::{Deserialize, Serialize};

use crate::fields::Field;

/// OC's `inventoryStatus` code of a bucket (`RSVHOLD`, `SUSPEND` and `UNFULFILLABLE` name the
/// buckets OC's material does not show; `OUT` is never shown, being no stock of the warehouse).
pub fn inventory_status(b: Bucket) -> &'static str {
    match b {
        Bucket::Outside => "OUT",
        Bucket::InTransit => "INTRAN",
        Bucket::Received => "RCVD",
        Bucket::Available => "AVL",
        Bucket::ReservedAllocated => "RSVALOC",
        Bucket::ReservedHold => "RSVHOLD",
        Bucket::Suspend => "SUSPEND",
        Bucket::Unfulfillable => "UNFULFILLABLE",
    }
}

/// `POST /openapi/3pp/inventory/v1/movement`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MovementQuery {
    /// Required; the slot is `[startTime, endTime)`.
    pub start_time: Field,
    /// Defaults to now.
    pub end_time: Field,
    /// `[{mfSkuId}]` or plain MFSKUIDs; empty is every SKU that moved.
    pub mf_sku_list: Field,
    /// Read when `mfSkuList` is absent.
    pub sku_list: Field,
}

/// `POST /openapi/3pp/inventory/v2/snapshot`, and `v1/snapshotAge` (whose documented request is
/// cut after `pageSize`; read as the snapshot's).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SnapshotQuery {
    /// 1-based.
    pub page_number: Field,
    /// Read when `pageNumber` is absent, then `pageNo`.
    pub page: Field,
    pub page_no: Field,
    pub page_size: Field,
    /// Read when `pageSize` is absent.
    pub limit: Field,
    /// `[{serviceRegion}]` or plain regions; empty is every region.
    pub service_region_list: Field,
    /// `[{mfSkuId}]` or plain MFSKUIDs; empty is every SKU of the client.
    pub sku_list: Field,
    /// Read when `skuList` is absent.
    pub mf_sku_list: Field,
}

/// An entry of `mfSkuList`/`skuList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MfSkuIn {
    #[serde(rename = "mfSkuId")]
    pub mf_sku_id: Field,
}

/// An entry of `serviceRegionList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RegionIn {
    pub service_region: Field,
}

/// GetStockMovement: one SKU's movements, in `data[]`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuMovements {
    #[serde(rename = "MFSKUID")]
    pub mfskuid: String,
    pub seller_sku_id: String,
    pub service_region_list: Vec<RegionMovements>,
}

/// One region's movements of a SKU, by bucket.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionMovements {
    pub service_region: String,
    pub inventory_list: Vec<BucketMovements>,
}

/// One bucket's movements, oldest first.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BucketMovements {
    /// [`inventory_status`].
    pub inventory_status: &'static str,
    pub movement_list: Vec<MovementOut>,
}

/// One side of a ledger transfer: negative out of the bucket, positive into it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MovementOut {
    /// OC's spelling. The transfer id suffixed with the bucket code.
    #[serde(rename = "moventmentID")]
    pub movement_id: String,
    pub quantity: i64,
    /// The bucket's count after the movement.
    pub actual_count: i64,
    /// `CODE=Text`.
    pub reason: String,
    /// The inbound or outbound number; empty for an operator's adjustment.
    pub order_number: String,
    pub update_time: String,
}

/// StockSnapshot v2: one page, in `data`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotPage {
    #[serde(rename = "SKUList")]
    pub sku_list: Vec<StockRowOut>,
    pub total: i64,
    pub page_number: i64,
    pub page_size: i64,
}

/// The stock of one SKU in one region.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StockRowOut {
    #[serde(rename = "MFSKUID")]
    pub mfskuid: String,
    #[serde(rename = "sellerSKUID")]
    pub seller_sku_id: String,
    pub service_region: String,
    pub available: i64,
    pub in_transit: i64,
    pub received: i64,
    pub reserved_allocated: i64,
    pub reserved_hold: i64,
    /// Entrepot has no separate VAS reservation: always 0.
    #[serde(rename = "reservedVAS")]
    pub reserved_vas: i64,
    pub suspend: i64,
    pub unfulfillable: i64,
}

/// GetStockAge: one page, in `data`, shaped like [`SnapshotPage`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StockAgePage {
    #[serde(rename = "SKUList")]
    pub sku_list: Vec<StockAgeRowOut>,
    pub total: i64,
    pub page_number: i64,
    pub page_size: i64,
}

/// The units on hand of one SKU in one region by age in whole days since put-away (first in,
/// first out). OC's response schema is not in the material, so the names are Entrepot's, after
/// the snapshot row: its identity fields, `totalQuantity` (all units on hand: available,
/// reserved, held, frozen, unfulfillable), and one `stockAge<from>To<to>` count per band, both
/// ends inclusive, the last `stockAgeOver365`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StockAgeRowOut {
    #[serde(rename = "MFSKUID")]
    pub mfskuid: String,
    #[serde(rename = "sellerSKUID")]
    pub seller_sku_id: String,
    pub service_region: String,
    pub total_quantity: i64,
    #[serde(rename = "stockAge0To30")]
    pub age_0_to_30: i64,
    #[serde(rename = "stockAge31To60")]
    pub age_31_to_60: i64,
    #[serde(rename = "stockAge61To90")]
    pub age_61_to_90: i64,
    #[serde(rename = "stockAge91To180")]
    pub age_91_to_180: i64,
    #[serde(rename = "stockAge181To365")]
    pub age_181_to_365: i64,
    #[serde(rename = "stockAgeOver365")]
    pub age_over_365: i64,
}
