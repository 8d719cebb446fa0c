//! The sandbox carrier: books shipments without any network, so development, the e2e tests and
//! sandbox ERP accounts get realistic tracking numbers and printable labels.
//!
//! It behaves like a well-mannered real carrier: idempotent on the order id (a retried booking
//! gets the same tracking number), numbers in each carrier's format, a 4x6 PDF label, and a
//! refusal, naming the field, for an address no carrier could deliver to.

use async_trait::async_trait;
use entrepot_core::company::Address;
use entrepot_labels::{shipping_label, ShippingLabel};

use crate::carrier::{Booking, CarrierConnector, CarrierError, ShipmentRequest};
use crate::tracking::{normalise_carrier, sandbox_tracking_number};

/// A [`CarrierConnector`] that books locally and deterministically, and tells each parcel's
/// journey one stage per `tracking_step` after the handover
/// ([`entrepot_core::tracking::sandbox_events`]).
#[derive(Debug, Clone, Copy)]
pub struct SandboxCarrier {
    tracking_step: std::time::Duration,
}

impl Default for SandboxCarrier {
    fn default() -> Self {
        Self::new()
    }
}

impl SandboxCarrier {
    /// The sandbox needs no credentials and keeps no state; its parcels move a stage an hour.
    pub fn new() -> Self {
        SandboxCarrier { tracking_step: std::time::Duration::from_secs(3_600) }
    }

    /// Parcels move a stage every `step` (a demo or a test watches them arrive).
    pub fn with_tracking_step(step: std::time::Duration) -> Self {
        SandboxCarrier { tracking_step: step }
    }
}

#[async_trait]
impl CarrierConnector for SandboxCarrier {
    fn name(&self) -> &str {
        "sandbox"
    }

    async fn book(&self, req: &ShipmentRequest) -> Result<Booking, CarrierError> {
        validate(req)?;
        let weight_grams =
            u64::try_from(req.weight_g).map_err(|_| CarrierError::Rejected("weight_g: must not be negative".into()))?;
        let tracking_number = sandbox_tracking_number(&req.carrier, &req.order_id);
        let carrier_name = carrier_name(&req.carrier);
        let label_pdf = shipping_label(&ShippingLabel {
            carrier: carrier_name.clone(),
            service: req.service_name.clone(),
            tracking_number: tracking_number.clone(),
            order_reference: req.order_reference.clone(),
            sender: label_address(&req.sender),
            recipient: label_address(&req.recipient),
            weight_grams,
            created: req.created.clone(),
        })?;
        tracing::debug!(
            order_id = %req.order_id,
            carrier = %carrier_name,
            %tracking_number,
            "sandbox booking"
        );
        Ok(Booking { tracking_number, carrier_name, label_pdf })
    }

    async fn track(
        &self,
        parcel: &entrepot_app::InTransit,
        now_ms: i64,
    ) -> Result<Vec<entrepot_core::tracking::TrackingEvent>, CarrierError> {
        let step = i64::try_from(self.tracking_step.as_millis()).unwrap_or(i64::MAX);
        Ok(entrepot_core::tracking::sandbox_events(&parcel.tracking_number, parcel.handed_over_ms, step, now_ms))
    }
}

/// What a real carrier's API would refuse before booking.
fn validate(req: &ShipmentRequest) -> Result<(), CarrierError> {
    let to = &req.recipient;
    let country = to.country.trim();
    if (country.eq_ignore_ascii_case("GB") || country.eq_ignore_ascii_case("UK")) && to.postcode.trim().is_empty() {
        return Err(CarrierError::Rejected("recipient.postcode: required for GB destinations".into()));
    }
    Ok(())
}

/// The carrier's display name for the label and the ERP; unknown codes are shown as given.
fn carrier_name(carrier: &str) -> String {
    let name = match normalise_carrier(carrier).as_str() {
        "ROYALMAIL" => "Royal Mail",
        "PARCELFORCE" => "Parcelforce Worldwide",
        "DHL" => "DHL",
        "DPD" => "DPD",
        "GLS" => "GLS",
        "HERMES" => "Hermes",
        "EVRI" => "Evri",
        "YODEL" => "Yodel",
        "" => "Sandbox",
        _ => carrier.trim(),
    };
    name.to_owned()
}

