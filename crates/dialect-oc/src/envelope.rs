//! OC's response envelope (spec §4.2) and its one error shape, in one place: every refusal, from
//! a bad token to insufficient stock, is HTTP 200 with a non-zero `code`, `success:false` and an
//! `errors[]` entry whose message says what is wrong.
//!
//! One refusal keeps OC's body but gets its own HTTP status: a spent request budget is 429 with
//! `Retry-After`, which HTTP clients, gateways and retry policies act on without reading the body
//! (an ERP that only reads `code` might otherwise record a transient refusal as a failed order).

use axum::{
    http::{
        header::{CONTENT_TYPE, RETRY_AFTER},
        HeaderValue, StatusCode,
    },
    response::{IntoResponse, Response},
};
use entrepot_core::{oauth::TokenRefusal, CoreError};
use serde::Serialize;
use serde_json::Value;

/// `code` values: one per kind of refusal, so an ERP can branch without parsing messages.
pub mod code {
    /// The access token is missing, unknown, expired, revoked or another app's.
    pub const AUTH: i32 = 1;
    /// `clientKey` or `vAuthorization` is missing or wrong.
    pub const SIGNATURE: i32 = 2;
    /// The request is malformed or names something that does not exist (OC's own example uses 3).
    pub const REQUEST: i32 = 3;
    /// A business rule refused it: stock, balance, service, state.
    pub const BUSINESS: i32 = 4;
    /// Entrepot failed; retrying may help.
    pub const INTERNAL: i32 = 5;
    /// The client's request budget is spent: retry after `Retry-After` seconds.
    pub const THROTTLED: i32 = 6;
}

/// One entry of `errors[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorItem {
    pub code: String,
    /// What the error is about: a referenceNumber, an MFSKUID, an order number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub message: String,
}

impl ErrorItem {
    /// The item for a core refusal, about `id`.
    pub fn from_core(e: &CoreError, id: Option<String>) -> Self {
        Self { code: item_code(e).into(), id, message: message(e) }
    }
}

/// A refused call.
#[derive(Debug, Clone)]
pub struct OcError {
    pub code: i32,
    pub items: Vec<ErrorItem>,
}

impl OcError {
    fn one(code: i32, item_code: &str, message: impl Into<String>) -> Self {
        Self { code, items: vec![ErrorItem { code: item_code.into(), id: None, message: message.into() }] }
    }

    pub fn token(r: TokenRefusal) -> Self {
        let item = match r {
            TokenRefusal::Unknown => "1A0002",
            TokenRefusal::Expired => "1A0003",
            TokenRefusal::Revoked => "1A0004",
            TokenRefusal::OtherApp => "1A0005",
        };
        Self::one(code::AUTH, item, r.message())
    }

    pub fn missing_token() -> Self {
        Self::one(code::AUTH, "1A0001", "Access-Token header is required: 'Bearer <access_token>'.")
    }

    pub fn signature(message: impl Into<String>) -> Self {
        Self::one(code::SIGNATURE, "2A0001", message)
    }

    pub fn client_key(message: impl Into<String>) -> Self {
        Self::one(code::SIGNATURE, "2A0002", message)
    }

    /// A malformed request: the message names the field.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::one(code::REQUEST, "3A0001", message)
    }

    /// A body over the route's limit (`limit` as the message names it, e.g. `16 MB`).
    pub fn too_large(limit: &str) -> Self {
        Self::one(
            code::REQUEST,
            "3A0413",
            format!("Request body could not be read: it is larger than {limit}, the most this API takes."),
        )
    }

    /// The client's request budget is spent for now.
    pub fn throttled(retry_after_s: u64) -> Self {
        Self::one(code::THROTTLED, "6A0429", format!("Too many requests: retry after {retry_after_s} s."))
    }

    pub fn internal() -> Self {
        Self::one(code::INTERNAL, "5A0001", "Internal error, please try again later.")
    }

    /// The first message, for logs and tests.
    pub fn message(&self) -> &str {
        self.items.first().map(|i| i.message.as_str()).unwrap_or("")
    }
}

