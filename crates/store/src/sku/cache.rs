//! The SKUs order uploads name by the seller's code, kept for a moment. An ERP uploading a backlog
//! names the same few hundred SKUs in request after request, and looking each up again was a
//! tenth of PostgreSQL's time during intake. As with warehouses and services (`site::cache`), an entry
//! is used for at most [`TTL`]: a change made by another process (`entrepot admin`) is seen within
//! it, one made through this store at once (every SKU write forgets the cache), and a code the
//! cache does not know is always read.

use std::{collections::HashMap, sync::RwLock, time::Instant};

use entrepot_core::{ids::ClientId, sku::Sku};

use crate::site::cache::TTL;

/// Entries kept at most; past it the cache starts afresh (a bound, not a policy).
const MAX_ENTRIES: usize = 200_000;

/// Client → seller code → the SKU as read at an instant.
#[derive(Debug, Default)]
pub(crate) struct SkuCache(RwLock<Entries>);

#[derive(Debug, Default)]
struct Entries {
    by_client: HashMap<String, HashMap<String, (Instant, Sku)>>,
    /// Entries in all clients' maps.
    len: usize,
    /// Bumped by every forget, so that a read that began before a write does not put back what
    /// the write changed.
    generation: u64,
}

impl SkuCache {
    /// The current generation, to pass to [`SkuCache::put`] after reading the database.
    pub(crate) fn generation(&self) -> u64 {
        self.0.read().map(|e| e.generation).unwrap_or(0)
    }

    /// The tenant's SKUs with these codes read less than [`TTL`] ago, and the codes it must read.
    pub(crate) fn lookup<'c>(&self, tenant: &ClientId, codes: &'c [String]) -> (Vec<Sku>, Vec<&'c String>) {
        let Ok(e) = self.0.read() else { return (vec![], codes.iter().collect()) };
        let Some(known) = e.by_client.get(&tenant.0) else { return (vec![], codes.iter().collect()) };
        let mut hits = Vec::with_capacity(codes.len());
        let mut misses = vec![];
        for code in codes {
            match known.get(code) {
                Some((at, sku)) if at.elapsed() < TTL => hits.push(sku.clone()),
                _ => misses.push(code),
            }
        }
        (hits, misses)
    }

    /// Keeps SKUs read from the database in `generation`, unless a write came since.
    pub(crate) fn put(&self, generation: u64, skus: &[Sku]) {
        let Ok(mut e) = self.0.write() else { return };
        if e.generation != generation {
            return;
        }
        if e.len + skus.len() > MAX_ENTRIES {
            e.by_client.clear();
            e.len = 0;
        }
        let now = Instant::now();
        for s in skus {
            let known = e.by_client.entry(s.client_id.0.clone()).or_default();
            if known.insert(s.seller_sku.clone(), (now, s.clone())).is_none() {
                e.len += 1;
            }
        }
    }

    /// Forgets everything: a SKU was written.
    pub(crate) fn forget(&self) {
        if let Ok(mut e) = self.0.write() {
            e.by_client.clear();
            e.len = 0;
            e.generation += 1;
        }
    }
}
