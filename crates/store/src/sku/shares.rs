//! Shared products on disk (`sku_shares`, migration 0056): who besides its owner may order a SKU.
//! See `entrepot_core::share`.

use std::collections::BTreeMap;

use entrepot_core::{
    ids::{ClientId, SkuId},
    share::{ShareWith, EVERYONE},
    sku::Sku,
};

use crate::{
    engine::{
        bulk::{bind_all, placeholders, Val},
        clock::now_ms,
        rows::{i, s},
    },
    sku::{sku, READ_COLS},
    Store, StoreResult,
};

fn column(with: &ShareWith) -> String {
    with.to_string()
}

fn from_column(v: String) -> ShareWith {
    if v == EVERYONE {
        ShareWith::Everyone
    } else {
        ShareWith::Client(ClientId(v))
    }
}

impl Store {
    /// Lets `with` order the owner's SKU; sharing again changes nothing.
    pub async fn share_sku(&self, owner: &ClientId, id: SkuId, with: &ShareWith) -> StoreResult<()> {
        self.sku(owner, id).await?;
        with.check_owner(owner)?;
        if let ShareWith::Client(c) = with {
            self.client(c).await?;
        }
        sqlx::query(
            "INSERT INTO sku_shares (sku_id, shared_with, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (sku_id, shared_with) DO NOTHING",
        )
        .bind(id.0)
        .bind(column(with))
        .bind(now_ms())
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Ends a share; orders placed under it keep their lines. Whether there was one.
    pub async fn unshare_sku(&self, owner: &ClientId, id: SkuId, with: &ShareWith) -> StoreResult<bool> {
        self.sku(owner, id).await?;
        let done = sqlx::query("DELETE FROM sku_shares WHERE sku_id = $1 AND shared_with = $2")
            .bind(id.0)
            .bind(column(with))
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Whom each of the owner's SKUs among `ids` is shared with (SKUs shared with nobody, or not
    /// the owner's, are absent); everyone first, then clients by id.
    pub async fn sku_shares(&self, owner: &ClientId, ids: &[SkuId]) -> StoreResult<BTreeMap<SkuId, Vec<ShareWith>>> {
        let mut out: BTreeMap<SkuId, Vec<ShareWith>> = BTreeMap::new();
        for chunk in ids.chunks(crate::engine::bulk::MAX_ROWS) {
            let q = format!(
                "SELECT s.sku_id, s.shared_with FROM sku_shares s JOIN skus k ON k.id = s.sku_id \
                 WHERE k.client_id = $1 AND s.sku_id IN ({})",
                placeholders(2, chunk.len())
            );
            let binds: Vec<Val> =
                std::iter::once(Val::from(owner.0.as_str())).chain(chunk.iter().map(|i| Val::I(i.0))).collect();
            for r in bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await? {
                out.entry(SkuId(i(&r, "sku_id")?)).or_default().push(from_column(s(&r, "shared_with")?));
            }
        }
        for shares in out.values_mut() {
            shares.sort();
        }
        Ok(out)
    }

    /// The SKUs among `ids` that other clients own and share with `tenant` (the rest are absent).
    pub async fn skus_shared_with(&self, tenant: &ClientId, ids: &[SkuId]) -> StoreResult<Vec<Sku>> {
        let mut out = vec![];
        for chunk in ids.chunks(crate::engine::bulk::MAX_ROWS) {
            let q = format!(
                "SELECT {READ_COLS} FROM skus WHERE id IN ({}) AND client_id <> $1 \
                 AND id IN (SELECT sku_id FROM sku_shares WHERE shared_with = $1 OR shared_with = '{EVERYONE}') ORDER BY id",
                placeholders(2, chunk.len())
            );
            let binds: Vec<Val> =
                std::iter::once(Val::from(tenant.0.as_str())).chain(chunk.iter().map(|i| Val::I(i.0))).collect();
            for r in bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await? {
                out.push(sku(&r)?);
            }
        }
        Ok(out)
    }
}
