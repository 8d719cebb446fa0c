//! The headers every console answer carries. The Content-Security-Policy allows nothing from
//! elsewhere and no inline script or style, so a page can only run Entrepot's own files.

use axum::{
    http::{header, HeaderValue},
    response::Response,
};

const CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; \
    connect-src 'self'; media-src 'self' blob: mediastream:; form-action 'self'; base-uri 'none'; \
    frame-ancestors 'none'";

/// Adds the security headers every console answer carries.
pub fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The same URL answers a whole page or an htmx fragment.
    h.insert(header::VARY, HeaderValue::from_static("HX-Request, Cookie, Accept-Language"));
    r
}
