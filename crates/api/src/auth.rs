//! Who is calling: the [`Caller`] extractor turns a bearer token or the session cookie into the
//! [`Actor`] every handler passes to the use cases, so scope is decided by the actor and never by
//! a handler. It reads headers only: a caller is authenticated before any body is read.
//!
//! A request authenticated by the cookie must send the session's CSRF token in `X-CSRF-Token` on
//! every unsafe method (POST, PUT, PATCH, DELETE); a bearer token needs none (a browser never
//! sends it by itself).

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderMap, HeaderValue, Method},
};
use entrepot_app::App;
use entrepot_core::actor::Actor;

use crate::{problem::Problem, ApiState};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "entrepot_session";
/// The header carrying the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Longest credential read from a header (ours are 68 characters).
const MAX_SECRET: usize = 256;

/// How the caller authenticated.
#[derive(Debug, Clone)]
pub enum Via {
    /// The session cookie, with its secret (to log out).
    Session(String),
    Token,
}

/// The authenticated caller of one request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub via: Via,
}

/// Whether a method changes something (and so needs the CSRF token under a cookie).
pub fn unsafe_method(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The session cookie's secret, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty() && v.len() <= MAX_SECRET)
}

/// The `Set-Cookie` value carrying a session's secret (an empty value and no age end it). The
/// console sets the same cookie, so a person signed in there may call this API too.
pub fn session_cookie_header(value: &str, max_age_s: i64) -> HeaderValue {
    let c = format!("{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age_s}; HttpOnly; Secure; SameSite=Lax");
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Authenticates a request from its method and headers.
pub async fn authenticate(app: &App, method: &Method, headers: &HeaderMap) -> Result<Caller, Problem> {
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let token = auth
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= MAX_SECRET)
            .ok_or_else(Problem::unauthenticated)?;
        let actor = app.actor_for_token(token).await?.ok_or_else(Problem::unauthenticated)?;
        tracing::Span::current().record("client_id", actor.client().map(|c| c.0.as_str()).unwrap_or(""));
        return Ok(Caller { actor, via: Via::Token });
    }
    let secret = session_cookie(headers).ok_or_else(Problem::unauthenticated)?;
    let entrepot_app::SignedIn { actor, csrf, .. } =
        app.actor_for_session(secret).await?.ok_or_else(Problem::unauthenticated)?;
    if unsafe_method(method) {
        let sent = headers.get(CSRF_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
        if !same(sent, csrf.as_bytes()) {
            return Err(Problem::csrf());
        }
    }
    tracing::Span::current().record("client_id", actor.client().map(|c| c.0.as_str()).unwrap_or(""));
    Ok(Caller { actor, via: Via::Session(secret.to_owned()) })
}

impl FromRequestParts<ApiState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, Self::Rejection> {
        // The idempotency layer authenticated the request already (before reading its body).
        if let Some(c) = parts.extensions.get::<Caller>() {
            return Ok(c.clone());
        }
        authenticate(&state.app, &parts.method, &parts.headers).await
    }
}
