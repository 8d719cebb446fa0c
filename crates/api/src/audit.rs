//! The audit trail of one subject (an inbound, a user, a token...), as the caller may see it:
//! a seller user the entries that touched its client, staff those in their warehouses.

use axum::{
    extract::{Path, State},
    Json,
};
use entrepot_app::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::Unauthenticated;
use crate::{
    auth::Caller,
    problem::{ApiResult, Problem},
    ApiState,
};

/// One entry: who did what, when, where.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEntryView {
    pub at_ms: i64,
    pub action: String,
    pub user_id: Option<String>,
    pub actor_name: String,
    pub role: String,
    pub device: Option<String>,
    pub warehouse_id: Option<String>,
    pub client_id: Option<String>,
    pub detail: Option<String>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        Self {
            at_ms: e.at_ms,
            action: e.action,
            user_id: e.user_id,
            actor_name: e.actor_name,
            role: e.role,
            device: e.device,
            warehouse_id: e.warehouse_id,
            client_id: e.client_id,
            detail: e.detail,
        }
    }
}

/// A subject's trail, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditTrail {
    pub items: Vec<AuditEntryView>,
}

/// The trail of one subject, oldest first (at most 500 entries).
#[utoipa::path(get, path = "/audit/{subject_kind}/{subject_id}", tag = "audit",
    security(("bearer" = []), ("session" = [])),
    params(("subject_kind" = String, Path, description = "`inbound`, `user`, `token`, `location`..."),
        ("subject_id" = String, Path, description = "The subject's id")),
    responses(
        (status = 200, description = "The entries the caller may see", body = AuditTrail),
        Unauthenticated,
    ))]
async fn audit_trail(
    State(st): State<ApiState>,
    caller: Caller,
    Path((kind, id)): Path<(String, String)>,
) -> ApiResult<Json<AuditTrail>> {
    if kind.len() > 64 || id.len() > 128 {
        return Err(Problem::not_found(None));
    }
    let items = st.app.audit_trail(&caller.actor, &kind, &id).await?.into_iter().map(AuditEntryView::from).collect();
    Ok(Json(AuditTrail { items }))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(audit_trail))
}
