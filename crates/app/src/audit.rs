//! Reading the audit trail: who did what to a subject, for a seller's timeline and an
//! operator's investigation.

use entrepot_core::{actor::Actor, CoreResult};

use crate::{types::audit::AuditEntry, App};

/// The most entries one read returns.
pub const AUDIT_PAGE: i64 = 500;

impl App {
    /// The trail of one subject as `actor` may see it: a seller user only the entries that
    /// touched its own client, staff only those in their warehouses or in none.
    pub async fn audit_trail(
        &self,
        actor: &Actor,
        subject_kind: &str,
        subject_id: &str,
    ) -> CoreResult<Vec<AuditEntry>> {
        let mut trail = self.storage.audit_trail(subject_kind, subject_id, actor.client(), AUDIT_PAGE).await?;
        // Staff read what happened in their warehouses, and what belongs to no warehouse (a
        // SKU's audit, which any staff may run).
        if let entrepot_core::actor::Role::Staff { warehouses, .. } = &actor.role {
            trail.retain(|e| e.warehouse_id.as_ref().is_none_or(|w| warehouses.iter().any(|x| &x.0 == w)));
        }
        Ok(trail)
    }
}
