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
    //! Checks every document test wants, on the page as poppler prints it:
    //! text stays on the page and the barcode scans back to its data.

    use crate::inspect::{read_pdf, PrintedPage};

    pub fn read(pdf: &[u8]) -> Vec<PrintedPage> {
        read_pdf(pdf).expect("poppler reads the PDF")
    }

    /// Every word printed lies inside the page, clear of its edges.
    pub fn assert_layout_fits(page: &PrintedPage) {
        for w in &page.words {
            assert!(w.x_min >= 4.0 && w.x_max <= page.width - 4.0, "{w:?} overflows width {}", page.width);
            assert!(w.y_min >= 0.0 && w.y_max <= page.height - 2.0, "{w:?} overflows height {}", page.height);
        }
    }

    /// The page's one barcode scans as exactly `data`.
    pub fn assert_barcode(page: &PrintedPage, data: &str) {
        assert_eq!(page.barcodes, [data], "the barcode on the page");
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
