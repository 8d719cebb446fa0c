//! Outbound bodies to and from core types: an order of placeOutboundOrder to a [`NewOutbound`],
//! an order to OrdersQuery's row.

use std::{
    collections::{BTreeMap, HashMap},
    str::FromStr,
};

use entrepot_app::OrderView;
use entrepot_core::{
    company::{validate_country, Address, Warehouse},
    ids::{ClientId, SkuId},
    limits,
    money::{format_minor, Currency},
    outbound::{validate_ebay_order_id, NewOutbound, OrderKind, OutboundStatus},
    sale::{LineSale, MAX_EBAY_ID_CHARS},
    service::Service,
    CoreError,
};

use super::types::{oc_status, OrderCreated, OrderIn, OrderRow, ProductIn, RoutingOut, SkuLineOut, TrackingOut};
use serde_json::Value;

use crate::time::format_datetime;

/// The service an order names: its region and `shippingServiceCode`.
pub struct ServiceNamed {
    pub region: String,
    pub code: String,
}

/// One order of the call as a core order, with the region and code of the service it names (the
/// handler resolves them, after every other check).
pub fn new_outbound(
    client: &ClientId,
    o: &OrderIn,
    skus: &HashMap<String, SkuId>,
) -> Result<(NewOutbound, ServiceNamed), CoreError> {
    let reference = o.reference_number.required("referenceNumber", 50)?;
    let platform = o.order_platform.optional("orderPlatform", 50)?;
    let ebay_order_id = o.ebay_order_id.optional("ebayOrderId", 100)?;
    let ebay_id = o.ebay_id.optional("ebayId", 100)?;
    if platform.as_deref().is_some_and(|p| p.eq_ignore_ascii_case("ebay")) {
        let id =
            ebay_order_id.as_deref().ok_or_else(|| CoreError::invalid("ebayOrderId", "is required for eBay orders"))?;
        validate_ebay_order_id(id)?;
        if ebay_id.is_none() {
            return Err(CoreError::invalid("ebayId", "is required for eBay orders"));
        }
    }
    let region = o.service_region.required("serviceRegion", 20)?;
    let code = o.shipping_service_code.required("shippingServiceCode", 100)?;
    let mut line1 = o.consignee_address1.required("consigneeAddress1", 200)?;
    let house = o.house_number.optional("houseNumber", 10)?;
    if let Some(h) = &house {
        line1 = format!("{line1} {h}");
    }
    let recipient = Address {
        name: o.consignee_name.required("consigneeName", 100)?,
        company: o.company_name.optional("companyName", 100)?,
        lines: std::iter::once(line1).chain(o.consignee_address2.optional("consigneeAddress2", 200)?).collect(),
        city: o.consignee_city.required("consigneeCity", 100)?,
        county: o.consignee_province_or_state.optional("consigneeProvinceOrState", 100)?,
        postcode: o.consignee_zip_code.optional("consigneeZipCode", 10)?.unwrap_or_default(),
        country: validate_country(
            "consigneeCountryCode",
            &o.consignee_country_code.required("consigneeCountryCode", 2)?,
        )?,
        phone: o.consignee_phone.optional("consigneePhone", 100)?,
        email: o.consignee_email.optional("consigneeEmail", 100)?,
    };
    let mut attributes = std::collections::BTreeMap::new();
    attributes.insert(PLACED_THROUGH.to_owned(), "oc".to_owned());
    for (key, value) in [
        ("ebayId", ebay_id),
        ("houseNumber", house),
        ("remarks", o.remarks.optional("remarks", 500)?),
        ("fileGroupID", o.file_group_id.optional("fileGroupID", 255)?),
    ] {
        if let Some(v) = value {
            attributes.insert(key.to_owned(), v);
        }
    }
    let (lines, line_sales) = products(o, skus)?;
    let new = NewOutbound {
        client_id: client.clone(),
        reference,
        kind: OrderKind::Local,
        attributes,
        platform,
        platform_order_id: ebay_order_id,
        recipient,
        lines,
        line_sales,
        ..Default::default()
    };
    Ok((new, ServiceNamed { region, code }))
}

/// The order lines of a `productList`, and their eBay ids by SKU.
type Lines = (Vec<(SkuId, i64)>, BTreeMap<SkuId, LineSale>);

