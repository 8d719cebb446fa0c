//! Browser sessions and the caller: log in (the cookie is set here, the CSRF token returned),
//! log out, and who am I.
//!
//! The cookie: `entrepot_session`, `HttpOnly`, `SameSite=Lax`, `Path=/`, and always `Secure`:
//! browsers accept secure cookies from `http://localhost`, so local development over plain HTTP
//! still works, and no setting can ship a session in clear by mistake. (Tests send the cookie
//! themselves.) Logins go through the same throttle as the OC login page.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, State},
    http::{header, Extensions, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use entrepot_app::LoginRefusal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::problem::responses::Unauthenticated;
use crate::{
    auth::{session_cookie_header as cookie, Caller, Via},
    problem::{ApiJson, ApiResult, Problem},
    users::{role_view, user_view, RoleView, UserView},
    ApiState,
};

/// A login.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub username: String,
    pub password: String,
}

/// A session opened: the cookie is set; send `csrf_token` as `X-CSRF-Token` on every unsafe
/// method.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionView {
    pub csrf_token: String,
    pub expires_at_ms: i64,
    pub user: UserView,
}

/// The caller.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub user_id: Option<String>,
    pub username: String,
    pub role: RoleView,
    /// A bearer token's label (the device).
    pub device: Option<String>,
    /// `session` or `token`.
    pub authenticated_by: String,
}

/// Logs in: sets the session cookie and returns the session's CSRF token.
#[utoipa::path(post, path = "/sessions", tag = "access", request_body = Login,
    responses(
        (status = 201, description = "Logged in; the cookie is set", body = SessionView),
        (status = 401, description = "Wrong user name or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins", body = Problem, content_type = "application/problem+json"),
    ))]
async fn log_in(State(st): State<ApiState>, ext: Extensions, ApiJson(req): ApiJson<Login>) -> ApiResult<Response> {
    let peer = ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let opened = match st.app.log_in(&req.username, &req.password, peer).await? {
        Ok(s) => s,
        Err(LoginRefusal::WrongCredentials) => {
            return Err(Problem::new(StatusCode::UNAUTHORIZED, "login-failed", "Wrong user name or password", None))
        }
        Err(LoginRefusal::SlowDown { retry_after_s }) => {
            return Err(Problem::too_many(retry_after_s, "recent failed logins: wait before trying again"))
        }
        Err(LoginRefusal::Locked { retry_after_s }) => {
            return Err(Problem::too_many(retry_after_s, "too many failed logins: locked for a while"))
        }
    };
    let ttl_s = entrepot_app::people::SESSION_TTL_MS / 1000;
    let body = SessionView {
        csrf_token: opened.csrf_token,
        expires_at_ms: opened.expires_at_ms,
        user: user_view(&st, &opened.user).await,
    };
    let mut resp = (StatusCode::CREATED, Json(body)).into_response();
    resp.headers_mut().insert(header::SET_COOKIE, cookie(&opened.secret, ttl_s));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Logs out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/sessions/current", tag = "access",
    security(("session" = [])),
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses(
        (status = 204, description = "Logged out"),
        Unauthenticated,
        (status = 403, description = "CSRF token missing or wrong", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Authenticated by a bearer token, not a session", body = Problem, content_type = "application/problem+json"),
    ))]
async fn log_out(State(st): State<ApiState>, caller: Caller) -> ApiResult<Response> {
    let Via::Session(secret) = &caller.via else {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "conflict",
            "Not a session",
            "a bearer token is revoked with DELETE /api/v1/tokens/{id}".to_owned(),
        ));
    };
    st.app.log_out(secret).await?;
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut().insert(header::SET_COOKIE, cookie("", 0));
    Ok(resp)
}

/// Who the caller is, in which role, from which device.
#[utoipa::path(get, path = "/me", tag = "access",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The caller", body = Me),
        Unauthenticated,
    ))]
async fn me(State(st): State<ApiState>, caller: Caller) -> Json<Me> {
    let a = caller.actor;
    Json(Me {
        user_id: a.user.map(|u| u.0),
        username: a.name,
        role: role_view(&st, &a.role).await,
        device: a.device,
        authenticated_by: match caller.via {
            Via::Session(_) => "session",
            Via::Token => "token",
        }
        .to_owned(),
    })
}

pub(crate) fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(log_in)).routes(routes!(log_out)).routes(routes!(me))
}
