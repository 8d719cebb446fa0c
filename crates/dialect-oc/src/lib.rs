//! The OC dialect: OrangeConnex's open API (`/openapi/3pp/...`) and its OAuth2 endpoints
//! (`/oauth/...`), so that an ERP integrated with OrangeConnex works unchanged against Entrepot.
//!
//! This crate only translates: [`oauth`] runs the authorization-code flow over the store's token
//! records, [`request`] verifies the signature and token of each business call and reads its
//! liberal JSON, resource modules turn `data` into core commands and render the results in OC's
//! shapes, and [`envelope`] is the one place where core errors become OC's error bodies. No
//! business rule lives here.
//!
//! Each resource is a module laid out like a hyperswitch connector:
//!
//! ```text
//! sku/        SKUCreation, SKUQuery            mod.rs          handlers: parse → transform → App → transform → answer
//! inventory/  movement, snapshot               types.rs        the wire structs of its requests and answers,
//! service/    getServiceList                                   one doc line naming the endpoint; status names
//! outbound/   creation, query.rs, cancel.rs    transformers.rs wire structs ⇄ core and app types
//! inbound/    creation, labels.rs, query.rs,
//!             upload.rs
//! oauth/      /oauth/token (types.rs: RFC 6749 bodies); the login page is HTML (authorize, login_*)
//! ```
//!
//! Request structs are read with [`fields::data`]/[`fields::decode`] (keys in any case, through
//! `entrepot_wire::typed`); fields whose refusal wording ERPs know are [`fields::Field`]s, checked
//! by the transformer in the dialect's words.

pub mod authorize;
pub mod body_limits;
pub mod envelope;
pub mod fields;
pub mod files;
pub mod inbound;
pub mod inventory;
pub mod login_csrf;
pub mod login_page;
pub mod login_text;
pub mod oauth;
pub mod outbound;
pub mod query_window;
pub mod request;
pub mod sandbox;
pub mod service;
pub mod signature;
pub mod sku;
pub mod time;

use std::sync::Arc;

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Router,
};
use entrepot_app::App;

/// What OC handlers need.
#[derive(Clone)]
pub struct OcState {
    pub app: App,
    /// Where inbound labels and customs files live.
    pub blobs: Arc<dyn entrepot_ops::BlobStore>,
    /// Each client's request budget, shared with the other dialect.
    pub budget: entrepot_ops::ClientBudget,
}

/// The `/oauth` and `/openapi/3pp` routes.
pub fn router(state: OcState) -> Router {
    Router::new()
        .merge(oauth::routes())
        .merge(sku::routes())
        .merge(inventory::routes())
        .merge(service::routes())
        .merge(outbound::routes())
        .merge(inbound::routes())
        .merge(files::routes())
        .route("/openapi/{*rest}", axum::routing::any(unknown_route))
        .layer(axum::middleware::from_fn_with_state(state.clone(), sandbox::count))
        .with_state(state)
}

async fn unknown_route(uri: axum::http::Uri) -> Response {
    let e = envelope::OcError::invalid(format!("No such API: {}.", uri.path()));
    let mut r = envelope::reply(&crate::time::now_ms().to_string(), None, Some(e));
    *r.status_mut() = StatusCode::NOT_FOUND;
    r.into_response()
}
