//! Bird's response envelopes and its one error shape, in one place: every refusal of the core is
//! rendered here as HTTP 500 `{"success":false,"message":...}` (403 for authentication), with the
//! messages ERPs already match on. One refusal gets its own HTTP status, still with Bird's body:
//! a spent request budget is 429 with `Retry-After`, which HTTP clients and proxies act on
//! (waiting, not failing the order) without reading the body.

use axum::{
    http::{header::RETRY_AFTER, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use entrepot_core::CoreError;
use serde::Serialize;
use serde_json::Value;

/// `{"success":true,"data":...,"moduleName":"client"}`: the answer to a create or update.
#[derive(Serialize)]
pub struct DataBody<T> {
    pub success: bool,
    pub data: T,
    #[serde(rename = "moduleName")]
    pub module_name: &'static str,
}

/// `{"total":N,"data":[...],"success":true,...}`: the answer to a list or a single GET.
#[derive(Serialize)]
pub struct ListBody<T> {
    pub total: usize,
    pub data: Vec<T>,
    pub success: bool,
    pub refresh: bool,
    #[serde(rename = "moduleName")]
    pub module_name: &'static str,
}

/// `{"success":true,"refresh":false,"moduleName":"client"}`: the answer to an action.
#[derive(Serialize)]
pub struct DoneBody {
    pub success: bool,
    pub refresh: bool,
    #[serde(rename = "moduleName")]
    pub module_name: &'static str,
}

/// `{"success":false,"message":...}`: every refusal.
#[derive(Serialize)]
pub struct ErrorBody<'a> {
    pub success: bool,
    pub message: &'a str,
}

/// `{"success":true,"data":...}` for a create or update.
pub fn data(v: impl Serialize) -> Response {
    Json(DataBody { success: true, data: v, module_name: MODULE }).into_response()
}

/// `{"total":N,"data":[...],"success":true}` for lists and single GETs.
pub fn list(total: usize, rows: Vec<Value>) -> Response {
    Json(ListBody { total, data: rows, success: true, refresh: false, module_name: MODULE }).into_response()
}

/// `{"success":true}` for actions.
pub fn done() -> Response {
    Json(DoneBody { success: true, refresh: false, module_name: MODULE }).into_response()
}

/// The `moduleName` of every answer of the client API.
pub const MODULE: &str = "client";

/// Typed rows as the JSON values the list language filters, sorts and projects.
pub fn values<T: Serialize>(rows: impl IntoIterator<Item = T>) -> Vec<Value> {
    rows.into_iter().map(|r| serde_json::to_value(r).unwrap_or(Value::Null)).collect()
}

/// A refusal in Bird's shape.
#[derive(Debug)]
pub struct BirdError {
    pub status: StatusCode,
    pub message: String,
    /// Seconds to wait, sent as `Retry-After` (a spent request budget).
    pub retry_after_s: Option<u64>,
}

impl BirdError {
    /// Bad input: HTTP 500 like every Bird error.
    pub fn bad(message: impl Into<String>) -> Self {
        Self { status: StatusCode::INTERNAL_SERVER_ERROR, message: message.into(), retry_after_s: None }
    }

    pub fn login_required() -> Self {
        Self { status: StatusCode::FORBIDDEN, message: "Login Required!".into(), retry_after_s: None }
    }

    /// Entrepot failed (a store error, or a panic caught by the server's last net).
    pub fn internal() -> Self {
        Self::bad(INTERNAL)
    }

    /// Whether this is [`BirdError::internal`]: a failure of ours, never to be reworded as the
    /// caller's mistake.
    pub fn is_internal(&self) -> bool {
        self.message == INTERNAL
    }

    pub fn not_found_route() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: "Invalid Request: Cannot find method to deal request.".into(),
            retry_after_s: None,
        }
    }

    /// A body over the route's limit (`limit` as the message names it, e.g. `8 MB`).
    pub fn too_large(limit: &str) -> Self {
        Self::bad(format!("Request body too large: this API takes at most {limit}."))
    }

    /// The client's request budget is spent for now.
    pub fn too_many_requests(retry_after_s: u64) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: format!("Too many requests: retry after {retry_after_s} s."),
            retry_after_s: Some(retry_after_s),
        }
    }
}

