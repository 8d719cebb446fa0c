//! Files OC hands out by URL: an inbound's SKU labels and carton marks, and the customs documents
//! uploaded for it.
//!
//! ERPs show these links to people who open them in a browser or send them to a printer, so
//! they cannot carry OC's signature headers. They are capability URLs instead, like S3 presigned
//! URLs: `GET /openapi/3pp/files/{token}/{name}`, where `token` is 128 random bits kept in the
//! inbound's details, so only whoever was given the link can fetch the file. Blobs live under
//! `oc/files/{token}/{name}` in the blob app.

use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

use crate::{envelope::OcError, OcState};

/// The route prefix of file URLs.
const PREFIX: &str = "/openapi/3pp/files";

pub fn routes() -> Router<OcState> {
    Router::new().route("/openapi/3pp/files/{token}/{name}", get(download))
}

pub use entrepot_ops::inbound_files::{blob_key, new_token, safe_name};

fn valid_token(t: &str) -> bool {
    t.len() == 32 && t.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// File names are ours (`sku-labels.pdf`) or sanitised uploads ([`safe_name`]): a plain name.
fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 150
        && !n.starts_with('.')
        && n.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// The absolute URL of a file, on the host the caller reached us by (`X-Forwarded-Proto` and
/// `X-Forwarded-Host` when a proxy sets them), so links work from wherever the ERP runs.
pub fn url(headers: &HeaderMap, token: &str, name: &str) -> String {
    format!("{}{PREFIX}/{token}/{name}", base_url(headers))
}

fn base_url(headers: &HeaderMap) -> String {
    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty());
    let scheme = match h("x-forwarded-proto").map(str::to_ascii_lowercase).as_deref() {
        Some("https") => "https",
        _ => "http",
    };
    let host = h("x-forwarded-host")
        .or_else(|| h(header::HOST.as_str()))
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|v| v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')))
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// Stores `bytes` as file `name` of `token`.
pub async fn put(st: &OcState, token: &str, name: &str, bytes: &[u8]) -> Result<(), OcError> {
    st.blobs.put(&blob_key(token, name), bytes).await.map_err(|e| {
        tracing::error!(error = %e, "storing an OC file failed");
        OcError::internal()
    })
}

/// Whether file `name` of `token` is stored.
pub async fn exists(st: &OcState, token: &str, name: &str) -> Result<bool, OcError> {
    st.blobs.get(&blob_key(token, name)).await.map(|b| b.is_some()).map_err(|e| {
        tracing::error!(error = %e, "reading an OC file failed");
        OcError::internal()
    })
}

fn content_type(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".pdf") {
        "application/pdf"
    } else if lower.ends_with(".png") {
        "image/png"
    } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        "image/jpeg"
    } else {
        "application/octet-stream"
    }
}

async fn download(State(st): State<OcState>, Path((token, name)): Path<(String, String)>) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "No such file.").into_response();
    if !valid_token(&token) || !valid_name(&name) {
        return not_found();
    }
    match st.blobs.get(&blob_key(&token, &name)).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, content_type(&name).to_owned()),
                (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
                (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "reading an OC file failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "The file could not be read; try again.").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_names_and_urls() {
        let t = new_token();
        assert!(valid_token(&t) && t != new_token());
        assert!(!valid_token("../../etc") && !valid_token(&t.to_uppercase()));
        assert!(valid_name("sku-labels.pdf") && !valid_name("..") && !valid_name("a/b") && !valid_name(""));
        assert_eq!(safe_name("../Packing list (1).PDF"), "_Packing_list__1_.PDF");
        assert_eq!(safe_name("..."), "file");
        assert!(valid_name(&safe_name("發票.pdf")));
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "wms.example.com:8080".parse().unwrap());
        assert_eq!(url(&h, "ab", "x.pdf"), "http://wms.example.com:8080/openapi/3pp/files/ab/x.pdf");
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        h.insert("x-forwarded-host", "api.example.com, proxy".parse().unwrap());
        assert_eq!(url(&h, "ab", "x.pdf"), "https://api.example.com/openapi/3pp/files/ab/x.pdf");
        h.insert("x-forwarded-host", "evil.com/<script>".parse().unwrap());
        assert!(url(&h, "ab", "x.pdf").starts_with("https://localhost/"));
    }
}
