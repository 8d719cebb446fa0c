//! Stock balances and movements. Reads forward to the ports; a use case that is more than one
//! port call is written here once.

use std::collections::HashMap;

use entrepot_core::{
    ids::*,
    stock_age::{age_bands, AgeEntry},
    CoreResult,
};

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

    /// The newest `limit` ledger entries of one of the tenant's SKUs, newest first: what a SKU's
    /// page shows, however busy the SKU.
    pub async fn latest_movements(&self, tenant: &ClientId, sku: SkuId, limit: i64) -> CoreResult<Vec<Movement>> {
        self.storage.latest_movements(tenant, sku, limit).await
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

    /// One page of the tenant's stock rows (as [`App::stock_page`]) with the age bands of each
    /// row's units on hand at `now_ms`, first in first out over the ledger.
    pub async fn stock_age_page(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouses: &[WarehouseId],
        offset: i64,
        limit: i64,
        now_ms: i64,
    ) -> CoreResult<(Vec<StockAgeRow>, i64)> {
        let (rows, total) = self.storage.stock_page(tenant, skus, warehouses, offset, limit).await?;
        let mut ids: Vec<SkuId> = rows.iter().map(|r| r.sku_id).collect();
        ids.sort();
        ids.dedup();
        let mut wh: Vec<WarehouseId> = rows.iter().map(|r| r.warehouse_id.clone()).collect();
        wh.sort();
        wh.dedup();
        let ledger = self.storage.age_ledger(tenant, &ids, &wh).await?;
        let mut by_row: HashMap<(SkuId, &WarehouseId), Vec<AgeEntry>> = HashMap::new();
        for l in &ledger {
            by_row.entry((l.sku_id, &l.warehouse_id)).or_default().push(l.entry);
        }
        let out = rows
            .into_iter()
            .map(|r| {
                let entries = by_row.get(&(r.sku_id, &r.warehouse_id)).map_or(&[][..], Vec::as_slice);
                Ok(StockAgeRow { bands: age_bands(entries, now_ms)?, sku_id: r.sku_id, warehouse_id: r.warehouse_id })
            })
            .collect::<CoreResult<Vec<_>>>()?;
        Ok((out, total))
    }
}
