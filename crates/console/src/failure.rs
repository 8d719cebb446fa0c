//! What went wrong, as a page in the person's language: [`CoreError`] is mapped to a status and
//! a translated title here and nowhere else; the detail the use case gave (naming the field or
//! the state) is shown beneath it. An htmx request gets the message alone, for its flash area.

use askama::Template;
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use entrepot_core::CoreError;

use crate::i18n::Tr;

#[derive(Debug)]
pub struct Failure {
    pub tr: Tr,
    pub status: StatusCode,
    /// The translation key of the title.
    pub title: &'static str,
    pub detail: Option<String>,
}

impl Failure {
    pub fn core(tr: Tr, e: CoreError) -> Self {
        let detail = Some(e.to_string());
        let (status, title) = match e {
            CoreError::Validation { .. } | CoreError::InBatch { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid")
            }
            CoreError::NotFound { .. } => (StatusCode::NOT_FOUND, "error-not-found"),
            CoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "error-forbidden"),
            CoreError::Duplicate { .. } => (StatusCode::CONFLICT, "error-conflict"),
            CoreError::InsufficientStock { .. }
            | CoreError::InsufficientBalance { .. }
            | CoreError::UnsuitableService { .. }
            | CoreError::InvalidTransition { .. }
            | CoreError::Conflict(_)
            | CoreError::EmptyOrder { .. } => (StatusCode::CONFLICT, "error-conflict"),
            CoreError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "error-internal"),
        };
        let detail = if status == StatusCode::INTERNAL_SERVER_ERROR { None } else { detail };
        Self { tr, status, title, detail }
    }

    pub fn csrf(tr: Tr) -> Self {
        Self { tr, status: StatusCode::FORBIDDEN, title: "error-csrf", detail: None }
    }

    pub fn not_found(tr: Tr) -> Self {
        Self { tr, status: StatusCode::NOT_FOUND, title: "error-not-found", detail: None }
    }

    pub fn forbidden(tr: Tr) -> Self {
        Self { tr, status: StatusCode::FORBIDDEN, title: "error-forbidden", detail: None }
    }

    /// A refused form's answer: the reason to say on the form again, or, for a person who may
    /// not (403) or a failure inside, the error page.
    pub fn or_form_message(tr: Tr, e: CoreError) -> Result<String, Failure> {
        match e {
            e @ (CoreError::Internal | CoreError::Forbidden(_)) => Err(Failure::core(tr, e)),
            e => Ok(crate::scan::Outcome::refused(tr, &e).message().to_owned()),
        }
    }

    pub fn render(tr: Tr, e: askama::Error) -> Self {
        tracing::error!(error = %e, "console page did not render");
        Self { tr, status: StatusCode::INTERNAL_SERVER_ERROR, title: "error-internal", detail: None }
    }
}

/// Turns a use case's result into a page's.
pub trait OrPage<T> {
    fn or_page(self, tr: Tr) -> Result<T, Failure>;
}

impl<T> OrPage<T> for Result<T, CoreError> {
    fn or_page(self, tr: Tr) -> Result<T, Failure> {
        self.map_err(|e| Failure::core(tr, e))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: Tr,
    f: &'a Failure,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = ErrorPage { t: self.tr, f: &self }.render().unwrap_or_else(|_| self.tr.t(self.title));
        let mut r = (self.status, body).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        crate::headers::secure(r)
    }
}
