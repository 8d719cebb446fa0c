//! API keys recognised a moment ago. Every Bird request names its key, and reading it from the
//! database was a hop to a reader connection's thread and back on every call: as much time as
//! the rest of a refused request. As with reference data (`cache`), an entry is used for at most
//! [`TTL`]: a key revoked through this store is refused at once (revoking forgets the cache),
//! one revoked by another process (`entrepot admin`) within [`TTL`]. Unknown keys are not kept,
//! so guessing cannot fill the cache.

use std::{collections::HashMap, sync::RwLock, time::Instant};

use entrepot_core::ids::ClientId;

use crate::cache::TTL;

/// Keys kept at most; past it the cache starts afresh (a bound, not a policy).
const MAX_ENTRIES: usize = 10_000;

/// Key hash → the client it authenticated, and when that was read.
#[derive(Debug, Default)]
pub(crate) struct KeyCache(RwLock<Keys>);

#[derive(Debug, Default)]
struct Keys {
    by_hash: HashMap<String, (Instant, ClientId)>,
    /// Bumped by every forget, so that a read that began before a revocation does not put the
    /// key back.
    generation: u64,
}

impl KeyCache {
    /// The client of a key read less than [`TTL`] ago, and the generation to pass to
    /// [`KeyCache::put`] otherwise.
    pub(crate) fn get(&self, hash: &str) -> Result<ClientId, u64> {
        let Ok(k) = self.0.read() else { return Err(u64::MAX) };
        match k.by_hash.get(hash) {
            Some((at, client)) if at.elapsed() < TTL => Ok(client.clone()),
            _ => Err(k.generation),
        }
    }

    /// Keeps a key read as valid in `generation`, unless a revocation came since.
    pub(crate) fn put(&self, generation: u64, hash: String, client: ClientId) {
        let Ok(mut k) = self.0.write() else { return };
        if k.generation != generation {
            return;
        }
        if k.by_hash.len() >= MAX_ENTRIES {
            k.by_hash.clear();
        }
        k.by_hash.insert(hash, (Instant::now(), client));
    }

    pub(crate) fn forget(&self) {
        if let Ok(mut k) = self.0.write() {
            k.by_hash.clear();
            k.generation += 1;
        }
    }
}
