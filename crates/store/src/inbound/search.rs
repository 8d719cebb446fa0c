//! Finding a client's inbound orders: by creation time slot, by number and by the client's own
//! references, one page at a time (OC's inbound queries), or simply the newest (Bird's listing).

use entrepot_core::ids::ClientId;

use crate::{
    engine::{
        bulk::{bind_all, placeholders, Val},
        rows::{i, s},
    },
    inbound::{inbound_view, lines_of, InboundView, INBOUND_COLS},
    Store, StoreResult,
};
pub use entrepot_app::types::inbound::InboundSearch;

impl Store {
    /// The tenant's inbounds matching `f`, newest first, with the total count before paging.
    pub async fn search_inbounds(&self, tenant: &ClientId, f: &InboundSearch) -> StoreResult<(Vec<InboundView>, i64)> {
        let mut cond = vec!["client_id = $1".to_owned()];
        let mut binds = vec![Val::S(tenant.0.clone())];
        if !f.numbers.is_empty() || !f.references.is_empty() {
            let mut any = vec![];
            if !f.numbers.is_empty() {
                any.push(format!("number IN ({})", placeholders(binds.len() + 1, f.numbers.len())));
                binds.extend(f.numbers.iter().map(|n| Val::S(n.clone())));
            }
            if !f.references.is_empty() {
                any.push(format!("reference IN ({})", placeholders(binds.len() + 1, f.references.len())));
                binds.extend(f.references.iter().map(|n| Val::S(n.clone())));
            }
            cond.push(format!("({})", any.join(" OR ")));
        }
        if let Some(v) = f.created_from_ms {
            cond.push(format!("created_at >= ${}", binds.len() + 1));
            binds.push(Val::I(v));
        }
        if let Some(v) = f.created_to_ms {
            cond.push(format!("created_at <= ${}", binds.len() + 1));
            binds.push(Val::I(v));
        }
        let cond = cond.join(" AND ");
        let count_q = format!("SELECT COUNT(*) AS n FROM inbound_orders WHERE {cond}");
        let total = i(&bind_all(sqlx::query(&count_q), &binds).fetch_one(&self.read).await?, "n")?;
        let limit = if f.limit <= 0 { i64::MAX } else { f.limit };
        let page_q = format!(
            "SELECT {INBOUND_COLS} FROM inbound_orders WHERE {cond} ORDER BY created_at DESC, number DESC LIMIT {limit} OFFSET {}",
            f.offset.max(0)
        );
        // The page and its lines from one snapshot, in two statements (not two per inbound).
        let mut tx = self.read.begin().await?;
        let rows = bind_all(sqlx::query(&page_q), &binds).fetch_all(&mut *tx).await?;
        let ids = rows.iter().map(|r| s(r, "id")).collect::<StoreResult<Vec<_>>>()?;
        let mut lines = lines_of(&mut crate::engine::exec::Tx::from(&mut tx), &ids).await?;
        tx.rollback().await?;
        let out = rows
            .iter()
            .zip(&ids)
            .map(|(row, id)| inbound_view(row, lines.remove(id).unwrap_or_default()))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((out, total))
    }

    /// The tenant's inbound orders, newest first, only those numbered `numbers` when some are
    /// given; with the total count before paging (`limit` ≤ 0: no limit).
    pub async fn list_inbounds(
        &self,
        tenant: &ClientId,
        numbers: &[String],
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<InboundView>, i64)> {
        let f = InboundSearch { numbers: numbers.to_vec(), offset, limit, ..InboundSearch::default() };
        self.search_inbounds(tenant, &f).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use entrepot_core::inbound::ShippingMode;
    use entrepot_testkit::{each_backend, Backend};

    use super::InboundSearch;
    use crate::{outbound::direct::tests::fixture, NewInbound};

    #[each_backend]
    async fn by_lists_or_time_slot_for_the_tenant_only(b: Backend) {
        let fx = fixture(b).await;
        let new = |reference: &str| NewInbound {
            warehouse_id: fx.warehouse.clone(),
            reference: reference.into(),
            mode: ShippingMode::Sea,
            lines: vec![(fx.sku, 5)],
            need_clearance_doc: false,
            details: serde_json::json!({}),
        };
        let a = fx.store.create_inbound(&fx.client, new("R-1")).await.unwrap();
        let b2 = fx.store.create_inbound(&fx.client, new("R-2")).await.unwrap();
        let f = InboundSearch {
            numbers: vec![a.inbound.number.clone()],
            references: vec!["R-2".into(), "R-9".into()],
            ..Default::default()
        };
        let (found, total) = fx.store.search_inbounds(&fx.client, &f).await.unwrap();
        assert_eq!(total, 2, "{b:?}: either list matches");
        assert_eq!(found[0].inbound.number, b2.inbound.number, "{b:?}: newest first");
        assert_eq!(found[0].inbound.lines, b2.inbound.lines, "{b:?}: with its lines");
        assert_eq!(found[1].inbound.lines.len(), 1, "{b:?}: each with its own lines");
        assert_eq!(fx.store.search_inbounds(&fx.other, &f).await.unwrap().1, 0, "{b:?}: not another's");
        let slot = InboundSearch {
            created_from_ms: Some(a.created_at_ms),
            created_to_ms: Some(a.created_at_ms),
            ..Default::default()
        };
        let (found, _) = fx.store.search_inbounds(&fx.client, &slot).await.unwrap();
        assert!(found.iter().any(|v| v.inbound.number == a.inbound.number), "{b:?}");
        let before = InboundSearch { created_to_ms: Some(a.created_at_ms - 1), ..Default::default() };
        assert_eq!(fx.store.search_inbounds(&fx.client, &before).await.unwrap().1, 0, "{b:?}");
        let page = InboundSearch { limit: 1, offset: 1, ..Default::default() };
        let (found, total) = fx.store.search_inbounds(&fx.client, &page).await.unwrap();
        assert_eq!((found.len(), total, found[0].reference.as_str()), (1, 2, "R-1"), "{b:?}");
    }
}
