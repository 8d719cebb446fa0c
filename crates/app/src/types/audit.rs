//! The audit trail: what a floor action records about itself, and what reading the trail gives.

use entrepot_core::ids::{ClientId, WarehouseId};
use serde::Serialize;

/// What one action records beside its actor (the store adds the time).
#[derive(Debug, Clone, Copy)]
pub struct AuditRecord<'a> {
    /// A dotted verb: `inbound.received`, `location.created`, `putaway.confirmed`...
    pub action: &'a str,
    /// What it was done to: `inbound`, `location`, `order`, `sku`, `user`...
    pub subject_kind: &'a str,
    pub subject_id: &'a str,
    pub warehouse: Option<&'a WarehouseId>,
    /// The client whose goods or data it touched, so the client's users can read it.
    pub client: Option<&'a ClientId>,
    /// A short human-readable detail (`3 × SKU-1 into A-01-02-3, damaged`).
    pub detail: Option<&'a str>,
}

/// One entry of the trail as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    pub user_id: Option<String>,
    pub actor_name: String,
    pub role: String,
    pub device: Option<String>,
    pub warehouse_id: Option<String>,
    pub client_id: Option<String>,
    pub action: String,
    pub detail: Option<String>,
}
