//! Bearer tokens for handhelds and scripts: created by a user for itself with a label (the
//! device's name, recorded in the audit trail as the device) and a scope no higher than its own
//! role; shown once; listed; revoked.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use entrepot_app::TokenRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::Unauthenticated;
use crate::{
    auth::Caller,
    problem::{ApiJson, ApiResult, Problem},
    ApiState,
};

/// A token to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    /// The device or script's name, 1 to 64 characters.
    pub label: String,
    /// A role name no higher than the creator's (`supervisor` → `supervisor` or `staff`,
    /// `seller_owner` → `seller_owner` or `seller`); default: the creator's.
    pub scope: Option<String>,
}

/// A token as listed (never its secret).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    pub label: String,
    pub scope: String,
    pub created_at_ms: i64,
    pub revoked: bool,
}

impl From<TokenRecord> for TokenView {
    fn from(t: TokenRecord) -> Self {
        Self { id: t.id, label: t.label, scope: t.scope, created_at_ms: t.created_at_ms, revoked: t.revoked }
    }
}

/// A token just created: `token` is shown this once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenCreatedView {
    /// Send as `Authorization: Bearer <token>`. Not shown again.
    pub token: String,
    #[serde(flatten)]
    pub record: TokenView,
}

/// Tokens.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenView>,
}

/// Creates a bearer token for the caller.
#[utoipa::path(post, path = "/tokens", tag = "access", request_body = CreateToken,
    security(("bearer" = []), ("session" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 201, description = "Created; the token is shown once", body = TokenCreatedView),
        Unauthenticated,
        (status = 403, description = "CSRF token missing or wrong", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid label or a scope above the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_token(
    State(st): State<ApiState>,
    caller: Caller,
    ApiJson(req): ApiJson<CreateToken>,
) -> ApiResult<(StatusCode, Json<TokenCreatedView>)> {
    let t = st.app.create_token(&caller.actor, &req.label, req.scope.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(TokenCreatedView { token: t.token, record: t.record.into() })))
}

/// The caller's tokens, newest first.
#[utoipa::path(get, path = "/tokens", tag = "access",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The caller's tokens", body = TokenList),
        Unauthenticated,
    ))]
async fn list_tokens(State(st): State<ApiState>, caller: Caller) -> ApiResult<Json<TokenList>> {
    let items = st.app.tokens(&caller.actor).await?.into_iter().map(TokenView::from).collect();
    Ok(Json(TokenList { items }))
}

/// Revokes one of the caller's tokens (operators: anyone's) at once.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "access",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "Token id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 204, description = "Revoked"),
        Unauthenticated,
        (status = 404, description = "No such live token of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn revoke_token(State(st): State<ApiState>, caller: Caller, Path(id): Path<String>) -> ApiResult<StatusCode> {
    st.app.revoke_token(&caller.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(create_token, list_tokens)).routes(routes!(revoke_token))
}
