//! The 4x6 inch carrier label stuck on every outbound parcel.
//!
//! Zones are at fixed positions (as on real carrier labels) so sorters find
//! the recipient and the barcode in the same place on every parcel, however
//! long the addresses are: overlong text is truncated, never allowed to push
//! the barcode around.

use super::{centred_barcode, text_centred, text_fit, text_right};
use crate::code128::encode;
use crate::error::LabelError;
use crate::fonts::{fit_text, Font};
use crate::pdf::{Page, PdfDocument};

const WIDTH: f32 = 288.0;
const HEIGHT: f32 = 432.0;
const MARGIN: f32 = 12.0;
const CONTENT: f32 = WIDTH - 2.0 * MARGIN;

/// A postal address as printed; lines are free text so any country's format fits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// Person or company.
    pub name: String,
    /// Street lines, in order.
    pub lines: Vec<String>,
    /// City or locality.
    pub city: String,
    /// Postal code, printed before the city.
    pub postcode: String,
    /// Country name or code, printed last in capitals.
    pub country: String,
}

/// Everything printed on a shipping label; dates come pre-formatted so the
/// crate stays free of time zones and locales.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShippingLabel {
    /// Carrier display name, e.g. "Colissimo".
    pub carrier: String,
    /// Service level, e.g. "Expert International".
    pub service: String,
    /// Printed as the main barcode; must be ASCII.
    pub tracking_number: String,
    /// The seller's order number, so returns can be matched by hand.
    pub order_reference: String,
    /// Return address (the warehouse, usually).
    pub sender: Address,
    /// Where the parcel goes.
    pub recipient: Address,
    /// Parcel weight as declared to the carrier.
    pub weight_grams: u64,
    /// Label creation date, already formatted for display.
    pub created: String,
}

/// Renders a 4x6 inch (288 x 432 pt) label as a one-page PDF.
///
/// Fails only if the tracking number cannot be a Code128 barcode
/// (empty, non-ASCII or absurdly long).
pub fn shipping_label(label: &ShippingLabel) -> Result<Vec<u8>, LabelError> {
    let code = encode(&label.tracking_number)?;
    let mut doc = PdfDocument::new();
    let page = doc.add_page(WIDTH, HEIGHT);
    border(page);

    // Carrier zone.
    text_fit(page, Font::Bold, MARGIN, 398.0, 20.0, CONTENT - 80.0, &label.carrier);
    text_fit(page, Font::Bold, MARGIN, 381.0, 11.0, CONTENT - 80.0, &label.service);
    let created = fit_text(&label.created, Font::Regular, 8.0, 76.0);
    text_right(page, Font::Regular, WIDTH - MARGIN, 398.0, 8.0, &created);
    page.line(6.0, 372.0, WIDTH - 6.0, 372.0, 1.5);

    // Sender zone: small print, at most two street lines.
    page.text_bold(MARGIN, 362.0, 7.0, "FROM");
    address_block(page, &label.sender, 352.0, 8.0, 9.5, 2, Font::Regular);
    page.line(6.0, 306.0, WIDTH - 6.0, 306.0, 1.0);

    // Recipient zone: large, country in capitals on the last line.
    page.text_bold(MARGIN, 293.0, 9.0, "SHIP TO");
    text_fit(page, Font::Bold, MARGIN, 276.0, 14.0, CONTENT, &label.recipient.name);
    let mut recipient = label.recipient.clone();
    recipient.name.clear();
    recipient.country = recipient.country.to_uppercase();
    address_block(page, &recipient, 262.0, 12.0, 14.0, 3, Font::Bold);
    page.line(6.0, 196.0, WIDTH - 6.0, 196.0, 1.0);

    // Reference zone.
    page.text_bold(MARGIN, 186.0, 7.0, "ORDER");
    text_fit(page, Font::Regular, MARGIN, 173.0, 11.0, CONTENT - 90.0, &label.order_reference);
    text_right(page, Font::Bold, WIDTH - MARGIN, 186.0, 7.0, "WEIGHT");
    text_right(page, Font::Bold, WIDTH - MARGIN, 173.0, 11.0, &weight(label.weight_grams));
    page.line(6.0, 164.0, WIDTH - 6.0, 164.0, 1.0);

    // Barcode zone.
    centred_barcode(page, &code, MARGIN, WIDTH - MARGIN, 38.0, 116.0, 3.0);
    text_centred(page, Font::Bold, WIDTH / 2.0, 22.0, 12.0, CONTENT, code.text());
    doc.finish()
}

fn border(page: &mut Page) {
    let (l, r, b, t) = (6.0, WIDTH - 6.0, 6.0, HEIGHT - 6.0);
    page.line(l, b, r, b, 1.5);
    page.line(r, b, r, t, 1.5);
    page.line(r, t, l, t, 1.5);
    page.line(l, t, l, b, 1.5);
}

/// Name, up to `max_lines` street lines (extra ones are joined onto the
/// last so nothing is dropped silently), "postcode city", then country.
fn address_block(
    page: &mut Page,
    address: &Address,
    top: f32,
    size: f32,
    step: f32,
    max_lines: usize,
    city_font: Font,
) {
    let mut lines: Vec<String> = Vec::new();
    if !address.name.trim().is_empty() {
        lines.push(address.name.clone());
    }
    let street: Vec<&str> = address.lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    if street.len() > max_lines {
        lines.extend(street[..max_lines - 1].iter().map(|l| (*l).to_owned()));
        lines.push(street[max_lines - 1..].join(", "));
    } else {
        lines.extend(street.iter().map(|l| (*l).to_owned()));
    }
    let first_street = lines.len();
    let city = format!("{} {}", address.postcode.trim(), address.city.trim());
    lines.push(city.trim().to_owned());
    lines.push(address.country.trim().to_owned());
    let mut y = top;
    for (i, line) in lines.iter().filter(|l| !l.is_empty()).enumerate() {
        let font = if i >= first_street { city_font } else { Font::Regular };
        text_fit(page, font, MARGIN, y, size, CONTENT, line);
        y -= step;
    }
}

