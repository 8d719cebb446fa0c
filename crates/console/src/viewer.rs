//! Who is looking: the session cookie (the native API's own, so the console's scripts may call
//! `/api/v1` with the session's CSRF token) turned into the actor the use cases scope by. Read
//! from the headers only, before any body. Without a live session a page sends the person to
//! the login page and back.

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use entrepot_api::auth::session_cookie;
use entrepot_core::actor::{Actor, Role};

use crate::{
    failure::Failure,
    i18n::{Lang, Tr},
    state::ConsoleState,
};

/// The person behind a console request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub actor: Actor,
    /// The session's CSRF token: every form sends it back.
    pub csrf: String,
    pub tr: Tr,
}

impl Viewer {
    /// Checks the CSRF token a plain form sent (htmx and the scan queue send it as a header).
    pub fn check_csrf(&self, sent: &str) -> Result<(), Failure> {
        if same_token(sent, &self.csrf) {
            Ok(())
        } else {
            Err(Failure::csrf(self.tr))
        }
    }

    pub fn is_seller(&self) -> bool {
        matches!(self.actor.role, Role::Seller { .. })
    }

    /// Whether the page may offer the administration (the use cases decide whether it is done).
    pub fn is_operator(&self) -> bool {
        matches!(self.actor.role, Role::Operator)
    }

    pub fn is_staff(&self) -> bool {
        matches!(self.actor.role, Role::Staff { .. } | Role::Operator)
    }
}

/// Compares two secrets without stopping at the first difference.
pub fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Sends the browser to the login page, coming back to `path` afterwards. An htmx request is
/// told with `HX-Redirect` (a plain redirect would swap the login page into a fragment).
pub fn to_login(path_and_query: &str, htmx: bool) -> Response {
    let back: String = serde_urlencoded::to_string([("next", path_and_query)]).unwrap_or_default();
    let target = format!("/console/login?{back}");
    if htmx {
        let mut r = StatusCode::NO_CONTENT.into_response();
        if let Ok(v) = HeaderValue::from_str(&target) {
            r.headers_mut().insert("hx-redirect", v);
        }
        return r;
    }
    Redirect::to(&target).into_response()
}

impl FromRequestParts<ConsoleState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &ConsoleState) -> Result<Self, Self::Rejection> {
        let tr = Tr(Lang::of_request(&parts.headers));
        let htmx = parts.headers.contains_key("hx-request");
        let here = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/console");
        let Some(secret) = session_cookie(&parts.headers) else { return Err(to_login(here, htmx)) };
        match st.app.actor_for_session(secret).await {
            Ok(Some(s)) => {
                // The language the user chose follows them to any browser; else this browser's.
                let tr = s.language.as_deref().and_then(Lang::from_tag).map(Tr).unwrap_or(tr);
                Ok(Viewer { actor: s.actor, csrf: s.csrf, tr })
            }
            Ok(None) => Err(to_login(here, htmx)),
            Err(e) => Err(Failure::core(tr, e).into_response()),
        }
    }
}

/// Whether a browser's `Origin` (sent with every form post) names this host: a page elsewhere
/// posting here is refused even before the CSRF token is looked at.
pub fn same_origin(headers: &axum::http::HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}
