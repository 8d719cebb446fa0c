//! The reference page at `/api/docs`: Redoc, vendored under `assets/` and served from here with
//! a content hash in each file name (an ES module, imported by our own init module), renders `/api/v1/openapi.json` in the browser. Nothing is
//! fetched from elsewhere, and the Content-Security-Policy says so: scripts, fonts, images and
//! connections from Entrepot only. (Redoc's styled components insert `<style>` elements and
//! its search runs in a worker made from a blob, hence `style-src 'unsafe-inline'` and
//! `worker-src blob:`.)

use axum::{
    extract::Path,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

/// Redoc's standalone bundle, named by its content's hash.
const REDOC: (&str, &[u8]) =
    ("redoc.standalone.8c70c2de83d33e33.js", include_bytes!("../assets/redoc.standalone.8c70c2de83d33e33.js"));
const INIT: (&str, &[u8]) =
    ("docs-init.19fbdc36b9700232.js", include_bytes!("../assets/docs-init.19fbdc36b9700232.js"));
const LICENSE: (&str, &[u8]) = ("LICENSE-redoc.txt", include_bytes!("../assets/LICENSE-redoc"));

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
    font-src 'self' data:; connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

fn page_html() -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Entrepot API reference</title></head>\
         <body><div id=\"redoc\"><noscript><a href=\"/api/v1/openapi.json\">The OpenAPI 3.1 document</a></noscript></div>\
         <link rel=\"modulepreload\" href=\"/api/docs/assets/{}\">\
         <script type=\"module\" src=\"/api/docs/assets/{}\"></script></body></html>\n",
        REDOC.0, INIT.0
    )
}

fn secured(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    resp
}

async fn page() -> Response {
    let mut resp = page_html().into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    secured(resp)
}

async fn asset(Path(name): Path<String>) -> Response {
    let Some((_, bytes, ct)) = [
        (REDOC, "text/javascript; charset=utf-8"),
        (INIT, "text/javascript; charset=utf-8"),
        (LICENSE, "text/plain; charset=utf-8"),
    ]
    .into_iter()
    .map(|((n, b), ct)| (n, b, ct))
    .find(|(n, _, _)| *n == name) else {
        return secured(StatusCode::NOT_FOUND.into_response());
    };
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    secured(resp)
}

pub(crate) fn router() -> Router {
    Router::new().route("/api/docs", get(page)).route("/api/docs/assets/{name}", get(asset))
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    #[test]
    fn asset_names_carry_their_content_hash() {
        for (name, bytes) in [super::REDOC, super::INIT] {
            let hash: String = Sha256::digest(bytes).iter().take(8).map(|b| format!("{b:02x}")).collect();
            assert!(name.contains(&hash), "{name} should carry {hash}");
        }
    }
}
