//! A seller's shared products: whom one of its SKUs is shared with (every client, or clients
//! by name), read by its people and changed by its owners. Another client then orders the SKU
//! from the seller's stock (see `entrepot_core::share`).

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use entrepot_app::types::skus::SkuSharing;
use entrepot_core::{ids::SkuId, CoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::Unauthenticated;
use crate::{
    auth::Caller,
    problem::{ApiJson, ApiResult, Problem},
    ApiState,
};

/// A client a SKU is shared with.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SharedWithClient {
    pub id: String,
    pub name: String,
}

/// Whom a SKU is shared with.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SkuSharesView {
    pub sku_id: i64,
    pub seller_sku: String,
    /// Shared with every client.
    pub everyone: bool,
    /// Shared with these clients by name.
    pub clients: Vec<SharedWithClient>,
}

impl From<SkuSharing> for SkuSharesView {
    fn from(s: SkuSharing) -> Self {
        SkuSharesView {
            sku_id: s.sku.id.0,
            seller_sku: s.sku.seller_sku,
            everyone: s.everyone,
            clients: s.clients.into_iter().map(|(id, name)| SharedWithClient { id: id.0, name }).collect(),
        }
    }
}

/// A share to make.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewShare {
    /// A client's name or id, or `*` for every client.
    pub with: String,
}

fn sku_id(id: &str) -> Result<SkuId, CoreError> {
    id.parse().map(SkuId).map_err(|_| CoreError::not_found("SKU", id))
}

/// Whom one of the seller's SKUs is shared with (the seller's users).
#[utoipa::path(get, path = "/skus/{id}/shares", tag = "skus",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "SKU id")),
    responses(
        (status = 200, description = "The SKU's shares", body = SkuSharesView),
        Unauthenticated,
        (status = 403, description = "Not a seller's user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such SKU of the seller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn shares(State(st): State<ApiState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<SkuSharesView>> {
    Ok(Json(st.app.seller_sku_sharing(&caller.actor, sku_id(&id)?).await?.into()))
}

/// Shares one of the seller's SKUs with a client or every client (an owner); sharing again
/// changes nothing.
#[utoipa::path(post, path = "/skus/{id}/shares", tag = "skus", request_body = NewShare,
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "SKU id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 200, description = "The SKU's shares now", body = SkuSharesView),
        Unauthenticated,
        (status = 403, description = "Not an owner of the seller's account, or CSRF token missing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such SKU of the seller, or no such client", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No client named", body = Problem, content_type = "application/problem+json"),
    ))]
async fn share(
    State(st): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<NewShare>,
) -> ApiResult<Json<SkuSharesView>> {
    let id = sku_id(&id)?;
    st.app.seller_share_sku(&caller.actor, id, &req.with).await?;
    Ok(Json(st.app.seller_sku_sharing(&caller.actor, id).await?.into()))
}

/// Ends a share (an owner): `with` is a client's id, or `*`. Orders placed under it keep their
/// lines.
#[utoipa::path(delete, path = "/skus/{id}/shares/{with}", tag = "skus",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "SKU id"), ("with" = String, Path, description = "A client id, or `*`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 204, description = "Ended"),
        Unauthenticated,
        (status = 403, description = "Not an owner of the seller's account, or CSRF token missing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such SKU of the seller, or no such share", body = Problem, content_type = "application/problem+json"),
    ))]
async fn unshare(
    State(st): State<ApiState>,
    caller: Caller,
    Path((id, with)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    if st.app.seller_unshare_sku(&caller.actor, sku_id(&id)?, &with).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(CoreError::not_found("share", &with).into())
    }
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(shares, share)).routes(routes!(unshare))
}
