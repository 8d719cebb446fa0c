//! The paper pick list of a wave (A4 portrait), for warehouses without
//! handhelds: the picker walks the lines in order, drops each item in its
//! tote and ticks the box. Scanning the header barcode opens the same list on
//! a handheld, so paper and scanner can be mixed on one wave.

use super::{
    a4, page_of, paginate, sheet_header, starts_table, text_centred, text_fit, text_right, SheetRow, MAX_PAGES,
    MAX_ROWS, SHEET_MARGIN as M,
};
use crate::code128::encode;
use crate::error::LabelError;
use crate::fonts::Font;
use crate::pdf::{Page, PdfDocument};

/// Height of a table's column headings.
const HEADING: f32 = 18.0;
/// Totes printed side by side, so a full cart's totes take a few rows.
const TOTE_COLUMNS: usize = 2;

/// A pick list as printed; the time comes pre-formatted so the crate stays
/// free of time zones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PickListDoc {
    /// Warehouse code, printed large.
    pub warehouse: String,
    /// The list's id: the header barcode, which opens the list on a handheld.
    pub list_id: String,
    /// What the list is, e.g. "Wave 3 · list 2 · GBDomesticStandard · zone A".
    pub title: String,
    /// When it was printed, in the warehouse's local time.
    pub printed_at: String,
    /// Which order rides in which tote.
    pub totes: Vec<PickTote>,
    /// The lines to pick, already in walk order.
    pub lines: Vec<PickLine>,
}

/// One tote of the cart and the order it collects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PickTote {
    /// Tote number on the cart.
    pub tote: i64,
    /// The order number (e.g. the OC number) packers look up.
    pub order: String,
    /// The seller's reference of the order.
    pub reference: String,
}

/// One stop of the walk: take `qty` of `sku` from `bin` into `tote`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PickLine {
    /// Location code, printed large: it is what the picker looks for.
    pub bin: String,
    /// The warehouse's SKU id (MFSKUID), as on the item's label.
    pub sku: String,
    /// The seller's own SKU.
    pub seller_sku: String,
    /// Product name (any script); truncated to its column.
    pub name: String,
    /// Tote the items go into.
    pub tote: i64,
    /// Units to pick.
    pub qty: i64,
}

/// Renders the list on A4 pages, header (with the list barcode) repeated on
/// each, then the totes and the lines in walk order, ending with the count of
/// lines and units.
///
/// Fails if the list id is not encodable as Code128, or past 5,000 lines (or
/// totes) or [`MAX_PAGES`] pages.
pub fn pick_list(doc: &PickListDoc) -> Result<Vec<u8>, LabelError> {
    if doc.lines.len() > MAX_ROWS || doc.totes.len() > MAX_ROWS {
        return Err(LabelError::TooLong);
    }
    let code = encode(&doc.list_id)?;
    let units = doc.lines.iter().fold(0i64, |acc, l| acc.saturating_add(l.qty));
    let rows = doc
        .totes
        .chunks(TOTE_COLUMNS)
        .map(Row::Totes)
        .chain((!doc.totes.is_empty()).then_some(Row::Gap))
        .chain(doc.lines.iter().map(Row::Line))
        .chain([Row::Total { lines: doc.lines.len(), units }]);
    let (width, height) = a4();
    let room = height - 98.0 - 2.0 * M;
    let pages = paginate(rows, HEADING, room);
    if pages.len() > MAX_PAGES {
        return Err(LabelError::TooLong);
    }
    let mut pdf = PdfDocument::new();
    for (i, rows) in pages.iter().enumerate() {
        let page = pdf.add_page(width, height);
        let small = [format!("Printed {}", doc.printed_at.trim()), page_of(i + 1, pages.len())];
        let y = sheet_header(page, &doc.warehouse, [&small[0], &small[1]], &doc.title, &code);
        draw_rows(page, rows, y);
    }
    pdf.finish()
}

/// What the body of a page is made of.
enum Row<'a> {
    /// Up to [`TOTE_COLUMNS`] totes side by side.
    Totes(&'a [PickTote]),
    /// Space between the tote table and the lines.
    Gap,
    Line(&'a PickLine),
    Total {
        lines: usize,
        units: i64,
    },
}

impl SheetRow for Row<'_> {
    fn height(&self) -> f32 {
        match self {
            Row::Totes(_) => 16.0,
            Row::Gap => 14.0,
            Row::Line(_) => 24.0,
            Row::Total { .. } => 24.0,
        }
    }

    fn table(&self) -> Option<u8> {
        match self {
            Row::Totes(_) => Some(0),
            Row::Line(_) => Some(1),
            Row::Gap | Row::Total { .. } => None,
        }
    }
}

