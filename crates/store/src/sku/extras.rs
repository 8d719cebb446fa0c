//! A SKU's extras: the details a door keeps verbatim beside the SKU (the `oc_details` JSON column;
//! OC's product fields) with its times, and the one-at-a-time creation a batch whose items succeed
//! or fail each on its own needs: a reference the client has already used returns the existing
//! SKU instead of a second one.

use std::collections::HashMap;

use entrepot_core::ids::{ClientId, SkuId};
use serde_json::Value;

use crate::{
    engine::{
        bulk::{bind_all, placeholders, Val},
        clock::now_ms,
        exec::Tx,
        rows::{i, os},
        seq,
    },
    sku::insert_sku,
    NewSku, Store, StoreError, StoreResult,
};
pub use entrepot_app::types::skus::{SkuCreation, SkuExtras};

impl Store {
    /// Creates one SKU with its extra `details` in one transaction, unless the client already has a SKU
    /// whose reference or seller SKU equals this one's reference (or seller SKU): then that SKU is
    /// returned and nothing is written.
    pub async fn create_sku_once(
        &self,
        tenant: &ClientId,
        n: NewSku,
        details: Option<&Value>,
    ) -> StoreResult<SkuCreation> {
        let seller_sku = n.seller_sku.trim().to_owned();
        let reference = n.reference_sku.clone().unwrap_or_else(|| seller_sku.clone());
        let mut tx = self.begin().await?;
        let taken = sqlx::query(
            "SELECT id FROM skus WHERE client_id = $1 AND (reference_sku IN ($2, $3) OR seller_sku IN ($2, $3)) \
             ORDER BY id LIMIT 1",
        )
        .bind(&tenant.0)
        .bind(&reference)
        .bind(&seller_sku)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = taken {
            let id = SkuId(i(&row, "id")?);
            tx.rollback().await?;
            return Ok(SkuCreation::Exists(self.sku(tenant, id).await?));
        }
        let id = seq::next(&mut Tx::from(&mut tx), "sku", 1).await?;
        let sku = n.into_sku(SkuId(id), tenant, seller_sku);
        sku.validate()?;
        let now = now_ms();
        insert_sku(&mut tx, tenant, &sku, now, 1).await?;
        if let Some(d) = details {
            sqlx::query("UPDATE skus SET oc_details = $1 WHERE client_id = $2 AND id = $3")
                .bind(d.to_string())
                .bind(&tenant.0)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(SkuCreation::Created(sku))
    }

    /// The extras and times of the tenant's SKUs among `ids` (others are absent).
    pub async fn sku_extras(&self, tenant: &ClientId, ids: &[SkuId]) -> StoreResult<HashMap<SkuId, SkuExtras>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let q = format!(
                "SELECT id, oc_details, created_at, updated_at FROM skus WHERE client_id = $1 AND id IN ({})",
                placeholders(2, chunk.len())
            );
            let binds: Vec<Val> =
                std::iter::once(Val::S(tenant.0.clone())).chain(chunk.iter().map(|s| Val::I(s.0))).collect();
            for row in bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await? {
                let oc_details = match os(&row, "oc_details")? {
                    Some(t) => Some(
                        serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("column oc_details: {e}")))?,
                    ),
                    None => None,
                };
                let extras = SkuExtras {
                    oc_details,
                    created_at_ms: i(&row, "created_at")?,
                    updated_at_ms: i(&row, "updated_at")?,
                };
                out.insert(SkuId(i(&row, "id")?), extras);
            }
        }
        Ok(out)
    }
}
