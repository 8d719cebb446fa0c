//! Integrations: the seller's Bird API keys (made and shown once, revoked by an owner) and a
//! "connect your ERP" sheet with the exact values an ERP needs for each dialect.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_core::{actor::Role, ids::ApiKeyId};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::Tr,
    page::{html, Chrome},
    scan::Outcome,
    state::ConsoleState,
    viewer::Viewer,
};

pub(crate) struct KeyRow {
    id: String,
    label: String,
    created: String,
    revoked: String,
}

#[derive(Template)]
#[template(path = "integrations.html")]
struct IntegrationsPage {
    c: Chrome,
    t: Tr,
    owner: bool,
    keys: Vec<KeyRow>,
    /// A key just made: shown this once.
    new_key: String,
    error: String,
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

async fn render(
    st: &ConsoleState,
    v: &Viewer,
    headers: &HeaderMap,
    new_key: String,
    error: String,
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
    let owner = matches!(v.actor.role, Role::Seller { owner: true, .. });
    let c = Chrome::new(v, "/console/integrations", "nav-integrations", "/console/integrations");
    html(t, &IntegrationsPage { c, t, owner, keys, new_key, error, base_url: base_url(headers), sites })
}

pub(crate) async fn page(State(st): State<ConsoleState>, v: Viewer, headers: HeaderMap) -> Result<Response, Failure> {
    render(&st, &v, &headers, String::new(), String::new()).await
}

#[derive(Deserialize)]
pub(crate) struct NewKey {
    csrf: String,
    #[serde(default)]
    label: String,
}

pub(crate) async fn create_key(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Form(f): Form<NewKey>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    match st.app.create_seller_api_key(&v.actor, &f.label).await {
        Ok(k) => render(&st, &v, &headers, k.api_key, String::new()).await,
        Err(entrepot_core::CoreError::Internal) => Err(Failure::core(v.tr, entrepot_core::CoreError::Internal)),
        Err(e) => {
            let error = Outcome::refused(v.tr, &e).message().to_owned();
            render(&st, &v, &headers, String::new(), error).await
        }
    }
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
