//! The console: server-rendered pages under `/console` for sellers, warehouse staff and the
//! operator's administrators ([`admin`], under `/console/admin`), in
//! Simplified Chinese and English.
//!
//! A door like the API and the dialects: each page reads or runs use cases on an [`App`] as the
//! signed-in person ([`viewer::Viewer`]), and renders the answer with askama templates (checked
//! at compile time). htmx, vendored and served from here ([`assets`]), swaps fragments for live
//! parts (the cut-off board) without a single-page app; every page works as plain HTML first.
//!
//! Adding a page: a file with its handlers and template structs, a template under `templates/`
//! extending `base.html`, its words in every file of `locales/`, and one route in [`router`].

pub mod assets;
pub mod i18n;

mod admin;
mod appointments;
mod balance;
mod board;
mod camera;
mod clearance;
mod counts;
mod dashboard;
mod dock_calendar;
mod download;
mod erp_apps;
mod failure;
mod floor;
mod format;
mod headers;
mod import;
mod inbound_files;
mod inbound_new;
mod inbound_tracking;
mod inbounds;
mod integrations;
mod login;
mod manifests;
mod order_new;
mod orders;
mod packing;
mod page;
mod picking;
mod putaway;
mod queue;
mod receiving;
mod returns;
mod sandbox;
mod scan;
mod sku_audit;
mod sku_sharing;
mod skus;
mod state;
mod stock;
mod trend_charts;
mod unidentified;
mod uploads;
mod viewer;
mod waves;
mod webhooks;