/// Core addresses as the label prints them. The company, when there is one, goes on the first
/// street line so parcels to businesses reach the right desk; the county is left off, as the
/// postcode already locates the address.
fn label_address(a: &Address) -> entrepot_labels::Address {
    let company = a.company.as_deref().map(str::trim).filter(|c| !c.is_empty() && *c != a.name.trim());
    entrepot_labels::Address {
        name: a.name.clone(),
        lines: company.map(str::to_owned).into_iter().chain(a.lines.iter().cloned()).collect(),
        city: a.city.clone(),
        postcode: a.postcode.clone(),
        country: a.country.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracking::is_valid_s10;

    fn request(carrier: &str, order_id: &str) -> ShipmentRequest {
        ShipmentRequest {
            order_id: order_id.into(),
            order_reference: "SO-1001".into(),
            carrier: carrier.into(),
            service_code: "GBDomesticStandard".into(),
            service_name: "Royal Mail 2nd Class".into(),
            sender: Address {
                name: "Entrepot UK1".into(),
                lines: vec!["Unit 4, Dock Road".into()],
                city: "Tilbury".into(),
                postcode: "RM18 7EH".into(),
                country: "GB".into(),
                ..Default::default()
            },
            recipient: Address {
                name: "Ada Lovelace".into(),
                company: Some("Analytical Engines Ltd".into()),
                lines: vec!["12 St James's Square".into()],
                city: "London".into(),
                postcode: "SW1Y 4JH".into(),
                country: "GB".into(),
                ..Default::default()
            },
            weight_g: 1250,
            created: "2025-03-14".into(),
        }
    }

    async fn book(carrier: &str, order_id: &str) -> Result<Booking, CarrierError> {
        SandboxCarrier::new().book(&request(carrier, order_id)).await
    }

    fn all_digits(s: &str) -> bool {
        s.bytes().all(|b| b.is_ascii_digit())
    }

    #[tokio::test]
    async fn royal_mail_and_parcelforce_issue_valid_s10_numbers() {
        for carrier in ["ROYALMAIL", "royalmail", "PARCELFORCE"] {
            for id in ["ord_1", "ord_2", "ord_3", "ord_01ABC"] {
                let n = book(carrier, id).await.unwrap().tracking_number;
                assert!(is_valid_s10(&n), "{carrier}: {n}");
                assert!(n.ends_with("GB"), "{n}");
            }
        }
    }

    #[tokio::test]
    async fn other_carriers_use_their_own_formats() {
        let dhl = book("DHL", "ord_1").await.unwrap().tracking_number;
        assert!(dhl.len() == 10 && all_digits(&dhl), "{dhl}");

        let dpd = book("dpd", "ord_1").await.unwrap().tracking_number;
        assert!(dpd.len() == 14 && all_digits(&dpd), "{dpd}");
        assert!(dpd.starts_with("15"), "{dpd}");

        let gls = book("GLS", "ord_1").await.unwrap().tracking_number;
        assert!(gls.len() == 11 && all_digits(&gls), "{gls}");

        for carrier in ["HERMES", "Evri"] {
            let h = book(carrier, "ord_1").await.unwrap().tracking_number;
            assert!(h.len() == 16 && h.starts_with('H'), "{h}");
            assert!(all_digits(&h[1..]), "{h}");
        }

        for carrier in ["YODEL", "ACME", ""] {
            let ep = book(carrier, "ord_1").await.unwrap().tracking_number;
            assert!(ep.len() == 18 && ep.starts_with("EP"), "{ep}");
            assert!(all_digits(&ep[2..]), "{ep}");
        }
    }

    #[tokio::test]
    async fn retrying_a_booking_gives_the_same_booking() {
        for carrier in ["ROYALMAIL", "DHL", "DPD", "GLS", "HERMES", "YODEL"] {
            let first = book(carrier, "ord_01ABC").await.unwrap();
            let again = book(carrier, "ord_01ABC").await.unwrap();
            assert_eq!(first, again, "{carrier}");
        }
    }

    #[tokio::test]
    async fn different_orders_get_different_numbers() {
        for carrier in ["ROYALMAIL", "DHL", "DPD", "GLS", "HERMES", "YODEL"] {
            let mut seen = std::collections::HashSet::new();
            for i in 0..200 {
                let n = book(carrier, &format!("ord_{i}")).await.unwrap();
                assert!(seen.insert(n.tracking_number), "{carrier}: repeat at {i}");
            }
        }
    }

    #[tokio::test]
    async fn label_is_a_pdf_carrying_the_tracking_number() {
        let booking = book("ROYALMAIL", "ord_1").await.unwrap();
        assert_eq!(booking.carrier_name, "Royal Mail");
        assert!(booking.label_pdf.starts_with(b"%PDF-"));
        // Read as printed: poppler extracts the text, a decoder scans the barcode.
        let pages = entrepot_labels::inspect::read_pdf(&booking.label_pdf).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].barcodes, [booking.tracking_number.as_str()]);
        let pdf = &pages[0].text;
        for text in [
            booking.tracking_number.as_str(),
            "Royal Mail 2nd Class",
            "SO-1001",
            "Analytical Engines Ltd",
            "SW1Y 4JH London",
            "1.250 kg",
            "2025-03-14",
        ] {
            assert!(pdf.contains(text), "label lacks {text:?}");
        }
    }

    #[tokio::test]
    async fn refuses_gb_recipient_without_postcode() {
        for country in ["GB", "gb", "UK"] {
            let mut req = request("ROYALMAIL", "ord_1");
            req.recipient.country = country.into();
            req.recipient.postcode = "  ".into();
            let err = SandboxCarrier::new().book(&req).await.unwrap_err();
            assert!(matches!(&err, CarrierError::Rejected(m) if m.contains("recipient.postcode")), "{err:?}");
            assert!(!err.is_retryable());
        }
    }

    #[tokio::test]
    async fn postcode_is_optional_elsewhere() {
        let mut req = request("DHL", "ord_1");
        req.recipient.country = "HK".into();
        req.recipient.postcode.clear();
        assert!(SandboxCarrier::new().book(&req).await.is_ok());
    }

    #[tokio::test]
    async fn refuses_negative_weight() {
        let mut req = request("DHL", "ord_1");
        req.weight_g = -1;
        let err = SandboxCarrier::new().book(&req).await.unwrap_err();
        assert!(matches!(&err, CarrierError::Rejected(m) if m.contains("weight_g")));
    }

    #[test]
    fn company_goes_on_the_first_line_once() {
        let mut a = request("DHL", "x").recipient;
        let lines = label_address(&a).lines;
        assert_eq!(lines, ["Analytical Engines Ltd", "12 St James's Square"]);
        a.company = Some("Ada Lovelace".into());
        assert_eq!(label_address(&a).lines, ["12 St James's Square"]);
        a.company = Some(" ".into());
        assert_eq!(label_address(&a).lines, ["12 St James's Square"]);
    }

    #[test]
    fn is_named_sandbox() {
        assert_eq!(SandboxCarrier::new().name(), "sandbox");
        assert_eq!(carrier_name("royal_mail"), "Royal Mail");
        assert_eq!(carrier_name(" Acme Post "), "Acme Post");
    }
}
