//! The per-client request budget shared by both dialects: one token bucket per client (a tenant
//! calling through Bird and OC spends one budget), checked right after authentication, so a
//! client that floods the server is refused cheaply and the others keep being served.
//!
//! Buckets live in memory, per process: with several processes behind a balancer, each grants
//! the budget (a limit of N processes × rate). Refusals are counted by dialect for `/metrics`.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use entrepot_core::{
    ids::ClientId,
    token_bucket::{Budget, TokenBucket},
};

/// Buckets kept before idle (full) ones are forgotten; a full bucket is the same as none.
const PRUNE_AT: usize = 4096;

/// The shared budget; cheap to clone.
#[derive(Clone, Default)]
pub struct ClientBudget {
    inner: Option<Arc<Inner>>,
    refusals: Arc<Mutex<BTreeMap<&'static str, u64>>>,
}

struct Inner {
    budget: Budget,
    epoch: Instant,
    buckets: Mutex<HashMap<ClientId, TokenBucket>>,
}

impl ClientBudget {
    /// `per_sec` requests a second sustained, `burst` at once; `per_sec == 0` means no limit.
    pub fn new(per_sec: u32, burst: u32) -> Self {
        if per_sec == 0 {
            return Self::unlimited();
        }
        let budget = Budget { per_sec: f64::from(per_sec), burst: f64::from(burst.max(1)) };
        let inner = Inner { budget, epoch: Instant::now(), buckets: Mutex::new(HashMap::new()) };
        Self { inner: Some(Arc::new(inner)), refusals: Arc::default() }
    }

    /// No limit (tests that build a dialect's router alone; `--client-rate-per-sec 0`).
    pub fn unlimited() -> Self {
        Self::default()
    }

    /// Spends one request of `client`'s budget, or says when to retry (at least a second:
    /// `Retry-After` counts whole seconds). `dialect` labels the refusal in the metrics.
    pub fn take(&self, client: &ClientId, dialect: &'static str) -> Result<(), Duration> {
        let Some(inner) = &self.inner else { return Ok(()) };
        let now_us = u64::try_from(inner.epoch.elapsed().as_micros()).unwrap_or(u64::MAX);
        let outcome = {
            let Ok(mut buckets) = inner.buckets.lock() else { return Ok(()) };
            if buckets.len() >= PRUNE_AT && !buckets.contains_key(client) {
                buckets.retain(|_, b| !b.is_full(&inner.budget, now_us));
            }
            buckets
                .entry(client.clone())
                .or_insert_with(|| TokenBucket::full(&inner.budget, now_us))
                .take(&inner.budget, now_us)
        };
        outcome.map_err(|wait_us| {
            if let Ok(mut r) = self.refusals.lock() {
                *r.entry(dialect).or_default() += 1;
            }
            Duration::from_micros(wait_us).max(Duration::from_secs(1))
        })
    }

    /// Refusals so far for `dialect`.
    pub fn refusals(&self, dialect: &str) -> u64 {
        self.refusals.lock().map(|r| r.get(dialect).copied().unwrap_or(0)).unwrap_or(0)
    }
}

/// Whole seconds for a `Retry-After` header, rounded up.
pub fn retry_after_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_has_its_own_bucket() {
        let b = ClientBudget::new(1, 2);
        let (a, c) = (ClientId("cli_a".into()), ClientId("cli_c".into()));
        assert!(b.take(&a, "bird").is_ok());
        assert!(b.take(&a, "oc").is_ok());
        let wait = b.take(&a, "oc").unwrap_err();
        assert!(wait >= Duration::from_secs(1) && wait <= Duration::from_secs(2), "{wait:?}");
        assert!(b.take(&c, "bird").is_ok(), "another client is not affected");
        assert_eq!((b.refusals("oc"), b.refusals("bird")), (1, 0));
        assert_eq!(retry_after_secs(wait), if wait == Duration::from_secs(1) { 1 } else { 2 });
    }

    #[test]
    fn zero_rate_is_no_limit() {
        let b = ClientBudget::new(0, 0);
        let a = ClientId("cli_a".into());
        for _ in 0..10_000 {
            assert!(b.take(&a, "bird").is_ok());
        }
    }
}
