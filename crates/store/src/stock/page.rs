//! One page of a client's stock rows, paged in SQL: OC's snapshot walks a whole catalogue page by
//! page, and loading every row to hand out 200 would cost the same at every page.

use entrepot_core::ids::{ClientId, SkuId, WarehouseId};

use crate::{
    engine::{
        bulk::{bind_all, placeholders, Val},
        rows::i,
    },
    stock::{stock_row, StockRow, STOCK_COLS},
    Store, StoreResult,
};

impl Store {
    /// The tenant's stock rows in (SKU, warehouse) order, narrowed to `skus` and `warehouses` when
    /// given, `limit` rows from `offset`; with the number of rows before paging.
    pub async fn stock_page(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouses: &[WarehouseId],
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<StockRow>, i64)> {
        let mut cond = "client_id = $1".to_owned();
        let mut binds = vec![Val::S(tenant.0.clone())];
        if !warehouses.is_empty() {
            cond.push_str(&format!(" AND warehouse_id IN ({})", placeholders(binds.len() + 1, warehouses.len())));
            binds.extend(warehouses.iter().map(|w| Val::S(w.0.clone())));
        }
        if !skus.is_empty() {
            cond.push_str(&format!(" AND sku_id IN ({})", placeholders(binds.len() + 1, skus.len())));
            binds.extend(skus.iter().map(|s| Val::I(s.0)));
        }
        let count = format!("SELECT COUNT(*) AS n FROM stock WHERE {cond}");
        let total = i(&bind_all(sqlx::query(&count), &binds).fetch_one(&self.read).await?, "n")?;
        let page = format!(
            "SELECT {STOCK_COLS} FROM stock WHERE {cond} ORDER BY sku_id, warehouse_id LIMIT {} OFFSET {}",
            limit.max(0),
            offset.max(0)
        );
        let rows = bind_all(sqlx::query(&page), &binds).fetch_all(&self.read).await?;
        Ok((rows.iter().map(stock_row).collect::<StoreResult<_>>()?, total))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use entrepot_core::inventory::{Bucket, Transfer};
    use entrepot_testkit::{each_backend, Backend};

    use crate::outbound::direct::tests::fixture;

    #[each_backend]
    async fn pages_in_order_for_the_tenant_only(b: Backend) {
        let fx = fixture(b).await;
        let mut ids = vec![fx.sku];
        for k in 0..4 {
            let s = fx.store.create_skus(&fx.client, vec![crate::fixtures::sku(&format!("P-{k}"))]).await.unwrap();
            ids.push(s[0].id);
        }
        for id in &ids {
            let t = Transfer::adjustment(Bucket::Available, 3).unwrap();
            fx.store.move_stock(&fx.client, *id, &fx.warehouse, t, None).await.unwrap();
        }
        let all = fx.store.stock(&fx.client, &[], None).await.unwrap();
        let (first, total) = fx.store.stock_page(&fx.client, &[], &[], 0, 2).await.unwrap();
        let (rest, _) = fx.store.stock_page(&fx.client, &[], &[], 2, 10).await.unwrap();
        assert_eq!(total as usize, all.len(), "{b:?}");
        let paged: Vec<_> = first.iter().chain(&rest).map(|r| r.sku_id).collect();
        assert_eq!(paged, all.iter().map(|r| r.sku_id).collect::<Vec<_>>(), "{b:?}: same order, no gap");
        let (one, n) =
            fx.store.stock_page(&fx.client, &ids[1..2], std::slice::from_ref(&fx.warehouse), 0, 10).await.unwrap();
        assert_eq!((one.len(), n, one[0].sku_id), (1, 1, ids[1]), "{b:?}");
        let (none, n) = fx.store.stock_page(&fx.other, &[], &[], 0, 10).await.unwrap();
        assert_eq!((none.len(), n), (0, 0), "{b:?}: not another's");
    }
}
