//! Bird's consignment shapes and status names. The row serializes straight to JSON: a
//! 1,000-order upload answers with 1,000 rows, and building each as a `serde_json::Value` map
//! first (sixty keys, each an allocation and a tree insert) cost more than the rest of the
//! answer. Lists, filters and webhooks that need a `Value` convert with
//! [`ConsignmentRow::to_value`].

use entrepot_core::outbound::OutboundStatus;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::status::bird_status;
use crate::{
    envelope::BirdError,
    fields::{Int, Text},
    listing::{Column, Columns},
};

/// One consignment as Bird shows it: `GET|POST /client/Consignment`, the rows answering
/// `Post-Pending-Consignment-With-Products-Json`, and the `data` of CONSIGNMENT webhooks. The
/// optional tail holds what only some answers carry.
#[derive(Serialize)]
pub struct ConsignmentRow<'a> {
    pub id: String,
    pub client_id: &'a str,
    pub company_id: Option<String>,
    pub warehouse_id: Option<&'a str>,
    pub delivery_service_id: Option<String>,
    pub delivery_service_name: Option<&'a str>,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub status: &'static str,
    pub is_urgent: &'a str,
    pub sales_reference: Option<&'a str>,
    pub sales_order_id: Option<&'a str>,
    pub payment_reference: Option<&'a str>,
    pub delivery_reference: Option<String>,
    pub custom_identity_reference: Option<&'a str>,
    pub contact: &'a str,
    pub business_name: Option<&'a str>,
    pub address_line1: Option<&'a str>,
    pub address_line2: Option<&'a str>,
    pub address_line3: Option<&'a str>,
    pub city: &'a str,
    pub county: Option<&'a str>,
    pub post_code: &'a str,
    pub country_iso: &'a str,
    pub telephone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub special_instruction: Option<&'a str>,
    pub neighbour_instruction: Option<&'a str>,
    pub sender_contact: Option<&'a str>,
    pub sender_business_name: Option<&'a str>,
    pub sender_address_line1: Option<&'a str>,
    pub sender_city: Option<&'a str>,
    pub sender_post_code: Option<&'a str>,
    pub sender_country_iso: Option<&'a str>,
    pub ioss_vat_number: Option<&'a str>,
    pub shipper_eori: Option<&'a str>,
    pub reason_for_export: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub omp_name: Option<&'a str>,
    pub omp_vat_number: Option<&'a str>,
    pub receiver_eori: Option<&'a str>,
    pub receiver_pid_number: Option<&'a str>,
    pub is_compensation_for_delay: &'a str,
    pub return_consignment_action_type: Option<&'a str>,
    /// A RETURN's action name and what the warehouse did (ours; the spec records no outcome
    /// fields): received units good and damaged, the action that ran, its fee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consignment_action_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_received_quantity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_damaged_quantity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_outcome_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_fee: Option<&'a str>,
    /// The consignment's own platform sales price (USD, three decimals).
    pub sales_price: Option<std::borrow::Cow<'a, str>>,
    /// The sum of its lines' sales price × quantity (USD; `0.00` when no line has a price), as the
    /// seed's answer shows it.
    pub total_sales_price: String,
    pub currency_code: &'a str,
    pub total_weight: String,
    pub total_volume: String,
    pub total_volume_weight: String,
    pub total_fee_weight: String,
    pub total_handling_fee: String,
    pub total_delivery_fee: String,
    pub total_price: String,
    pub consignment_product_quantity: String,
    pub consignment_product_reference: String,
    pub create_time: Option<String>,
    pub update_time: Option<String>,
    pub primary_keys: [&'static str; 1],
    /// The caller's own id of a bulk-uploaded row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thirty_system_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_package_size_id: Option<&'a str>,
    /// A CLIENT_DIRECT order's packages, as uploaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packages: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_format: Option<&'static str>,
    /// The label PDF in base64 (`returnLabel=1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// The types of [`ConsignmentRow`]'s columns, which list filters read their values as; the
/// columns not named here are text.
pub const COLUMNS: Columns = &[
    ("id", Column::Integer),
    ("company_id", Column::Integer),
    ("delivery_service_id", Column::Integer),
    ("is_urgent", Column::Boolean),
    ("is_compensation_for_delay", Column::Boolean),
    ("sales_price", Column::Decimal),
    ("total_sales_price", Column::Decimal),
    ("total_weight", Column::Decimal),
    ("total_volume", Column::Decimal),
    ("total_volume_weight", Column::Decimal),
    ("total_fee_weight", Column::Decimal),
    ("total_handling_fee", Column::Decimal),
    ("total_delivery_fee", Column::Decimal),
    ("total_price", Column::Decimal),
    ("consignment_product_quantity", Column::Integer),
    ("create_time", Column::Time),
    ("update_time", Column::Time),
];

/// The core statuses a Bird status name covers.
pub fn core_statuses(bird: &str) -> Result<Vec<OutboundStatus>, BirdError> {
    let wanted = bird.trim().to_ascii_uppercase();
    let found: Vec<OutboundStatus> = OutboundStatus::ALL.into_iter().filter(|s| bird_status(*s) == wanted).collect();
    if found.is_empty() {
        return Err(BirdError::bad(format!("Unknown consignment status '{bird}'")));
    }
    Ok(found)
}

/// The status a client may set through `Batch-Update-Status`: PENDING (submit) or CANCELLED.
pub fn client_settable(bird: Option<&str>) -> Result<OutboundStatus, BirdError> {
    match bird.map(str::to_ascii_uppercase).as_deref() {
        Some("PENDING") => Ok(OutboundStatus::Submitted),
        Some("CANCELLED") => Ok(OutboundStatus::Cancelled),
        Some(other) => {
            Err(BirdError::bad(format!("Status {other} can not be set by client; use PENDING or CANCELLED.")))
        }
        None => Err(BirdError::bad("status is required")),
    }
}

/// Bird's consignment fields: the body of `POST /client/Consignment`, and each row of
/// `Post-Pending-Consignment-With-Products-Json` and of a bulk (temp) upload. Keys in any case;
/// every field is optional here and required ones are named by the transformer, in the words
/// ERPs match on (`contact is required`).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct ConsignmentFields {
    /// The consignment to update (`POST /client/Consignment` with `id`).
    pub id: Int,
    /// The service by Bird id, else by name or code (bulk uploads).
    pub delivery_service_id: Text,
    pub delivery_service_name: Text,
    /// LOCAL when absent; see [`entrepot_core::outbound::OrderKind`].
    #[serde(rename = "type")]
    pub kind: Text,
    pub contact: Text,
    pub business_name: Text,
    pub address_line1: Text,
    pub address_line_1: Text,
    pub address_line2: Text,
    pub address_line_2: Text,
    pub address_line3: Text,
    pub address_line_3: Text,
    pub city: Text,
    pub county: Text,
    pub post_code: Text,
    /// The destination by ISO code (`UK` reads as GB)...
    pub country_iso: Text,
    /// ...or by English name (bulk uploads).
    pub country_name: Text,
    pub telephone: Text,
    pub email: Text,
    pub sender_contact: Text,
    pub sender_business_name: Text,
    pub sender_address_line1: Text,
    pub sender_address_line2: Text,
    pub sender_address_line3: Text,
    pub sender_city: Text,
    pub sender_county: Text,
    pub sender_post_code: Text,
    pub sender_country_iso: Text,
    pub sender_telephone: Text,
    pub sender_email: Text,
    pub custom_identity_reference: Text,
    pub sales_reference: Text,
    pub omp_name: Text,
    pub sales_order_id: Text,
    pub ioss_vat_number: Text,
    pub shipper_eori: Text,
    pub reason_for_export: Text,
    pub content_type: Text,
    pub omp_vat_number: Text,
    pub receiver_eori: Text,
    pub receiver_pid_number: Text,
    /// 0/1 flags, the order's options.
    pub is_urgent: Text,
    pub is_compensation_for_delay: Text,
    pub sales_price: Text,
    /// Kept verbatim for the ERP (the core does not interpret these): see
    /// [`ConsignmentFields::attributes`].
    pub payment_reference: Text,
    pub special_instruction: Text,
    pub neighbour_instruction: Text,
    #[serde(rename = "return_consignment_action-id")]
    pub return_consignment_action_id: Text,
    /// A RETURN's action by type (CONTAINER, SELLER...), the seed's other spelling.
    pub return_consignment_action_type: Text,
    /// A RETURN's tracking number: the buyer's parcel coming back (staff scan it on arrival).
    pub delivery_reference: Text,
    /// The caller's own id of a bulk-uploaded row.
    pub thirty_system_id: Text,
}

/// The consignments an action names: `ids` joined with `_`, or `sales_references` or
/// `custom_identity_references` joined with `|` (`Batch-Update-Status`).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct Selection {
    pub ids: Text,
    pub sales_references: Text,
    pub custom_identity_references: Text,
}

/// The body of `POST /client/Consignment/Batch-Update-Status`: a [`Selection`] and the status
/// to set ([`client_settable`]).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct StatusChange {
    pub status: Text,
}

/// The search parameters of `GET /client/Consignment` (besides the list language).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct ConsignmentSearch {
    /// Bird ids joined with `_`.
    pub id: Text,
    /// A Bird status name ([`core_statuses`]).
    pub status: Text,
    #[serde(rename = "type")]
    pub kind: Text,
    pub sales_reference: Text,
    pub custom_identity_reference: Text,
    pub delivery_reference: Text,
    pub sales_order_id: Text,
    /// A product id the consignment must hold.
    pub consignment_product_reference: Int,
}
