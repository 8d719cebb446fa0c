use std::collections::BTreeMap;

use entrepot_core::{
    company::Address,
    ids::{ClientId, OrderId, ServiceId, SkuId, WarehouseId},
    outbound::{Customs, NewOutbound, OrderKind, OutboundStatus},
    sku::CustomsProperty,
};
use serde::Serialize;

/// An order as stored, with everything both dialects show.
#[derive(Debug, Clone, Serialize)]
pub struct OrderView {
    pub id: OrderId,
    pub client_id: ClientId,
    pub warehouse_id: WarehouseId,
    pub service_id: ServiceId,
    pub reference: String,
    pub kind: OrderKind,
    pub identity_ref: Option<String>,
    pub sales_reference: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub bird_id: i64,
    pub oc_number: String,
    pub status: OutboundStatus,
    pub platform: Option<String>,
    pub platform_order_id: Option<String>,
    pub recipient: Address,
    pub sender: Option<Address>,
    pub customs: Customs,
    pub lines: Vec<(SkuId, i64)>,
    pub weight_g: i64,
    pub volume_mm3: i64,
    pub chargeable_weight_g: i64,
    pub currency: String,
    pub handling_fee: i64,
    pub delivery_fee: i64,
    pub tracking_number: Option<String>,
    pub carrier: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl OrderView {
    /// Handling plus delivery, for display (saturating; the ledger uses [`Self::checked_total_fee`]).
    pub fn total_fee(&self) -> i64 {
        self.handling_fee.saturating_add(self.delivery_fee)
    }

    /// Handling plus delivery, as held and charged; a sum that does not fit is an error, never a
    /// wrap.
    pub fn checked_total_fee(&self) -> entrepot_core::CoreResult<i64> {
        self.handling_fee.checked_add(self.delivery_fee).ok_or_else(|| entrepot_core::limits::too_large("fee"))
    }

    /// The order as a request again, to re-plan a draft at submission.
    pub fn as_new(&self) -> NewOutbound {
        NewOutbound {
            client_id: self.client_id.clone(),
            reference: self.reference.clone(),
            kind: self.kind,
            identity_ref: self.identity_ref.clone(),
            sales_reference: self.sales_reference.clone(),
            attributes: self.attributes.clone(),
            platform: self.platform.clone(),
            platform_order_id: self.platform_order_id.clone(),
            recipient: self.recipient.clone(),
            sender: self.sender.clone(),
            lines: self.lines.clone(),
            customs: self.customs.clone(),
        }
    }
}

/// The result of placing an order.
#[derive(Debug, Clone, Serialize)]
pub struct Placed {
    pub order: OrderView,
}

/// One line of an order, with the id Bird shows as a consignment-product id.
#[derive(Debug, Clone, Serialize)]
pub struct OrderLine {
    pub line_id: i64,
    pub order_id: OrderId,
    pub sku_id: SkuId,
    pub qty: i64,
}

/// Which of a tenant's orders to list; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub bird_ids: Vec<i64>,
    pub oc_numbers: Vec<String>,
    pub references: Vec<String>,
    pub statuses: Vec<OutboundStatus>,
    pub kind: Option<OrderKind>,
    pub warehouse: Option<WarehouseId>,
    pub sales_reference: Option<String>,
    pub identity_ref: Option<String>,
    pub platform_order_ids: Vec<String>,
    pub tracking_number: Option<String>,
    pub created_from_ms: Option<i64>,
    pub created_to_ms: Option<i64>,
    pub offset: i64,
    /// 0 or negative: no limit.
    pub limit: i64,
}

/// A product of an agent-direct order as the client describes it. It is matched to the client's
/// SKU by `seller_sku`: a new one is created from these fields, an existing one takes every field
/// given (`None` keeps the stored value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentProduct {
    pub seller_sku: String,
    pub name_en: Option<String>,
    pub name_cn: Option<String>,
    pub weight_g: Option<i64>,
    /// Declared customs value in minor units of `declared_currency`.
    pub declared_value: Option<i64>,
    pub declared_currency: Option<String>,
    pub hs_code: Option<String>,
    pub origin_country: Option<String>,
    pub properties: Option<Vec<CustomsProperty>>,
    pub image_url: Option<String>,
    pub quantity: i64,
}

/// One agent-direct order: the order and its products. Lines the order already has (existing
/// SKUs, as a mixed batch's stock orders name them) are kept; the products' lines are added.
#[derive(Debug, Clone)]
pub struct AgentDirectOrder {
    pub order: NewOutbound,
    pub service: ServiceId,
    pub products: Vec<AgentProduct>,
}
