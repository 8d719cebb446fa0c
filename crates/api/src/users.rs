//! Users: create within the caller's scope (operators: anyone; a seller owner: its client's
//! sellers), list the users the caller may see, disable one.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use entrepot_app::{NewUser, UserRecord};
use entrepot_core::{
    actor::{Actor, Role},
    ids::{ClientId, UserId, WarehouseId},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::Unauthenticated;
use crate::{
    auth::Caller,
    problem::{ApiJson, ApiResult, Problem},
    ApiState,
};

/// A warehouse a user is attached to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WarehouseRef {
    pub id: String,
    pub code: String,
}

/// What a user is and what it is attached to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RoleView {
    /// `operator`, `supervisor`, `staff`, `seller_owner`, `seller` or `system`.
    pub name: String,
    /// Staff: their warehouses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warehouses: Vec<WarehouseRef>,
    /// Seller users: their client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

pub(crate) async fn role_view(st: &ApiState, role: &Role) -> RoleView {
    let mut warehouses = vec![];
    if let Role::Staff { warehouses: whs, .. } = role {
        for w in whs {
            let code = st.app.cached_warehouse(w).await.map(|w| w.code).unwrap_or_default();
            warehouses.push(WarehouseRef { id: w.0.clone(), code });
        }
    }
    let client_id = match role {
        Role::Seller { client, .. } => Some(client.0.clone()),
        _ => None,
    };
    RoleView { name: role.name().to_owned(), warehouses, client_id }
}

/// A user as listed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub username: String,
    pub role: RoleView,
    pub disabled: bool,
    pub created_at_ms: i64,
}

pub(crate) async fn user_view(st: &ApiState, u: &UserRecord) -> UserView {
    let role = match u.role() {
        Some(r) => role_view(st, &r).await,
        None => RoleView { name: u.role_name.clone(), warehouses: vec![], client_id: None },
    };
    UserView {
        id: u.id.0.clone(),
        username: u.username.clone(),
        role,
        disabled: u.disabled,
        created_at_ms: u.created_at_ms,
    }
}

/// A user to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub username: String,
    /// 8 to 256 characters.
    pub password: String,
    /// `operator`, `staff` or `seller`.
    pub role: String,
    /// Staff: warehouse codes (`UK1`) or ids, at least one.
    #[serde(default)]
    pub warehouses: Vec<String>,
    /// Staff: may approve.
    #[serde(default)]
    pub supervisor: bool,
    /// Sellers: the client (default: a seller owner's own).
    pub client_id: Option<String>,
    /// Sellers: manages the client's users.
    #[serde(default)]
    pub owner: bool,
}

/// Users.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserList {
    pub items: Vec<UserView>,
}

async fn role_of(st: &ApiState, actor: &Actor, req: &CreateUser) -> ApiResult<Role> {
    match req.role.as_str() {
        "operator" => Ok(Role::Operator),
        "staff" => {
            let mut warehouses = vec![];
            for w in req.warehouses.iter().take(64) {
                let found = match st.app.warehouse_by_code(w).await {
                    Ok(wh) => Ok(wh),
                    Err(_) => st.app.warehouse(&WarehouseId::from(w.as_str())).await,
                };
                let wh = found.map_err(|_| Problem::invalid("warehouses", format!("no warehouse {w}")))?;
                warehouses.push(wh.id);
            }
            Ok(Role::Staff { warehouses, supervisor: req.supervisor })
        }
        "seller" => {
            let client = match (&req.client_id, actor.client()) {
                (Some(c), _) => ClientId::from(c.as_str()),
                (None, Some(own)) => own.clone(),
                (None, None) => return Err(Problem::invalid("client_id", "sellers belong to a client")),
            };
            Ok(Role::Seller { client, owner: req.owner })
        }
        _ => Err(Problem::invalid("role", "must be operator, staff or seller")),
    }
}

/// Creates a user.
#[utoipa::path(post, path = "/users", tag = "people", request_body = CreateUser,
    security(("bearer" = []), ("session" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 201, description = "Created", body = UserView),
        Unauthenticated,
        (status = 403, description = "Not allowed to create this user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "User name taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_user(
    State(st): State<ApiState>,
    caller: Caller,
    ApiJson(req): ApiJson<CreateUser>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let role = role_of(&st, &caller.actor, &req).await?;
    let new = NewUser { username: req.username, password: req.password, role };
    let user = st.app.create_person(&caller.actor, new).await?;
    Ok((StatusCode::CREATED, Json(user_view(&st, &user).await)))
}

/// The users the caller may see: all for operators, its client's for a seller owner.
#[utoipa::path(get, path = "/users", tag = "people",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Users by name", body = UserList),
        Unauthenticated,
        (status = 403, description = "Not allowed to list users", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_users(State(st): State<ApiState>, caller: Caller) -> ApiResult<Json<UserList>> {
    let mut items = vec![];
    for u in st.app.people(&caller.actor).await? {
        items.push(user_view(&st, &u).await);
    }
    Ok(Json(UserList { items }))
}

/// Disables a user: its sessions end and its tokens are revoked at once.
#[utoipa::path(post, path = "/users/{id}/disable", tag = "people",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "User id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays answer the first request's answer")),
    responses(
        (status = 200, description = "Disabled", body = UserView),
        Unauthenticated,
        (status = 404, description = "No such user for this caller", body = Problem, content_type = "application/problem+json"),
    ))]
async fn disable_user(State(st): State<ApiState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<UserView>> {
    let user = st.app.disable_person(&caller.actor, &UserId(id)).await?;
    Ok(Json(user_view(&st, &user).await))
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(create_user, list_users)).routes(routes!(disable_user))
}
