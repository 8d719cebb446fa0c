//! The packing slip that goes into the parcel (4x6 inch, the label printer's
//! stock): the recipient checks the contents against it, and the order
//! barcode lets a returned parcel be matched with one scan.

use super::{
    centred_barcode, page_of, paginate, starts_table, text_centred, text_fit, text_right, SheetRow, MAX_PAGES, MAX_ROWS,
};
use crate::code128::{encode, Barcode};
use crate::error::LabelError;
use crate::fonts::Font;
use crate::pdf::{Page, PdfDocument};

const WIDTH: f32 = 288.0;
const HEIGHT: f32 = 432.0;
const MARGIN: f32 = 14.0;
const CONTENT: f32 = WIDTH - 2.0 * MARGIN;
/// Where the body starts, under the header every page repeats.
const BODY_TOP: f32 = HEIGHT - MARGIN - 128.0;
/// Height of the line table's column headings.
const HEADING: f32 = 14.0;
/// Address lines printed; further ones are joined onto the last.
const MAX_ADDRESS_LINES: usize = 6;

/// A packing slip as printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackingSlip {
    /// The order number: the barcode.
    pub order: String,
    /// The seller's reference, the number the recipient knows.
    pub reference: String,
    /// Ship-to address, one printed line each.
    pub ship_to: Vec<String>,
    /// The parcel's contents.
    pub lines: Vec<SlipLine>,
}

/// One product in the parcel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlipLine {
    /// The seller's SKU, what the seller's shop shows.
    pub seller_sku: String,
    /// Product name (any script); truncated to its column.
    pub name: String,
    /// Units in the parcel.
    pub qty: i64,
}

/// Renders the slip on 4x6 inch pages, order barcode and reference on each,
/// the address on the first, the lines continuing over as many pages as they
/// need, then the count of units.
///
/// Fails if the order number is not encodable as Code128, or past 5,000 lines
/// or [`MAX_PAGES`] pages.
pub fn packing_slip(slip: &PackingSlip) -> Result<Vec<u8>, LabelError> {
    if slip.lines.len() > MAX_ROWS {
        return Err(LabelError::TooLong);
    }
    let code = encode(&slip.order)?;
    let address = address_lines(&slip.ship_to);
    let units = slip.lines.iter().fold(0i64, |acc, l| acc.saturating_add(l.qty));
    let rows =
        [Row::ShipTo(&address)].into_iter().chain(slip.lines.iter().map(Row::Line)).chain([Row::Total { units }]);
    let pages = paginate(rows, HEADING, BODY_TOP - MARGIN);
    if pages.len() > MAX_PAGES {
        return Err(LabelError::TooLong);
    }
    let mut pdf = PdfDocument::new();
    for (i, rows) in pages.iter().enumerate() {
        let page = pdf.add_page(WIDTH, HEIGHT);
        header(page, slip, &code, &page_of(i + 1, pages.len()));
        draw_rows(page, rows);
    }
    pdf.finish()
}

/// The non-blank lines, extra ones joined onto the last so nothing is
/// dropped silently.
fn address_lines(lines: &[String]) -> Vec<String> {
    let lines: Vec<&str> = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    if lines.len() <= MAX_ADDRESS_LINES {
        return lines.into_iter().map(str::to_owned).collect();
    }
    let mut out: Vec<String> = lines[..MAX_ADDRESS_LINES - 1].iter().map(|l| (*l).to_owned()).collect();
    out.push(lines[MAX_ADDRESS_LINES - 1..].join(", "));
    out
}

fn header(page: &mut Page, slip: &PackingSlip, code: &Barcode, page_no: &str) {
    let top = HEIGHT - MARGIN;
    page.text_bold(MARGIN, top - 12.0, 12.0, "PACKING SLIP");
    text_right(page, Font::Regular, WIDTH - MARGIN, top - 12.0, 8.0, page_no);
    centred_barcode(page, code, MARGIN, WIDTH - MARGIN, top - 72.0, 50.0, 2.0);
    text_centred(page, Font::Bold, WIDTH / 2.0, top - 86.0, 11.0, CONTENT, code.text());
    page.line(6.0, top - 94.0, WIDTH - 6.0, top - 94.0, 1.0);
    if !slip.reference.trim().is_empty() {
        page.text_bold(MARGIN, top - 105.0, 7.0, "YOUR REFERENCE");
        text_fit(page, Font::Bold, MARGIN, top - 118.0, 10.0, CONTENT, slip.reference.trim());
    }
    page.line(6.0, top - 124.0, WIDTH - 6.0, top - 124.0, 1.0);
}

enum Row<'a> {
    ShipTo(&'a [String]),
    Line(&'a SlipLine),
    Total { units: i64 },
}

impl SheetRow for Row<'_> {
    fn height(&self) -> f32 {
        match self {
            Row::ShipTo(lines) => 24.0 + 11.0 * lines.len() as f32,
            Row::Line(_) => 13.0,
            Row::Total { .. } => 20.0,
        }
    }

    fn table(&self) -> Option<u8> {
        match self {
            Row::Line(_) => Some(0),
            Row::ShipTo(_) | Row::Total { .. } => None,
        }
    }
}

const SKU_W: f32 = 80.0;
const NAME_X: f32 = MARGIN + SKU_W + 6.0;
const NAME_W: f32 = CONTENT - SKU_W - 6.0 - 34.0;

