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

/// The handheld's id of this scan (its `Idempotency-Key`), which the use cases keep so that a
/// replay records nothing twice.
pub fn scan_id(headers: &axum::http::HeaderMap) -> Option<String> {
    headers.get("idempotency-key").and_then(|k| k.to_str().ok()).map(str::to_owned)
}

/// A refusal for the screen, or the failure to answer when the use case failed inside (an
/// internal error is answered as an error, so the scan queue tries it again).
pub fn refusal(t: Tr, e: CoreError) -> Result<Outcome, crate::failure::Failure> {
    match e {
        CoreError::Internal => Err(crate::failure::Failure::core(t, CoreError::Internal)),
        e => Ok(Outcome::refused(t, &e)),
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

/// Most distinct lines a tally holds (a count's scans, a return's units).
pub const MAX_TALLY_LINES: usize = 200;

/// One line of a [`Tally`]: units of one label in one condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyLine {
    pub code: String,
    pub damaged: bool,
    pub qty: i64,
}

/// Labels scanned on a screen before they are recorded at once (a count's SKUs, a returned
/// parcel's units), carried from scan to scan in a hidden field of the screen (`tally`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally(Vec<TallyLine>);

impl Tally {
    /// The tally a screen sent back; what does not read as one is left out.
    pub fn parse(raw: &str) -> Tally {
        let pairs: Vec<(String, i64)> = serde_urlencoded::from_str(raw).unwrap_or_default();
        let mut out = Tally::default();
        for (key, qty) in pairs {
            let (damaged, code) = match key.split_once(':') {
                Some(("d", c)) => (true, c),
                Some(("g", c)) => (false, c),
                _ => continue,
            };
            if let Some(code) = self::code(code) {
                let _ = out.add(&code, damaged, qty);
            }
        }
        out
    }

    /// Adds `qty` units of `code` (the same label in any case adds up); `Err` past
    /// [`MAX_TALLY_LINES`] or [`MAX_QUANTITY`] units of a line.
    #[allow(clippy::result_unit_err)]
    pub fn add(&mut self, code: &str, damaged: bool, qty: i64) -> Result<i64, ()> {
        if !(1..=MAX_QUANTITY).contains(&qty) {
            return Err(());
        }
        if let Some(l) = self.0.iter_mut().find(|l| l.damaged == damaged && l.code.eq_ignore_ascii_case(code)) {
            let sum = l.qty + qty;
            if sum > MAX_QUANTITY {
                return Err(());
            }
            l.qty = sum;
            return Ok(sum);
        }
        if self.0.len() >= MAX_TALLY_LINES {
            return Err(());
        }
        self.0.push(TallyLine { code: code.to_owned(), damaged, qty });
        Ok(qty)
    }

    pub fn lines(&self) -> &[TallyLine] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The hidden field's value.
    pub fn encode(&self) -> String {
        let pairs: Vec<(String, i64)> =
            self.0.iter().map(|l| (format!("{}:{}", if l.damaged { "d" } else { "g" }, l.code), l.qty)).collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_adds_up_per_label_and_condition_and_reads_back() {
        let mut t = Tally::default();
        assert_eq!(t.add("OC1", false, 2), Ok(2));
        assert_eq!(t.add("oc1", false, 1), Ok(3));
        assert_eq!(t.add("OC1", true, 1), Ok(1));
        assert_eq!(t.add("A&B=C:D", false, 1), Ok(1));
        assert_eq!(t.add("OC1", false, 0), Err(()));
        let back = Tally::parse(&t.encode());
        assert_eq!(back, t);
        assert_eq!(back.lines()[0], TallyLine { code: "OC1".into(), damaged: false, qty: 3 });
        assert_eq!(Tally::parse("junk&x:y=1&g:OK=z"), Tally::default());
    }

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