/// `productList[{mfSkuId, skuQuantity, eBayItemId, eBayTransactionId}]` as order lines.
fn products(o: &OrderIn, skus: &HashMap<String, SkuId>) -> Result<Lines, CoreError> {
    let list: Vec<ProductIn> = o.product_list.objects("productList")?;
    if list.is_empty() {
        return Err(CoreError::invalid("productList", "needs at least one product"));
    }
    limits::lines("productList", list.len())?;
    let mut sales: BTreeMap<SkuId, LineSale> = BTreeMap::new();
    let lines = list
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let field = |f: &str| format!("productList[{k}].{f}");
            let id =
                p.mf_sku_id.or(&p.sku_id).text().ok_or_else(|| CoreError::invalid(field("mfSkuId"), "is required"))?;
            let qty = p
                .sku_quantity
                .or(&p.quantity)
                .int("skuQuantity")
                .map_err(|_| CoreError::invalid(field("skuQuantity"), "must be a positive integer"))?
                .ok_or_else(|| CoreError::invalid(field("skuQuantity"), "is required"))?;
            if qty <= 0 {
                return Err(CoreError::invalid(field("skuQuantity"), format!("must be positive, not {qty}")));
            }
            limits::quantity(&field("skuQuantity"), qty)?;
            let sku = skus.get(&id.to_ascii_uppercase()).ok_or_else(|| CoreError::not_found("MFSKUID", &id))?;
            let sale = LineSale {
                sales_price: None,
                ebay_item_no: p.ebay_item_id.optional(&field("eBayItemId"), MAX_EBAY_ID_CHARS)?,
                ebay_transaction_id: p.ebay_transaction_id.optional(&field("eBayTransactionId"), MAX_EBAY_ID_CHARS)?,
            };
            if !sale.is_empty() {
                sales.entry(*sku).or_default().merge(sale, *sku).map_err(|e| match e {
                    CoreError::Validation { message, .. } => CoreError::invalid(field("eBayItemId"), message),
                    other => other,
                })?;
            }
            Ok((*sku, qty))
        })
        .collect::<Result<Vec<_>, CoreError>>()?;
    Ok((lines, sales))
}

impl From<&OrderView> for OrderCreated {
    fn from(o: &OrderView) -> Self {
        Self { order_number: o.oc_number.clone(), reference_number: o.reference.clone() }
    }
}

/// The attribute that marks an order placed through the OC API (OrdersQuery answers
/// `autoFulfillmentEF: false` for those, `true` for the orders Entrepot placed otherwise).
const PLACED_THROUGH: &str = "placedThrough";

/// An order as OrdersQuery shows it, with its service and warehouse and its SKUs' MFSKUIDs.
pub fn order_row(
    o: &OrderView,
    service: Option<&(Service, Warehouse)>,
    mfskuids: &HashMap<SkuId, String>,
    events: &[entrepot_core::tracking::TrackingEvent],
) -> OrderRow {
    let skus: Vec<SkuLineOut> = o
        .lines
        .iter()
        .map(|(id, qty)| {
            let sale = o.line_sales.get(id);
            SkuLineOut {
                mfskuid: mfskuids.get(id).cloned().unwrap_or_default(),
                sku_quantity: *qty,
                sn: "",
                ebay_item_id: sale.and_then(|s| s.ebay_item_no.clone()),
                ebay_transaction_id: sale.and_then(|s| s.ebay_transaction_id.clone()),
            }
        })
        .collect();
    let fee = if o.status == OutboundStatus::Cancelled { 0 } else { o.total_fee() };
    let tracking = TrackingOut {
        tracking_number: o.tracking_number.clone().unwrap_or_default(),
        order_number: o.oc_number.clone(),
        lm_carrier_code: service.map(|(s, _)| s.carrier.clone()).unwrap_or_default(),
        lm_carrier_name: o.carrier.clone().unwrap_or_default(),
        chargeable_weight: format!("{}.0000", o.chargeable_weight_g),
        chargeable_weight_unit: "g",
        fee_amount: amount(fee, &o.currency),
        fee_amount_currency: o.currency.clone(),
        sku_list: skus.clone(),
        routing_list: events
            .iter()
            .map(|e| RoutingOut {
                time: format_datetime(e.at_ms),
                code: e.code.as_str(),
                description: e.description.clone(),
                location: e.location.clone(),
            })
            .collect(),
    };
    OrderRow {
        order_number: o.oc_number.clone(),
        reference_number: o.reference.clone(),
        order_status: oc_status(o.status),
        // Orders Entrepot placed for the client itself (Bird, the console) are not the OC API's.
        auto_fulfillment_ef: o.attributes.get(PLACED_THROUGH).map(String::as_str) != Some("oc"),
        order_creation_time: format_datetime(o.created_at_ms),
        service_region: service.and_then(|(_, w)| w.oc_region.clone()).unwrap_or_default(),
        warehouse_code: service.map(|(_, w)| w.code.clone()).unwrap_or_default(),
        shipping_service_code: service.map(|(s, _)| s.code.clone()).unwrap_or_default(),
        order_platform: o.platform.clone(),
        ebay_order_id: o.platform_order_id.clone(),
        ebay_id: o.attributes.get("ebayId").cloned(),
        country: o.recipient.country.clone(),
        cancel_reason: o.cancel_reason.clone(),
        house_number: o.attributes.get("houseNumber").cloned(),
        remarks: o.attributes.get("remarks").cloned(),
        file_group_id: o.attributes.get("fileGroupID").cloned(),
        company_name: o.recipient.company.clone(),
        tracking_number_list: vec![tracking],
        sku_list: skus,
    }
}

/// A decimal amount as a JSON number, from integer minor units (text to number, no arithmetic).
pub fn amount(minor: i64, currency: &str) -> Value {
    let exponent = Currency::parse(currency).map(|c| c.exponent()).unwrap_or(2);
    serde_json::Number::from_str(&format_minor(minor, exponent)).map(Value::Number).unwrap_or(Value::Null)
}
