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
/// roll printer outputs them ready to apply.
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
    Ok(doc.finish())
}

fn draw(doc: &mut PdfDocument, label: &SkuLabel, code: &Barcode) {
    let (width, height) = (mm(60.0), mm(30.0));
    let content = width - 2.0 * MARGIN;
    let page = doc.add_page(width, height);
    text_fit(page, Font::HelveticaBold, MARGIN, height - 11.0, 7.0, content, &label.seller_sku);
    text_fit(page, Font::Helvetica, MARGIN, height - 18.5, 6.0, content, &label.title);
    centred_barcode(page, code, MARGIN, width - MARGIN, 25.0, 36.0, 1.5);
    text_centred(page, Font::HelveticaBold, width / 2.0, 16.0, 8.0, content, code.text());
    if let Some(origin) = label.origin.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        let made_in = format!("MADE IN {}", origin.to_uppercase());
        text_centred(page, Font::Helvetica, width / 2.0, 7.0, 5.5, content, &made_in);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{assert_barcode, assert_layout_fits};
    use crate::pdf_check::parse;

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
        let pdf = parse(&sku_labels(&labels).expect("renders"));
        assert_eq!(pdf.pages.len(), 5);
        let ids: Vec<String> = pdf
            .pages
            .iter()
            .map(|p| {
                let page_text: Vec<String> = p.texts().into_iter().map(|t| t.text).collect();
                assert!(page_text.contains(&"MADE IN CHINA".to_owned()));
                assert!(page_text.iter().any(|t| t.starts_with("Stainless steel") && t.ends_with("...")));
                page_text.into_iter().find(|t| t.starts_with("MF")).expect("mfskuid text")
            })
            .collect();
        assert_eq!(ids, ["MF0001234", "MF0001234", "MF0001234", "MF0005678", "MF0005678"]);
        for (page, id) in pdf.pages.iter().zip(&ids) {
            assert!((page.media_box[2] - 170.08).abs() < 0.01);
            assert!((page.media_box[3] - 85.04).abs() < 0.01);
            assert_barcode(page, id);
            assert_layout_fits(page);
            assert!(page.texts().iter().any(|t| t.text == format!("SELLER-{id}")));
        }
    }

    #[test]
    fn origin_is_optional() {
        let mut l = label("MF1", 1);
        l.origin = None;
        let pdf = parse(&sku_labels(&[l]).expect("renders"));
        assert!(!pdf.text().contains("MADE IN"));
        assert_barcode(&pdf.pages[0], "MF1");
    }

    #[test]
    fn errors() {
        assert_eq!(
            sku_labels(&[label("MF1", 1), label("MFé", 1)]),
            Err(LabelError::UnsupportedChar { ch: 'é', position: 2 })
        );
        assert_eq!(sku_labels(&[label("MF1", u32::MAX), label("MF2", u32::MAX)]), Err(LabelError::TooLong));
        let empty = parse(&sku_labels(&[]).expect("renders"));
        assert_eq!(empty.pages.len(), 0);
    }
}
