//! A carrier's end-of-day manifest (A4 portrait): the list of parcels handed
//! to the driver, who scans each row's barcode and signs the last page, so the
//! hand-over is on paper when a parcel goes missing.

use super::{
    a4, centred_barcode, page_of, paginate, sheet_header, starts_table, text_centred, text_fit, text_right, SheetRow,
    MAX_PAGES, MAX_ROWS, SHEET_MARGIN as M,
};
use crate::code128::{encode, Barcode};
use crate::error::LabelError;
use crate::fonts::Font;
use crate::pdf::{Page, PdfDocument};

/// Height of the parcel table's column headings.
const HEADING: f32 = 18.0;

/// A manifest as printed; times come pre-formatted so the crate stays free
/// of time zones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestDoc {
    /// Warehouse code the parcels leave from.
    pub warehouse: String,
    /// Carrier display name, printed large for the driver.
    pub carrier: String,
    /// The collection day, already formatted.
    pub day: String,
    /// The manifest's id: the header barcode.
    pub manifest_id: String,
    /// When the manifest was closed, in the warehouse's local time.
    pub closed_at: String,
    /// The parcels handed over, one row each.
    pub parcels: Vec<ManifestParcel>,
}

/// One parcel of the manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestParcel {
    /// The carrier's tracking number: the row's barcode. Empty when the
    /// carrier gives none; the order number is printed as the barcode then.
    pub tracking_number: String,
    /// The order number the parcel ships.
    pub order: String,
    /// Recipient's name.
    pub recipient: String,
    /// Recipient's postcode.
    pub postcode: String,
    /// Recipient's country (ISO code).
    pub country: String,
    /// Weight as declared to the carrier.
    pub weight_g: i64,
}

/// Renders the manifest on A4 pages: the header (with the manifest barcode)
/// on each, one row per parcel with its tracking barcode, then the totals and
/// the driver's signature block.
///
/// Fails if the manifest id or a parcel's barcode (tracking number, or order
/// number without one) is not encodable as Code128, or past 5,000 parcels.
pub fn manifest(doc: &ManifestDoc) -> Result<Vec<u8>, LabelError> {
    if doc.parcels.len() > MAX_ROWS {
        return Err(LabelError::TooLong);
    }
    let code = encode(&doc.manifest_id)?;
    let codes = doc.parcels.iter().map(|p| encode(parcel_barcode(p))).collect::<Result<Vec<_>, _>>()?;
    let weight = doc.parcels.iter().fold(0i64, |acc, p| acc.saturating_add(p.weight_g));
    let rows = doc
        .parcels
        .iter()
        .zip(&codes)
        .enumerate()
        .map(|(i, (parcel, code))| Row::Parcel { number: i + 1, parcel, code })
        .chain([Row::Closing { parcels: doc.parcels.len(), weight_g: weight }]);
    let (width, height) = a4();
    let room = height - 98.0 - 2.0 * M;
    let pages = paginate(rows, HEADING, room);
    if pages.len() > MAX_PAGES {
        return Err(LabelError::TooLong);
    }
    let title = format!("MANIFEST {}", doc.day.trim());
    let mut pdf = PdfDocument::new();
    for (i, rows) in pages.iter().enumerate() {
        let page = pdf.add_page(width, height);
        let small = [
            format!("Warehouse {} · closed {}", doc.warehouse.trim(), doc.closed_at.trim()),
            page_of(i + 1, pages.len()),
        ];
        let y = sheet_header(page, &doc.carrier, [&small[0], &small[1]], &title, &code);
        draw_rows(page, rows, y);
    }
    pdf.finish()
}

/// What the driver scans: the tracking number, or the order number if the
/// carrier gave none.
fn parcel_barcode(parcel: &ManifestParcel) -> &str {
    if parcel.tracking_number.trim().is_empty() {
        &parcel.order
    } else {
        &parcel.tracking_number
    }
}

enum Row<'a> {
    Parcel {
        number: usize,
        parcel: &'a ManifestParcel,
        code: &'a Barcode,
    },
    /// Totals and the driver's signature, kept together: the driver signs for the count.
    Closing {
        parcels: usize,
        weight_g: i64,
    },
}

impl SheetRow for Row<'_> {
    fn height(&self) -> f32 {
        match self {
            // Bars 26 pt tall (9 mm): handheld scanners read them at arm's length.
            Row::Parcel { .. } => 46.0,
            Row::Closing { .. } => 150.0,
        }
    }

    fn table(&self) -> Option<u8> {
        match self {
            Row::Parcel { .. } => Some(0),
            Row::Closing { .. } => None,
        }
    }
}

// Parcel table columns: x from the left margin.
const NUMBER_R: f32 = 20.0;
const BARS_X: f32 = 26.0;
const BARS_W: f32 = 180.0;
const ORDER_X: f32 = 212.0;
const RECIPIENT_X: f32 = 306.0;
const POSTCODE_X: f32 = 412.0;
const COUNTRY_X: f32 = 464.0;

