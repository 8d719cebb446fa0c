//! What the floor's resources share: the warehouse a path names, the client a request acts for,
//! and enum values as their wire strings.

use entrepot_app::App;
use entrepot_core::{actor::Actor, company::Warehouse, ids::ClientId};
use serde::Serialize;

use crate::problem::{ApiResult, Problem};

/// A PDF rendered off the async threads (a long document takes milliseconds of CPU), served
/// inline as `name`; a rendering failure is logged and answered as an internal error.
pub(crate) async fn pdf<F>(name: &str, render: F) -> ApiResult<axum::response::Response>
where
    F: FnOnce() -> Result<Vec<u8>, entrepot_labels::LabelError> + Send + 'static,
{
    let internal = || Problem::from(entrepot_core::CoreError::Internal);
    let bytes = tokio::task::spawn_blocking(render).await.map_err(|_| internal())?.map_err(|e| {
        tracing::error!(error = %e, document = name, "PDF not rendered");
        internal()
    })?;
    Ok(served_pdf(name, bytes))
}

/// PDF bytes served inline as `name`.
pub(crate) fn served_pdf(name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::{
        http::{header, HeaderValue},
        response::IntoResponse,
    };
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// The warehouse coded `code` (404 when there is none; scope is the use case's to check).
pub(crate) async fn warehouse(app: &App, code: &str) -> ApiResult<Warehouse> {
    app.warehouse_by_code(code).await.map_err(|_| Problem::not_found(format!("no warehouse coded '{code}'")))
}

/// The warehouse coded `code`, for a command only its staff may give (403 for anyone else).
pub(crate) async fn staff_warehouse(app: &App, actor: &Actor, code: &str) -> ApiResult<Warehouse> {
    let wh = warehouse(app, code).await?;
    actor.require_staff()?;
    actor.require_warehouse(&wh.id)?;
    Ok(wh)
}

/// The client a request acts for: a seller user its own (naming another is not found); staff
/// and operators name it (id or name) in `field`.
pub(crate) async fn client(app: &App, actor: &Actor, named: Option<&str>, field: &str) -> ApiResult<ClientId> {
    match (actor.client(), named.map(str::trim).filter(|c| !c.is_empty())) {
        (Some(own), None) => Ok(own.clone()),
        (Some(own), Some(c)) if c == own.0 => Ok(own.clone()),
        (Some(_), Some(_)) => Err(Problem::not_found("client not found".to_owned())),
        (None, Some(c)) => Ok(app.find_client(c).await.map_err(|_| Problem::invalid(field, "no such client"))?.id),
        (None, None) => Err(Problem::invalid(field, "expected the client (id or name) for staff and operators")),
    }
}

/// A value's serde string (`"Arrived"`, `"pick_face"`...).
pub(crate) fn wire<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
