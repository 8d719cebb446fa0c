//! The HTTP surface: operations endpoints here, and the place where the dialects' routers are
//! mounted. Cross-cutting concerns (request span with the client id, metrics, the panic net) are
//! layers applied once, so every dialect gets them.

pub mod catch_panic;
pub mod client_addr;
pub mod loose_targets;
pub mod metrics;

use axum::{
    extract::{Request, State},
    http::StatusCode,
    middleware,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use entrepot_app::App;
use entrepot_store::Store;
use serde_json::json;
use tracing::Instrument;

use self::metrics::Metrics;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases: what the dialects' handlers and `/metrics` reach.
    pub app: App,
    /// The store itself, only for `/healthz`: whether the database engine answers, and which
    /// engine it is, concern no entity and no use case.
    pub store: Store,
    pub metrics: Metrics,
    /// Where files live: labels, customs and shipment files, photos (`--file-store`).
    pub blobs: std::sync::Arc<dyn entrepot_ops::BlobStore>,
    /// Where webhooks may point (`--webhook-allow-networks`).
    pub webhook_destinations: entrepot_ops::Destinations,
    /// Each client's request budget, spent by both dialects after authentication.
    pub budget: entrepot_ops::ClientBudget,
    /// The booking settings (`--booking-retry-ms`), for Bird's synchronous `returnLabel=1`.
    pub booking: entrepot_ops::BookingConfig,
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let metrics = state.metrics.clone();
    let blobs = state.blobs.clone();
    let api_blobs = state.blobs.clone();
    let console_blobs = state.blobs.clone();
    let api_booking = state.booking.clone();
    let bird = entrepot_dialect_bird::router(entrepot_dialect_bird::BirdState {
        app: state.app.clone(),
        carrier: std::sync::Arc::new(entrepot_ops::SandboxCarrier::new()),
        booking: std::sync::Arc::new(state.booking.clone()),
        webhook_destinations: state.webhook_destinations.clone(),
        budget: state.budget.clone(),
    });
    let oc = entrepot_dialect_oc::router(entrepot_dialect_oc::OcState {
        app: state.app.clone(),
        blobs,
        budget: state.budget.clone(),
    });
    let state_app = state.app.clone();
    let console_app = state.app.clone();
    let console_booking = state.booking.clone();
    let console_destinations = state.webhook_destinations.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(render_metrics))
        .fallback(not_found)
        .with_state(state)
        .merge(bird)
        .merge(oc)
        .merge(entrepot_console::router(
            console_app,
            console_blobs,
            std::sync::Arc::new(entrepot_ops::SandboxCarrier::new()),
            console_booking,
            console_destinations,
        ))
        .merge(entrepot_api::router(
            state_app,
            api_blobs,
            std::sync::Arc::new(entrepot_ops::SandboxCarrier::new()),
            api_booking,
        ))
        .layer(middleware::from_fn(catch_panic::catch_panic))
        .layer(middleware::from_fn_with_state(metrics, metrics::track))
        .layer(middleware::from_fn(request_span))
}

/// One span per request. `client_id` starts empty; whichever dialect authenticates the caller
/// records it (`tracing::Span::current().record("client_id", ..)`), so every log line of the
/// request carries the tenant.
async fn request_span(req: Request, next: axum::middleware::Next) -> Response {
    let span = tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), client_id = tracing::field::Empty, status = tracing::field::Empty);
    async move {
        let start = std::time::Instant::now();
        let resp = next.run(req).await;
        let span = tracing::Span::current();
        span.record("status", resp.status().as_u16());
        tracing::info!(elapsed_ms = start.elapsed().as_millis() as u64, "request");
        resp
    }
    .instrument(span)
    .await
}

/// Liveness and readiness: answers 200 only when the database answers.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(json!({"status": "ok", "database": format!("{:?}", state.store.backend()).to_lowercase()}))
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "unavailable", "error": "database unreachable"})))
                .into_response()
        }
    }
}

/// Request metrics, and the background backlog read from the database (left out, with a log
/// line, if the database does not answer: the request metrics are still worth scraping).
async fn render_metrics(State(state): State<AppState>) -> impl IntoResponse {
    let mut out = state.metrics.render();
    metrics::render_budget_refusals(&mut out, &state.budget);
    match state.app.backlog().await {
        Ok(b) => metrics::render_backlog(&mut out, &b),
        Err(e) => tracing::warn!(error = %e, "backlog not read for /metrics"),
    }
    match state.app.webhook_endpoint_backlog().await {
        Ok(endpoints) => metrics::render_webhook_endpoints(&mut out, &endpoints),
        Err(e) => tracing::warn!(error = %e, "webhook backlog not read for /metrics"),
    }
    match state.app.dock_to_stock().await {
        Ok(d) => metrics::render_dock_to_stock(&mut out, &d),
        Err(e) => tracing::warn!(error = %e, "dock-to-stock not read for /metrics"),
    }
    match state.app.floor_measures(&entrepot_core::actor::Actor::system("metrics")).await {
        Ok(m) => metrics::render_floor(&mut out, &m),
        Err(e) => tracing::warn!(error = %e, "floor measures not read for /metrics"),
    }
    ([("content-type", "text/plain; version=0.0.4")], out)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"success": false, "message": "Not found"}))).into_response()
}
