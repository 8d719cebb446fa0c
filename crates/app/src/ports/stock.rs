//! Stock balances and the ledger's movements.

use async_trait::async_trait;
use entrepot_core::{ids::*, CoreResult};

use crate::types::stock::*;

#[async_trait]
pub trait StockPort: Send + Sync {
    /// Ledger entries of the tenant in `[from_ms, to_ms)`, optionally for some SKUs, oldest first.
    async fn movements(&self, tenant: &ClientId, skus: &[SkuId], from_ms: i64, to_ms: i64)
        -> CoreResult<Vec<Movement>>;
    /// The newest `limit` ledger entries of one of the tenant's SKUs, newest first.
    async fn latest_movements(&self, tenant: &ClientId, sku: SkuId, limit: i64) -> CoreResult<Vec<Movement>>;
    /// The tenant's net change of units on hand per UTC day from `from` (`YYYY-MM-DD`) on, days
    /// without movement left out, oldest first.
    async fn stock_days(&self, tenant: &ClientId, from: &str) -> CoreResult<Vec<(String, i64)>>;
    /// Stock balances of the tenant, optionally narrowed to SKUs and a warehouse.
    async fn stock(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouse: Option<&WarehouseId>,
    ) -> CoreResult<Vec<StockRow>>;
    /// The tenant's stock rows in (SKU, warehouse) order, narrowed to `skus` and `warehouses` when
    /// given, `limit` rows from `offset`; with the number of rows before paging.
    async fn stock_page(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouses: &[WarehouseId],
        offset: i64,
        limit: i64,
    ) -> CoreResult<(Vec<StockRow>, i64)>;
    /// The tenant's transfers into or out of the on-hand buckets for `skus` (none: nothing) in
    /// `warehouses` (none: all), oldest first: what stock age is computed from.
    async fn age_ledger(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouses: &[WarehouseId],
    ) -> CoreResult<Vec<AgeLedgerRow>>;
}