impl From<CoreError> for OcError {
    fn from(e: CoreError) -> Self {
        let code = match e.innermost() {
            // The cause was logged where it was mapped into this.
            CoreError::Internal => return OcError::internal(),
            CoreError::Validation { .. } | CoreError::NotFound { .. } | CoreError::Duplicate { .. } => code::REQUEST,
            _ => code::BUSINESS,
        };
        Self { code, items: vec![ErrorItem::from_core(&e, None)] }
    }
}

/// A use-case answer where a missing row is the caller's mistake, worded by `refusal`. Every
/// other refusal stays as it is, and a failure of the database stays `CoreError::Internal`:
/// answered as an internal error, never as a refusal carrying the database's text.
pub fn not_found_as(e: CoreError, refusal: impl FnOnce() -> CoreError) -> CoreError {
    match e {
        CoreError::NotFound { .. } => refusal(),
        other => other,
    }
}

/// The body of every OC answer (spec §4.2).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a, T> {
    code: i32,
    message: &'a str,
    message_id: &'a str,
    success: bool,
    errors: &'a [ErrorItem],
    /// Absent on a refusal that did nothing, and on a success without data (a cancel).
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<T>,
}

/// A whole reply: `data` on success; with errors, `code` and `success` say the call failed (in
/// part, when `data` still holds what was done).
pub fn reply(message_id: &str, data: Option<Value>, error: Option<OcError>) -> Response {
    answer(message_id, data, error)
}

/// [`reply`] with any serializable `data`.
pub fn answer<T: Serialize>(message_id: &str, data: Option<T>, error: Option<OcError>) -> Response {
    let body = match &error {
        None => Envelope { code: 0, message: "Success", message_id, success: true, errors: &[], data },
        Some(e) => Envelope { code: e.code, message: e.message(), message_id, success: false, errors: &e.items, data },
    };
    match serde_json::to_string(&body) {
        Ok(text) => {
            let mut r = ([(CONTENT_TYPE, "application/json;charset=UTF-8")], text).into_response();
            if error.is_none() {
                r.extensions_mut().insert(crate::sandbox::Succeeded);
            }
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "an OC answer could not be serialized");
            reply(message_id, None, Some(OcError::internal()))
        }
    }
}

/// The token endpoint's answer when Entrepot fails: RFC 6749 §5.2's shape with `server_error`
/// (borrowed from §4.1.2.1, the authorization endpoint's code for the same case), HTTP 500.
pub fn token_server_error() -> Response {
    let body = crate::oauth::types::TokenError {
        error: "server_error",
        error_description: "Internal error, please try again later.".into(),
    };
    (axum::http::StatusCode::INTERNAL_SERVER_ERROR, [(CONTENT_TYPE, "application/json")], axum::Json(body))
        .into_response()
}

/// HTTP 429 with OC's body and `Retry-After`: the client's request budget is spent.
pub fn too_many_requests(retry_after_s: u64) -> Response {
    let mut r = reply(&crate::time::now_ms().to_string(), None, Some(OcError::throttled(retry_after_s)));
    *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    r.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry_after_s));
    r
}

fn item_code(e: &CoreError) -> &'static str {
    match e.innermost() {
        CoreError::Validation { .. } => "3A0001",
        CoreError::NotFound { .. } => "3A0529",
        CoreError::Duplicate { .. } => "3A0409",
        CoreError::InsufficientStock { .. } => "4A0001",
        CoreError::InsufficientBalance { .. } => "4A0002",
        CoreError::UnsuitableService { .. } => "4A0003",
        CoreError::InvalidTransition { .. } => "4A0004",
        CoreError::Conflict(_) => "4A0005",
        CoreError::EmptyOrder { .. } => "4A0006",
        CoreError::Forbidden(_) => "4A0403",
        CoreError::InBatch { .. } => "3A0001",
        CoreError::Internal => "5A0001",
    }
}

