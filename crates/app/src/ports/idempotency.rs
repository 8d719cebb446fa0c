//! The native API's Idempotency-Key records: one command per (user, key), its answer kept.

use async_trait::async_trait;
use entrepot_core::{ids::UserId, CoreResult};

use crate::types::people::IdempotencyClaim;

#[async_trait]
pub trait IdempotencyPort: Send + Sync {
    /// Claims `key` for `request` (method and path) with a body hashing to `body_hash`, or says
    /// what an earlier claim left; claims older than `ttl_ms` are forgotten first.
    async fn idempotency_claim(
        &self,
        user: &UserId,
        key: &str,
        request: &str,
        body_hash: &str,
        ttl_ms: i64,
    ) -> CoreResult<IdempotencyClaim>;
    /// Keeps the answer of a claimed command for replays.
    async fn idempotency_finish(
        &self,
        user: &UserId,
        key: &str,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> CoreResult<()>;
    /// Lets a claim go (the command could not answer: a replay runs it anew).
    async fn idempotency_release(&self, user: &UserId, key: &str) -> CoreResult<()>;
}
