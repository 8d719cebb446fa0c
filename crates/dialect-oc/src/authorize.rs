//! `/oauth/authorize` (spec §2): the login page a seller signs in on to authorize an ERP app, and
//! the redirect back to the ERP with a code.
//!
//! Defences, in the order a POST meets them:
//! - the authorize request is checked first: an unknown app or a `redirect_uri` that is not the
//!   registered one (or a path under it, see `entrepot_core::redirect_uri`) gets an error page,
//!   never a redirect, and the page does not show the app's registered URI;
//! - login CSRF: the form's signed token and cookie (`login_csrf`), and `Origin`;
//! - throttling per user name and per address, shared by every process through the store
//!   (`entrepot_core::login_throttle`): slower and slower answers, then a 15-minute lock that
//!   refuses even the right password, logged once as a warning;
//! - the password check costs one argon2 verification whether the user exists or not.
//!
//! Every page is served with `X-Frame-Options: DENY`, a CSP with `frame-ancestors 'none'`, and in
//! the language of `Accept-Language` (English or Simplified Chinese).

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, RawQuery, State},
    http::{header, Extensions, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::{get, MethodRouter},
};
use entrepot_app::{address_subject, user_subject, ErpApp};
use entrepot_core::{
    login_throttle::{self, Verdict},
    oauth::{authorizing_client, redirect_allowed, AppGrantee},
};

use crate::{
    login_csrf::{self, Binding},
    login_page,
    login_text::{Lang, Msg},
    oauth::{pairs, param, read_form},
    time::now_ms,
    OcState,
};

/// Longest authorize query string read (a redirect URI of 2 KB, a state and the rest).
const MAX_QUERY: usize = 8 * 1024;
/// Longest `state` passed back to the ERP.
const MAX_STATE: usize = 1024;
/// Longest user name and password looked at (the form says so too).
const MAX_USERNAME: usize = 256;
const MAX_PASSWORD: usize = 1024;

/// GET shows the form, POST signs in; both with the page's security headers.
pub fn route() -> MethodRouter<OcState> {
    get(page).post(login).layer(axum::middleware::map_response(page_headers))
}

/// Headers of every authorize response: not framable (clickjacking), nothing but the page's own
/// inline style may load, not cached, no referrer to other sites (the query carries the ERP's
/// state).
async fn page_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Not `no-referrer`: with it, browsers send `Origin: null` on the form's own POST.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    r
}

/// An authorize request that may go on to the login form.
struct AuthorizeRequest {
    app: ErpApp,
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
}

impl AuthorizeRequest {
    fn binding(&self) -> Binding<'_> {
        Binding {
            client_id: &self.client_id,
            redirect_uri: &self.redirect_uri,
            state: self.state.as_deref().unwrap_or_default(),
        }
    }
}

fn error_page(lang: Lang, status: StatusCode, m: Msg) -> Response {
    let mut r = (status, Html(login_page::error(lang, &m.text(lang)))).into_response();
    content_language(&mut r, lang);
    r
}

fn content_language(r: &mut Response, lang: Lang) {
    r.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
}

