use entrepot_core::{
    ids::{ClientId, SkuId, WarehouseId},
    inventory::{Bucket, Position, Reason},
};
use serde::Serialize;

/// Balances of one SKU in one warehouse.
#[derive(Debug, Clone, Serialize)]
pub struct StockRow {
    pub sku_id: SkuId,
    pub warehouse_id: WarehouseId,
    pub position: Position,
    pub updated_at_ms: i64,
}

/// One ledger entry as movement queries show it.
#[derive(Debug, Clone, Serialize)]
pub struct Movement {
    pub id: String,
    pub sku_id: SkuId,
    pub warehouse_id: WarehouseId,
    pub from: Bucket,
    pub to: Bucket,
    pub qty: i64,
    pub from_after: Option<i64>,
    pub to_after: Option<i64>,
    pub reason: Reason,
    pub doc_kind: String,
    pub doc_id: String,
    pub note: Option<String>,
    pub created_at_ms: i64,
    /// The client whose order moved these units of the owner's shared product.
    pub for_client: Option<ClientId>,
}

/// One ledger transfer that stock age reads, with the SKU and warehouse it moved.
#[derive(Debug, Clone)]
pub struct AgeLedgerRow {
    pub sku_id: SkuId,
    pub warehouse_id: WarehouseId,
    pub entry: entrepot_core::stock_age::AgeEntry,
}

/// The age bands of one SKU's units on hand in one warehouse.
#[derive(Debug, Clone)]
pub struct StockAgeRow {
    pub sku_id: SkuId,
    pub warehouse_id: WarehouseId,
    pub bands: entrepot_core::stock_age::AgeBands,
}
