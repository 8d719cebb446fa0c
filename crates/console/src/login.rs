//! Logging in and out, and choosing a language. The session is the native API's own (same
//! cookie, same throttle on failed logins), so a person signed in here may use `/api/v1` too.

use std::net::SocketAddr;

use askama::Template;
use axum::{
    extract::{ConnectInfo, Query, State},
    http::{header, Extensions, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_api::auth::{session_cookie, session_cookie_header};
use entrepot_app::LoginRefusal;
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::{Lang, Tr, LANG_COOKIE},
    page::{html, secure},
    state::ConsoleState,
};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    next: String,
    username: String,
    error: Option<String>,
    other_langs: Vec<(&'static str, &'static str)>,
}

impl LoginPage {
    fn lang(&self) -> &'static str {
        self.t.lang().tag()
    }

    fn asset(&self, name: &str) -> String {
        crate::assets::url(name)
    }
}

#[derive(Deserialize)]
pub(crate) struct Next {
    next: Option<String>,
}

/// Where to go after logging in: only a console path (never another site).
fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| n.starts_with("/console") && !n.starts_with("//") && !n.contains(['\\', '\r', '\n']))
        .map(str::to_owned)
        .unwrap_or_else(|| "/console".to_owned())
}

fn others(t: Tr) -> Vec<(&'static str, &'static str)> {
    Lang::ALL.iter().filter(|l| **l != t.lang()).map(|l| (l.tag(), l.own_name())).collect()
}

pub(crate) async fn page(headers: HeaderMap, Query(q): Query<Next>) -> Result<Response, Failure> {
    let t = Tr(Lang::of_request(&headers));
    let next = safe_next(q.next.as_deref());
    html(t, &LoginPage { t, next, username: String::new(), error: None, other_langs: others(t) })
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub(crate) async fn submit(
    State(st): State<ConsoleState>,
    headers: HeaderMap,
    ext: Extensions,
    Form(f): Form<LoginForm>,
) -> Result<Response, Failure> {
    let t = Tr(Lang::of_request(&headers));
    let next = safe_next(f.next.as_deref());
    let peer = ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let refused = |error: String| {
        let page = LoginPage {
            t,
            next: next.clone(),
            username: f.username.clone(),
            error: Some(error),
            other_langs: others(t),
        };
        html(t, &page).map(|mut r| {
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            r
        })
    };
    if f.username.len() > 200 || f.password.len() > 1024 {
        return refused(t.t("login-wrong"));
    }
    match st.app.log_in(&f.username, &f.password, peer).await.or_page(t)? {
        Ok(s) => {
            let mut r = Redirect::to(&next).into_response();
            let max_age = entrepot_app::people::SESSION_TTL_MS / 1000;
            r.headers_mut().insert(header::SET_COOKIE, session_cookie_header(&s.secret, max_age));
            // This browser learns the person's language, for its login page next time.
            if let Some(lang) = s.user.language.as_deref().and_then(Lang::from_tag) {
                if let Ok(v) = HeaderValue::from_str(&lang_cookie(lang)) {
                    r.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            Ok(secure(r))
        }
        Err(LoginRefusal::WrongCredentials) => refused(t.t("login-wrong")),
        Err(LoginRefusal::SlowDown { retry_after_s } | LoginRefusal::Locked { retry_after_s }) => {
            refused(t.t1("login-slow-down", "seconds", retry_after_s))
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct LogOutForm {
    csrf: String,
}

pub(crate) async fn log_out(State(st): State<ConsoleState>, headers: HeaderMap, Form(f): Form<LogOutForm>) -> Response {
    let t = Tr(Lang::of_request(&headers));
    if let Some(secret) = session_cookie(&headers) {
        // Only the session's own page may end it (a cross-site post can't guess the token).
        match st.app.actor_for_session(secret).await {
            Ok(Some(s)) if crate::viewer::same_token(&s.csrf, &f.csrf) => {
                if let Err(e) = st.app.log_out(secret).await {
                    return Failure::core(t, e).into_response();
                }
            }
            Ok(Some(_)) => return Failure::csrf(t).into_response(),
            _ => {}
        }
    }
    let mut r = Redirect::to("/console/login").into_response();
    r.headers_mut().insert(header::SET_COOKIE, session_cookie_header("", 0));
    secure(r)
}

/// The cookie remembering `lang` in this browser for a year.
fn lang_cookie(lang: Lang) -> String {
    format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.tag())
}

#[derive(Deserialize)]
pub(crate) struct LanguageForm {
    lang: String,
    back: Option<String>,
    /// Sent by a signed-in page: then the choice is kept for the user too.
    csrf: Option<String>,
}

/// Remembers a language for a year in this browser, and for the signed-in user (so that it
/// follows them to a handheld) when the page's CSRF token came with it; goes back to the page it
/// was chosen on.
pub(crate) async fn language(
    State(st): State<ConsoleState>,
    headers: HeaderMap,
    Form(f): Form<LanguageForm>,
) -> Response {
    let lang = Lang::from_tag(&f.lang).unwrap_or(Lang::En);
    if let (Some(secret), Some(sent)) = (session_cookie(&headers), f.csrf.as_deref()) {
        let t = Tr(lang);
        match st.app.actor_for_session(secret).await {
            Ok(Some(s)) if crate::viewer::same_token(&s.csrf, sent) => {
                if let Err(e) = st.app.set_language(&s.actor, lang.tag()).await {
                    return Failure::core(t, e).into_response();
                }
            }
            Ok(Some(_)) => return Failure::csrf(t).into_response(),
            Ok(None) => {}
            Err(e) => return Failure::core(t, e).into_response(),
        }
    }
    let back = safe_next(f.back.as_deref());
    let mut r = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&lang_cookie(lang)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    secure(r)
}
