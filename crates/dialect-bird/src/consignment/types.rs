//! Bird's consignment shapes and status names. The row serializes straight to JSON: a
//! 1,000-order upload answers with 1,000 rows, and building each as a `serde_json::Value` map
//! first (sixty keys, each an allocation and a tree insert) cost more than the rest of the
//! answer. Lists, filters and webhooks that need a `Value` convert with
//! [`ConsignmentRow::to_value`].

use entrepot_core::outbound::OutboundStatus;
use serde::Serialize;
use serde_json::Value;

use crate::envelope::BirdError;

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
    pub sales_price: Option<&'a str>,
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

/// Bird's name of a core status.
pub fn bird_status(s: OutboundStatus) -> &'static str {
    match s {
        OutboundStatus::Draft => "PREPARING",
        OutboundStatus::Submitted => "PENDING",
        OutboundStatus::WaitPicking => "WAIT_PICKING",
        OutboundStatus::Picking => "PICKING",
        OutboundStatus::Packed => "PROCESSING",
        OutboundStatus::Shipped | OutboundStatus::Delivered => "FINISHED",
        OutboundStatus::Cancelled => "CANCELLED",
        OutboundStatus::Exception => "PROBLEM",
    }
}

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
