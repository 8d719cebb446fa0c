//! Inbound bodies (spec §5.6–§5.11): creation, label query, list and detail queries, tracking and
//! customs file uploads; and OC's names of the inbound statuses.

use entrepot_core::inbound::InboundStatus;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::fields::Field;

/// OC's name of a core inbound status (the portal's tabs, spec §6, in the API's English).
///
/// | core | OC |
/// |---|---|
/// | Draft | `Draft` |
/// | AwaitingAppointment | `Pending appointment` |
/// | AwaitingTracking | `Pending tracking number` (express, until the shipment file is uploaded) |
/// | InTransit | `In transit` (appointment booked or tracking given) |
/// | Arrived | `Arrived` |
/// | Receiving | `Receiving` |
/// | PartiallyPutAway | `Partially Put away` |
/// | PutAway | `Put away` |
/// | Cancelled | `Cancelled` |
pub fn oc_status(s: InboundStatus) -> &'static str {
    match s {
        InboundStatus::Draft => "Draft",
        InboundStatus::AwaitingAppointment => "Pending appointment",
        InboundStatus::AwaitingTracking => "Pending tracking number",
        InboundStatus::InTransit => "In transit",
        InboundStatus::Arrived => "Arrived",
        InboundStatus::Receiving => "Receiving",
        InboundStatus::PartiallyPutAway => "Partially Put away",
        InboundStatus::PutAway => "Put away",
        InboundStatus::Cancelled => "Cancelled",
    }
}

/// `POST /openapi/3pp/inbound/v1/creation`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InboundIn {
    /// The idempotency key, ≤ 50.
    pub seller_inbound_number: Field,
    pub service_region: Field,
    /// ISO country the goods leave from.
    pub shipping_from: Field,
    /// `TK` or `EX`.
    pub shipping_method: Field,
    /// With `TK`: `OF`, `AF`, `RF` or `TK`.
    pub transport_method: Field,
    /// Any of OC's time forms.
    pub eta: Field,
    pub vat: Field,
    /// `true`: not received until the customs clearance documents are uploaded (uploadFile);
    /// `true`/`false` or `1`/`0`, default `false`.
    pub need_clearance_doc: Field,
    /// `[{cartonNumber, sellerCartonNumber, cartonOriginCountry, labelSize, productList}]`.
    pub carton_list: Field,
}

/// A carton of the creation's `cartonList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CartonIn {
    /// The seller's box id: printable ASCII, ≤ 50, unique in the inbound.
    pub carton_number: Field,
    pub seller_carton_number: Field,
    pub carton_origin_country: Field,
    pub label_size: Field,
    /// `[{mfskuid, quantity}]`.
    pub product_list: Field,
}

/// An entry of a carton's `productList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CartonProductIn {
    pub mfskuid: Field,
    pub quantity: Field,
    /// Read when `quantity` is absent.
    #[serde(rename = "skuQuantity")]
    pub sku_quantity: Field,
}

/// The creation reply, and an item of the label query's `inboundOrderList` (spec §5.9).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundLabels {
    /// The number the label query asked for, echoed; absent from the creation reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbound_order: Option<String>,
    pub inbound_number: String,
    pub seller_inbound_number: String,
    /// [`oc_status`].
    pub status: &'static str,
    pub service_region: Option<String>,
    pub warehouse_code: String,
    /// One SKU label per unit, a PDF.
    pub sku_label_url: String,
    /// One carton mark per carton, a PDF.
    pub carton_mark_url: String,
    pub carton_list: Vec<CartonMarkOut>,
}

/// A carton and the page of its mark.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CartonMarkOut {
    pub carton_number: String,
    pub seller_carton_number: Option<String>,
    /// `{cartonMarkUrl}#page=n`.
    pub carton_mark_url: String,
}

/// `POST /openapi/3pp/inbound/v1/query/labels`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LabelQuery {
    /// `[{inboundOrder}]` or plain numbers, ≤ 100.
    pub inbound_order_list: Field,
}

/// An entry of the label query's `inboundOrderList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InboundOrderIn {
    pub inbound_order: Field,
    /// Read when `inboundOrder` is absent, then `inboundNumber`.
    pub inbound_order_number: Field,
    pub inbound_number: Field,
}

/// The label query's `data`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelsPage {
    pub inbound_order_list: Vec<InboundLabels>,
}

/// `POST /openapi/3pp/inbound/v1/query`: a creation slot (required) and a page.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InboundListQuery {
    pub start_time: Field,
    pub end_time: Field,
    /// 1-based.
    pub page: Field,
    /// Read when `page` is absent.
    pub page_number: Field,
    pub limit: Field,
    /// Read when `limit` is absent.
    pub page_size: Field,
}