fn draw_rows(page: &mut Page, rows: &[Row<'_>], mut y: f32) {
    let right = page.width() - M;
    let mut previous = None;
    for row in rows {
        if starts_table(previous, row) {
            heading(page, y, right);
            y -= HEADING;
        }
        match row {
            Row::Parcel { number, parcel, code } => {
                let baseline = y - 20.0;
                text_right(page, Font::Regular, M + NUMBER_R, baseline, 9.0, &number.to_string());
                centred_barcode(page, code, M + BARS_X, M + BARS_X + BARS_W, y - 31.0, 26.0, 1.5);
                let under = M + BARS_X + BARS_W / 2.0;
                text_centred(page, Font::Regular, under, y - 40.0, 8.0, BARS_W, code.text());
                text_fit(page, Font::Bold, M + ORDER_X, baseline, 9.0, RECIPIENT_X - ORDER_X - 4.0, &parcel.order);
                let recipient_w = POSTCODE_X - RECIPIENT_X - 4.0;
                text_fit(page, Font::Regular, M + RECIPIENT_X, baseline, 9.0, recipient_w, &parcel.recipient);
                text_fit(
                    page,
                    Font::Regular,
                    M + POSTCODE_X,
                    baseline,
                    9.0,
                    COUNTRY_X - POSTCODE_X - 4.0,
                    &parcel.postcode,
                );
                text_fit(page, Font::Regular, M + COUNTRY_X, baseline, 9.0, 22.0, &parcel.country.to_uppercase());
                text_right(page, Font::Regular, right, baseline, 9.0, &kg(parcel.weight_g));
                page.line(M, y - 46.0, right, y - 46.0, 0.3);
            }
            Row::Closing { parcels, weight_g } => {
                let noun = if *parcels == 1 { "parcel" } else { "parcels" };
                page.text_bold(M, y - 20.0, 11.0, &format!("TOTAL {parcels} {noun}"));
                text_right(page, Font::Bold, right, y - 20.0, 11.0, &kg(*weight_g));
                page.text_bold(M, y - 54.0, 9.0, "Handed over to the carrier's driver");
                for (i, label) in ["Received by", "Date", "Signature"].into_iter().enumerate() {
                    let baseline = y - 82.0 - 30.0 * i as f32;
                    page.text(M, baseline, 9.0, label);
                    page.line(M + 70.0, baseline - 2.0, M + 330.0, baseline - 2.0, 0.6);
                }
            }
        }
        y -= row.height();
        previous = Some(row);
    }
}

fn heading(page: &mut Page, top: f32, right: f32) {
    let baseline = top - 11.0;
    text_right(page, Font::Bold, M + NUMBER_R, baseline, 7.5, "#");
    text_centred(page, Font::Bold, M + BARS_X + BARS_W / 2.0, baseline, 7.5, BARS_W, "TRACKING");
    page.text_bold(M + ORDER_X, baseline, 7.5, "ORDER");
    page.text_bold(M + RECIPIENT_X, baseline, 7.5, "RECIPIENT");
    page.text_bold(M + POSTCODE_X, baseline, 7.5, "POSTCODE");
    page.text_bold(M + COUNTRY_X, baseline, 7.5, "CTRY");
    text_right(page, Font::Bold, right, baseline, 7.5, "WEIGHT");
    page.line(M, top - HEADING + 2.0, right, top - HEADING + 2.0, 0.8);
}

/// "1.250 kg": carriers bill in kilograms, and grams keep the exact value.
fn kg(grams: i64) -> String {
    let sign = if grams < 0 { "-" } else { "" };
    let abs = grams.unsigned_abs();
    format!("{sign}{}.{:03} kg", abs / 1000, abs % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{assert_layout_fits, read};

    const MANIFEST_ID: &str = "mnf_01JQ8Z3K9W2B4N6P8R0T2V4X6A";

    fn parcel(i: usize) -> ManifestParcel {
        let (recipient, postcode, country) = match i % 3 {
            0 => ("Zdeněk Řezníček, Žižkov", "130 00", "cz"),
            1 => ("Agnieszka Wójcik, Łódź", "90-001", "PL"),
            _ => ("Oliver Smith", "SW1A 1AA", "GB"),
        };
        ManifestParcel {
            tracking_number: format!("RR{:09}GB", 123_456_000 + i),
            order: format!("OC{:010}", 7_000 + i),
            recipient: recipient.into(),
            postcode: postcode.into(),
            country: country.into(),
            weight_g: 250 + 1_000 * i as i64,
        }
    }

    fn doc(parcels: usize) -> ManifestDoc {
        ManifestDoc {
            warehouse: "UK1".into(),
            carrier: "Royal Mail".into(),
            day: "2026-12-03".into(),
            manifest_id: MANIFEST_ID.into(),
            closed_at: "2026-12-03 17:30 Europe/London".into(),
            parcels: (0..parcels).map(parcel).collect(),
        }
    }

    #[test]
    fn one_page_manifest_with_every_barcode_totals_and_signature() {
        let mut m = doc(3);
        m.parcels[2].tracking_number.clear();
        let pages = read(&manifest(&m).expect("renders"));
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert!((page.width - 595.28).abs() < 0.01 && (page.height - 841.89).abs() < 0.01, "A4");
        assert_layout_fits(page);
        // Header barcode first, then each row's, top to bottom; no tracking number: the order's.
        assert_eq!(page.barcodes, [MANIFEST_ID, "RR123456000GB", "RR123456001GB", "OC0000007002"]);
        for expected in [
            "Royal Mail",
            "MANIFEST 2026-12-03",
            "Warehouse UK1 · closed 2026-12-03 17:30 Europe/London",
            "page 1 / 1",
            MANIFEST_ID,
            "RR123456000GB",
            "OC0000007000",
            "Zdeněk Řezníček, Žižkov",
            "130 00",
            "CZ",
            "Agnieszka Wójcik, Łódź",
            "90-001",
            "0.250 kg",
            "2.250 kg",
            "TOTAL 3 parcels",
            "3.750 kg",
            "Received by",
            "Date",
            "Signature",
        ] {
            assert!(page.shows(expected), "missing {expected:?} in\n{}", page.text);
        }
    }

    #[test]
    fn long_manifests_paginate_and_every_parcel_scans_on_its_page() {
        let m = doc(40);
        let pages = read(&manifest(&m).expect("renders"));
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let n = pages.len();
        let mut scanned = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            assert_layout_fits(page);
            assert!(page.shows(&format!("page {} / {n}", i + 1)), "{}", page.text);
            assert!(page.shows("Royal Mail") && page.shows("MANIFEST 2026-12-03"), "{}", page.text);
            assert_eq!(page.barcodes.first().map(String::as_str), Some(MANIFEST_ID), "page {}", i + 1);
            for code in &page.barcodes[1..] {
                // Each tracking number scans on the page that prints it.
                assert!(page.shows(code), "page {}: {code} scanned but not printed", i + 1);
                scanned.push(code.clone());
            }
        }
        let expected: Vec<String> = m.parcels.iter().map(|p| p.tracking_number.clone()).collect();
        assert_eq!(scanned, expected, "every parcel once, in order");
        let last = &pages[n - 1];
        let total: i64 = m.parcels.iter().map(|p| p.weight_g).sum();
        assert!(last.shows("TOTAL 40 parcels") && last.shows(&kg(total)), "{}", last.text);
        assert!(last.shows("Signature"), "{}", last.text);
        assert!(!pages[0].shows("Signature"));
    }

    /// An order split into two parcels without tracking numbers prints its number twice: both scan.
    #[test]
    fn parcels_without_tracking_scan_as_their_order() {
        let mut m = doc(2);
        for p in &mut m.parcels {
            p.tracking_number = " ".into();
            p.order = "OC0000009999".into();
        }
        let pages = read(&manifest(&m).expect("renders"));
        assert_eq!(pages[0].barcodes, [MANIFEST_ID, "OC0000009999", "OC0000009999"]);
        assert_layout_fits(&pages[0]);
    }

    #[test]
    fn an_empty_day_still_has_totals_and_signature() {
        let pages = read(&manifest(&doc(0)).expect("renders"));
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].barcodes, [MANIFEST_ID]);
        assert!(pages[0].shows("TOTAL 0 parcels") && pages[0].shows("0.000 kg"), "{}", pages[0].text);
    }

    #[test]
    fn errors() {
        let mut m = doc(2);
        m.manifest_id = String::new();
        assert_eq!(manifest(&m), Err(LabelError::EmptyData));
        let mut m = doc(2);
        m.parcels[1].tracking_number = "RR12345678ĞB".into();
        assert_eq!(manifest(&m), Err(LabelError::UnsupportedChar { ch: 'Ğ', position: 10 }));
        let mut m = doc(2);
        m.parcels[1].tracking_number.clear();
        m.parcels[1].order.clear();
        assert_eq!(manifest(&m), Err(LabelError::EmptyData));
        let mut m = doc(1);
        m.parcels = vec![m.parcels[0].clone(); MAX_ROWS + 1];
        assert_eq!(manifest(&m), Err(LabelError::TooLong));
    }

    #[test]
    fn weights() {
        assert_eq!(kg(0), "0.000 kg");
        assert_eq!(kg(1_250), "1.250 kg");
        assert_eq!(kg(-5), "-0.005 kg");
    }
}
