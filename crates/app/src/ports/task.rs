//! Background tasks (Bird's bulk conversions).

use std::collections::BTreeMap;

use async_trait::async_trait;
use entrepot_core::{ids::*, CoreResult};

use crate::types::tasks::*;

#[async_trait]
pub trait TaskPort: Send + Sync {
    /// Claims the oldest runnable task of these kinds for `owner` until `lease_ms` from now:
    /// a queued one, or a running one whose lease has expired.
    async fn claim_task(&self, kinds: &[&str], owner: &str, lease_ms: i64) -> CoreResult<Option<Task>>;
    /// Queues a task; returns it with its (numeric, Bird-visible) id.
    async fn enqueue_task(
        &self,
        client: Option<&ClientId>,
        kind: &str,
        params: serde_json::Value,
        total: i64,
    ) -> CoreResult<Task>;
    /// Ends a task: FINISH, or ERROR with the reason.
    async fn finish_task(&self, id: i64, owner: &str, error: Option<&str>) -> CoreResult<()>;
    /// Records the outcome of some items (merged into what is recorded) and the progress count.
    async fn record_task_progress(
        &self,
        id: i64,
        owner: &str,
        data: &BTreeMap<String, String>,
        errors: &BTreeMap<String, String>,
    ) -> CoreResult<bool>;
    /// Extends the lease; false if the task is no longer ours (another process took it over).
    async fn renew_task(&self, id: i64, owner: &str, lease_ms: i64) -> CoreResult<bool>;
    /// A task, scoped to its client when `client` is given (Bird's status query).
    async fn task(&self, client: Option<&ClientId>, id: i64) -> CoreResult<Task>;
}