/// Checks the request before any login is shown: an unknown app or a redirect URI the app did not
/// register gets an error page, never a redirect (no open redirector, no code sent astray).
async fn authorize_request(st: &OcState, raw_query: &str, lang: Lang) -> Result<AuthorizeRequest, Response> {
    let bad = |m: Msg| error_page(lang, StatusCode::BAD_REQUEST, m);
    if raw_query.len() > MAX_QUERY {
        return Err(bad(Msg::TooLong));
    }
    let query = pairs(raw_query);
    match param(&query, "response_type") {
        Some("code") => {}
        Some(_) => return Err(bad(Msg::UnsupportedResponseType)),
        None => return Err(bad(Msg::ResponseTypeRequired)),
    }
    let Some(client_id) = param(&query, "client_id") else { return Err(bad(Msg::ClientIdRequired)) };
    let app = match st.app.erp_app_by_key(client_id).await {
        Ok(Some(app)) if !app.revoked => app,
        Ok(Some(_)) => return Err(bad(Msg::Refused(entrepot_core::oauth::AuthorizeRefusal::AppRevoked))),
        Ok(None) => return Err(bad(Msg::UnknownClient)),
        Err(e) => {
            tracing::error!(error = %e, "authorize");
            return Err(error_page(lang, StatusCode::INTERNAL_SERVER_ERROR, Msg::Internal));
        }
    };
    let redirect_uri = param(&query, "redirect_uri").unwrap_or(&app.redirect_uri).to_owned();
    if !redirect_allowed(&app.redirect_uri, &redirect_uri) {
        // Neither URI is shown: the registered one belongs to the app, not to whoever asks.
        tracing::info!(client_id, "authorize refused: redirect_uri not registered");
        return Err(bad(Msg::RedirectNotRegistered));
    }
    let state = param(&query, "state").map(str::to_owned);
    if state.as_ref().is_some_and(|s| s.len() > MAX_STATE) {
        return Err(bad(Msg::TooLong));
    }
    Ok(AuthorizeRequest { client_id: client_id.to_owned(), app, redirect_uri, state })
}

fn lang_of(headers: &HeaderMap) -> Lang {
    Lang::negotiate(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

/// The form for `req`, with a fresh token for this browser (a cookie is set if it has none).
async fn form(
    st: &OcState,
    req: &AuthorizeRequest,
    query: &str,
    headers: &HeaderMap,
    lang: Lang,
    status: StatusCode,
    message: Option<Msg>,
) -> Response {
    let secret = match st.app.login_form_secret().await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "login form secret");
            return error_page(lang, StatusCode::INTERNAL_SERVER_ERROR, Msg::Internal);
        }
    };
    let (nonce, set_cookie) = match login_csrf::nonce(headers) {
        Some(n) => (n, None),
        None => {
            let (n, c) = login_csrf::new_cookie();
            (n, Some(c))
        }
    };
    let token = login_csrf::token(&secret, &nonce, &req.binding(), now_ms());
    let text = message.map(|m| m.text(lang));
    let mut r = (status, Html(login_page::form(lang, &req.app.name, query, &token, text.as_deref()))).into_response();
    if let Some(c) = set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        r.headers_mut().insert(header::SET_COOKIE, c);
    }
    content_language(&mut r, lang);
    r
}

async fn page(State(st): State<OcState>, RawQuery(q): RawQuery, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    let q = q.unwrap_or_default();
    match authorize_request(&st, &q, lang).await {
        Ok(req) => form(&st, &req, &q, &headers, lang, StatusCode::OK, None).await,
        Err(page) => page,
    }
}

