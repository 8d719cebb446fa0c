//! Entrepot's native JSON API: `/api/v1` for the console, handhelds and scripts, described by an
//! OpenAPI 3.1 document generated from this code (`GET /api/v1/openapi.json`) and rendered at
//! `/api/docs` from assets served here.
//!
//! A door like the dialects: it parses requests into use-case calls on an [`App`] and renders
//! the results; it never holds a rule and never reaches the store. What every operation gets for
//! free:
//! - [`auth::Caller`]: the acting user from a bearer token or the session cookie (CSRF-checked),
//!   as the [`entrepot_core::actor::Actor`] the use cases scope by;
//! - [`problem`]: every error as an RFC 9457 problem, mapped from `CoreError` in one place;
//! - [`idempotency`]: `Idempotency-Key` on every command, as one layer;
//! - [`pagination`]: opaque cursors and bounded limits for lists.
//!
//! Adding a resource: a file with its handlers (each annotated `#[utoipa::path]`) and a
//! `pub(crate) fn routes() -> OpenApiRouter<ApiState>`, then one `.merge(file::routes())` line in
//! [`v1`]; its schemas are collected from the handlers' annotations.

pub mod auth;
mod docs_page;
pub mod idempotency;
pub mod openapi;
pub mod pagination;
pub mod problem;

mod audit;
mod counts;
mod files;
mod floor;
mod imports;
mod locations;
mod orders;
mod packing;
mod putaway;
mod receiving;
mod returns;
mod sessions;
mod sku_audit;
mod sku_imports;
mod sku_shares;
mod stock;
mod tokens;
mod users;
mod warehouses;
mod waves;

use std::sync::Arc;

use axum::{extract::DefaultBodyLimit, middleware, routing::get, Router};
use entrepot_app::{ports::BlobStore, App};
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

/// What every handler of the API reaches.
#[derive(Clone)]
pub struct ApiState {
    pub app: App,
    /// Where uploaded files (photos) are kept, beside the app as every door holds it.
    pub blobs: Arc<dyn BlobStore>,
    /// The carrier a parcel packed before its background booking is booked with, at once.
    pub carrier: Arc<dyn entrepot_ops::CarrierConnector>,
    pub booking: entrepot_ops::BookingConfig,
}

/// Every operation of `/api/v1`, with the document describing them (paths relative to it).
fn v1() -> OpenApiRouter<ApiState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(sessions::routes())
        .merge(tokens::routes())
        .merge(users::routes())
        .merge(warehouses::routes())
        .merge(audit::routes())
        .merge(stock::routes())
        .merge(returns::routes())
        .merge(sku_audit::routes())
        .merge(receiving::routes())
        .merge(putaway::routes())
        .merge(locations::routes())
        .merge(counts::routes())
        .merge(files::routes())
        .merge(waves::routes())
        .merge(orders::routes())
        .merge(packing::routes())
        .merge(imports::routes())
        .merge(sku_shares::routes())
}

/// The OpenAPI document of `/api/v1`, as served.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, doc) = v1().split_for_parts();
    openapi::under_prefix(doc)
}

/// The router of the API (`/api/v1/...` and `/api/docs`), for the server to merge.
pub fn router(
    app: App,
    blobs: Arc<dyn BlobStore>,
    carrier: Arc<dyn entrepot_ops::CarrierConnector>,
    booking: entrepot_ops::BookingConfig,
) -> Router {
    let state = ApiState { app, blobs, carrier, booking };
    let (routes, doc) = v1().split_for_parts();
    let doc: Arc<str> = serde_json::to_string(&openapi::under_prefix(doc)).unwrap_or_default().into();
    let v1 = routes
        .route("/openapi.json", get(move || openapi::serve(doc.clone())))
        .fallback(problem::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), idempotency::layer::<ApiState>))
        .layer(DefaultBodyLimit::max(idempotency::MAX_BODY))
        .with_state(state);
    Router::new().nest("/api/v1", v1).merge(docs_page::router())
}