/// OC's wording of a core refusal.
pub fn message(e: &CoreError) -> String {
    match e {
        CoreError::InBatch { line, error } => format!("Item {line}: {}", message(error)),
        CoreError::Validation { field, message, line: Some(l) } => format!("Item {l}: {field} {message}."),
        CoreError::Validation { field, message, line: None } => format!("{field} {message}."),
        CoreError::NotFound { entity, id } => {
            format!("Query fail. Because {entity} [{id}] doesnt exists. Please check your {entity} and try again.")
        }
        CoreError::Duplicate { what, key } => format!("Duplicate {what} [{key}]."),
        CoreError::InsufficientStock { sku, warehouse, requested, available } => format!(
            "Insufficient sellable stock: SKU {sku} has {available} available in {warehouse}, {requested} requested."
        ),
        CoreError::InsufficientBalance { currency, required, available } => format!(
            "Insufficient balance: {} {currency} required, {} {currency} available.",
            entrepot_core::money::format_minor(*required, 2),
            entrepot_core::money::format_minor(*available, 2)
        ),
        CoreError::UnsuitableService { service, reason } => {
            format!("Shipping service {service} is not suitable for this order: {reason}.")
        }
        other => {
            let mut s = other.to_string();
            if let Some(first) = s.get(0..1) {
                s = first.to_uppercase() + &s[1..];
            }
            if !s.ends_with('.') {
                s.push('.');
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_refusals_read_like_oc() {
        let e = CoreError::not_found("inboundNumber", "OCI1");
        assert_eq!(
            message(&e),
            "Query fail. Because inboundNumber [OCI1] doesnt exists. Please check your inboundNumber and try again."
        );
        let e: OcError = CoreError::invalid("referenceNumber", "is required").at_line(3).into();
        assert_eq!(e.code, code::REQUEST);
        assert_eq!(e.message(), "Item 3: referenceNumber is required.");
        let e: OcError = CoreError::Conflict("order OCO1 is picked and can no longer be cancelled".into()).into();
        assert_eq!(e.code, code::BUSINESS);
        assert_eq!(e.message(), "Order OCO1 is picked and can no longer be cancelled.");
    }

    #[test]
    fn database_failures_are_internal_and_say_nothing_of_the_database() {
        let db = || CoreError::Internal;
        let refusal = || CoreError::invalid("shippingServiceCode", "is not offered");
        for e in [OcError::from(db()), OcError::from(not_found_as(db(), refusal))] {
            assert_eq!((e.code, e.items[0].code.as_str()), (code::INTERNAL, "5A0001"));
            assert_eq!(e.message(), "Internal error, please try again later.");
        }
        let e = OcError::from(not_found_as(CoreError::not_found("service", "X"), refusal));
        assert_eq!((e.code, e.message()), (code::REQUEST, "shippingServiceCode is not offered."));
        let stock =
            CoreError::InsufficientStock { sku: "S".into(), warehouse: "UK1".into(), requested: 2, available: 1 };
        let e = OcError::from(not_found_as(stock, refusal));
        assert_eq!(e.code, code::BUSINESS);
    }
}

#[cfg(test)]
mod body_tests {
    use super::*;

    async fn body(r: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn a_refusal_has_no_data_and_an_item_without_id_no_id_key() {
        let v = body(reply("m1", None, Some(OcError::invalid("x is required.")))).await;
        assert_eq!(
            v,
            serde_json::json!({"code": 3, "message": "x is required.", "messageId": "m1", "success": false,
                               "errors": [{"code": "3A0001", "message": "x is required."}]})
        );
        let v = body(answer("m2", Some(vec![1]), None)).await;
        assert_eq!(
            v,
            serde_json::json!({"code": 0, "message": "Success", "messageId": "m2", "success": true, "errors": [], "data": [1]})
        );
    }
}