/// The client's address as the socket saw it (none when the server runs without connect info).
fn peer(ext: &Extensions) -> Option<IpAddr> {
    ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

async fn login(
    State(st): State<OcState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    ext: Extensions,
    body: axum::body::Body,
) -> Response {
    let lang = lang_of(&headers);
    let q = q.unwrap_or_default();
    let req = match authorize_request(&st, &q, lang).await {
        Ok(r) => r,
        Err(page) => return page,
    };
    let again = |status: StatusCode, m: Msg| form(&st, &req, &q, &headers, lang, status, Some(m));
    // The form is read only up to the OAuth forms' limit: a login is a few hundred bytes.
    let fields = match read_form(&headers, body).await {
        Ok(f) => f,
        Err(_) => return error_page(lang, StatusCode::BAD_REQUEST, Msg::TooLong),
    };
    if !csrf_ok(&st, &req, &headers, &fields).await {
        tracing::info!(client_id = %req.client_id, "login refused: missing or invalid CSRF token");
        return again(StatusCode::FORBIDDEN, Msg::FormExpired).await;
    }
    let (Some(username), Some(password)) = (param(&fields, "username"), fields.iter().find(|(k, _)| k == "password"))
    else {
        return again(StatusCode::OK, Msg::MissingCredentials).await;
    };
    let password = password.1.as_str();
    let user_key = user_subject(username);
    let addr_key = peer(&ext).map(address_subject);
    let mut subjects = vec![(user_key.clone(), login_throttle::PER_USER)];
    subjects.extend(addr_key.iter().map(|a| (a.clone(), login_throttle::PER_ADDRESS)));
    let verdicts = match st.app.login_attempt(&subjects).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "login throttle");
            return again(StatusCode::OK, Msg::Internal).await;
        }
    };
    for (subject, verdict, failures) in &verdicts.each {
        if let Verdict::Locked { until_ms, now: true } = verdict {
            tracing::warn!(
                %subject,
                failures,
                locked_for_s = until_ms.saturating_sub(now_ms()).max(0) / 1000,
                "login locked: too many failed sign-ins"
            );
        }
    }
    match verdicts.overall() {
        Verdict::Admit => {}
        Verdict::SlowDown { retry_after_ms } => {
            let secs = (retry_after_ms.max(0) as u64).div_ceil(1000).max(1);
            tracing::info!(subject = %user_key, retry_after_s = secs, "login slowed down: recent failed sign-ins");
            return with_retry_after(again(StatusCode::TOO_MANY_REQUESTS, Msg::SlowDown(secs)).await, secs);
        }
        Verdict::Locked { until_ms, .. } => {
            let secs = (until_ms.saturating_sub(now_ms()).max(0) as u64).div_ceil(1000).max(1);
            return with_retry_after(again(StatusCode::TOO_MANY_REQUESTS, Msg::Locked(secs.div_ceil(60))).await, secs);
        }
    }
    let user = if username.chars().count() > MAX_USERNAME || password.len() > MAX_PASSWORD {
        None
    } else {
        match st.app.verify_user(username, password).await {
            Ok(u) => u,
            Err(e) => {
                tracing::error!(error = %e, "login");
                return again(StatusCode::OK, Msg::Internal).await;
            }
        }
    };
    let Some(user) = user else {
        return again(StatusCode::OK, Msg::WrongCredentials).await;
    };
    if let Err(e) = st.app.login_succeeded(&user_key, addr_key.as_deref()).await {
        tracing::error!(error = %e, "login throttle reset");
    }
    let grantee = AppGrantee { kind: &req.app.kind, owner: &req.app.client_id, revoked: req.app.revoked };
    let client = match authorizing_client(&grantee, user.client_id.as_ref()) {
        Ok(c) => c,
        Err(refusal) => return again(StatusCode::OK, Msg::Refused(refusal)).await,
    };
    let code = match st.app.issue_authorization_code(&req.app, &client, &user.id, &req.redirect_uri).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "issue code");
            return again(StatusCode::OK, Msg::Internal).await;
        }
    };
    let mut back = vec![("code", code.as_str())];
    if let Some(s) = &req.state {
        back.push(("state", s));
    }
    let sep = if req.redirect_uri.contains('?') { '&' } else { '?' };
    let location = format!("{}{sep}{}", req.redirect_uri, serde_urlencoded::to_string(back).unwrap_or_default());
    match HeaderValue::from_str(&location) {
        Ok(l) => (StatusCode::FOUND, [(header::LOCATION, l)]).into_response(),
        // The redirect URI check admits only visible ASCII, so this does not happen.
        Err(_) => error_page(lang, StatusCode::BAD_REQUEST, Msg::RedirectNotRegistered),
    }
}

/// The POST comes from our own form in this browser: same origin, cookie, valid token.
async fn csrf_ok(st: &OcState, req: &AuthorizeRequest, headers: &HeaderMap, fields: &[(String, String)]) -> bool {
    if !login_csrf::same_origin(headers) {
        return false;
    }
    let (Some(nonce), Some(token)) = (login_csrf::nonce(headers), param(fields, login_csrf::FIELD)) else {
        return false;
    };
    match st.app.login_form_secret().await {
        Ok(secret) => login_csrf::valid(&secret, &nonce, &req.binding(), token, now_ms()),
        Err(e) => {
            tracing::error!(error = %e, "login form secret");
            false
        }
    }
}

fn with_retry_after(mut r: Response, secs: u64) -> Response {
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    r
}