/// What list rows and detail rows share.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundSummary {
    pub inbound_number: String,
    pub inbound_order_number: String,
    pub seller_inbound_number: String,
    pub reference_number: String,
    /// [`oc_status`].
    pub status: &'static str,
    pub service_region: Option<String>,
    pub warehouse_code: Option<String>,
    /// `TK` or `EX`.
    pub shipping_method: String,
    /// As sent at creation; `null` when not.
    pub transport_method: Value,
    pub create_time: String,
    /// A date, `2022-10-31+0000`.
    pub eta: Option<String>,
    /// As sent at creation (`false` when not).
    pub need_clearance_doc: bool,
    /// The customs clearance documents still to upload before the inbound can be received, by
    /// clearance `fileType` (`PL` packing list, `IN` invoice, which a `CI` also gives; see
    /// `entrepot_core::inbound::CLEARANCE_DOCS`); empty when none is needed. OC names no such
    /// field: Entrepot's choice.
    pub missing_clearance_doc_list: Vec<&'static str>,
    /// Arrival at the dock, `YYYY-MM-DD HH:MM:SS` UTC (the key and format ERPs read, spec §6);
    /// `null` before.
    pub arrived_time: Option<String>,
    /// When the last unit was put away, same format; `null` before.
    pub put_away_time: Option<String>,
}

/// The list query's `data`.
#[derive(Debug, Serialize)]
pub struct InboundListPage {
    #[serde(rename = "inboundOrderList")]
    pub inbound_order_list: Vec<InboundListRow>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
}

/// A row of the list query: the summary and unit totals.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundListRow {
    #[serde(flatten)]
    pub summary: InboundSummary,
    pub sku_qty: i64,
    /// Every unit counted at the dock, good or damaged.
    pub received_qty: i64,
    pub put_away_qty: i64,
    /// Units counted damaged (unfulfillable, never put away).
    pub damaged_qty: i64,
    /// Units missing, known once the receipt is closed (0 before).
    pub shortage_qty: i64,
    /// Units counted above the expected quantity.
    pub over_qty: i64,
}

/// `POST /openapi/3pp/inbound/v1/detail`: number lists and/or a creation slot.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InboundDetailQuery {
    pub start_time: Field,
    pub end_time: Field,
    /// `[{inboundNumber}]` or plain numbers.
    pub inbound_number_list: Field,
    /// `[{sellerInboundNumber}]` or plain numbers (the "i" in either case).
    #[serde(rename = "sellerinboundNumberList")]
    pub seller_inbound_number_list: Field,
}

/// An entry of `inboundNumberList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InboundNumberIn {
    pub inbound_number: Field,
}

/// An entry of `sellerinboundNumberList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SellerInboundNumberIn {
    pub seller_inbound_number: Field,
}

/// The detail query's `data`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundDetailPage {
    pub inbound_order_list: Vec<InboundDetailRow>,
}

/// A row of the detail query.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundDetailRow {
    #[serde(flatten)]
    pub summary: InboundSummary,
    /// OC's lower-case spelling, beside `sellerInboundNumber`.
    #[serde(rename = "sellerinboundNumber")]
    pub seller_inbound_number_lower: String,
    /// As sent at creation; `null` when not.
    pub shipping_from: Value,
    pub vat: Value,
    /// The inbound itself: Entrepot has no ASNs apart from it.
    pub asn_list: Vec<AsnOut>,
    /// Always empty: Entrepot has no batches.
    pub batch_list: Vec<Value>,
    /// Always `null`.
    pub booking_number: Option<String>,
    pub appointment_booked: bool,
    #[serde(rename = "SKUList")]
    pub sku_list: Vec<InboundSkuOut>,
    pub carton_list: Vec<CartonOut>,
    /// The tracking numbers given, as stored.
    pub tracking_list: Value,
    pub file_list: Vec<FileOut>,
    /// What receiving found: short, over, damaged and unexpected SKUs.
    pub discrepancy_list: Vec<DiscrepancyOut>,
}

/// An entry of `asnList`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AsnOut {
    pub asn_number: String,
}

/// A SKU of an inbound with its quantities.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundSkuOut {
    #[serde(rename = "MFSKUID")]
    pub mfskuid: Option<String>,
    #[serde(rename = "sellerSKUID")]
    pub seller_sku_id: Option<String>,
    #[serde(rename = "skuquantity")]
    pub sku_quantity: i64,
    /// Every unit counted, good or damaged.
    pub received_quantity: i64,
    pub put_away_quantity: i64,
    pub damaged_quantity: i64,
    /// Known once the receipt is closed.
    pub shortage_quantity: i64,
    pub over_quantity: i64,
}

/// A receiving discrepancy of the detail query (OC publishes no such list: Entrepot's shape).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscrepancyOut {
    /// `SHORT`, `OVER`, `DAMAGED` or `UNEXPECTED`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The SKU's MFSKUID, or for an unexpected SKU the code the warehouse scanned.
    #[serde(rename = "MFSKUID")]
    pub mfskuid: Option<String>,
    #[serde(rename = "sellerSKUID")]
    pub seller_sku_id: Option<String>,
    pub expected_quantity: i64,
    pub received_quantity: i64,
    pub quantity: i64,
    pub note: Option<String>,
    pub create_time: String,
}

