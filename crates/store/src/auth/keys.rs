//! Credentials recognised a moment ago: Bird's API keys, OC's apps and access tokens. Every call
//! names them, and reading them was a hop to a reader connection's thread and back each time: as
//! much time as the rest of a refused request. As with reference data (`site::cache`),
//! an entry is used for at most [`TTL`]: a credential revoked through this store is refused at
//! once (revoking forgets the cache), one revoked by another process (`entrepot admin`) within
//! [`TTL`]. Unknown credentials are not kept, so guessing cannot fill the cache.

use std::{collections::HashMap, sync::RwLock, time::Instant};

use crate::{site::cache::TTL, StoreResult};

/// Entries kept at most; past it the cache starts afresh (a bound, not a policy).
const MAX_ENTRIES: usize = 10_000;

/// Credential hash → what it stands for (`V`), and when that was read.
#[derive(Debug)]
pub(crate) struct KeyCache<V>(RwLock<Keys<V>>);

impl<V> Default for KeyCache<V> {
    fn default() -> Self {
        KeyCache(RwLock::new(Keys { by_hash: HashMap::new(), generation: 0 }))
    }
}

#[derive(Debug)]
struct Keys<V> {
    by_hash: HashMap<String, (Instant, V)>,
    /// Bumped by every forget, so that a read that began before a revocation does not put the
    /// credential back.
    generation: u64,
}

impl<V: Clone> KeyCache<V> {
    /// What the credential `hash` stands for: as read less than [`TTL`] ago, else as `read`
    /// finds it now (kept, if found, unless a revocation came meanwhile).
    pub(crate) async fn get_or_read<Fut>(&self, hash: String, read: impl FnOnce() -> Fut) -> StoreResult<Option<V>>
    where
        Fut: std::future::Future<Output = StoreResult<Option<V>>>,
    {
        let generation = match self.get(&hash) {
            Ok(v) => return Ok(Some(v)),
            Err(generation) => generation,
        };
        let found = read().await?;
        if let Some(v) = &found {
            self.put(generation, hash, v.clone());
        }
        Ok(found)
    }

    /// What a credential stood for when read less than [`TTL`] ago; else the generation to pass
    /// to [`KeyCache::put`] after reading it.
    fn get(&self, hash: &str) -> Result<V, u64> {
        let Ok(k) = self.0.read() else { return Err(u64::MAX) };
        match k.by_hash.get(hash) {
            Some((at, v)) if at.elapsed() < TTL => Ok(v.clone()),
            _ => Err(k.generation),
        }
    }

    /// Keeps a credential read in `generation`, unless a revocation came since.
    fn put(&self, generation: u64, hash: String, v: V) {
        let Ok(mut k) = self.0.write() else { return };
        if k.generation != generation {
            return;
        }
        if k.by_hash.len() >= MAX_ENTRIES {
            k.by_hash.clear();
        }
        k.by_hash.insert(hash, (Instant::now(), v));
    }

    pub(crate) fn forget(&self) {
        if let Ok(mut k) = self.0.write() {
            k.by_hash.clear();
            k.generation += 1;
        }
    }
}
