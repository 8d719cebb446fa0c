//! Shipping marks for inbound cartons (100 x 100 mm): what the receiving
//! team scans at the dock and reads to check a box's contents.

use super::{centred_barcode, mm, text_centred, text_fit, text_right, MAX_PAGES};
use crate::code128::{encode, Barcode};
use crate::error::LabelError;
use crate::fonts::{fit_text, text_width, Font};
use crate::pdf::{Page, PdfDocument};

const MARGIN: f32 = 12.0;
/// Content rows that fit the table; longer lists end with "+N more".
const MAX_ROWS: usize = 8;

/// One carton of an inbound shipment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CartonMark {
    /// Unique carton id; the barcode scanned at receiving.
    pub carton_number: String,
    /// The inbound (ASN) the carton belongs to.
    pub inbound_number: String,
    /// Position of this carton in the shipment, from 1.
    pub box_index: u32,
    /// Number of cartons in the shipment; 0 if unknown.
    pub box_total: u32,
    /// Destination warehouse code, printed large for the dock.
    pub warehouse: String,
    /// Destination warehouse address, one line.
    pub warehouse_address: String,
    /// SKUs in the carton with their quantities.
    pub lines: Vec<(String, u64)>,
}

/// Renders one 100 x 100 mm page per carton, in input order (no cartons: one
/// blank page, as a PDF needs one).
///
/// Fails if a carton number is not encodable as Code128 or if there are more
/// than [`MAX_PAGES`] cartons.
pub fn carton_marks(marks: &[CartonMark]) -> Result<Vec<u8>, LabelError> {
    if marks.len() > MAX_PAGES {
        return Err(LabelError::TooLong);
    }
    let codes = marks.iter().map(|m| encode(&m.carton_number)).collect::<Result<Vec<_>, _>>()?;
    let mut doc = PdfDocument::new();
    for (mark, code) in marks.iter().zip(&codes) {
        draw(doc.add_page(mm(100.0), mm(100.0)), mark, code);
    }
    doc.finish()
}

fn draw(page: &mut Page, mark: &CartonMark, code: &Barcode) {
    let (width, height) = (page.width(), page.height());
    let right = width - MARGIN;
    let content = width - 2.0 * MARGIN;

    let box_label = if mark.box_total > 0 {
        format!("BOX {} / {}", mark.box_index, mark.box_total)
    } else {
        format!("BOX {}", mark.box_index)
    };
    text_right(page, Font::Bold, right, height - 26.0, 16.0, &box_label);
    let box_width = text_width(&box_label, Font::Bold, 16.0);
    let warehouse_width = content - box_width - 10.0;
    text_fit(page, Font::Bold, MARGIN, height - 26.0, 16.0, warehouse_width, &mark.warehouse);
    text_fit(page, Font::Regular, MARGIN, height - 38.0, 7.0, content, &mark.warehouse_address);
    let inbound = format!("INBOUND {}", mark.inbound_number);
    text_fit(page, Font::Bold, MARGIN, height - 53.0, 11.0, content, &inbound);
    page.line(6.0, height - 61.0, width - 6.0, height - 61.0, 1.0);

    centred_barcode(page, code, MARGIN, right, 146.0, 66.0, 2.5);
    text_centred(page, Font::Bold, width / 2.0, 132.0, 12.0, content, code.text());
    page.line(6.0, 124.0, width - 6.0, 124.0, 1.0);

    contents_table(page, &mark.lines, right, content);
}

