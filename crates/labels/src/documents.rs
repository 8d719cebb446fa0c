//! The printed documents of the warehouse: carrier shipping labels, SKU
//! labels for sellers' products, carton marks for inbound boxes, bin labels,
//! and the A4 sheets and slips of outbound (pick lists, carrier manifests,
//! packing slips).
//!
//! Each builder takes plain data and returns finished PDF bytes, so the
//! sandbox carrier, the OC inbound flow and any HTTP handler all print the
//! same layout. Layout helpers shared by the documents live here.

mod bin_labels;
mod carton_marks;
mod manifest;
mod packing_slip;
mod pick_list;
mod shipping_label;
mod sku_labels;

pub use bin_labels::{bin_labels, BinLabel};
pub use carton_marks::{carton_marks, CartonMark};
pub use manifest::{manifest, ManifestDoc, ManifestParcel};
pub use packing_slip::{packing_slip, PackingSlip, SlipLine};
pub use pick_list::{pick_list, PickLine, PickListDoc, PickTote};
pub use shipping_label::{shipping_label, Address, ShippingLabel};
pub use sku_labels::{sku_labels, SkuLabel};

use crate::code128::Barcode;
use crate::fonts::{fit_text, text_width, Font};
use crate::pdf::Page;

/// Most pages one call may produce; beyond this a copies count is surely a
/// mistake, and refusing it protects the server from building huge files.
pub const MAX_PAGES: usize = 5_000;

/// Most rows (pick lines, parcels, slip lines) one paginated document takes:
/// far more than any wave, day or parcel holds, so more is a mistake upstream.
const MAX_ROWS: usize = 5_000;

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

/// A4 portrait in points: the office printer's paper, for the sheets staff
/// and drivers read (pick lists, manifests).
fn a4() -> (f32, f32) {
    (mm(210.0), mm(297.0))
}

/// Margin of the A4 sheets, inside any office printer's unprintable edge.
const SHEET_MARGIN: f32 = 32.0;

/// The header every page of an A4 sheet repeats, so a page that comes loose
/// still says what it belongs to: `big` (warehouse or carrier) and two small
/// lines on the left, the document's barcode with its text on the right, the
/// title across the page, then a rule. Returns the top of the body.
fn sheet_header(page: &mut Page, big: &str, small: [&str; 2], title: &str, code: &Barcode) -> f32 {
    let (width, top, m) = (page.width(), page.height() - SHEET_MARGIN, SHEET_MARGIN);
    let content = width - 2.0 * m;
    let left = width / 2.0 - m - 12.0;
    text_fit(page, Font::Bold, m, top - 20.0, 22.0, left, big);
    text_fit(page, Font::Regular, m, top - 38.0, 9.0, left, small[0]);
    text_fit(page, Font::Regular, m, top - 51.0, 9.0, left, small[1]);
    centred_barcode(page, code, width / 2.0, width - m, top - 48.0, 48.0, 2.0);
    text_centred(page, Font::Bold, width * 0.75 - m / 2.0, top - 60.0, 9.0, width / 2.0 - m, code.text());
    text_fit(page, Font::Bold, m, top - 80.0, 14.0, content, title);
    page.line(m, top - 90.0, width - m, top - 90.0, 1.0);
    top - 98.0
}

/// "page 2 / 3": sheets get separated, and a driver or picker must see one is missing.
fn page_of(n: usize, total: usize) -> String {
    format!("page {n} / {total}")
}

/// A row of a paginated document.
trait SheetRow {
    /// Height in points, column headings not included.
    fn height(&self) -> f32;
    /// The table the row belongs to; `None` for rows standing alone (totals, signatures).
    fn table(&self) -> Option<u8>;
}

/// Whether `row` starts its table on the page (coming after `previous`), so
/// its column headings go above it.
fn starts_table<R: SheetRow>(previous: Option<&R>, row: &R) -> bool {
    row.table().is_some() && previous.and_then(SheetRow::table) != row.table()
}

/// Cuts `rows` into pages of at most `room` points of body, counting
/// `heading` points of column headings wherever a table starts or continues
/// on a page, so each loose sheet still names its columns. Rows keep their
/// order and are never split; there is always a page (a header alone, if no
/// rows), and a row taller than `room` gets a page to itself.
fn paginate<R: SheetRow>(rows: impl IntoIterator<Item = R>, heading: f32, room: f32) -> Vec<Vec<R>> {
    let mut pages: Vec<Vec<R>> = vec![Vec::new()];
    let mut used = 0.0;
    for row in rows {
        let need = |previous: Option<&R>| row.height() + if starts_table(previous, &row) { heading } else { 0.0 };
        let current = pages.last().map_or(0, Vec::len);
        let mut height = need(pages.last().and_then(|p| p.last()));
        if current > 0 && used + height > room {
            pages.push(Vec::new());
            used = 0.0;
            height = need(None);
        }
        used += height;
        if let Some(page) = pages.last_mut() {
            page.push(row);
        }
    }
    pages
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

    struct Row(f32, Option<u8>);

    impl SheetRow for Row {
        fn height(&self) -> f32 {
            self.0
        }
        fn table(&self) -> Option<u8> {
            self.1
        }
    }

    #[test]
    fn pagination_repeats_headings_and_keeps_rows_whole() {
        let sizes = |pages: &[Vec<Row>]| pages.iter().map(Vec::len).collect::<Vec<_>>();
        assert_eq!(sizes(&paginate(Vec::<Row>::new(), 10.0, 100.0)), [0]);
        // 10 of heading, then 9 rows of 10 per page (a heading on each page).
        let rows = (0..20).map(|_| Row(10.0, Some(0)));
        assert_eq!(sizes(&paginate(rows, 10.0, 100.0)), [9, 9, 2]);
        // A second table needs its own heading; a standalone row none.
        let rows = (0..8).map(|_| Row(10.0, Some(0))).chain([Row(10.0, Some(1)), Row(10.0, None)]);
        assert_eq!(sizes(&paginate(rows, 10.0, 100.0)), [8, 2]);
        let rows = (0..8).map(|_| Row(10.0, Some(0))).chain([Row(10.0, None), Row(10.0, None)]);
        assert_eq!(sizes(&paginate(rows, 10.0, 100.0)), [9, 1]);
        // Too tall for any page: alone on its own.
        assert_eq!(sizes(&paginate([Row(5.0, None), Row(500.0, None), Row(5.0, None)], 10.0, 100.0)), [1, 1, 1]);
    }

    #[test]
    fn millimetres_to_points() {
        assert!((mm(25.4) - 72.0).abs() < 1e-4);
        assert!((mm(100.0) - 283.46).abs() < 0.01);
    }
}
