//! OC's OAuth2 authorization-code flow (spec §2): `/oauth/authorize` shows a login page and
//! redirects back to the ERP with a code (see [`crate::authorize`]); `/oauth/token` exchanges
//! codes and refresh tokens.
//!
//! Liberal as the original: token parameters come from the query string or a form body, the
//! client authenticates with `Basic b64(id:secret)`, with OC's `Bearer b64(id:secret)`, or not at
//! all with only `client_id`, and codes pasted in double-encoded (`%252B`) are decoded again.
//! Token errors use RFC 6749's body, `{"error","error_description"}`. Form bodies are read only up
//! to [`OAUTH_FORM`], since the client may authenticate inside them.

use crate::{authorize, body_limits::OAUTH_FORM, OcState};
use axum::{
    body::Body,
    extract::{RawQuery, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use base64::Engine;
use entrepot_app::TokenPair;
use entrepot_core::oauth::OauthRefusal;
use entrepot_ops::{describe_limit, BodyError, CappedBody};

pub mod transformers;
pub mod types;

use types::{TokenError, TokenIssued};

pub fn routes() -> Router<OcState> {
    Router::new().route("/oauth/authorize", authorize::route()).route("/oauth/token", get(token).post(token))
}

/// Query or form pairs, first occurrence wins. A pair holding NUL is dropped (read as absent, so
/// refused as missing): no client id, code or password has one, and PostgreSQL cannot compare it.
pub(crate) fn pairs(text: &str) -> Vec<(String, String)> {
    let mut pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(text).unwrap_or_default();
    pairs.retain(|(k, v)| !k.contains('\0') && !v.contains('\0'));
    pairs
}

pub(crate) fn param<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

/// A form body of at most [`OAUTH_FORM`] bytes.
pub(crate) async fn read_form(headers: &HeaderMap, body: Body) -> Result<Vec<(String, String)>, BodyError> {
    let bytes = CappedBody::new(body, headers).read_all(OAUTH_FORM).await?;
    Ok(pairs(&String::from_utf8_lossy(&bytes)))
}

fn body_refusal(e: &BodyError) -> (StatusCode, String) {
    match e {
        BodyError::TooLarge { limit } => (
            StatusCode::BAD_REQUEST,
            format!("Request body too large: this endpoint takes at most {}.", describe_limit(*limit)),
        ),
        BodyError::Read(e) => (StatusCode::BAD_REQUEST, format!("Request body could not be read: {e}")),
    }
}

/// A token endpoint refusal, RFC 6749 §5.2; `invalid_client` is 401 as the RFC asks.
fn refuse(r: OauthRefusal) -> Response {
    let status = match r {
        OauthRefusal::InvalidClient(_) => StatusCode::UNAUTHORIZED,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, Json(TokenError::from(&r))).into_response()
}

/// `Basic` or OC's `Bearer` header carrying `b64(id:secret)`.
fn client_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, b64) = value.split_once(' ')?;
    if !(scheme.eq_ignore_ascii_case("basic") || scheme.eq_ignore_ascii_case("bearer")) {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Decodes `%XX` left in a code pasted in already encoded (`%252B` arrives as `%2B`); a `+` the
/// form decoder turned into a space is restored, since codes are base64.
fn undouble(code: &str) -> String {
    let code = code.replace(' ', "+");
    let bytes = code.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or(code)
}

async fn token(State(st): State<OcState>, headers: HeaderMap, RawQuery(q): RawQuery, body: Body) -> Response {
    let mut params = match read_form(&headers, body).await {
        Ok(p) => p,
        Err(e) => {
            let (status, m) = body_refusal(&e);
            return (status, Json(TokenError { error: "invalid_request", error_description: m })).into_response();
        }
    };
    params.extend(pairs(&q.unwrap_or_default()));
    match grant(&st, &headers, &params).await {
        Ok((pair, with_refresh)) => {
            let body = TokenIssued::new(pair, with_refresh);
            (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
        }
        Err(r) => refuse(r),
    }
}

async fn grant(
    st: &OcState,
    headers: &HeaderMap,
    params: &[(String, String)],
) -> Result<(TokenPair, bool), OauthRefusal> {
    let internal = |e: entrepot_app::CoreError| {
        tracing::error!(error = %e, "token");
        OauthRefusal::InvalidRequest("Internal error, please try again later.".into())
    };
    let header_creds = client_credentials(headers);
    let client_id = match (&header_creds, param(params, "client_id")) {
        (Some((id, _)), Some(p)) if id != p => {
            return Err(OauthRefusal::InvalidClient("client_id does not match the Authorization header.".into()))
        }
        (Some((id, _)), _) => id.clone(),
        (None, Some(p)) => p.to_owned(),
        (None, None) => return Err(OauthRefusal::InvalidClient("client_id is required.".into())),
    };
    let secret = header_creds.map(|(_, s)| s).or_else(|| param(params, "client_secret").map(str::to_owned));
    let app = st.app.erp_app_by_key(&client_id).await.map_err(internal)?;
    let app = match app {
        Some(a) if !a.revoked => a,
        Some(_) => return Err(OauthRefusal::InvalidClient("This application's access has been revoked.".into())),
        None => return Err(OauthRefusal::InvalidClient(format!("Unknown client_id '{client_id}'."))),
    };
    if secret.is_some_and(|s| s != app.secret_key) {
        return Err(OauthRefusal::InvalidClient("Bad client credentials.".into()));
    }
    match param(params, "grant_type") {
        Some("authorization_code") => {
            let code = param(params, "code").ok_or_else(|| {
                OauthRefusal::InvalidRequest("code is required for grant_type=authorization_code.".into())
            })?;
            let pair = st
                .app
                .exchange_authorization_code(&app.client_key, &undouble(code), param(params, "redirect_uri"))
                .await
                .map_err(internal)??;
            if app.environment == "SANDBOX" {
                crate::sandbox::record(st, &app.id.0, "oauth.token").await;
            }
            Ok((pair, true))
        }
        Some("refresh_token") => {
            let refresh = param(params, "refresh_token").ok_or_else(|| {
                OauthRefusal::InvalidRequest("refresh_token is required for grant_type=refresh_token.".into())
            })?;
            let refresh = refresh.trim_matches('"');
            let pair = st.app.refresh_access_token(&app.client_key, refresh).await.map_err(internal)??;
            if app.environment == "SANDBOX" {
                crate::sandbox::record(st, &app.id.0, "oauth.refresh").await;
            }
            Ok((pair, false))
        }
        Some(other) => Err(OauthRefusal::UnsupportedGrantType(format!(
            "Unsupported grant_type '{other}': use authorization_code or refresh_token."
        ))),
        None => Err(OauthRefusal::InvalidRequest("grant_type is required.".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoded_codes_are_decoded_again() {
        assert_eq!(undouble("ab%2Bc%2Fd%3D"), "ab+c/d=");
        assert_eq!(undouble("ab c/d"), "ab+c/d");
        assert_eq!(undouble("plain+/="), "plain+/=");
        assert_eq!(undouble("trailing%2"), "trailing%2");
        assert_eq!(undouble("%"), "%");
    }

    #[test]
    fn client_credentials_as_basic_or_ocs_bearer() {
        let b64 = base64::engine::general_purpose::STANDARD.encode("id:secret");
        for scheme in ["Basic", "Bearer", "basic"] {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, format!("{scheme} {b64}").parse().unwrap());
            assert_eq!(client_credentials(&h), Some(("id".into(), "secret".into())));
        }
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, "Bearer not-base64!".parse().unwrap());
        assert_eq!(client_credentials(&h), None);
    }
}
