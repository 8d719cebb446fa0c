//! The ledger rows stock age is computed from: only transfers that cross into or out of the
//! on-hand buckets, so reservations and freezes (most of a busy SKU's ledger) are not loaded.

use entrepot_core::{
    ids::{ClientId, SkuId, WarehouseId},
    stock_age::{AgeEntry, ON_HAND},
};

use crate::{
    engine::{
        bulk::{bind_all, placeholders, Val},
        rows::{i, parse, s},
    },
    Store, StoreResult,
};
pub use entrepot_app::types::stock::AgeLedgerRow;

impl Store {
    /// The tenant's transfers into or out of the on-hand buckets for `skus` (none: nothing) in
    /// `warehouses` (none: all), oldest first.
    pub async fn age_ledger(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouses: &[WarehouseId],
    ) -> StoreResult<Vec<AgeLedgerRow>> {
        if skus.is_empty() {
            return Ok(vec![]);
        }
        let held = ON_HAND.iter().map(|b| format!("'{}'", b.as_str())).collect::<Vec<_>>().join(", ");
        let mut q = format!(
            "SELECT sku_id, warehouse_id, from_bucket, to_bucket, qty, created_at FROM stock_transfers \
             WHERE client_id = $1 AND (CASE WHEN from_bucket IN ({held}) THEN 1 ELSE 0 END) \
             <> (CASE WHEN to_bucket IN ({held}) THEN 1 ELSE 0 END)"
        );
        let mut binds = vec![Val::S(tenant.0.clone())];
        q.push_str(&format!(" AND sku_id IN ({})", placeholders(binds.len() + 1, skus.len())));
        binds.extend(skus.iter().map(|s| Val::I(s.0)));
        if !warehouses.is_empty() {
            q.push_str(&format!(" AND warehouse_id IN ({})", placeholders(binds.len() + 1, warehouses.len())));
            binds.extend(warehouses.iter().map(|w| Val::S(w.0.clone())));
        }
        q.push_str(" ORDER BY created_at, id");
        let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                Ok(AgeLedgerRow {
                    sku_id: SkuId(i(r, "sku_id")?),
                    warehouse_id: WarehouseId(s(r, "warehouse_id")?),
                    entry: AgeEntry {
                        at_ms: i(r, "created_at")?,
                        from: parse(r, "from_bucket")?,
                        to: parse(r, "to_bucket")?,
                        qty: i(r, "qty")?,
                    },
                })
            })
            .collect()
    }
}
