//! `GET /client/Printer/Barcode/<id>?barHeight=25`: a Code128 barcode of `<id>` as a PNG image,
//! which Bird ERPs print on parcels and cartons (spec §1.7, LB `getBarCode`).
//!
//! The parameters follow the Zend barcode renderer behind BirdSystem's route: `barHeight` in
//! pixels (default 50), `factor` pixels per module (default 2) and `drawText` (default on) for
//! the human-readable line. Sizes are clamped to sane bounds rather than refused, as the original
//! renderer does; text Code128 cannot carry is refused in Bird's error shape.

use axum::{
    extract::{OriginalUri, Path},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use entrepot_labels::{barcode_png, encode};
use serde::Deserialize;

use crate::{
    envelope::BirdError,
    fields::{Int, Text},
    request::BirdRequest,
    BirdState,
};

/// The query of `GET /client/Printer/Barcode/<id>` (Zend's renderer options).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct BarcodeQuery {
    /// Pixels, clamped to 10..=500 (default 50).
    #[serde(rename = "barHeight")]
    pub bar_height: Int,
    /// Pixels per module, clamped to 1..=8 (default 2).
    pub factor: Int,
    /// `0`, `false`, `no` or `off` leaves out the human-readable line.
    #[serde(rename = "drawText")]
    pub draw_text: Text,
}

const DEFAULT_HEIGHT_PX: i64 = 50;
const MIN_HEIGHT_PX: i64 = 10;
const MAX_HEIGHT_PX: i64 = 500;
const DEFAULT_FACTOR: i64 = 2;
const MAX_FACTOR: i64 = 8;
/// Scanners need ten modules of white on each side.
const QUIET_MODULES: u32 = 10;

/// This module's routes.
pub fn routes() -> Router<BirdState> {
    Router::new().route("/client/printer/barcode/{id}", get(barcode))
}

/// Decodes `%XX` escapes of a path segment; `None` if they do not make UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut k = 0;
    while k < b.len() {
        if b[k] == b'%' && k + 2 < b.len() {
            let hex = std::str::from_utf8(&b[k + 1..k + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            k += 3;
        } else {
            out.push(b[k]);
            k += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The id as the client wrote it. Routing sees a lower-cased path; when the request still
/// carries its original URI, the segment is taken from there so `ABC-1` stays `ABC-1`.
fn id_as_sent(routed: &str, original: &OriginalUri) -> String {
    original
        .path()
        .rsplit('/')
        .find(|s| !s.is_empty())
        .and_then(percent_decode)
        .filter(|raw| raw.eq_ignore_ascii_case(routed))
        .unwrap_or_else(|| routed.to_owned())
}

/// `GET /client/Printer/Barcode/<id>`: the PNG, `Content-Type: image/png`.
pub async fn barcode(Path(id): Path<String>, original: OriginalUri, req: BirdRequest) -> Result<Response, BirdError> {
    let text = id_as_sent(&id, &original);
    let code = encode(&text).map_err(|e| BirdError::bad(format!("Invalid barcode text '{text}': {e}")))?;
    let q: BarcodeQuery = req.fields()?;
    let height = q.bar_height.get("barHeight")?.unwrap_or(DEFAULT_HEIGHT_PX).clamp(MIN_HEIGHT_PX, MAX_HEIGHT_PX);
    let factor = q.factor.get("factor")?.unwrap_or(DEFAULT_FACTOR).clamp(1, MAX_FACTOR);
    let caption = match q.draw_text.get() {
        Some(v) if matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "no" | "off") => None,
        _ => Some(text.as_str()),
    };
    let png = barcode_png(&code, factor as u32, height as u32, QUIET_MODULES, caption)
        .map_err(|e| BirdError::bad(format!("The barcode of '{text}' could not be drawn: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_decode() {
        assert_eq!(percent_decode("AB%2F1").as_deref(), Some("AB/1"));
        assert_eq!(percent_decode("%E4%BA%A7").as_deref(), Some("产"));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%FF"), None);
    }

    #[test]
    fn the_original_case_wins_when_known() {
        let uri = |s: &str| OriginalUri(s.parse().unwrap());
        assert_eq!(id_as_sent("abc-1", &uri("/client/Printer/Barcode/ABC-1?barHeight=25")), "ABC-1");
        assert_eq!(id_as_sent("abc-1", &uri("/client/printer/barcode/abc-1/")), "abc-1");
        assert_eq!(id_as_sent("abc-1", &uri("/client/printer/barcode/other")), "abc-1");
        assert_eq!(id_as_sent("123", &uri("/client/printer/barcode/123")), "123");
    }
}
