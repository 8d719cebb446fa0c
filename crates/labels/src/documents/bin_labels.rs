//! Bin labels (100 x 50 mm): stuck on a shelf so staff scan the location when they put away,
//! pick or count. The code is the barcode and is printed large under it.

use super::{centred_barcode, mm, text_centred, MAX_PAGES};
use crate::code128::{encode, Barcode};
use crate::error::LabelError;
use crate::fonts::Font;
use crate::pdf::PdfDocument;

const MARGIN: f32 = 8.0;

/// One location to label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BinLabel {
    /// The location code (`A-01-02-3`): what scanners read.
    pub code: String,
    /// A line under it for people (`zone A · pick face`); may be empty.
    pub caption: String,
}

/// Renders one 100 x 50 mm page per location, in input order.
///
/// Fails if a code is not encodable as Code128, or past [`MAX_PAGES`] labels.
pub fn bin_labels(labels: &[BinLabel]) -> Result<Vec<u8>, LabelError> {
    if labels.len() > MAX_PAGES {
        return Err(LabelError::TooLong);
    }
    let codes = labels.iter().map(|l| encode(&l.code)).collect::<Result<Vec<_>, _>>()?;
    let mut doc = PdfDocument::new();
    for (label, code) in labels.iter().zip(&codes) {
        draw(&mut doc, label, code);
    }
    doc.finish()
}

fn draw(doc: &mut PdfDocument, label: &BinLabel, code: &Barcode) {
    let (width, height) = (mm(100.0), mm(50.0));
    let content = width - 2.0 * MARGIN;
    let page = doc.add_page(width, height);
    centred_barcode(page, code, MARGIN, width - MARGIN, 62.0, 70.0, 3.0);
    text_centred(page, Font::Bold, width / 2.0, 30.0, 24.0, content, code.text());
    if !label.caption.trim().is_empty() {
        text_centred(page, Font::Regular, width / 2.0, 12.0, 9.0, content, label.caption.trim());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{assert_barcode, assert_layout_fits, read};

    fn label(code: &str) -> BinLabel {
        BinLabel { code: code.into(), caption: "zone A - pick face".into() }
    }

    #[test]
    fn one_page_per_bin_with_its_code_as_barcode() {
        let pages = read(&bin_labels(&[label("A-01-02-3"), label("R-12")]).expect("renders"));
        assert_eq!(pages.len(), 2);
        for (page, code) in pages.iter().zip(["A-01-02-3", "R-12"]) {
            assert!((page.width - 283.46).abs() < 0.01, "{}", page.width);
            assert_barcode(page, code);
            assert_layout_fits(page);
            assert!(page.shows(code), "{code} printed under its barcode: {}", page.text);
        }
    }

    #[test]
    fn errors() {
        assert_eq!(
            bin_labels(&[label("A-1"), label("Ä-1")]),
            Err(LabelError::UnsupportedChar { ch: 'Ä', position: 0 })
        );
        assert_eq!(bin_labels(&vec![label("A"); MAX_PAGES + 1]), Err(LabelError::TooLong));
    }
}
