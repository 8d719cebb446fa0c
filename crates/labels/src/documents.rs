//! The printed documents of the warehouse: carrier shipping labels, SKU
//! labels for sellers' products and carton marks for inbound boxes.
//!
//! Each builder takes plain data and returns finished PDF bytes, so the
//! sandbox carrier, the OC inbound flow and any HTTP handler all print the
//! same layout. Layout helpers shared by the three live here.

mod bin_labels;
mod carton_marks;
mod shipping_label;
mod sku_labels;

pub use bin_labels::{bin_labels, BinLabel};
pub use carton_marks::{carton_marks, CartonMark};
pub use shipping_label::{shipping_label, Address, ShippingLabel};
pub use sku_labels::{sku_labels, SkuLabel};

use crate::code128::Barcode;
use crate::fonts::{fit_text, text_width, Font};
use crate::pdf::Page;

/// Most pages one call may produce; beyond this a copies count is surely a
/// mistake, and refusing it protects the server from building huge files.
pub const MAX_PAGES: usize = 5_000;

/// Scanners need this many modules of white on each side of a symbol.
const QUIET_MODULES: usize = 10;

/// Converts millimetres (how label stock is sold) to PDF points.
fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// Draws `code` centred between `left` and `right` with bars as wide as the
/// space allows (up to `max_module`), keeping a quiet zone on both sides.
fn centred_barcode(page: &mut Page, code: &Barcode, left: f32, right: f32, y: f32, height: f32, max_module: f32) {
    let modules = (code.width() + 2 * QUIET_MODULES) as f32;
    let module = ((right - left) / modules).min(max_module);
    let x = left + ((right - left) - code.width() as f32 * module) / 2.0;
    page.barcode(x, y, module, height, code);
}

/// Writes `text` truncated to `max_width`, starting at `x`.
fn text_fit(page: &mut Page, font: Font, x: f32, y: f32, size: f32, max_width: f32, text: &str) {
    if !text.trim().is_empty() {
        page.text_in(font, x, y, size, &fit_text(text, font, size, max_width));
    }
}

/// Writes `text` centred on `cx`, truncated to `max_width`.
fn text_centred(page: &mut Page, font: Font, cx: f32, y: f32, size: f32, max_width: f32, text: &str) {
    let fitted = fit_text(text, font, size, max_width);
    let x = cx - text_width(&fitted, font, size) / 2.0;
    page.text_in(font, x, y, size, &fitted);
}

/// Writes `text` so that it ends at `right`.
fn text_right(page: &mut Page, font: Font, right: f32, y: f32, size: f32, text: &str) {
    let x = right - text_width(text, font, size);
    page.text_in(font, x, y, size, text);
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Checks every document test wants: text stays on the page and barcodes
    //! match their encodings bar for bar.

    use crate::code128::encode;
    use crate::fonts::{text_width, Font};
    use crate::pdf_check::ParsedPage;

    pub fn assert_layout_fits(page: &ParsedPage) {
        let [_, _, w, h] = page.media_box;
        for t in page.texts() {
            let font = if t.font == "F2" { Font::HelveticaBold } else { Font::Helvetica };
            let right = t.x + text_width(&t.text, font, t.size);
            assert!(t.x >= 4.0 && right <= w - 4.0, "{t:?} overflows width {w}");
            assert!(t.y >= 4.0 && t.y + t.size <= h - 4.0, "{t:?} overflows height {h}");
        }
        for [x, y, bw, bh] in page.bars() {
            assert!(x >= 0.0 && x + bw <= w && y >= 0.0 && y + bh <= h);
        }
    }

    /// The page's barcode has exactly the bars of `data`'s encoding, with
    /// room for a quiet zone on both sides.
    pub fn assert_barcode(page: &ParsedPage, data: &str) {
        let code = encode(data).expect("test data encodes");
        let bars = page.bars();
        assert_eq!(bars.len(), code.bars().len(), "bar count for {data}");
        let first = bars[0][0];
        let last = bars[bars.len() - 1];
        let module = (last[0] + last[2] - first) / code.width() as f32;
        assert!(first >= 10.0 * module - 0.01, "left quiet zone");
        assert!(last[0] + last[2] <= page.media_box[2] - 10.0 * module + 0.01, "right quiet zone");
        for (rect, (start, width)) in bars.iter().zip(code.bars()) {
            assert!((rect[0] - (first + start as f32 * module)).abs() < 0.01);
            assert!((rect[2] - width as f32 * module).abs() < 0.01);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millimetres_to_points() {
        assert!((mm(25.4) - 72.0).abs() < 1e-4);
        assert!((mm(100.0) - 283.46).abs() < 0.01);
    }
}
