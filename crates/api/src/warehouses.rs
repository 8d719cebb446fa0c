//! Warehouses the caller may see: all for operators, their own for staff, the client's sites for
//! a seller user.

use axum::{extract::State, Json};
use entrepot_core::{actor::Role, company::Warehouse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::Unauthenticated;
use crate::{auth::Caller, problem::ApiResult, ApiState};

/// A warehouse.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WarehouseView {
    pub id: String,
    /// The operator's short code (`UK1`).
    pub code: String,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// IANA time zone.
    pub timezone: String,
}

impl From<Warehouse> for WarehouseView {
    fn from(w: Warehouse) -> Self {
        Self { id: w.id.0, code: w.code, name: w.name, country: w.country, timezone: w.timezone }
    }
}

/// Warehouses.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WarehouseList {
    pub items: Vec<WarehouseView>,
}

/// The warehouses the caller may see, by code.
#[utoipa::path(get, path = "/warehouses", tag = "sites",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Warehouses by code", body = WarehouseList),
        Unauthenticated,
    ))]
async fn list_warehouses(State(st): State<ApiState>, caller: Caller) -> ApiResult<Json<WarehouseList>> {
    let mut whs = match &caller.actor.role {
        Role::Seller { client, .. } => st.app.client_warehouses(client).await?,
        _ => st.app.warehouses().await?.into_iter().filter(|w| caller.actor.sees_warehouse(&w.id)).collect(),
    };
    whs.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(Json(WarehouseList { items: whs.into_iter().map(WarehouseView::from).collect() }))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(list_warehouses))
}
