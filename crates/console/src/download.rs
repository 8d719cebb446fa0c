//! A file the console hands over (a workbook, a statement): its type, the name a browser saves
//! it under, and the page's security headers.

use axum::{
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub(crate) const CSV: &str = "text/csv; charset=utf-8";

/// `bytes` as a download named `name` (quotes and backslashes dropped from it).
pub(crate) fn attachment(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let name = name.replace(['"', '\\'], "");
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    crate::page::secure(r)
}
pub(crate) const PDF: &str = "application/pdf";
