//! The Bird dialect: BirdSystem's client REST API under `/client`, so that an ERP integrated with
//! BirdSystem works unchanged against Entrepot.
//!
//! This crate only translates: [`request`] reads Bird's liberal input, resource modules turn it
//! into core commands on the [`entrepot_app::App`] and render the results in Bird's shapes,
//! and [`envelope`] is the one place where core errors become Bird's error bodies. No business
//! rule lives here.
//!
//! Each resource is a module laid out like a hyperswitch connector: `types.rs` holds its wire
//! shapes (serde structs, one per request or response body, with the status names beside them),
//! `transformers.rs` converts between them and the core's and the app's types, and `mod.rs`
//! holds the handlers, which only read, convert, call the app, convert and answer.

pub mod barcode;
pub mod body_limits;
pub mod client;
pub mod client_dispatch;
pub mod consignment;
pub mod consignment_product;
pub mod customs_category;
pub mod envelope;
pub mod fields;
pub mod format;
pub mod listing;
pub mod multipart;
pub mod package_size;
pub mod parcel_piece;
pub mod pending;
pub mod product;
pub mod product_ref;
pub mod reference;
pub mod request;
pub mod sale;
pub mod sandbox;
pub mod temp;
pub mod webhook;

use axum::{
    extract::Request,
    response::{IntoResponse, Response},
    routing::{delete, get, post},
    Router,
};
use entrepot_app::App;

/// What Bird handlers need.
#[derive(Clone)]
pub struct BirdState {
    pub app: App,
    /// Books synchronously for `returnLabel=1` (the background loop books everything else).
    pub carrier: std::sync::Arc<dyn entrepot_ops::CarrierConnector>,
    /// Settings for those bookings (the retry schedule after a temporary failure). Shared: the
    /// state is cloned for every request.
    pub booking: std::sync::Arc<entrepot_ops::BookingConfig>,
    /// Where registered webhooks may point (checked again at every delivery).
    pub webhook_destinations: entrepot_ops::Destinations,
    /// Each client's request budget, shared with the other dialect.
    pub budget: entrepot_ops::ClientBudget,
}

/// The `/client` routes. Paths are registered in lower case; [`normalize_path`] must run before
/// routing so that `/client/Consignment` and `/client/consignment/` both match.
pub fn router(state: BirdState) -> Router {
    Router::new()
        .route("/client/consignment", get(consignment::list_consignments).post(consignment::save))
        .route("/client/consignment/batch-update-status", post(consignment::batch_update_status))
        .route("/client/consignment/batch-create-client-direct-consignment", post(pending::batch_create_client_direct))
        .route(
            "/client/consignment/post-pending-consignment-with-products-json",
            post(pending::post_pending).get(pending::post_pending),
        )
        .route("/client/consignment-product", get(consignment_product::list_lines).post(consignment_product::add))
        .route("/client/consignment-product/{id}", delete(consignment_product::remove))
        .route("/client/consignment-parcel-piece", get(parcel_piece::list_pieces))
        .route("/client/agent-direct-consignment-product", post(consignment_product::add_agent_direct))
        .route("/client/product", get(product::list_products).post(product::save_product))
        .route("/client/product/get-product-available-quantity", get(product::available_quantity))
        .route("/client/container-product/get-product-stock-info", get(product::stock_info))
        .route("/client/container-product-transaction", get(product::transactions))
        .route("/client/product-customs-property", get(product::customs_properties))
        .route("/client/delivery-service", get(reference::delivery_services))
        .route("/client/country", get(reference::countries))
        .route("/client/return-consignment-action", get(reference::return_actions))
        .route("/client/public/company-list", get(reference::company_list))
        .route("/client/warehouse", get(reference::warehouses))
        .route("/client/customs-category", get(customs_category::list_categories))
        .route("/client/customs-category/{id}", get(customs_category::one_category))
        .route("/client/client", get(client::own_client))
        .route("/client/client-user", get(client::own_users))
        .route("/client/delivery-package-size", get(package_size::package_sizes))
        .merge(temp::routes())
        .merge(client_dispatch::routes())
        .merge(barcode::routes())
        .merge(webhook::routes())
        .route("/client", get(unknown_route))
        .route("/client/{*rest}", get(unknown_route).post(unknown_route).put(unknown_route).delete(unknown_route))
        .layer(axum::middleware::from_fn_with_state(state.clone(), sandbox::count))
        .with_state(state)
}

/// Bird's webhook renderer, for the server's webhook worker.
pub fn webhook_renderer() -> std::sync::Arc<dyn entrepot_ops::WebhookRenderer> {
    webhook::renderer()
}

/// The background task handlers of this dialect, for the server's worker.
pub fn task_handlers() -> Vec<std::sync::Arc<dyn entrepot_ops::TaskHandler>> {
    temp::handlers()
}

async fn unknown_route() -> Response {
    envelope::BirdError::not_found_route().into_response()
}

/// Lower-cases `/client/...` paths and drops a trailing slash, before routing: BirdSystem's
/// clients mix `Consignment` and `consignment`, `Delivery-Service` and `delivery-service`.
pub async fn normalize_path(mut req: Request) -> Request {
    // Handlers that need the path as sent (barcode text) read the original URI.
    let original = axum::extract::OriginalUri(req.uri().clone());
    req.extensions_mut().insert(original);
    let path = req.uri().path();
    if path.len() >= 7 && path[..7].eq_ignore_ascii_case("/client") {
        let mut lower = path.to_ascii_lowercase();
        while lower.len() > 7 && lower.ends_with('/') {
            lower.pop();
        }
        let pq = match req.uri().query() {
            Some(q) => format!("{lower}?{q}"),
            None => lower,
        };
        let mut parts = req.uri().clone().into_parts();
        if let Ok(p) = pq.parse() {
            parts.path_and_query = Some(p);
            if let Ok(uri) = axum::http::Uri::from_parts(parts) {
                *req.uri_mut() = uri;
            }
        }
    }
    req
}