impl IntoResponse for BirdError {
    fn into_response(self) -> Response {
        let mut r = (self.status, Json(ErrorBody { success: false, message: &self.message })).into_response();
        if let Some(s) = self.retry_after_s {
            r.headers_mut().insert(RETRY_AFTER, HeaderValue::from(s));
        }
        r
    }
}

/// A refusal in Bird's words; an internal error (its cause logged where it arose) as Bird's
/// internal-error body.
impl From<CoreError> for BirdError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Internal => BirdError::internal(),
            c => BirdError::bad(message(&c)),
        }
    }
}

const INTERNAL: &str = "Internal error, please try again later.";

/// `refusal` (BirdSystem's fixed wording for a lookup that failed: the caller named something
/// that is not theirs) in place of a use case's refusal; a failure of Entrepot itself stays an
/// internal error rather than reading as a permanent refusal.
pub fn refused_as(e: CoreError, refusal: impl FnOnce() -> BirdError) -> BirdError {
    match e {
        CoreError::Internal => BirdError::internal(),
        _ => refusal(),
    }
}

/// The Bird wording of a core refusal.
pub fn message(e: &CoreError) -> String {
    match e {
        CoreError::InBatch { line, error } => format!("Row {line}: {}", message(error)),
        CoreError::Validation { field, message, line: Some(l) } => format!("Row {l}: {field}: {message}"),
        CoreError::Validation { field, message, line: None } => format!("{field}: {message}"),
        CoreError::Duplicate { what: "consignment identity reference", key } => {
            format!("Duplicate consignment identity reference [{key}]")
        }
        CoreError::Duplicate { what, key } => format!("Duplicate {what} [{key}]"),
        CoreError::NotFound { entity, id } => format!("{} {id} does not exist or does not belong to you.", capitalise(entity)),
        CoreError::InsufficientStock { sku, warehouse, requested, available } => format!(
            "Insufficient stock: product {sku} has {available} available in {warehouse}, {requested} requested."
        ),
        CoreError::InsufficientBalance { currency, required, available } => format!(
            "Insufficient balance: {} {currency} required, {} {currency} available.",
            entrepot_core::money::format_minor(*required, 2),
            entrepot_core::money::format_minor(*available, 2)
        ),
        CoreError::UnsuitableService { service, reason } => {
            format!("Delivery service {service} is not suitable for this consignment: {reason}.")
        }
        CoreError::EmptyOrder { order } => format!(
            "You consignment {order} does not have product associated, please add product first before changing the consignment status to Pending."
        ),
        CoreError::InvalidTransition { id, from, to, .. } => {
            format!("Record ({id}) in {} status can only be changed into other statuses, not {}", bird_status_text(from), bird_status_text(to))
        }
        other => other.to_string(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn bird_status_text(core: &str) -> String {
    core.parse::<entrepot_core::outbound::OutboundStatus>()
        .map(|s| crate::consignment::status::bird_status(s).to_owned())
        .unwrap_or_else(|_| core.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_failures_are_internal_and_say_nothing_of_the_database() {
        let e = BirdError::from(CoreError::Internal);
        assert_eq!(
            (e.status, e.message.as_str()),
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error, please try again later.")
        );
        let e = BirdError::from(CoreError::Conflict("order 1 is picked".into()));
        assert!(e.message.contains("order 1 is picked"), "{}", e.message);
    }

    #[test]
    fn fixed_refusals_keep_internal_errors_internal() {
        let refusal = || BirdError::bad("Product with id 7 does not belong to you.");
        let e = refused_as(CoreError::Internal, refusal);
        assert!(e.is_internal(), "{}", e.message);
        let e = refused_as(CoreError::not_found("product", 7), refusal);
        assert_eq!((e.is_internal(), e.message.as_str()), (false, "Product with id 7 does not belong to you."));
    }

    #[test]
    fn seed_messages() {
        let e = CoreError::Duplicate { what: "consignment identity reference", key: "ABC".into() };
        assert_eq!(message(&e), "Duplicate consignment identity reference [ABC]");
        let e = CoreError::EmptyOrder { order: "2012090360000378".into() };
        assert!(message(&e).starts_with("You consignment 2012090360000378 does not have product associated"));
        let e = CoreError::invalid("contact", "is required").at_line(2);
        assert_eq!(message(&e), "Row 2: contact: is required");
        let e = CoreError::EmptyOrder { order: "1".into() }.at_line(4);
        assert!(message(&e).starts_with("Row 4: You consignment 1"));
    }
}
