//! Reading the audit trail: who did what to a subject, for a seller's timeline and an
//! operator's investigation.

use entrepot_core::{actor::Actor, CoreResult};

use crate::{types::audit::AuditEntry, App};

/// Subjects of no warehouse whose trail every staff member reads: any staff may audit a SKU.
const STAFF_WIDE_SUBJECTS: &[&str] = &["sku"];

/// The most entries one read returns.
pub const AUDIT_PAGE: i64 = 500;

impl App {
    /// The trail of one subject as `actor` may see it: a seller user only the entries that
    /// touched its own client, staff those in their warehouses (and a SKU's).
    pub async fn audit_trail(
        &self,
        actor: &Actor,
        subject_kind: &str,
        subject_id: &str,
    ) -> CoreResult<Vec<AuditEntry>> {
        let mut trail = self.storage.audit_trail(subject_kind, subject_id, actor.client(), AUDIT_PAGE).await?;
        // Staff read what happened in their warehouses; of what belongs to no warehouse, only
        // the subjects any staff may work on (a SKU under audit), not people or credentials.
        if let entrepot_core::actor::Role::Staff { warehouses, .. } = &actor.role {
            let staff_wide = STAFF_WIDE_SUBJECTS.contains(&subject_kind);
            trail.retain(|e| match &e.warehouse_id {
                Some(w) => warehouses.iter().any(|x| &x.0 == w),
                None => staff_wide,
            });
        }
        Ok(trail)
    }
}