fn draw_rows(page: &mut Page, rows: &[Row<'_>]) {
    let right = WIDTH - MARGIN;
    let mut y = BODY_TOP;
    let mut previous = None;
    for row in rows {
        if starts_table(previous, row) {
            page.text_bold(MARGIN, y - 9.0, 7.0, "SKU");
            page.text_bold(NAME_X, y - 9.0, 7.0, "PRODUCT");
            text_right(page, Font::Bold, right, y - 9.0, 7.0, "QTY");
            page.line(MARGIN, y - 12.0, right, y - 12.0, 0.6);
            y -= HEADING;
        }
        match row {
            Row::ShipTo(lines) => {
                page.text_bold(MARGIN, y - 9.0, 7.0, "SHIP TO");
                for (i, line) in lines.iter().enumerate() {
                    let font = if i == 0 { Font::Bold } else { Font::Regular };
                    text_fit(page, font, MARGIN, y - 20.0 - 11.0 * i as f32, 9.5, CONTENT, line);
                }
            }
            Row::Line(line) => {
                text_fit(page, Font::Regular, MARGIN, y - 9.5, 8.5, SKU_W, &line.seller_sku);
                text_fit(page, Font::Regular, NAME_X, y - 9.5, 8.5, NAME_W, &line.name);
                text_right(page, Font::Bold, right, y - 9.5, 9.0, &line.qty.to_string());
            }
            Row::Total { units } => {
                page.line(MARGIN, y - 3.0, right, y - 3.0, 0.6);
                let noun = if *units == 1 { "unit" } else { "units" };
                text_right(page, Font::Bold, right, y - 14.0, 9.0, &format!("TOTAL {units} {noun}"));
            }
        }
        y -= row.height();
        previous = Some(row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{assert_barcode, assert_layout_fits, read};

    fn slip(lines: usize) -> PackingSlip {
        PackingSlip {
            order: "OC0000007042".into(),
            reference: "SHOP-2026-1203-17".into(),
            ship_to: vec![
                "Agnieszka Wójcik".into(),
                "ul. Piotrkowska 104/7".into(),
                "90-001 Łódź".into(),
                "POLAND".into(),
            ],
            lines: (0..lines)
                .map(|i| SlipLine {
                    seller_sku: format!("MUG-{i:03}"),
                    name: if i % 2 == 0 { "陶瓷马克杯 350ml".into() } else { "Hrnek Žižkov, keramika".into() },
                    qty: (i % 3 + 1) as i64,
                })
                .collect(),
        }
    }

    #[test]
    fn one_page_slip_shows_order_barcode_address_and_lines() {
        let s = slip(3);
        let pages = read(&packing_slip(&s).expect("renders"));
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert_eq!((page.width, page.height), (288.0, 432.0));
        assert_barcode(page, "OC0000007042");
        assert_layout_fits(page);
        for expected in [
            "PACKING SLIP",
            "page 1 / 1",
            "OC0000007042",
            "SHOP-2026-1203-17",
            "Agnieszka Wójcik",
            "ul. Piotrkowska 104/7",
            "90-001 Łódź",
            "POLAND",
            "MUG-000",
            "陶瓷马克杯 350ml",
            "Hrnek Žižkov, keramika",
            "TOTAL 6 units",
        ] {
            assert!(page.shows(expected), "missing {expected:?} in\n{}", page.text);
        }
    }

    #[test]
    fn long_slips_paginate_with_the_barcode_on_every_page() {
        let s = slip(45);
        let pages = read(&packing_slip(&s).expect("renders"));
        assert!(pages.len() >= 2, "{} pages", pages.len());
        let n = pages.len();
        let mut skus = 0;
        for (i, page) in pages.iter().enumerate() {
            assert_barcode(page, "OC0000007042");
            assert_layout_fits(page);
            assert!(page.shows(&format!("page {} / {n}", i + 1)), "{}", page.text);
            assert!(page.shows("SHOP-2026-1203-17"), "{}", page.text);
            assert!(page.shows("PRODUCT"), "headings repeated: {}", page.text);
            skus += page.words.iter().filter(|w| w.text.starts_with("MUG-")).count();
        }
        assert_eq!(skus, 45, "every line printed once");
        assert!(pages[0].shows("90-001 Łódź") && !pages[1].shows("90-001 Łódź"), "address on the first page only");
        assert!(pages[n - 1].shows("TOTAL 90 units"), "{}", pages[n - 1].text);
    }

    #[test]
    fn long_addresses_and_names_stay_on_the_page() {
        let mut s = slip(1);
        s.ship_to = (1..=9).map(|i| format!("Line {i}")).collect();
        s.ship_to.insert(2, "  ".into());
        s.lines[0].name = "陶瓷马克杯".repeat(20);
        s.reference.clear();
        let pages = read(&packing_slip(&s).expect("renders"));
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert_layout_fits(page);
        assert!(page.shows("Line 6, Line 7, Line 8, Line 9"), "{}", page.text);
        assert!(!page.text.contains("REFERENCE"), "{}", page.text);
        let name = page.text.lines().find(|l| l.contains("陶瓷马克杯")).expect("name");
        assert!(name.contains("..."), "{name}");
    }

    #[test]
    fn errors() {
        let mut s = slip(1);
        s.order = "OC-Ž1".into();
        assert_eq!(packing_slip(&s), Err(LabelError::UnsupportedChar { ch: 'Ž', position: 3 }));
        s.order = String::new();
        assert_eq!(packing_slip(&s), Err(LabelError::EmptyData));
        let mut s = slip(1);
        s.lines = vec![s.lines[0].clone(); MAX_ROWS + 1];
        assert_eq!(packing_slip(&s), Err(LabelError::TooLong));
    }
}
