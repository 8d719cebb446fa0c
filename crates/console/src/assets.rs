//! The console's static files, compiled into the binary and served with a content hash in each
//! name, so a browser keeps them for a year and still never runs a stale one after an upgrade.
//! Nothing a console page loads comes from anywhere else.

use std::sync::LazyLock;

use axum::{
    body::Bytes,
    extract::Path,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

/// One file: its plain name (what templates ask for) and the name it is served under.
pub struct Asset {
    pub name: &'static str,
    pub served_as: String,
    /// As compiled in, or as rewritten at start (stylesheets); cheap to clone per answer.
    pub bytes: Bytes,
    pub content_type: &'static str,
}

const FILES: &[(&str, &[u8], &str)] = &[
    ("htmx.min.js", include_bytes!("../assets/htmx.min.js"), "text/javascript; charset=utf-8"),
    ("console.js", include_bytes!("../assets/console.js"), "text/javascript; charset=utf-8"),
    ("LICENSE-htmx", include_bytes!("../assets/LICENSE-htmx"), "text/plain; charset=utf-8"),
];

/// Stylesheets, whose `url(name)` of another asset is rewritten to its hashed name (so a
/// stylesheet's own hash changes with what it links).
const STYLES: &[(&str, &str)] = &[("console.css", include_str!("../assets/console.css"))];

fn hashed(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    let (font, font_bytes) = entrepot_labels::chinese_web_font();
    let mut out: Vec<Asset> = FILES
        .iter()
        .chain(std::iter::once(&(font, font_bytes, "font/otf")))
        .map(|&(name, bytes, content_type)| Asset {
            name,
            served_as: hashed(name, bytes),
            bytes: Bytes::from_static(bytes),
            content_type,
        })
        .collect();
    for &(name, text) in STYLES {
        let mut css = text.to_owned();
        for a in &out {
            css = css.replace(&format!("url({})", a.name), &format!("url(/console/assets/{})", a.served_as));
        }
        let served_as = hashed(name, css.as_bytes());
        out.push(Asset {
            name,
            served_as,
            bytes: Bytes::from(css.into_bytes()),
            content_type: "text/css; charset=utf-8",
        });
    }
    out
});

/// The URL a page links `name` at (a name not in the table links nowhere, caught by the tests).
pub fn url(name: &str) -> String {
    ASSETS.iter().find(|a| a.name == name).map(|a| format!("/console/assets/{}", a.served_as)).unwrap_or_default()
}

pub(crate) async fn serve(Path(file): Path<String>) -> Response {
    let Some(a) = ASSETS.iter().find(|a| a.served_as == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut resp = a.bytes.clone().into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_a_hashed_name_of_its_own() {
        for a in ASSETS.iter() {
            let u = url(a.name);
            assert!(u.starts_with("/console/assets/") && u.len() > a.name.len() + 17, "{u}");
            assert!(!&a.bytes[..].is_empty());
        }
        let mut names: Vec<_> = ASSETS.iter().map(|a| a.served_as.clone()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FILES.len() + STYLES.len() + 1);
        assert_eq!(url("nothing.js"), "");
    }

    #[test]
    fn stylesheets_link_the_hashed_names() {
        let css = ASSETS.iter().find(|a| a.name == "console.css").map(|a| &a.bytes[..]).unwrap_or_default();
        let css = String::from_utf8_lossy(css);
        assert!(
            css.contains(&format!("url({})", url("NotoSansSC-Regular.otf"))),
            "the font is linked by its hashed name"
        );
    }
}
