//! SKU lookups for order intake: a 1,000-order upload names up to 1,000 SKUs by the seller's code,
//! and resolving those the cache does not hold (see `sku::cache`) is one indexed query per chunk,
//! without the count a listing needs, with anonymous placeholders on SQLite (see `engine::bulk`).

use entrepot_core::{ids::ClientId, sku::Sku};

use crate::{
    engine::bulk::{self, Ph, Val},
    sku::sku,
    Store, StoreResult,
};

impl Store {
    /// The tenant's SKUs with these seller codes (unknown codes are simply absent), by id.
    pub async fn skus_by_seller_skus(&self, tenant: &ClientId, seller_skus: &[String]) -> StoreResult<Vec<Sku>> {
        let generation = self.sku_cache.generation();
        let (mut out, unknown) = self.sku_cache.lookup(tenant, seller_skus);
        let mut read = Vec::with_capacity(unknown.len());
        for chunk in unknown.chunks(bulk::MAX_ROWS) {
            let mut ph = Ph::on(self.backend);
            let client = ph.one();
            let codes = ph.tuples(1, chunk.len());
            // `(?, ?)` as a list of values: one tuple of `chunk.len()` placeholders.
            let sql = format!("SELECT * FROM skus WHERE client_id = {client} AND seller_sku IN {codes}");
            let vals = std::iter::once(Val::from(tenant.0.as_str())).chain(chunk.iter().map(|c| Val::from(c.as_str())));
            for row in bulk::bind(sqlx::query(&sql), vals).fetch_all(&self.read).await? {
                read.push(sku(&row)?);
            }
        }
        self.sku_cache.put(generation, &read);
        out.extend(read);
        out.sort_by_key(|s| s.id);
        out.dedup_by_key(|s| s.id);
        Ok(out)
    }
}