use axum::{
    extract::Request,
    http::{header, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use std::sync::Arc;

use entrepot_app::App;
use entrepot_ops::{BlobStore, BookingConfig, CarrierConnector, Destinations};

pub use crate::state::ConsoleState;
use crate::viewer::Viewer;

/// Largest form a console page posts.
pub const MAX_FORM: usize = 16 * 1024;

/// `/` and everything under `/console`.
pub fn router(
    app: App,
    blobs: Arc<dyn BlobStore>,
    carrier: Arc<dyn CarrierConnector>,
    booking: BookingConfig,
    webhook_destinations: Destinations,
) -> Router {
    let state =
        ConsoleState { app, uploads: uploads::Uploads::default(), carrier, booking, blobs, webhook_destinations };
    // Scans: behind the native API's idempotency layer (a replayed scan answers as the first).
    let scans = Router::new()
        .route("/console/receiving/scan", post(receiving::scan))
        .route("/console/picking/scan", post(picking::scan))
        .route("/console/packing/scan", post(packing::scan))
        .route("/console/manifests/scan", post(manifests::scan))
        .route("/console/putaway/scan", post(putaway::scan))
        .route("/console/counts/scan", post(counts::scan))
        .route("/console/returns/scan", post(returns::scan))
        .layer(middleware::from_fn_with_state(state.clone(), entrepot_api::idempotency::layer::<ConsoleState>));
    Router::new()
        .route("/", get(|| async { Redirect::to("/console") }))
        .route("/console", get(home))
        .route("/console/", get(home))
        .route("/console/login", get(login::page).post(login::submit))
        .route("/console/logout", post(login::log_out))
        .route("/console/language", post(login::language))
        .route("/console/assets/{file}", get(assets::serve))
        .route("/console/dashboard", get(dashboard::page))
        .route("/console/orders", get(orders::list))
        .route("/console/orders/new", get(order_new::page).post(order_new::create))
        .route("/console/orders/{key}", get(orders::detail))
        .route("/console/orders/{key}/cancel", post(orders::cancel))
        .route("/console/board", get(board::page))
        .route("/console/stock", get(stock::page))
        .route("/console/stock/{sku}", get(stock::movements))
        .route("/console/inbounds", get(inbounds::list).post(inbound_new::create))
        .route("/console/inbounds/new", get(inbound_new::page))
        .route("/console/inbounds/{key}", get(inbounds::detail))
        .route("/console/inbounds/{key}/tracking", post(inbound_tracking::add))
        .route("/console/inbounds/{key}/sku-labels.pdf", get(inbound_files::sku_labels))
        .route("/console/inbounds/{key}/carton-marks.pdf", get(inbound_files::carton_marks))
        .route("/console/inbounds/{key}/clearance/{name}", get(clearance::download))
        .route("/console/inbounds/{key}/appointment", get(appointments::page).post(appointments::book))
        .route("/console/inbounds/{key}/appointment/cancel", post(appointments::cancel))
        .route("/console/balance", get(balance::page))
        .route("/console/balance/export", get(balance::export))
        .route("/console/import/template.xlsx", get(import::template::<import::Orders>))
        .route("/console/import/kept", post(import::import_kept::<import::Orders>))
        .route("/console/import/{token}/annotated.xlsx", get(import::annotated::<import::Orders>))
        .route("/console/import/skus/template.xlsx", get(import::template::<import::Skus>))
        .route("/console/import/skus/kept", post(import::import_kept::<import::Skus>))
        .route("/console/import/skus/{token}/annotated.xlsx", get(import::annotated::<import::Skus>))
        .route("/console/integrations", get(integrations::page))
        .route("/console/integrations/keys", post(integrations::create_key))
        .route("/console/integrations/keys/{id}/revoke", post(integrations::revoke_key))
        .route("/console/integrations/sandbox/keys", post(sandbox::create_test_key))
        .route("/console/integrations/sandbox/reset", post(sandbox::reset))
        .route("/console/integrations/webhooks", post(webhooks::create))
        .route("/console/integrations/webhooks/{id}", get(webhooks::log))
        .route("/console/integrations/webhooks/{id}/active", post(webhooks::set_active))
        .route("/console/integrations/webhooks/{id}/delete", post(webhooks::delete))
        .route("/console/integrations/webhooks/{id}/test", post(webhooks::test))
        .route("/console/integrations/webhooks/{id}/deliveries/{delivery}/replay", post(webhooks::replay))
        .route("/console/integrations/apps/{id}/revoke", post(erp_apps::revoke))
        .route("/console/skus", get(skus::list).post(skus::create))
        .route("/console/skus/new", get(skus::new))
        .route("/console/skus/{id}/submit", post(skus::submit))
        .route("/console/skus/{id}/label.pdf", get(skus::label))
        .route("/console/skus/{id}/sharing", get(sku_sharing::show).post(sku_sharing::share))
        .route("/console/skus/{id}/sharing/end", post(sku_sharing::end))
        .route("/console/sku-audit", get(sku_audit::queue))
        .route("/console/sku-audit/{client}/{id}", post(sku_audit::decide))
        .route("/console/queue", get(queue::page).post(queue::decide))
        .route("/console/appointments", get(dock_calendar::page))
        .route("/console/unidentified", get(unidentified::page).post(unidentified::resolve))
        .route("/console/unidentified/count", get(unidentified::count))
        .route("/console/waves", get(waves::page).post(waves::release))
        .route("/console/picking", get(picking::start))
        .route("/console/picking/{list}", get(picking::open))
        .route("/console/packing", get(packing::start))
        .route("/console/packing/close", post(packing::close))
        .route("/console/packing/{order}", get(packing::open))
        .route("/console/packing/{order}/label.pdf", get(packing::label))
        .route("/console/manifests", get(manifests::list))
        .route("/console/manifests/{id}/close", post(manifests::close))
        .route("/console/receiving", get(receiving::start))
        .route("/console/receiving/{inbound}", get(receiving::open))
        .route("/console/receiving/{inbound}/close", post(receiving::close))
        .route("/console/putaway", get(putaway::page))
        .route("/console/returns", get(returns::page))
        .route("/console/counts", get(counts::page))
        .route("/console/counts/{id}", get(counts::open))
        .route("/console/counts/{id}/approve", post(counts::approve))
        .route("/console/counts/{id}/reject", post(counts::reject))
        .route("/console/admin", get(|| async { Redirect::to("/console/admin/clients") }))
        .route("/console/admin/clients", get(admin::clients::list).post(admin::clients::create))
        .route("/console/admin/clients/{id}", get(admin::clients::show))
        .route("/console/admin/clients/{id}/top-up", post(admin::clients::top_up))
        .route("/console/admin/clients/{id}/sites/{how}", post(admin::clients::sites))
        .route("/console/admin/people", get(admin::people::list).post(admin::people::create))
        .route("/console/admin/people/{id}/{how}", post(admin::people::change))
        .route("/console/admin/warehouses", get(admin::warehouses::list))
        .route("/console/admin/warehouses/{code}/cutoff", post(admin::warehouses::cutoff))
        .route(
            "/console/admin/warehouses/{code}/bins",
            get(admin::warehouses::bins).post(admin::warehouses::create_bins),
        )
        .route("/console/admin/services", get(admin::services::list))
        .route("/console/admin/services/{warehouse}/{code}/active", post(admin::services::set_active))
        .merge(scans)
        .route(
            "/console/scan/read",
            post(camera::read).layer(axum::extract::DefaultBodyLimit::max(camera::MAX_FRAME_BYTES)),
        )
        .route(
            "/console/inbounds/{key}/clearance",
            post(clearance::upload).layer(axum::extract::DefaultBodyLimit::max(clearance::MAX_UPLOAD + 64 * 1024)),
        )
        .route(
            "/console/import/skus",
            get(import::page::<import::Skus>)
                .post(import::upload::<import::Skus>)
                .layer(axum::extract::DefaultBodyLimit::max(import::MAX_UPLOAD + 64 * 1024)),
        )
        .route(
            "/console/import",
            get(import::page::<import::Orders>)
                .post(import::upload::<import::Orders>)
                .layer(axum::extract::DefaultBodyLimit::max(import::MAX_UPLOAD + 64 * 1024)),
        )
        .layer(middleware::from_fn(guard))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_FORM))
        .with_state(state)
}

/// A signed-in person's start page: sellers their dashboard, operators their clients, staff the
/// cut-off board.
async fn home(v: Viewer) -> Response {
    if v.is_seller() {
        Redirect::to("/console/dashboard").into_response()
    } else if v.is_operator() {
        Redirect::to("/console/admin/clients").into_response()
    } else {
        Redirect::to("/console/board").into_response()
    }
}

/// Refuses a post from a page elsewhere (its `Origin` names another host) before anything else.
async fn guard(req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD && !viewer::same_origin(req.headers()) {
        let mut r = (StatusCode::FORBIDDEN, "cross-site form refused").into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        return r;
    }
    next.run(req).await
}
