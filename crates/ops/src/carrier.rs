//! The carrier connector seam: one trait every carrier integration implements, so the rest of
//! the system books shipments without knowing whether it is talking to Royal Mail, DHL or the
//! offline sandbox.
//!
//! The shape follows payment-connector designs (hyperswitch): a plain request in, a booking or a
//! classified error out. The classification matters more than the message: a worker retries an
//! [`CarrierError::Unavailable`] booking later, but surfaces a [`CarrierError::Rejected`] one to
//! the seller, who has to fix the order.

use async_trait::async_trait;
use entrepot_core::company::Address;
use serde::{Deserialize, Serialize};

/// Everything a carrier needs to book one parcel and print its label.
///
/// Serializable so a background worker can keep pending bookings in a queue and replay them
/// after a crash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentRequest {
    /// Our internal order id. Stable across retries, so connectors can use it as an idempotency
    /// key and a retried booking does not create a second shipment.
    pub order_id: String,
    /// The seller's order number, printed on the label so returns can be matched by hand.
    pub order_reference: String,
    /// Carrier code, e.g. `ROYALMAIL`, `DHL`, `DPD`, `GLS`, `HERMES`, `YODEL`, `PARCELFORCE`.
    pub carrier: String,
    /// The service's code, e.g. `GBDomesticStandard`.
    pub service_code: String,
    /// The service's display name, printed on the label.
    pub service_name: String,
    /// Return address: the warehouse, usually.
    pub sender: Address,
    /// Where the parcel goes.
    pub recipient: Address,
    /// Parcel weight as declared to the carrier, in grams.
    pub weight_g: i64,
    /// Label creation date, already formatted for display (connectors stay free of time zones).
    pub created: String,
}

/// A confirmed shipment: what the warehouse prints and what the seller is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// The carrier's tracking number, reported to the ERP and printed as the label barcode.
    pub tracking_number: String,
    /// The carrier's display name, e.g. "Royal Mail".
    pub carrier_name: String,
    /// The shipping label as a PDF document.
    pub label_pdf: Vec<u8>,
}

/// Why a booking failed, classified by what the caller should do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CarrierError {
    /// The carrier refused the shipment (bad address, overweight, ...). Retrying will not help;
    /// the order has to be corrected. The message names the offending field where possible.
    #[error("carrier rejected the shipment: {0}")]
    Rejected(String),
    /// The carrier could not be reached or is failing temporarily: try again later.
    #[error("carrier unavailable: {0}")]
    Unavailable(String),
    /// The booking may have succeeded but no label could be produced.
    #[error("could not produce the shipping label: {0}")]
    Label(String),
}

impl CarrierError {
    /// Whether the same request may succeed if sent again later, so workers know whether to
    /// back off and retry or to give up and tell the seller.
    pub fn is_retryable(&self) -> bool {
        matches!(self, CarrierError::Unavailable(_))
    }
}

impl From<entrepot_labels::LabelError> for CarrierError {
    fn from(err: entrepot_labels::LabelError) -> Self {
        CarrierError::Label(err.to_string())
    }
}

/// One carrier integration. Implementations must be idempotent on
/// [`ShipmentRequest::order_id`]: booking the same order twice (a retry after a crash or a
/// timeout) must not ship two parcels.
#[async_trait]
pub trait CarrierConnector: Send + Sync {
    /// A short identifier for logs and configuration, e.g. `sandbox`.
    fn name(&self) -> &str;

    /// Books the shipment and returns its tracking number and label.
    async fn book(&self, req: &ShipmentRequest) -> Result<Booking, CarrierError>;

    /// What became of a parcel handed over, as of `now_ms`: every event so far (the caller
    /// records each stage once).
    async fn track(
        &self,
        parcel: &entrepot_app::InTransit,
        now_ms: i64,
    ) -> Result<Vec<entrepot_core::tracking::TrackingEvent>, CarrierError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unavailable_is_retryable() {
        assert!(CarrierError::Unavailable("timeout".into()).is_retryable());
        assert!(!CarrierError::Rejected("recipient.postcode".into()).is_retryable());
        assert!(!CarrierError::Label("bad barcode".into()).is_retryable());
    }

    #[test]
    fn label_errors_convert_with_their_message() {
        let err = CarrierError::from(entrepot_labels::LabelError::EmptyData);
        assert_eq!(err, CarrierError::Label("barcode data is empty".into()));
        assert!(err.to_string().contains("barcode data is empty"));
    }

    #[test]
    fn messages_say_what_happened() {
        let err = CarrierError::Rejected("recipient.postcode: required".into());
        assert_eq!(err.to_string(), "carrier rejected the shipment: recipient.postcode: required");
    }

    #[test]
    fn requests_survive_a_queue() {
        let req =
            ShipmentRequest { order_id: "ord_1".into(), carrier: "DHL".into(), weight_g: 500, ..Default::default() };
        let json = serde_json::to_string(&req).expect("serializes");
        let back: ShipmentRequest = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, req);
    }
}