// Line table columns: x from the left margin.
const BIN_W: f32 = 100.0;
const SKU_X: f32 = 104.0;
const SELLER_X: f32 = 200.0;
const NAME_X: f32 = 296.0;
const CODE_W: f32 = 92.0;
const NAME_W: f32 = 148.0;
const TOTE_CX: f32 = 463.0;
const QTY_R: f32 = 506.0;
const BOX: f32 = 15.0;

fn draw_rows(page: &mut Page, rows: &[Row<'_>], mut y: f32) {
    let right = page.width() - M;
    let mut previous = None;
    for row in rows {
        if starts_table(previous, row) {
            heading(page, row, y, right);
            y -= HEADING;
        }
        let top = y;
        match row {
            Row::Totes(totes) => {
                let column = (right - M + 12.0) / TOTE_COLUMNS as f32;
                for (i, tote) in totes.iter().enumerate() {
                    let x = M + i as f32 * column;
                    text_right(page, Font::Bold, x + 28.0, top - 12.0, 11.0, &tote.tote.to_string());
                    text_fit(page, Font::Bold, x + 36.0, top - 12.0, 9.0, 104.0, &tote.order);
                    text_fit(page, Font::Regular, x + 144.0, top - 12.0, 9.0, column - 156.0, &tote.reference);
                }
                page.line(M, top - 16.0, right, top - 16.0, 0.3);
            }
            Row::Gap => {}
            Row::Line(line) => {
                text_fit(page, Font::Bold, M, top - 16.0, 13.0, BIN_W, &line.bin);
                text_fit(page, Font::Regular, M + SKU_X, top - 15.5, 9.0, CODE_W, &line.sku);
                text_fit(page, Font::Regular, M + SELLER_X, top - 15.5, 9.0, CODE_W, &line.seller_sku);
                text_fit(page, Font::Regular, M + NAME_X, top - 15.5, 9.0, NAME_W, &line.name);
                text_centred(page, Font::Bold, M + TOTE_CX, top - 16.0, 12.0, 30.0, &line.tote.to_string());
                text_right(page, Font::Bold, M + QTY_R, top - 16.0, 13.0, &line.qty.to_string());
                tick_box(page, right - BOX, top - 19.5);
                page.line(M, top - 24.0, right, top - 24.0, 0.3);
            }
            Row::Total { lines, units } => {
                let noun = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
                let lines = i64::try_from(*lines).unwrap_or(i64::MAX);
                let total = format!("TOTAL {}, {}", noun(lines, "line", "lines"), noun(*units, "unit", "units"));
                page.text_bold(M, top - 17.0, 10.0, &total);
            }
        }
        y -= row.height();
        previous = Some(row);
    }
}

fn heading(page: &mut Page, row: &Row<'_>, top: f32, right: f32) {
    let baseline = top - 11.0;
    match row {
        Row::Totes(_) => {
            let column = (right - M + 12.0) / TOTE_COLUMNS as f32;
            for i in 0..TOTE_COLUMNS {
                let x = M + i as f32 * column;
                text_right(page, Font::Bold, x + 28.0, baseline, 7.5, "TOTE");
                page.text_bold(x + 36.0, baseline, 7.5, "ORDER");
                page.text_bold(x + 144.0, baseline, 7.5, "REFERENCE");
            }
        }
        _ => {
            page.text_bold(M, baseline, 7.5, "BIN");
            page.text_bold(M + SKU_X, baseline, 7.5, "SKU");
            page.text_bold(M + SELLER_X, baseline, 7.5, "SELLER SKU");
            page.text_bold(M + NAME_X, baseline, 7.5, "NAME");
            text_centred(page, Font::Bold, M + TOTE_CX, baseline, 7.5, 30.0, "TOTE");
            text_right(page, Font::Bold, M + QTY_R, baseline, 7.5, "QTY");
            text_right(page, Font::Bold, right, baseline, 7.5, "OK");
        }
    }
    page.line(M, top - HEADING + 2.0, right, top - HEADING + 2.0, 0.8);
}

/// An empty square for the picker's tick.
fn tick_box(page: &mut Page, x: f32, y: f32) {
    let (r, t) = (x + BOX, y + BOX);
    page.line(x, y, r, y, 0.8);
    page.line(r, y, r, t, 0.8);
    page.line(r, t, x, t, 0.8);
    page.line(x, t, x, y, 0.8);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{assert_barcode, assert_layout_fits, read};

    const LIST_ID: &str = "pkl_01JQ8XD5M3TVK2B7N9P4R6W8YZ";

    fn doc(lines: usize) -> PickListDoc {
        let totes = (1..=6)
            .map(|t| PickTote { tote: t, order: format!("OC{:010}", 4_200 + t), reference: format!("SHOP-{t:04}") })
            .collect();
        let lines = (0..lines)
            .map(|i| PickLine {
                bin: format!("A-{:02}-{:02}-{}", i / 20 + 1, i % 20 + 1, i % 4 + 1),
                sku: format!("MF{:07}", 1_000 + i),
                seller_sku: format!("MUG-{i:03}"),
                name: if i % 2 == 0 {
                    "陶瓷马克杯 350ml".into()
                } else {
                    "Kubek ceramiczny Łódź, biały".into()
                },
                tote: (i % 6 + 1) as i64,
                qty: (i % 3 + 1) as i64,
            })
            .collect();
        PickListDoc {
            warehouse: "UK1".into(),
            list_id: LIST_ID.into(),
            title: "Wave 3 · list 2 · GBDomesticStandard · zone A".into(),
            printed_at: "2026-12-03 14:05 Europe/London".into(),
            totes,
            lines,
        }
    }

    #[test]
    fn one_page_list_shows_header_totes_and_lines() {
        let list = doc(5);
        let pages = read(&pick_list(&list).expect("renders"));
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert!((page.width - 595.28).abs() < 0.01 && (page.height - 841.89).abs() < 0.01, "A4");
        assert_barcode(page, LIST_ID);
        assert_layout_fits(page);
        for expected in [
            "UK1",
            "Wave 3 · list 2 · GBDomesticStandard · zone A",
            "Printed 2026-12-03 14:05 Europe/London",
            "page 1 / 1",
            LIST_ID,
            "OC0000004201",
            "SHOP-0001",
            "OC0000004206",
            "A-01-01-1",
            "MF0001000",
            "MUG-000",
            "陶瓷马克杯 350ml",
            "Kubek ceramiczny Łódź, biały",
            "TOTAL 5 lines, 9 units",
        ] {
            assert!(page.shows(expected), "missing {expected:?} in\n{}", page.text);
        }
        // Walk order is kept: bins come out top to bottom as given.
        let bins: Vec<&str> = page.words.iter().filter(|w| w.text.starts_with("A-")).map(|w| w.text.as_str()).collect();
        assert_eq!(bins, ["A-01-01-1", "A-01-02-2", "A-01-03-3", "A-01-04-4", "A-01-05-1"]);
    }

    #[test]
    fn long_lists_paginate_with_the_header_on_every_page() {
        let list = doc(60);
        let pages = read(&pick_list(&list).expect("renders"));
        assert!(pages.len() >= 2, "{} pages", pages.len());
        let n = pages.len();
        let mut bins = 0;
        for (i, page) in pages.iter().enumerate() {
            assert_barcode(page, LIST_ID);
            assert_layout_fits(page);
            for expected in ["UK1", "Wave 3 · list 2 · GBDomesticStandard · zone A", &format!("page {} / {n}", i + 1)]
            {
                assert!(page.shows(expected), "page {}: missing {expected:?} in\n{}", i + 1, page.text);
            }
            // Each page names the columns of the lines it carries.
            assert!(page.shows("SELLER SKU"), "page {}: {}", i + 1, page.text);
            bins += page.words.iter().filter(|w| w.text.starts_with("A-")).count();
        }
        assert_eq!(bins, 60, "every line printed once");
        assert!(pages[n - 1].shows("TOTAL 60 lines, 120 units"), "{}", pages[n - 1].text);
        // Totes are listed once, before the lines.
        assert!(pages[0].shows("OC0000004203") && !pages[1].text.contains("OC0000004203"));
    }

    #[test]
    fn long_names_are_truncated_and_empty_lists_still_print() {
        let mut list = doc(1);
        list.lines[0].name = "陶瓷马克杯 ".repeat(20);
        list.lines[0].bin = "MEZZANINE-RACK-0042-LEVEL-7".into();
        let pages = read(&pick_list(&list).expect("renders"));
        assert_layout_fits(&pages[0]);
        let name = pages[0].text.lines().find(|l| l.contains("陶瓷马克杯")).expect("name");
        assert!(name.contains("..."), "{name}");

        list.lines.clear();
        list.totes.clear();
        let pages = read(&pick_list(&list).expect("renders"));
        assert_eq!(pages.len(), 1);
        assert_barcode(&pages[0], LIST_ID);
        assert!(pages[0].shows("TOTAL 0 lines, 0 units"), "{}", pages[0].text);
    }

    #[test]
    fn errors() {
        let mut list = doc(1);
        list.list_id = "pkl_é".into();
        assert_eq!(pick_list(&list), Err(LabelError::UnsupportedChar { ch: 'é', position: 4 }));
        list.list_id = String::new();
        assert_eq!(pick_list(&list), Err(LabelError::EmptyData));
        let mut list = doc(1);
        list.lines = vec![list.lines[0].clone(); MAX_ROWS + 1];
        assert_eq!(pick_list(&list), Err(LabelError::TooLong));
        let mut list = doc(0);
        list.totes = vec![list.totes[0].clone(); MAX_ROWS + 1];
        assert_eq!(pick_list(&list), Err(LabelError::TooLong));
    }
}
