//! From core reference data to Bird's rows.

use entrepot_core::{company::Warehouse, country::Country, service::Service};

use super::types::{service_status, CompanyRow, CountryRow, ReturnActionRow, ServiceRow, WarehouseRow};
use crate::{
    consignment::returns::{action_prices, RETURN_ACTIONS},
    format,
};

impl<'a> ServiceRow<'a> {
    /// `s` at the site whose Bird id is `company_id`.
    pub fn new(s: &'a Service, company_id: Option<i64>) -> Self {
        let c = &s.constraints;
        ServiceRow {
            id: s.bird_id.map(|i| i.to_string()),
            company_id: company_id.map(|i| i.to_string()),
            name: &s.name,
            locale_name: s.name_cn.as_deref(),
            code: &s.code,
            status: service_status(s.active),
            consignment_type: c.consignment_type.map_or("LOCAL", |k| k.as_str()),
            is_tracking: s.tracking.into(),
            is_signature: s.signature.into(),
            is_express: s.express.into(),
            is_international: (c.destinations.len() != 1).into(),
            is_customs_required: (c.requires_ioss_for_eu || c.requires_shipper_eori || !c.requires.is_empty()).into(),
            is_internal: false.into(),
            is_allow_urgent_consignment: (!c.refuses_urgent).into(),
            is_hide_delivery_reference_to_consignment: false.into(),
            is_check_post_code: false.into(),
            is_check_telephone: false.into(),
            restrict_max_length_contact: "100",
            restrict_max_length_address_line1: "100",
            restrict_max_length_address_line2: "100",
            restrict_max_length_address_line3: "100",
            restrict_max_length_post_code: "10",
            restrict_regex_post_code: (),
            restrict_regex_telephone: (),
            max_weight: c.max_weight_g.map(|g| g.to_string()),
            max_length: c.max_length_mm.map(|g| g.to_string()),
            destination_country_iso_list: c.destinations.join(","),
            forbidden_customs_property_list: c.forbidden.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(","),
            required_field_list: c.requires.iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
            is_allow_compensation_for_delay: c.compensation_for_delay.into(),
            handling_fee_urgent_consignment: format::money_text(s.rates.urgent_surcharge),
            currency_code: &s.rates.currency,
            special_type: (),
            consignment_notice_enable: false.into(),
            consignment_notice: (),
            primary_keys: ["id"],
        }
    }
}

impl From<&Country> for CountryRow {
    fn from(c: &Country) -> Self {
        CountryRow { id: c.iso2, iso: c.iso2, country_iso: c.iso2, name: c.name, primary_keys: ["id"] }
    }
}

impl<'a> CompanyRow<'a> {
    /// A site, if it has a Bird id.
    pub fn new(w: &'a Warehouse) -> Option<Self> {
        let id = w.bird_company_id?;
        Some(CompanyRow { id: id.to_string(), site_name: &w.name, code: &w.code, country_iso: &w.country })
    }
}

impl<'a> From<&'a Warehouse> for WarehouseRow<'a> {
    fn from(w: &'a Warehouse) -> Self {
        WarehouseRow {
            id: w.bird_company_id.map(|i| i.to_string()),
            company_id: w.bird_company_id.map(|i| i.to_string()),
            code: &w.code,
            name: &w.name,
            contact: &w.address.name,
            address_line1: w.address.lines.first().map(String::as_str),
            address_line2: w.address.lines.get(1).map(String::as_str),
            city: &w.address.city,
            post_code: &w.address.postcode,
            country_iso: &w.country,
            timezone: &w.timezone,
            primary_keys: ["id"],
        }
    }
}

/// The return actions as offered at the site whose Bird id is `company`, priced from its returns
/// rate card: `cost` per return, `product_unit_price` per unit.
pub fn return_action_rows(
    company: i64,
    rates: &entrepot_core::returns::ReturnRates,
) -> impl Iterator<Item = ReturnActionRow<'static>> + '_ {
    RETURN_ACTIONS.iter().map(move |(id, kind, name, action)| {
        let (cost, per_unit) = action_prices(rates, *action);
        ReturnActionRow {
            id: id.to_string(),
            company_id: company.to_string(),
            name,
            kind,
            cost: format::money_text(cost),
            weight_unit_price: "0.000",
            volume_unit_price: "0.000",
            sku_unit_price: "0.000",
            product_unit_price: format::money_text(per_unit),
            return_consignment_type: "SINGLE",
            status: "ACTIVE",
            primary_keys: ["id"],
        }
    })
}
