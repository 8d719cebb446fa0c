//! Product labels (60 x 30 mm) that sellers stick on each unit before
//! sending stock in, so the warehouse can scan every item to its SKU.

use super::{centred_barcode, mm, text_centred, text_fit, MAX_PAGES};
use crate::code128::{encode, Barcode};
use crate::error::LabelError;
use crate::fonts::Font;
use crate::pdf::PdfDocument;

const MARGIN: f32 = 5.0;

/// One product to label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkuLabel {
    /// The warehouse's SKU id: what scanners read, so it is the barcode.
    pub mfskuid: String,
    /// The seller's own SKU, printed for the seller's staff.
    pub seller_sku: String,
    /// Product title; truncated to one line.
    pub title: String,
    /// Country of origin, printed as "MADE IN ..." when customs need it.
    pub origin: Option<String>,
    /// Number of identical labels (pages) to print; zero prints none.
    pub copies: u32,
}

/// Renders one 60 x 30 mm page per copy of each label, in input order, so a
/// roll printer outputs them ready to apply (nothing to print: one blank
/// page, as a PDF needs one).
///
/// Fails if an `mfskuid` is not encodable as Code128, or if the total number
/// of pages would exceed [`MAX_PAGES`].
pub fn sku_labels(labels: &[SkuLabel]) -> Result<Vec<u8>, LabelError> {
    let total: u64 = labels.iter().map(|l| u64::from(l.copies)).sum();
    if total > MAX_PAGES as u64 {
        return Err(LabelError::TooLong);
    }
    // Encode everything first so a bad id fails before any work is done.
    let codes = labels.iter().map(|l| encode(&l.mfskuid)).collect::<Result<Vec<_>, _>>()?;
    let mut doc = PdfDocument::new();
    for (label, code) in labels.iter().zip(&codes) {
        for _ in 0..label.copies {
            draw(&mut doc, label, code);
        }
    }
    doc.finish()
}

fn draw(doc: &mut PdfDocument, label: &SkuLabel, code: &Barcode) {
    let (width, height) = (mm(60.0), mm(30.0));
    let content = width - 2.0 * MARGIN;
    let page = doc.add_page(width, height);
    text_fit(page, Font::Bold, MARGIN, height - 11.0, 7.0, content, &label.seller_sku);
    text_fit(page, Font::Regular, MARGIN, height - 18.5, 6.0, content, &label.title);
    centred_barcode(page, code, MARGIN, width - MARGIN, 25.0, 36.0, 1.5);
    text_centred(page, Font::Bold, width / 2.0, 16.0, 8.0, content, code.text());
    if let Some(origin) = label.origin.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        let made_in = format!("MADE IN {}", origin.to_uppercase());
        text_centred(page, Font::Regular, width / 2.0, 7.0, 5.5, content, &made_in);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{assert_barcode, assert_layout_fits, read};

    fn label(id: &str, copies: u32) -> SkuLabel {
        SkuLabel {
            mfskuid: id.into(),
            seller_sku: format!("SELLER-{id}"),
            title: "Stainless steel water bottle, 750 ml, matte black with bamboo lid".into(),
            origin: Some("China".into()),
            copies,
        }
    }

    #[test]
    fn copies_repeat_pages_in_order() {
        let labels = [label("MF0001234", 3), label("MF0009999", 0), label("MF0005678", 2)];
        let pages = read(&sku_labels(&labels).expect("renders"));
        assert_eq!(pages.len(), 5);
        let ids: Vec<String> = pages.iter().map(|p| p.barcodes.first().cloned().expect("a barcode")).collect();
        assert_eq!(ids, ["MF0001234", "MF0001234", "MF0001234", "MF0005678", "MF0005678"]);
        for (page, id) in pages.iter().zip(&ids) {
            assert!((page.width - 170.08).abs() < 0.01 && (page.height - 85.04).abs() < 0.01);
            assert_barcode(page, id);
            assert_layout_fits(page);
            assert!(page.shows(id), "{id} printed under its barcode: {}", page.text);
            assert!(page.shows(&format!("SELLER-{id}")), "{}", page.text);
            assert!(page.shows("MADE IN CHINA"), "{}", page.text);
            let title = page.text.lines().find(|l| l.starts_with("Stainless steel")).expect("title");
            assert!(title.ends_with("..."), "{title}");
        }
    }

    /// A Chinese product name prints in the embedded CJK font and comes back out exactly.
    #[test]
    fn chinese_product_names_print_exactly() {
        let mut l = label("MF0004242", 1);
        l.title = "陶瓷杯 350ml 白色".into();
        l.seller_sku = "杯-001".into();
        let pages = read(&sku_labels(&[l]).expect("renders"));
        assert!(pages[0].shows("陶瓷杯 350ml 白色"), "{}", pages[0].text);
        assert!(pages[0].shows("杯-001"), "{}", pages[0].text);
        assert_barcode(&pages[0], "MF0004242");
        assert_layout_fits(&pages[0]);
    }

    #[test]
    fn origin_is_optional() {
        let mut l = label("MF1", 1);
        l.origin = None;
        let pages = read(&sku_labels(&[l]).expect("renders"));
        assert!(!pages[0].text.contains("MADE IN"));
        assert_barcode(&pages[0], "MF1");
    }

    #[test]
    fn errors() {
        assert_eq!(
            sku_labels(&[label("MF1", 1), label("MFé", 1)]),
            Err(LabelError::UnsupportedChar { ch: 'é', position: 2 })
        );
        assert_eq!(sku_labels(&[label("MF1", u32::MAX), label("MF2", u32::MAX)]), Err(LabelError::TooLong));
        // Nothing to print is one blank page: a PDF needs a page.
        let empty = read(&sku_labels(&[]).expect("renders"));
        assert_eq!(empty.len(), 1);
        assert!(empty[0].words.is_empty() && empty[0].barcodes.is_empty());
    }
}
