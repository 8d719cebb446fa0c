//! The SKUs order uploads name by the seller's code, kept for a moment. An ERP uploading a backlog
//! names the same few hundred SKUs in request after request, and looking each up again was a
//! tenth of PostgreSQL's time during intake. As with warehouses and services (`cache`), an entry
//! is used for at most [`TTL`]: a change made by another process (`entrepot admin`) is seen within
//! it, one made through this store at once (every SKU write forgets the cache), and a code the
//! cache does not know is always read.

use std::{collections::HashMap, sync::RwLock, time::Instant};

use entrepot_core::{ids::ClientId, sku::Sku};

use crate::cache::TTL;

/// Entries kept at most; past it the cache starts afresh (a bound, not a policy).
const MAX_ENTRIES: usize = 200_000;

/// `(client, seller code)` → the SKU as read at an instant.
#[derive(Debug, Default)]
pub(crate) struct SkuCache(RwLock<Entries>);

#[derive(Debug, Default)]
struct Entries {
    by_code: HashMap<(String, String), (Instant, Sku)>,
    /// Bumped by every forget, so that a read that began before a write does not put back what
    /// the write changed.
    generation: u64,
}

impl SkuCache {
    /// The current generation, to pass to [`SkuCache::put`] after reading the database.
    pub(crate) fn generation(&self) -> u64 {
        self.0.read().map(|e| e.generation).unwrap_or(0)
    }

    /// The tenant's SKU with this code, if read less than [`TTL`] ago.
    pub(crate) fn get(&self, tenant: &ClientId, code: &str) -> Option<Sku> {
        let e = self.0.read().ok()?;
        let (at, sku) = e.by_code.get(&(tenant.0.clone(), code.to_owned()))?;
        (at.elapsed() < TTL).then(|| sku.clone())
    }

    /// Keeps SKUs read from the database in `generation`, unless a write came since.
    pub(crate) fn put(&self, generation: u64, skus: &[Sku]) {
        let Ok(mut e) = self.0.write() else { return };
        if e.generation != generation {
            return;
        }
        if e.by_code.len() + skus.len() > MAX_ENTRIES {
            e.by_code.clear();
        }
        let now = Instant::now();
        for s in skus {
            e.by_code.insert((s.client_id.0.clone(), s.seller_sku.clone()), (now, s.clone()));
        }
    }

    /// Forgets everything: a SKU was written.
    pub(crate) fn forget(&self) {
        if let Ok(mut e) = self.0.write() {
            e.by_code.clear();
            e.generation += 1;
        }
    }
}
