//! Bird's reference-data shapes, and the return actions it offers.

use serde::Serialize;

use crate::listing::{Column, Columns};

/// The types of [`ServiceRow`]'s columns, which list filters read their values as (LB filters
/// `is_internal` with `false`); the columns not named here are text.
pub const SERVICE_COLUMNS: Columns = &[
    ("id", Column::Integer),
    ("company_id", Column::Integer),
    ("is_tracking", Column::Boolean),
    ("is_signature", Column::Boolean),
    ("is_express", Column::Boolean),
    ("is_international", Column::Boolean),
    ("is_customs_required", Column::Boolean),
    ("is_internal", Column::Boolean),
    ("is_allow_urgent_consignment", Column::Boolean),
    ("is_allow_compensation_for_delay", Column::Boolean),
    ("handling_fee_urgent_consignment", Column::Decimal),
    ("is_hide_delivery_reference_to_consignment", Column::Boolean),
    ("is_check_post_code", Column::Boolean),
    ("is_check_telephone", Column::Boolean),
    ("restrict_max_length_contact", Column::Integer),
    ("restrict_max_length_address_line1", Column::Integer),
    ("restrict_max_length_address_line2", Column::Integer),
    ("restrict_max_length_address_line3", Column::Integer),
    ("restrict_max_length_post_code", Column::Integer),
    ("max_weight", Column::Decimal),
    ("max_length", Column::Decimal),
    ("consignment_notice_enable", Column::Boolean),
];

/// [`CountryRow`]'s columns are all text.
pub const COUNTRY_COLUMNS: Columns = &[];

/// The types of [`WarehouseRow`]'s columns, as [`SERVICE_COLUMNS`].
pub const WAREHOUSE_COLUMNS: Columns = &[("id", Column::Integer), ("company_id", Column::Integer)];

/// The types of [`ReturnActionRow`]'s columns, as [`SERVICE_COLUMNS`].
pub const RETURN_ACTION_COLUMNS: Columns = &[
    ("id", Column::Integer),
    ("company_id", Column::Integer),
    ("cost", Column::Decimal),
    ("weight_unit_price", Column::Decimal),
    ("volume_unit_price", Column::Decimal),
    ("sku_unit_price", Column::Decimal),
    ("product_unit_price", Column::Decimal),
];

/// A delivery service with its restriction columns: `GET /client/Delivery-Service`.
#[derive(Serialize)]
pub struct ServiceRow<'a> {
    pub id: Option<String>,
    pub company_id: Option<String>,
    pub name: &'a str,
    pub locale_name: Option<&'a str>,
    pub code: &'a str,
    /// [`service_status`].
    pub status: &'static str,
    pub consignment_type: &'static str,
    pub is_tracking: Flag,
    pub is_signature: Flag,
    pub is_express: Flag,
    pub is_international: Flag,
    pub is_customs_required: Flag,
    pub is_internal: Flag,
    pub is_allow_urgent_consignment: Flag,
    pub is_hide_delivery_reference_to_consignment: Flag,
    pub is_check_post_code: Flag,
    pub is_check_telephone: Flag,
    pub restrict_max_length_contact: &'static str,
    pub restrict_max_length_address_line1: &'static str,
    pub restrict_max_length_address_line2: &'static str,
    pub restrict_max_length_address_line3: &'static str,
    pub restrict_max_length_post_code: &'static str,
    pub restrict_regex_post_code: (),
    pub restrict_regex_telephone: (),
    pub max_weight: Option<String>,
    pub max_length: Option<String>,
    pub destination_country_iso_list: String,
    pub forbidden_customs_property_list: String,
    /// Ours: the compliance fields the service requires and when (`shipper_eori`,
    /// `receiver_eori:business`, `receiver_pid_number:NO,ES,IT`), comma-separated.
    pub required_field_list: String,
    /// Ours: whether an order may ask for compensation for delay (`is_compensation_for_delay`).
    pub is_allow_compensation_for_delay: Flag,
    /// What an urgent consignment adds to its handling fee.
    pub handling_fee_urgent_consignment: String,
    pub currency_code: &'a str,
    pub special_type: (),
    pub consignment_notice_enable: Flag,
    pub consignment_notice: (),
    pub primary_keys: [&'static str; 1],
}

/// Bird's boolean column: the string `"1"` or `"0"`.
#[derive(Serialize, Clone, Copy)]
pub enum Flag {
    #[serde(rename = "1")]
    Yes,
    #[serde(rename = "0")]
    No,
}

impl From<bool> for Flag {
    fn from(b: bool) -> Self {
        if b {
            Flag::Yes
        } else {
            Flag::No
        }
    }
}

/// One ISO 3166-1 country: `GET /client/Country`.
#[derive(Serialize)]
pub struct CountryRow {
    pub id: &'static str,
    pub iso: &'static str,
    pub country_iso: &'static str,
    pub name: &'static str,
    pub primary_keys: [&'static str; 1],
}

/// One site: `GET /client/public/company-list`.
#[derive(Serialize)]
pub struct CompanyRow<'a> {
    pub id: String,
    pub site_name: &'a str,
    pub code: &'a str,
    pub country_iso: &'a str,
}

/// A warehouse with its address: `GET /client/Warehouse`.
#[derive(Serialize)]
pub struct WarehouseRow<'a> {
    pub id: Option<String>,
    pub company_id: Option<String>,
    pub code: &'a str,
    pub name: &'a str,
    pub contact: &'a str,
    pub address_line1: Option<&'a str>,
    pub address_line2: Option<&'a str>,
    pub city: &'a str,
    pub post_code: &'a str,
    pub country_iso: &'a str,
    pub timezone: &'a str,
    pub primary_keys: [&'static str; 1],
}

/// What the warehouse can do with a return: `GET /client/return-consignment-action`.
#[derive(Serialize)]
pub struct ReturnActionRow<'a> {
    pub id: String,
    pub company_id: String,
    pub name: &'a str,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub cost: String,
    pub weight_unit_price: &'static str,
    pub volume_unit_price: &'static str,
    pub sku_unit_price: &'static str,
    pub product_unit_price: String,
    pub return_consignment_type: &'static str,
    pub status: &'static str,
    pub primary_keys: [&'static str; 1],
}

/// Bird's status of a delivery service: ACTIVE, or DELETED once switched off.
pub fn service_status(active: bool) -> &'static str {
    if active {
        "ACTIVE"
    } else {
        "DELETED"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_strings() {
        assert_eq!(serde_json::to_value([Flag::from(true), Flag::from(false)]).unwrap(), serde_json::json!(["1", "0"]));
    }
}
