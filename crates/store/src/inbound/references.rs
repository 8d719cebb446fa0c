//! A client's inbound references: which are taken already (so a whole upload can be refused
//! before any of it is created), and fresh ones for inbounds sent without one.

use entrepot_core::ids::ClientId;

use crate::{
    engine::{
        bulk::{bind_all, placeholders, Val},
        exec::Tx,
        rows::s,
        seq,
    },
    Store, StoreResult,
};

impl Store {
    /// Which of `references` the tenant's inbound orders already use.
    pub async fn inbound_references_taken(&self, tenant: &ClientId, references: &[String]) -> StoreResult<Vec<String>> {
        let mut taken = vec![];
        for chunk in references.chunks(500) {
            let q = format!(
                "SELECT reference FROM inbound_orders WHERE client_id = $1 AND reference IN ({}) ORDER BY reference",
                placeholders(2, chunk.len())
            );
            let binds: Vec<Val> =
                std::iter::once(Val::S(tenant.0.clone())).chain(chunk.iter().map(|r| Val::S(r.clone()))).collect();
            for row in bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await? {
                taken.push(s(&row, "reference")?);
            }
        }
        Ok(taken)
    }

    /// A fresh reference for an inbound sent without one: `prefix` and a number never handed out
    /// before, so it cannot collide with an earlier generated one.
    pub async fn generated_inbound_reference(&self, prefix: &str) -> StoreResult<String> {
        let mut tx = self.begin().await?;
        let n = seq::next(&mut Tx::from(&mut tx), "inbound_reference", 1).await?;
        tx.commit().await?;
        Ok(format!("{prefix}{n}"))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use entrepot_core::{ids::SkuId, inbound::ShippingMode};
    use entrepot_testkit::{each_backend, Backend};

    use crate::{outbound::direct::tests::fixture, NewInbound};

    #[each_backend]
    async fn references_and_listing_are_per_tenant(b: Backend) {
        let fx = fixture(b).await;
        let new = |reference: &str| NewInbound {
            warehouse_id: fx.warehouse.clone(),
            reference: reference.into(),
            mode: ShippingMode::Sea,
            lines: vec![(fx.sku, 5)],
            need_clearance_doc: false,
            details: serde_json::json!({}),
        };
        let first = fx.store.create_inbound(&fx.client, new("R-1")).await.unwrap();
        let second = fx.store.create_inbound(&fx.client, new("R-2")).await.unwrap();
        let asked = vec!["R-1".to_owned(), "R-3".to_owned()];
        assert_eq!(fx.store.inbound_references_taken(&fx.client, &asked).await.unwrap(), vec!["R-1"], "{b:?}");
        assert!(fx.store.inbound_references_taken(&fx.other, &asked).await.unwrap().is_empty(), "{b:?}");
        let (all, total) = fx.store.list_inbounds(&fx.client, &[], 0, 0).await.unwrap();
        assert_eq!(total, 2);
        assert_eq!(all[0].inbound.number, second.inbound.number, "{b:?}: newest first");
        let (page, total) = fx.store.list_inbounds(&fx.client, &[], 1, 1).await.unwrap();
        assert_eq!((page.len(), total, page[0].reference.as_str()), (1, 2, "R-1"));
        let one = [first.inbound.number.clone()];
        assert_eq!(fx.store.list_inbounds(&fx.client, &one, 0, 0).await.unwrap().1, 1);
        assert_eq!(fx.store.list_inbounds(&fx.other, &one, 0, 0).await.unwrap().1, 0, "{b:?}: not another's");
        let a = fx.store.generated_inbound_reference("CD-").await.unwrap();
        let b2 = fx.store.generated_inbound_reference("CD-").await.unwrap();
        assert!(a.starts_with("CD-") && a != b2);
        assert_eq!(first.inbound.lines[0].sku_id, SkuId(fx.sku.0));
    }
}
