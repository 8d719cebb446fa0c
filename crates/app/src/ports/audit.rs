//! The audit trail, read back. Writing is not a port method: each action's store transaction
//! records its own entry, so that the trail and the change can never disagree.

use async_trait::async_trait;
use entrepot_core::{ids::ClientId, CoreResult};

use crate::types::audit::AuditEntry;

#[async_trait]
pub trait AuditPort: Send + Sync {
    /// The trail of one subject, oldest first, at most `limit` entries; `client` narrows it to
    /// the entries that touched that client.
    async fn audit_trail(
        &self,
        subject_kind: &str,
        subject_id: &str,
        client: Option<&ClientId>,
        limit: i64,
    ) -> CoreResult<Vec<AuditEntry>>;
}
