//! Errors as RFC 9457 problem details (`application/problem+json`), mapped from [`CoreError`]
//! here and nowhere else. The `type` is a URN per kind of problem, stable for clients to match;
//! `errors` lists the fields at fault for validation problems.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use entrepot_core::CoreError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// One field at fault.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// The field's name as the request spelled it (`password`, `warehouses`, `limit`...).
    pub field: String,
    pub message: String,
}

/// An RFC 9457 problem.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// `urn:entrepot:problem:<kind>`: validation, unauthenticated, csrf, forbidden, not-found,
    /// duplicate, conflict, idempotency-mismatch, idempotency-in-flight, too-many-requests,
    /// payload-too-large, internal.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Seconds to wait before trying again (429 only; also in `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<Option<String>>) -> Self {
        Self {
            kind: format!("urn:entrepot:problem:{kind}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: vec![],
            retry_after: None,
        }
    }

    /// A request field that does not parse or breaks a rule.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut p = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid request", message.clone());
        p.errors.push(FieldError { field: field.to_owned(), message });
        p
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Authentication required",
            "log in (POST /api/v1/sessions) or send a bearer token".to_owned(),
        )
    }

    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "CSRF token missing or wrong",
            "a request authenticated by the session cookie must send the session's X-CSRF-Token".to_owned(),
        )
    }

    pub fn not_found(detail: impl Into<Option<String>>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    pub fn too_many(retry_after: u64, detail: &str) -> Self {
        let mut p =
            Self::new(StatusCode::TOO_MANY_REQUESTS, "too-many-requests", "Too many requests", detail.to_owned());
        p.retry_after = Some(retry_after);
        p
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<CoreError> for Problem {
    fn from(e: CoreError) -> Self {
        let detail = e.to_string();
        match e {
            CoreError::Validation { field, message, line } => {
                let field = line.map(|l| format!("{field}[{l}]")).unwrap_or(field);
                let mut p = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid request", detail);
                p.errors.push(FieldError { field, message });
                p
            }
            CoreError::NotFound { .. } => Self::not_found(detail),
            CoreError::Duplicate { .. } => Self::new(StatusCode::CONFLICT, "duplicate", "Already exists", detail),
            CoreError::Forbidden(_) => Self::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden", detail),
            CoreError::InsufficientStock { .. }
            | CoreError::InsufficientBalance { .. }
            | CoreError::UnsuitableService { .. }
            | CoreError::InvalidTransition { .. }
            | CoreError::Conflict(_)
            | CoreError::EmptyOrder { .. } => {
                Self::new(StatusCode::CONFLICT, "conflict", "Conflict with the current state", detail)
            }
            CoreError::InBatch { line, error } => {
                let mut p = Self::from(*error);
                p.detail = Some(format!("line {line}: {}", p.detail.unwrap_or_default()));
                p
            }
            CoreError::Internal => Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal error", None),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut resp = (status, body).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        if let Some(s) = self.retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            resp.headers_mut().insert(header::RETRY_AFTER, s);
        }
        resp
    }
}

/// Lets handlers use `?` on use-case results.
pub type ApiResult<T> = Result<T, Problem>;

/// `Json<T>` whose refusals are problems: a body that is not JSON of the right shape is a 422
/// naming the field serde stopped at; a missing `Content-Type` 415; a body too large 413.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(Problem::invalid("body", e.body_text())),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Send JSON",
                "Content-Type must be application/json".to_owned(),
            )),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", "Request body too large", None))
            }
            Err(e) => Err(Problem::invalid("body", e.body_text())),
        }
    }
}

/// `Query<T>` whose refusals are 422 problems.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Self(v)),
            Err(e) => Err(Problem::invalid("query", e.body_text())),
        }
    }
}

/// Problems for unknown paths under `/api/v1`.
pub async fn not_found() -> Problem {
    Problem::not_found("no such operation; see GET /api/v1/openapi.json".to_owned())
}

/// The problem responses many operations share, each declared once for `#[utoipa::path]`'s
/// `responses(...)` beside an operation's own tuples (`responses((status = 200, ...),
/// Unauthenticated, NoWarehouse)`); each documents the same status, description and problem
/// body as the tuple it replaces. Descriptions particular to one operation stay tuples.
pub mod responses {
    use utoipa::IntoResponses;

    use super::Problem;

    /// 401, for operations that need a caller.
    #[derive(IntoResponses)]
    #[response(status = 401, description = "Not authenticated", content_type = "application/problem+json")]
    pub struct Unauthenticated(#[allow(dead_code)] Problem);

    /// 403, for a warehouse's operations.
    #[derive(IntoResponses)]
    #[response(status = 403, description = "Not staff of the warehouse", content_type = "application/problem+json")]
    pub struct NotWarehouseStaff(#[allow(dead_code)] Problem);

    /// 403, for operations on something in a warehouse (an inbound, a receipt).
    #[derive(IntoResponses)]
    #[response(status = 403, description = "Not staff of its warehouse", content_type = "application/problem+json")]
    pub struct NotItsStaff(#[allow(dead_code)] Problem);

    /// 403, for staff's operations.
    #[derive(IntoResponses)]
    #[response(status = 403, description = "Not staff", content_type = "application/problem+json")]
    pub struct NotStaff(#[allow(dead_code)] Problem);

    /// 404, for operations under `/warehouses/{code}`.
    #[derive(IntoResponses)]
    #[response(status = 404, description = "No such warehouse", content_type = "application/problem+json")]
    pub struct NoWarehouse(#[allow(dead_code)] Problem);

    /// 404, for operations on an inbound.
    #[derive(IntoResponses)]
    #[response(status = 404, description = "No such inbound", content_type = "application/problem+json")]
    pub struct NoInbound(#[allow(dead_code)] Problem);

    /// 422, for lists.
    #[derive(IntoResponses)]
    #[response(status = 422, description = "Invalid filter or cursor", content_type = "application/problem+json")]
    pub struct BadPage(#[allow(dead_code)] Problem);
}
