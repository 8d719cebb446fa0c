//! Between Bird's consignment fields and the core's outbound orders.

use std::collections::BTreeMap;

use entrepot_app::OrderView;
use entrepot_core::{
    company::{Address, Warehouse},
    compliance::OrderOptions,
    country,
    ids::ClientId,
    outbound::{Customs, NewOutbound, OrderKind},
    returns::{self, DAMAGED_ATTR, FEE_ATTR, GOOD_ATTR, OUTCOME_ATTR, STATUS_ATTR},
    service::Service,
};
use serde_json::{Map, Value};

use super::{
    returns::{bird_action, requested_action},
    status::{bird_return_status, bird_status},
    types::{ConsignmentFields, ConsignmentRow},
};
use crate::{
    envelope::BirdError,
    fields::{read_map, Text},
    format,
};

impl ConsignmentFields {
    /// The fields a consignment keeps verbatim for the ERP (the core does not interpret them),
    /// under the names Bird shows them back.
    pub fn attributes(&self) -> BTreeMap<String, String> {
        [
            ("payment_reference", &self.payment_reference),
            ("special_instruction", &self.special_instruction),
            ("neighbour_instruction", &self.neighbour_instruction),
            ("return_consignment_action-id", &self.return_consignment_action_id),
            ("thirty_system_id", &self.thirty_system_id),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.take().map(|v| (k.to_owned(), v)))
        .collect()
    }

    /// The order kind (`type`), LOCAL when absent.
    pub fn kind(&self) -> Result<OrderKind, BirdError> {
        match self.kind.get() {
            Some(t) => Ok(t.parse::<OrderKind>()?),
            None => Ok(OrderKind::Local),
        }
    }

    /// The destination: `country_iso`, or an English `country_name` (bulk uploads); `UK` means GB.
    fn destination(&self) -> Result<String, BirdError> {
        if let Some(iso) = self.country_iso.get() {
            if iso.eq_ignore_ascii_case("UK") {
                return Ok("GB".into());
            }
            return country::by_code(iso)
                .map(|c| c.iso2.to_owned())
                .ok_or_else(|| BirdError::bad(format!("Unknown country_iso '{iso}'")));
        }
        if let Some(name) = self.country_name.get() {
            return country::by_name(name)
                .map(|c| c.iso2.to_owned())
                .ok_or_else(|| BirdError::bad(format!("Unknown country_name '{name}'")));
        }
        Err(BirdError::bad("country_iso is required"))
    }

    /// The core order these fields describe, without its products.
    pub fn to_outbound(&self, client: &ClientId) -> Result<NewOutbound, BirdError> {
        let line = |a: &Text, b: &Text| a.take().or_else(|| b.take());
        let recipient = Address {
            name: self.contact.take().ok_or_else(|| BirdError::bad("contact is required"))?,
            company: self.business_name.take(),
            lines: [
                line(&self.address_line1, &self.address_line_1),
                line(&self.address_line2, &self.address_line_2),
                line(&self.address_line3, &self.address_line_3),
            ]
            .into_iter()
            .flatten()
            .collect(),
            city: self.city.take().ok_or_else(|| BirdError::bad("city is required"))?,
            county: self.county.take(),
            postcode: self.post_code.take().unwrap_or_default(),
            country: self.destination()?,
            phone: self.telephone.take(),
            email: self.email.take(),
        };
        if recipient.lines.is_empty() {
            return Err(BirdError::bad("address_line1 is required"));
        }
        let sender = self.sender_contact.take().map(|name| Address {
            name,
            company: self.sender_business_name.take(),
            lines: [&self.sender_address_line1, &self.sender_address_line2, &self.sender_address_line3]
                .iter()
                .filter_map(|t| t.take())
                .collect(),
            city: self.sender_city.take().unwrap_or_default(),
            county: self.sender_county.take(),
            postcode: self.sender_post_code.take().unwrap_or_default(),
            country: self.sender_country_iso.take().unwrap_or_default(),
            phone: self.sender_telephone.take(),
            email: self.sender_email.take(),
        });
        let kind = self.kind()?;
        let mut attributes = self.attributes();
        if kind == OrderKind::Return {
            let action = requested_action(&self.return_consignment_action_id, &self.return_consignment_action_type)?;
            attributes.insert("return_consignment_action-id".into(), bird_action(action).0.to_string());
            attributes.insert(returns::ACTION_ATTR.into(), action.as_str().into());
            if let Some(t) = self.delivery_reference.take() {
                if t.chars().count() > 50 {
                    return Err(BirdError::bad("delivery_reference must be at most 50 characters"));
                }
                attributes.insert(returns::TRACKING_ATTR.into(), t);
            }
        }
        Ok(NewOutbound {
            client_id: client.clone(),
            reference: String::new(),
            kind,
            identity_ref: self.custom_identity_reference.take(),
            sales_reference: self.sales_reference.take(),
            attributes,
            platform: self.omp_name.take(),
            platform_order_id: self.sales_order_id.take(),
            recipient,
            sender,
            lines: vec![],
            customs: Customs {
                ioss: self.ioss_vat_number.take(),
                shipper_eori: self.shipper_eori.take(),
                reason_for_export: self.reason_for_export.take(),
                content_type: self.content_type.take(),
                omp_vat_number: self.omp_vat_number.take(),
                receiver_eori: self.receiver_eori.take(),
                receiver_pid_number: self.receiver_pid_number.take(),
            },
            options: OrderOptions {
                urgent: self.is_urgent.flag("is_urgent")?,
                compensation_for_delay: self.is_compensation_for_delay.flag("is_compensation_for_delay")?,
            },
            sales_price: crate::sale::price("sales_price", self.sales_price.get())?,
            line_sales: Default::default(),
        })
    }
}

