//! Integrations: the seller's Bird API keys (made and shown once, revoked by an owner), its
//! webhook endpoints ([`crate::webhooks`]: registered, switched, tested, their logs), the OC ERP
//! apps it authorised ([`crate::erp_apps`]), its sandbox ([`crate::sandbox`]) and a "connect your ERP" sheet with the exact values
//! an ERP needs for each dialect.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::WebhookStatus;
use entrepot_core::{actor::Role, ids::ApiKeyId};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

pub(crate) struct KeyRow {
    id: String,
    label: String,
    created: String,
    revoked: String,
}

/// One endpoint in the list.
pub(crate) struct HookRow {
    id: i64,
    url: String,
    /// `RESOURCE.ACTION`.
    topic: String,
    active: bool,
    last_success: String,
    last_failure: String,
}

/// One authorised OC ERP app.
pub(crate) struct AppRow {
    id: String,
    name: String,
    environment: String,
    authorised: String,
    last_token: String,
}

/// What a form just did or was refused for, shown above the page.
#[derive(Default)]
pub(crate) struct Shown {
    /// A key just made: shown this once.
    pub new_key: String,
    /// The signing secret of an endpoint just registered: shown this once.
    pub new_secret: String,
    /// Why a form was refused.
    pub error: String,
    /// What a form did (translated).
    pub done: String,
}

#[derive(Template)]
#[template(path = "integrations.html")]
struct IntegrationsPage {
    c: Chrome,
    t: Tr,
    owner: bool,
    keys: Vec<KeyRow>,
    hooks: Vec<HookRow>,
    apps: Vec<AppRow>,
    /// The sandbox's verification reports.
    sandbox: Vec<crate::sandbox::ReportRow>,
    /// `RESOURCE.ACTION` of every subscription an endpoint may have.
    topics: Vec<String>,
    /// The test forms' one-time key (a double click queues one test).
    nonce: String,
    shown: Shown,
    base_url: String,
    /// (code, name, Bird company_id, OC serviceRegion).
    sites: Vec<(String, String, String, String)>,
}

/// The base URL as the browser reached us (plain HTTP only on a loopback or private address).
fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let plain = host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]");
    format!("{}://{host}", if plain { "http" } else { "https" })
}

/// The integrations page, with what a form just did or why it was refused.
pub(crate) async fn render(
    st: &ConsoleState,
    v: &Viewer,
    headers: &HeaderMap,
    shown: Shown,
) -> Result<Response, Failure> {
    let t = v.tr;
    let client = v.actor.client().cloned().ok_or_else(|| Failure::forbidden(t))?;
    let keys = st
        .app
        .seller_api_keys(&v.actor)
        .await
        .or_page(t)?
        .into_iter()
        .map(|k| KeyRow {
            id: k.id.0,
            label: k.label,
            created: format::local_time(None, k.created_at_ms),
            revoked: k.revoked_at_ms.map(|ms| format::local_time(None, ms)).unwrap_or_default(),
        })
        .collect();
    let sites = st
        .app
        .client_warehouses(&client)
        .await
        .or_page(t)?
        .into_iter()
        .map(|w| {
            (
                w.code.clone(),
                w.name.clone(),
                w.bird_company_id.map(|i| i.to_string()).unwrap_or_default(),
                w.oc_region.clone().unwrap_or_default(),
            )
        })
        .collect();
    let when = |ms: Option<i64>| ms.map(|ms| format::local_time(None, ms)).unwrap_or_default();
    let hooks = st
        .app
        .seller_webhooks(&v.actor)
        .await
        .or_page(t)?
        .into_iter()
        .map(|h| HookRow {
            id: h.webhook.id,
            topic: format!("{}.{}", h.webhook.resource_type, h.webhook.action),
            url: h.webhook.url,
            active: h.webhook.status == WebhookStatus::Active,
            last_success: when(h.last_success_ms),
            last_failure: when(h.last_failure_ms),
        })
        .collect();
    let apps = st
        .app
        .seller_authorised_apps(&v.actor)
        .await
        .or_page(t)?
        .into_iter()
        .map(|a| AppRow {
            id: a.app_id.0,
            name: a.name,
            environment: a.environment,
            authorised: format::local_time(None, a.authorised_at_ms),
            last_token: format::local_time(None, a.last_token_at_ms),
        })
        .collect();
    let sandbox = crate::sandbox::reports(st, v).await?;
    let owner = matches!(v.actor.role, Role::Seller { owner: true, .. });
    let c = Chrome::new(v, "/console/integrations", "nav-integrations", "/console/integrations");
    let page = IntegrationsPage {
        c,
        t,
        owner,
        keys,
        hooks,
        apps,
        sandbox,
        topics: crate::webhooks::topics(),
        nonce: crate::webhooks::nonce(),
        shown,
        base_url: base_url(headers),
        sites,
    };
    html(t, &page)
}

/// `?done=` after a form on this page worked: which one.
#[derive(Deserialize, Default)]
pub(crate) struct Done {
    #[serde(default)]
    done: String,
}

/// What each `?done=` says (a message key each); anything else says nothing.
const DONE: &[&str] = &["hook-deleted", "hook-switched", "app-revoked", "sandbox-reset"];

impl Done {
    fn say(&self, t: Tr) -> String {
        DONE.iter().find(|d| **d == self.done).map(|d| t.t(&format!("done-{d}"))).unwrap_or_default()
    }
}

pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Result<Response, Failure> {
    let done = q.say(v.tr);
    render(&st, &v, &headers, Shown { done, ..Shown::default() }).await
}

/// The form asking for a key, live or test.
#[derive(Deserialize)]
pub(crate) struct NewKey {
    pub(crate) csrf: String,
    #[serde(default)]
    pub(crate) label: String,
}

pub(crate) async fn create_key(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Form(f): Form<NewKey>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let made = st.app.create_seller_api_key(&v.actor, &f.label).await;
    key_made(&st, &v, &headers, made).await
}

/// The page after a key was asked for, live or test: the key shown once, or a bad label's
/// message on the form; a caller who may not (not an owner) or a store failure: the error page.
pub(crate) async fn key_made(
    st: &ConsoleState,
    v: &Viewer,
    headers: &HeaderMap,
    made: entrepot_core::CoreResult<entrepot_app::ApiKeyCreated>,
) -> Result<Response, Failure> {
    let shown = match made {
        Ok(k) => Shown { new_key: k.api_key, ..Shown::default() },
        Err(e) => Shown { error: Failure::or_form_message(v.tr, e)?, ..Shown::default() },
    };
    render(st, v, headers, shown).await
}

#[derive(Deserialize)]
pub(crate) struct Revoke {
    csrf: String,
}

pub(crate) async fn revoke_key(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<Revoke>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    st.app.revoke_seller_api_key(&v.actor, &ApiKeyId(id)).await.or_page(v.tr)?;
    Ok(Redirect::to("/console/integrations").into_response())
}
