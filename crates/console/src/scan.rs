//! What every scan screen shares. A screen is a page with one always-focused scan field and a
//! `#screen` region the server draws: the region names where the next scan goes
//! (`data-scan-action`), the context it carries (`data-field-*`, e.g. the open inbound), and how
//! the last scan went (`data-scan-result`), which the page shows with a sound and a flash.
//!
//! Scans are posted by `console.js` with an `Idempotency-Key` through the same idempotency
//! layer as the native API, so a scan replayed from the handheld's queue after a Wi-Fi drop
//! answers what it answered the first time and counts nothing twice.

use entrepot_core::CoreError;

use crate::i18n::Tr;

/// Longest code a scan may carry (barcodes on labels are far shorter).
pub const MAX_CODE: usize = 128;

/// The scan field of a screen: where scans go, and which options sit beside it.
pub struct ScanForm {
    pub action: String,
    /// A quantity typed before the scan counts that many.
    pub quantity: bool,
    /// A damaged switch (receiving, returns).
    pub damaged: bool,
}

/// How the last scan went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing scanned yet on this screen.
    Waiting,
    Accepted(String),
    Refused(String),
}

impl Outcome {
    /// The `data-scan-result` value.
    pub fn result(&self) -> &'static str {
        match self {
            Outcome::Waiting => "",
            Outcome::Accepted(_) => "accepted",
            Outcome::Refused(_) => "refused",
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Outcome::Waiting => "",
            Outcome::Accepted(m) | Outcome::Refused(m) => m,
        }
    }

    /// A use case's refusal, said in the person's language and then as the use case said it
    /// (which names what was expected). An internal failure is not a refusal: it is the caller's
    /// to answer as an error (so the scan is tried again).
    pub fn refused(t: Tr, e: &CoreError) -> Outcome {
        let title = crate::failure::Failure::core(t, e.clone()).title;
        Outcome::Refused(format!("{}: {e}", t.t(title)))
    }
}

/// Most units one scan counts.
pub const MAX_QUANTITY: i64 = 10_000;

/// The quantity typed beside the scan field: `Ok(None)` when none was, `Err` when it is not a
/// whole number from `min` to [`MAX_QUANTITY`] (say so with `scan-bad-quantity`).
#[allow(clippy::result_unit_err)]
pub fn quantity(raw: Option<&str>, min: i64) -> Result<Option<i64>, ()> {
    match raw.map(str::trim).filter(|q| !q.is_empty()) {
        None => Ok(None),
        Some(q) => q.parse::<i64>().ok().filter(|n| (min..=MAX_QUANTITY).contains(n)).map(Some).ok_or(()),
    }
}

/// Whether the scan queue (or htmx) asked for the screen alone rather than the whole page.
pub fn wants_screen(headers: &axum::http::HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

/// A scanned code, trimmed; `None` when empty or too long.
pub fn code(raw: &str) -> Option<String> {
    let c = raw.trim();
    (!c.is_empty() && c.len() <= MAX_CODE).then(|| c.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_numbers_within_bounds() {
        assert_eq!(quantity(None, 1), Ok(None));
        assert_eq!(quantity(Some("  "), 1), Ok(None));
        assert_eq!(quantity(Some(" 4 "), 1), Ok(Some(4)));
        assert_eq!(quantity(Some("0"), 0), Ok(Some(0)));
        assert_eq!(quantity(Some("0"), 1), Err(()));
        assert_eq!(quantity(Some("10001"), 1), Err(()));
        assert_eq!(quantity(Some("2.5"), 1), Err(()));
    }
}