/// Reads Bird's consignment fields into a core order (without its products).
pub fn new_outbound(client: &ClientId, m: &Map<String, Value>) -> Result<NewOutbound, BirdError> {
    read_map::<ConsignmentFields>(m)?.to_outbound(client)
}

impl<'a> ConsignmentRow<'a> {
    /// `o` with its site and service, when known.
    pub fn new(o: &'a OrderView, warehouse: Option<&'a Warehouse>, service: Option<&'a Service>) -> Self {
        let a = |k: &str| o.attributes.get(k).map(String::as_str);
        let line = |n: usize| o.recipient.lines.get(n).map(String::as_str);
        let s = o.sender.as_ref();
        let qty: i64 = o.lines.iter().map(|l| l.1).sum();
        // Orders placed before migration 29 hold the consignment's price as text, shown as sent.
        let sales_price = o.sales_price.as_ref().map(crate::sale::price_text);
        let total_sales_price = entrepot_core::sale::order_total(&o.lines, &o.line_sales).unwrap_or(0);
        // A return's action as Bird names it, and its progress on the floor.
        let requested = match o.kind {
            OrderKind::Return => a(returns::ACTION_ATTR).and_then(|x| x.parse().ok()).map(bird_action),
            _ => None,
        };
        let return_status = match o.kind {
            OrderKind::Return => a(STATUS_ATTR).and_then(|x| x.parse().ok()),
            _ => None,
        };
        // The internal returns service is no delivery service the ERP knows.
        let service = service.filter(|s| s.code != returns::RETURN_SERVICE_CODE);
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
            status: return_status.map(bird_return_status).unwrap_or_else(|| bird_status(o.status)),
            // Orders placed before the core knew the options kept them as text.
            is_urgent: if o.options.urgent { "1" } else { a("is_urgent").unwrap_or("0") },
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
            omp_vat_number: o.customs.omp_vat_number.as_deref().or(a("omp_vat_number")),
            receiver_eori: o.customs.receiver_eori.as_deref().or(a("receiver_eori")),
            receiver_pid_number: o.customs.receiver_pid_number.as_deref().or(a("receiver_pid_number")),
            is_compensation_for_delay: if o.options.compensation_for_delay {
                "1"
            } else {
                a("is_compensation_for_delay").unwrap_or("0")
            },
            return_consignment_action_type: requested.map(|r| r.1).or(a("return_consignment_action-id")),
            return_consignment_action_name: requested.map(|r| r.2),
            return_received_quantity: a(GOOD_ATTR),
            return_damaged_quantity: a(DAMAGED_ATTR),
            return_outcome_type: a(OUTCOME_ATTR).and_then(|x| x.parse().ok()).map(|x| bird_action(x).1),
            return_fee: a(FEE_ATTR),
            sales_price: sales_price.map(std::borrow::Cow::Owned).or(a("sales_price").map(std::borrow::Cow::Borrowed)),
            total_sales_price: format::money_text(total_sales_price),
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::fields::read;

    #[test]
    fn consignment_fields_in_any_case_become_an_order() {
        let v = json!({"CONTACT": " Ann ", "Address_Line_1": "1 Road", "city": "London", "Country_ISO": "uk",
                       "post_code": 12345, "type": "", "Is_Urgent": 1, "return_consignment_action-id": "91",
                       "business_name": ["not text"], "sender_contact": ""});
        let f: ConsignmentFields = read(&v).unwrap();
        let o = f.to_outbound(&ClientId("cli_1".into())).unwrap();
        assert_eq!(
            (
                o.recipient.name.as_str(),
                o.recipient.lines.clone(),
                o.recipient.country.as_str(),
                o.recipient.postcode.as_str()
            ),
            ("Ann", vec!["1 Road".to_owned()], "GB", "12345")
        );
        assert_eq!((o.kind, o.recipient.company, o.sender), (OrderKind::Local, None, None));
        let attrs: Vec<(&str, &str)> = o.attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(attrs, vec![("return_consignment_action-id", "91")]);
        assert_eq!(o.options, OrderOptions { urgent: true, compensation_for_delay: false });
        let missing = |v: Value| read::<ConsignmentFields>(&v).unwrap().to_outbound(&ClientId::default()).unwrap_err();
        assert_eq!(missing(json!({"city": "x"})).message, "contact is required");
        assert_eq!(
            missing(json!({"contact": "x", "city": "y", "country_iso": "GB"})).message,
            "address_line1 is required"
        );
        assert_eq!(missing(json!({"contact": "x", "city": "y"})).message, "country_iso is required");
    }
}
