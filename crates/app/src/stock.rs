//! Stock balances and movements. Reads forward to the ports; a use case that is more than one
//! port call is written here once.

use entrepot_core::{ids::*, CoreResult};

use crate::types::stock::*;

use crate::App;

impl App {
    /// Ledger entries of the tenant in `[from_ms, to_ms)`, optionally for some SKUs, oldest first.
    pub async fn movements(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        from_ms: i64,
        to_ms: i64,
    ) -> CoreResult<Vec<Movement>> {
        self.storage.movements(tenant, skus, from_ms, to_ms).await
    }

    /// Stock balances of the tenant, optionally narrowed to SKUs and a warehouse.
    pub async fn stock(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouse: Option<&WarehouseId>,
    ) -> CoreResult<Vec<StockRow>> {
        self.storage.stock(tenant, skus, warehouse).await
    }

    /// The tenant's stock rows in (SKU, warehouse) order, narrowed to `skus` and `warehouses` when
    /// given, `limit` rows from `offset`; with the number of rows before paging.
    pub async fn stock_page(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouses: &[WarehouseId],
        offset: i64,
        limit: i64,
    ) -> CoreResult<(Vec<StockRow>, i64)> {
        self.storage.stock_page(tenant, skus, warehouses, offset, limit).await
    }
}