/// A carton of the detail query.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CartonOut {
    pub carton_number: String,
    pub seller_carton_number: Option<String>,
    pub product_list: Vec<CartonProductOut>,
}

/// A product of a carton.
#[derive(Debug, Serialize)]
pub struct CartonProductOut {
    #[serde(rename = "MFSKUID")]
    pub mfskuid: String,
    pub quantity: i64,
}

/// An uploaded customs file of the detail query.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileOut {
    pub file_name: Value,
    pub file_type: Value,
    /// A download URL.
    pub file: String,
    pub verify_status: Value,
    /// Always `null`: nobody reviews the files yet.
    pub fail_reason: Option<String>,
}

/// `POST /openapi/3pp/inbound/v1/upload/shipment-file`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackingUpload {
    pub inbound_number: Field,
    pub reference_number: Field,
    /// `[{trackingNumber, carrier, cartonNumber}]`.
    pub tracking_list: Field,
}

/// An entry of the upload's `trackingList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackingIn {
    pub carton_number: Field,
    pub tracking_number: Field,
    pub carrier: Field,
}

/// An entry of an inbound's stored `trackingList`, as the detail query and the upload answer
/// show it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingOut {
    pub carton_number: Option<String>,
    pub carrier: String,
    pub tracking_number: String,
    pub reference_number: String,
}

/// The shipment-file upload's `data`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingUploaded {
    pub inbound_number: String,
    /// [`oc_status`].
    pub status: &'static str,
    /// Every tracking number of the inbound, as stored.
    pub tracking_list: Value,
}

/// `POST /openapi/3pp/inbound/v1/upload/customs-clearance-file`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CustomsUpload {
    pub inbound_number: Field,
    /// 1 to 10 files.
    pub file_list: Field,
}

/// A file of the customs upload.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CustomsFileIn {
    /// Base64, optionally as a `data:` URL.
    pub file: Field,
    pub file_name: Field,
    pub file_type: Field,
}

/// The customs upload's `data`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomsUploaded {
    pub inbound_number: String,
    pub file_list: Vec<CustomsFileOut>,
}

/// A stored customs file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomsFileOut {
    pub file_name: String,
    pub file_type: String,
    /// A download URL.
    pub file: String,
}

/// What an OC inbound keeps in its details (a JSON document of the store): the creation request
/// as read, which a replay must match, and what later calls add.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredDetails {
    pub request: StoredRequest,
    /// UTC milliseconds.
    pub eta: i64,
    pub vat: Option<String>,
    /// The capability token of the inbound's file URLs ([`crate::files`]).
    pub file_token: String,
    /// [`TrackingOut`] entries, added by the shipment-file upload.
    pub tracking_list: Vec<Value>,
    /// [`StoredFile`] entries, added by the customs upload.
    pub file_list: Vec<Value>,
}

/// The creation request as read.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredRequest {
    /// Upper-cased.
    pub service_region: String,
    pub shipping_from: String,
    pub shipping_method: String,
    pub transport_method: Option<String>,
    /// Kept only when `true`, so requests stored before the flag was read compare the same.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub need_clearance_doc: bool,
    pub cartons: Vec<StoredCarton>,
}

/// A carton as read.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredCarton {
    pub carton_number: Option<String>,
    pub seller_carton_number: Option<String>,
    pub carton_origin_country: Option<String>,
    pub label_size: Option<String>,
    pub products: Vec<StoredProduct>,
}

/// A product of a carton, its MFSKUID upper-cased.
#[derive(Debug, Serialize)]
pub struct StoredProduct {
    pub mfskuid: String,
    pub quantity: i64,
}

pub use entrepot_ops::inbound_files::StoredFile;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_label_query_echoes_its_number_and_the_creation_reply_has_no_such_key() {
        let mut labels = InboundLabels {
            inbound_order: None,
            inbound_number: "OCI1".into(),
            seller_inbound_number: "S1".into(),
            status: oc_status(InboundStatus::InTransit),
            service_region: None,
            warehouse_code: "UK1".into(),
            sku_label_url: "u1".into(),
            carton_mark_url: "u2".into(),
            carton_list: vec![CartonMarkOut {
                carton_number: "C1".into(),
                seller_carton_number: None,
                carton_mark_url: "u2#page=1".into(),
            }],
        };
        let v = serde_json::to_value(&labels).unwrap();
        assert!(v.get("inboundOrder").is_none());
        assert_eq!(v["serviceRegion"], json!(null));
        assert_eq!(
            v["cartonList"][0],
            json!({"cartonNumber": "C1", "sellerCartonNumber": null, "cartonMarkUrl": "u2#page=1"})
        );
        labels.inbound_order = Some("oci1".into());
        assert_eq!(serde_json::to_value(&labels).unwrap()["inboundOrder"], json!("oci1"));
    }
}