fn contents_table(page: &mut Page, lines: &[(String, u64)], right: f32, content: f32) {
    page.text_bold(MARGIN, 113.0, 8.0, "SKU");
    text_right(page, Font::Bold, right, 113.0, 8.0, "QTY");
    page.line(MARGIN, 109.0, right, 109.0, 0.5);
    let shown = if lines.len() > MAX_ROWS { MAX_ROWS - 1 } else { lines.len() };
    let mut y = 99.0;
    for (sku, qty) in &lines[..shown] {
        let qty = qty.to_string();
        let sku = fit_text(sku, Font::Regular, 8.0, content - 60.0);
        page.text(MARGIN, y, 8.0, &sku);
        text_right(page, Font::Regular, right, y, 8.0, &qty);
        y -= 10.0;
    }
    let hidden = &lines[shown..];
    if !hidden.is_empty() {
        let units: u64 = hidden.iter().fold(0, |acc, (_, q)| acc.saturating_add(*q));
        page.text(MARGIN, y, 8.0, &format!("+{} more", hidden.len()));
        text_right(page, Font::Regular, right, y, 8.0, &units.to_string());
    }
    page.line(MARGIN, 23.5, right, 23.5, 0.5);
    let total: u64 = lines.iter().fold(0, |acc, (_, q)| acc.saturating_add(*q));
    let skus = if lines.len() == 1 { "SKU" } else { "SKUs" };
    page.text_bold(MARGIN, 13.0, 8.0, &format!("TOTAL ({} {skus})", lines.len()));
    text_right(page, Font::Bold, right, 13.0, 8.0, &total.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{assert_barcode, assert_layout_fits, read};

    fn mark(index: u32, skus: usize) -> CartonMark {
        CartonMark {
            carton_number: format!("IB2405170001-C{index:03}"),
            inbound_number: "IB2405170001".into(),
            box_index: index,
            box_total: 3,
            warehouse: "FR-LEH-1".into(),
            warehouse_address: "12 rue des Docks, 76600 Le Havre, France".into(),
            lines: (1..=skus).map(|i| (format!("MF{i:07}"), i as u64 * 10)).collect(),
        }
    }

    #[test]
    fn one_page_per_carton_with_barcode_and_texts() {
        let marks = [mark(1, 2), mark(2, 8), mark(3, 11)];
        let pages = read(&carton_marks(&marks).expect("renders"));
        assert_eq!(pages.len(), 3);
        for (page, m) in pages.iter().zip(&marks) {
            assert!((page.width - 283.46).abs() < 0.01);
            assert_barcode(page, &m.carton_number);
            assert_layout_fits(page);
            for expected in [
                format!("BOX {} / 3", m.box_index),
                "INBOUND IB2405170001".to_owned(),
                "FR-LEH-1".to_owned(),
                "12 rue des Docks, 76600 Le Havre, France".to_owned(),
                m.carton_number.clone(),
            ] {
                assert!(page.shows(&expected), "missing {expected:?} in {}", page.text);
            }
        }
        let rows = |i: usize| pages[i].words.iter().filter(|w| w.text.starts_with("MF")).count();
        assert_eq!((rows(0), rows(1), rows(2)), (2, 8, 7));
        let last = &pages[2];
        assert!(last.shows("+4 more"), "{}", last.text);
        // Hidden rows 8..=11 hold 80+90+100+110 units; all 11 hold 660.
        assert!(last.shows("380"));
        assert!(last.shows("TOTAL (11 SKUs)"));
        assert!(last.shows("660"));
    }

    #[test]
    fn unknown_total_and_empty_contents() {
        let mut m = mark(4, 0);
        m.box_total = 0;
        let pages = read(&carton_marks(&[m]).expect("renders"));
        assert!(pages[0].shows("BOX 4"), "{}", pages[0].text);
        assert!(!pages[0].text.contains("BOX 4 /"));
        assert!(pages[0].shows("TOTAL (0 SKUs)"));
    }

    #[test]
    fn errors() {
        let mut m = mark(1, 1);
        m.carton_number = String::new();
        assert_eq!(carton_marks(&[m]), Err(LabelError::EmptyData));
        assert_eq!(carton_marks(&vec![mark(1, 0); MAX_PAGES + 1]), Err(LabelError::TooLong));
        // Nothing to print is one blank page: a PDF needs a page.
        let empty = read(&carton_marks(&[]).expect("renders"));
        assert_eq!(empty.len(), 1);
        assert!(empty[0].words.is_empty() && empty[0].barcodes.is_empty());
    }
}