/// "1.250 kg": carriers bill in kilograms, and grams keep the exact value.
fn weight(grams: u64) -> String {
    format!("{}.{:03} kg", grams / 1000, grams % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::test_support::{assert_barcode, assert_layout_fits, read};

    pub(crate) fn sample() -> ShippingLabel {
        ShippingLabel {
            carrier: "Sandbox Express".into(),
            service: "Standard (2-3 days)".into(),
            tracking_number: "SBX00012345678FR".into(),
            order_reference: "ORD-2024-000042".into(),
            sender: Address {
                name: "Entrepot FR-1".into(),
                lines: vec!["12 rue des Docks".into()],
                city: "Le Havre".into(),
                postcode: "76600".into(),
                country: "France".into(),
            },
            recipient: Address {
                name: "Jürgen Müller".into(),
                lines: vec!["Hauptstraße 5".into(), "Hinterhaus, 3. OG".into()],
                city: "Berlin".into(),
                postcode: "10115".into(),
                country: "Germany".into(),
            },
            weight_grams: 1250,
            created: "2024-05-17".into(),
        }
    }

    #[test]
    fn label_has_all_key_texts_and_the_tracking_barcode() {
        let label = sample();
        let pages = read(&shipping_label(&label).expect("renders"));
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert_eq!((page.width, page.height), (288.0, 432.0));
        for expected in [
            "Sandbox Express",
            "Standard (2-3 days)",
            "SHIP TO",
            "Jürgen Müller",
            "Hauptstraße 5",
            "10115 Berlin",
            "GERMANY",
            "Entrepot FR-1",
            "76600 Le Havre",
            "ORD-2024-000042",
            "1.250 kg",
            "2024-05-17",
        ] {
            assert!(page.shows(expected), "missing {expected:?} in\n{}", page.text);
        }
        assert_barcode(page, &label.tracking_number);
        // Human-readable tracking number directly under the bars.
        let tracking = page.words.iter().find(|w| w.text == label.tracking_number).expect("tracking text");
        assert!(tracking.y_min > page.barcode_rows[0] && tracking.y_min > 432.0 - 38.0 - 1.0, "{tracking:?}");
        assert_layout_fits(page);
    }

    /// Addresses from across Europe print as written, in the embedded fonts, and come back out
    /// of the PDF's text exactly.
    #[test]
    fn pan_european_addresses_print_exactly() {
        let mut label = sample();
        label.recipient = Address {
            name: "Zdeněk Řezníček".into(),
            lines: vec!["Łódź, ul. Żółkiewskiego 12/3".into()],
            city: "Říčany".into(),
            postcode: "251 01".into(),
            country: "Česko".into(),
        };
        label.sender.name = "Lager Ærøskøbing, Åsa Øberg".into();
        label.sender.lines = vec!["Chaussée d'Écaussinnes, Œuvre 7".into()];
        let pages = read(&shipping_label(&label).expect("renders"));
        let page = &pages[0];
        for expected in [
            "Zdeněk Řezníček",
            "Łódź, ul. Żółkiewskiego 12/3",
            "251 01 Říčany",
            "ČESKO",
            "Lager Ærøskøbing, Åsa Øberg",
            "Chaussée d'Écaussinnes, Œuvre 7",
        ] {
            assert!(page.shows(expected), "missing {expected:?} in\n{}", page.text);
        }
        assert!(!page.text.contains('?'), "nothing replaced: {}", page.text);
        assert_barcode(page, &label.tracking_number);
        assert_layout_fits(page);
    }

    #[test]
    fn overlong_fields_are_truncated_not_overflowing() {
        let mut label = sample();
        label.carrier = "A carrier with an extremely long marketing name".into();
        label.recipient.name = "W".repeat(80);
        label.recipient.lines = (1..=6).map(|i| format!("Street line number {i}")).collect();
        label.tracking_number = "1Z".repeat(20);
        let pages = read(&shipping_label(&label).expect("renders"));
        assert_layout_fits(&pages[0]);
        assert_barcode(&pages[0], &label.tracking_number);
        let text = &pages[0].text;
        // Extra street lines are merged into the third, not lost outright.
        assert!(text.contains("Street line number 3, Street line"), "{text}");
        assert!(!text.contains(&"W".repeat(80)));
    }

    #[test]
    fn empty_optional_fields_are_skipped() {
        let mut label = sample();
        label.sender = Address::default();
        label.recipient.lines.clear();
        let pages = read(&shipping_label(&label).expect("renders"));
        assert!(pages[0].words.iter().all(|w| !w.text.trim().is_empty()));
        assert!(pages[0].shows("FROM") && pages[0].shows("10115 Berlin"));
    }

    #[test]
    fn bad_tracking_numbers_are_errors() {
        let mut label = sample();
        label.tracking_number = String::new();
        assert_eq!(shipping_label(&label), Err(LabelError::EmptyData));
        label.tracking_number = "ABC–1".into();
        assert_eq!(shipping_label(&label), Err(LabelError::UnsupportedChar { ch: '–', position: 3 }));
    }

    #[test]
    fn weight_formatting() {
        assert_eq!(weight(0), "0.000 kg");
        assert_eq!(weight(350), "0.350 kg");
        assert_eq!(weight(12_005), "12.005 kg");
    }
}
