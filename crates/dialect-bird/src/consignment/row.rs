//! Bird's consignment row, as a struct that serializes straight to JSON. A 1,000-order upload
//! answers with 1,000 rows; building each as a `serde_json::Value` map first (sixty keys, each
//! an allocation and a tree insert) cost more than the rest of the answer. Lists, filters and
//! webhooks that need a `Value` convert with [`ConsignmentRow::to_value`].

use entrepot_app::OrderView;
use entrepot_core::{company::Warehouse, service::Service};
use serde::Serialize;
use serde_json::Value;

use crate::{consignment::bird_status, format};

/// One consignment as Bird shows it; the optional tail holds what only some answers carry.
#[derive(Serialize)]
pub struct ConsignmentRow<'a> {
    id: String,
    client_id: &'a str,
    company_id: Option<String>,
    warehouse_id: Option<&'a str>,
    delivery_service_id: Option<String>,
    delivery_service_name: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'a str,
    status: &'static str,
    is_urgent: &'a str,
    sales_reference: Option<&'a str>,
    sales_order_id: Option<&'a str>,
    payment_reference: Option<&'a str>,
    pub delivery_reference: Option<String>,
    custom_identity_reference: Option<&'a str>,
    contact: &'a str,
    business_name: Option<&'a str>,
    address_line1: Option<&'a str>,
    address_line2: Option<&'a str>,
    address_line3: Option<&'a str>,
    city: &'a str,
    county: Option<&'a str>,
    post_code: &'a str,
    country_iso: &'a str,
    telephone: Option<&'a str>,
    email: Option<&'a str>,
    special_instruction: Option<&'a str>,
    neighbour_instruction: Option<&'a str>,
    sender_contact: Option<&'a str>,
    sender_business_name: Option<&'a str>,
    sender_address_line1: Option<&'a str>,
    sender_city: Option<&'a str>,
    sender_post_code: Option<&'a str>,
    sender_country_iso: Option<&'a str>,
    ioss_vat_number: Option<&'a str>,
    shipper_eori: Option<&'a str>,
    reason_for_export: Option<&'a str>,
    content_type: Option<&'a str>,
    omp_name: Option<&'a str>,
    omp_vat_number: Option<&'a str>,
    receiver_eori: Option<&'a str>,
    receiver_pid_number: Option<&'a str>,
    is_compensation_for_delay: &'a str,
    return_consignment_action_type: Option<&'a str>,
    sales_price: Option<&'a str>,
    currency_code: &'a str,
    total_weight: String,
    total_volume: String,
    total_volume_weight: String,
    total_fee_weight: String,
    total_handling_fee: String,
    total_delivery_fee: String,
    total_price: String,
    pub consignment_product_quantity: String,
    consignment_product_reference: String,
    create_time: Option<String>,
    update_time: Option<String>,
    primary_keys: [&'static str; 1],
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

impl<'a> ConsignmentRow<'a> {
    /// `o` with its site and service, when known.
    pub fn new(o: &'a OrderView, warehouse: Option<&'a Warehouse>, service: Option<&'a Service>) -> Self {
        let a = |k: &str| o.attributes.get(k).map(String::as_str);
        let line = |n: usize| o.recipient.lines.get(n).map(String::as_str);
        let s = o.sender.as_ref();
        let qty: i64 = o.lines.iter().map(|l| l.1).sum();
        let mut product_refs = String::new();
        for (k, l) in o.lines.iter().enumerate() {
            if k > 0 {
                product_refs.push(',');
            }
            product_refs.push_str(&l.0 .0.to_string());
        }
        ConsignmentRow {
            id: o.bird_id.to_string(),
            client_id: &o.client_id.0,
            company_id: warehouse.and_then(|w| w.bird_company_id).map(|i| i.to_string()),
            warehouse_id: warehouse.map(|w| w.code.as_str()),
            delivery_service_id: service.and_then(|s| s.bird_id).map(|i| i.to_string()),
            delivery_service_name: service.map(|s| s.name.as_str()),
            kind: o.kind.as_str(),
            status: bird_status(o.status),
            is_urgent: a("is_urgent").unwrap_or("0"),
            sales_reference: o.sales_reference.as_deref(),
            sales_order_id: o.platform_order_id.as_deref(),
            payment_reference: a("payment_reference"),
            delivery_reference: o.tracking_number.clone(),
            custom_identity_reference: o.identity_ref.as_deref(),
            contact: &o.recipient.name,
            business_name: o.recipient.company.as_deref(),
            address_line1: line(0),
            address_line2: line(1),
            address_line3: line(2),
            city: &o.recipient.city,
            county: o.recipient.county.as_deref(),
            post_code: &o.recipient.postcode,
            country_iso: &o.recipient.country,
            telephone: o.recipient.phone.as_deref(),
            email: o.recipient.email.as_deref(),
            special_instruction: a("special_instruction"),
            neighbour_instruction: a("neighbour_instruction"),
            sender_contact: s.map(|s| s.name.as_str()),
            sender_business_name: s.and_then(|s| s.company.as_deref()),
            sender_address_line1: s.and_then(|s| s.lines.first().map(String::as_str)),
            sender_city: s.map(|s| s.city.as_str()),
            sender_post_code: s.map(|s| s.postcode.as_str()),
            sender_country_iso: s.map(|s| s.country.as_str()),
            ioss_vat_number: o.customs.ioss.as_deref(),
            shipper_eori: o.customs.shipper_eori.as_deref(),
            reason_for_export: o.customs.reason_for_export.as_deref(),
            content_type: o.customs.content_type.as_deref(),
            omp_name: o.platform.as_deref(),
            omp_vat_number: a("omp_vat_number"),
            receiver_eori: a("receiver_eori"),
            receiver_pid_number: a("receiver_pid_number"),
            is_compensation_for_delay: a("is_compensation_for_delay").unwrap_or("0"),
            return_consignment_action_type: a("return_consignment_action-id"),
            sales_price: a("sales_price"),
            currency_code: o.currency.as_str(),
            total_weight: format::decimal_text(o.weight_g),
            total_volume: format::thousandths(o.volume_mm3),
            total_volume_weight: format::decimal_text(o.chargeable_weight_g.max(0).min(o.volume_mm3 / 5000)),
            total_fee_weight: format::decimal_text(o.chargeable_weight_g),
            total_handling_fee: format::money_text(o.handling_fee),
            total_delivery_fee: format::money_text(o.delivery_fee),
            total_price: format::money_text(o.total_fee()),
            consignment_product_quantity: qty.to_string(),
            consignment_product_reference: product_refs,
            create_time: format::time_text(o.created_at_ms),
            update_time: format::time_text(o.updated_at_ms),
            primary_keys: ["id"],
            thirty_system_id: None,
            delivery_package_size_id: None,
            packages: None,
            label_format: None,
            label: None,
        }
    }

    /// The row as a JSON object, for listing filters, sorting and field selection.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
