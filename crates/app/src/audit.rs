//! Reading the audit trail: who did what to a subject, for a seller's timeline and an
//! operator's investigation.

use entrepot_core::{actor::Actor, CoreResult};

use crate::{types::audit::AuditEntry, App};

/// The most entries one read returns.
pub const AUDIT_PAGE: i64 = 500;

impl App {
    /// The trail of one subject as `actor` may see it: a seller user only the entries that
    /// touched its own client.
    pub async fn audit_trail(
        &self,
        actor: &Actor,
        subject_kind: &str,
        subject_id: &str,
    ) -> CoreResult<Vec<AuditEntry>> {
        self.storage.audit_trail(subject_kind, subject_id, actor.client(), AUDIT_PAGE).await
    }
}
