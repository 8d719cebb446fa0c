use std::collections::BTreeMap;

use entrepot_core::{
    company::Address,
    compliance::OrderOptions,
    ids::{ClientId, OrderId, ServiceId, SkuId, WarehouseId},
    money::Money,
    outbound::{Customs, NewOutbound, OrderKind, OutboundStatus},
    sale::LineSale,
    service::Parcel,
    sku::{CustomsProperty, Sku},
    CoreError, CoreResult,
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
    /// Urgent handling, compensation for delay.
    pub options: OrderOptions,
    pub lines: Vec<(SkuId, i64)>,
    pub weight_g: i64,
    pub volume_mm3: i64,
    pub chargeable_weight_g: i64,
    pub currency: String,
    pub handling_fee: i64,
    pub delivery_fee: i64,
    pub tracking_number: Option<String>,
    pub carrier: Option<String>,
    /// Why the client cancelled the order (OC's `cancelReason`), when it said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// The order's own platform sales price (Bird's consignment `sales_price`).
    pub sales_price: Option<Money>,
    /// Each line's platform sales price and eBay ids, by SKU (lines are one per SKU).
    pub line_sales: BTreeMap<SkuId, LineSale>,
    /// Lines on SKUs another client shares with this one: that owner, by SKU. Their units are
    /// reserved and shipped from the owner's stock.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub owners: BTreeMap<SkuId, ClientId>,
    /// The warehouse-local day it is due to leave (`YYYY-MM-DD`), from the cut-off and calendar
    /// at submission; none for drafts (and orders submitted before due dates existed).
    pub due_date: Option<String>,
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

    /// Whose stock the line of `sku` draws on: a shared SKU's owner, else the order's client.
    pub fn owner_of(&self, sku: SkuId) -> &ClientId {
        self.owners.get(&sku).unwrap_or(&self.client_id)
    }

    /// The SKUs the lines of `orders` name, by whose SKUs they are (a shared SKU's owner, else
    /// the order's client), each once and in order: how their SKU records are read.
    pub fn skus_by_owner<'a>(orders: impl IntoIterator<Item = &'a OrderView>) -> BTreeMap<&'a ClientId, Vec<SkuId>> {
        let mut by_owner: BTreeMap<&ClientId, Vec<SkuId>> = BTreeMap::new();
        for o in orders {
            for (sku, _) in &o.lines {
                by_owner.entry(o.owner_of(*sku)).or_default().push(*sku);
            }
        }
        for ids in by_owner.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        by_owner
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
            options: self.options,
            sales_price: self.sales_price.clone(),
            line_sales: self.line_sales.clone(),
        }
    }
}

/// One line of an order, with the id Bird shows as a consignment-product id.
#[derive(Debug, Clone, Serialize)]
pub struct OrderLine {
    pub line_id: i64,
    pub order_id: OrderId,
    pub sku_id: SkuId,
    pub qty: i64,
    /// Its platform sales price and eBay ids, when the client gave them.
    pub sale: LineSale,
    /// The owner of its SKU when another client shares it with the order's client.
    pub owner: Option<ClientId>,
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
    /// This and the next and `tracking_number` match without regard to case, as Bird's MySQL
    /// compares text.
    pub sales_reference: Option<String>,
    pub identity_ref: Option<String>,
    pub platform_order_ids: Vec<String>,
    pub tracking_number: Option<String>,
    pub created_from_ms: Option<i64>,
    pub created_to_ms: Option<i64>,
    pub offset: i64,
    /// 0 or negative: no limit.
    pub limit: i64,
    /// Count matching orders only up to this many (a page says "10,000+" rather than count a
    /// million); 0 or negative: count them all.
    pub count_cap: i64,
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
    /// The line's platform sales price and eBay ids.
    pub sale: LineSale,
}

/// One agent-direct order: the order and its products. Lines the order already has (existing
/// SKUs, as a mixed batch's stock orders name them) are kept; the products' lines are added.
#[derive(Debug, Clone)]
pub struct AgentDirectOrder {
    pub order: NewOutbound,
    pub service: ServiceId,
    pub products: Vec<AgentProduct>,
}

/// Orders to place, as the caller resolved them (SKUs, service, site): one kind per batch.
#[derive(Debug, Clone)]
pub enum OrderBatch {
    /// Orders of the client's stocked SKUs. `known_skus` are SKUs the caller has just read for
    /// this client, so that only the others are read again.
    Stock { orders: Vec<(NewOutbound, ServiceId)>, known_skus: Vec<Sku> },
    /// Agent-direct orders, whose products are created or updated with them.
    AgentDirect(Vec<AgentDirectOrder>),
    /// Orders whose parcels the client declares (no SKU lines, no stock); always submitted.
    Parcels(Vec<(NewOutbound, ServiceId, Parcel)>),
}

impl OrderBatch {
    pub fn len(&self) -> usize {
        match self {
            Self::Stock { orders, .. } => orders.len(),
            Self::AgentDirect(v) => v.len(),
            Self::Parcels(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The clients the orders name (agent-direct orders are the tenant's by construction).
    fn clients(&self) -> Vec<&ClientId> {
        match self {
            Self::Stock { orders, .. } => orders.iter().map(|(n, _)| &n.client_id).collect(),
            Self::AgentDirect(v) => v.iter().map(|o| &o.order.client_id).collect(),
            Self::Parcels(v) => v.iter().map(|(n, _, _)| &n.client_id).collect(),
        }
    }

    /// True when every order is `tenant`'s.
    pub fn all_of(&self, tenant: &ClientId) -> bool {
        self.clients().into_iter().all(|c| c == tenant)
    }

    /// The batch cut into batches of one order, in order.
    pub fn each(self) -> Vec<OrderBatch> {
        match self {
            Self::Stock { orders, known_skus } => orders
                .into_iter()
                .map(|o| {
                    let known = known_skus.iter().filter(|s| o.0.lines.iter().any(|l| l.0 == s.id)).cloned().collect();
                    Self::Stock { orders: vec![o], known_skus: known }
                })
                .collect(),
            Self::AgentDirect(v) => v.into_iter().map(|o| Self::AgentDirect(vec![o])).collect(),
            Self::Parcels(v) => v.into_iter().map(|o| Self::Parcels(vec![o])).collect(),
        }
    }
}

/// A SKU written in the transaction of the orders that name it (an agent-direct product). A new
/// one carries a provisional id ([`SkuWrite::provisional`]), which the orders' lines use too,
/// until the storage numbers it.
#[derive(Debug, Clone)]
pub struct SkuWrite {
    pub sku: Sku,
    pub new: bool,
    /// The last 1-based row of the batch that described it, named in an error.
    pub line: usize,
}

impl SkuWrite {
    /// The provisional id of the `k`-th (0-based) new SKU of a batch: negative, never a stored id.
    pub fn provisional(k: usize) -> SkuId {
        SkuId(-1 - k as i64)
    }

    /// Which new SKU a provisional id stands for (0-based), if it is one.
    pub fn provisional_index(id: SkuId) -> Option<usize> {
        usize::try_from((-1_i64).checked_sub(id.0)?).ok()
    }

    /// The new SKU under the id the storage gave it, with the numbers derived from the id.
    pub fn numbered(&mut self, id: SkuId) {
        self.sku.id = id;
        self.sku.mfskuid = entrepot_core::ids::oc_mfskuid(id.0);
    }
}

/// Orders as the storage writes them: what [`crate::App::place_orders`] makes of an
/// [`OrderBatch`], with everything resolved.
#[derive(Debug, Clone)]
pub enum OrderWrite {
    /// Orders of the client's SKUs. `known_skus` are SKUs just read for this client (only the
    /// others are read again); `skus` are created or changed in the same transaction.
    Stock { orders: Vec<(NewOutbound, ServiceId)>, known_skus: Vec<Sku>, skus: Vec<SkuWrite> },
    /// Orders whose parcels the client declares (no SKU lines, no stock); always submitted.
    Parcels(Vec<(NewOutbound, ServiceId, Parcel)>),
}

impl OrderWrite {
    /// True when every order is `tenant`'s.
    pub fn all_of(&self, tenant: &ClientId) -> bool {
        match self {
            Self::Stock { orders, .. } => orders.iter().all(|(n, _)| n.client_id == *tenant),
            Self::Parcels(v) => v.iter().all(|(n, _, _)| n.client_id == *tenant),
        }
    }
}

/// How a batch of orders is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// All or nothing: one refusal, naming its 1-based line, keeps none of the batch (Bird's
    /// uploads).
    Atomic,
    /// Each order on its own: a refusal is that order's alone, and names no line (a single
    /// order, OC's `createOutbound`).
    EachOnItsOwn,
}

/// What [`crate::App::place_orders`] did: one result per order, in order.
#[derive(Debug)]
pub struct PlacedOrders(pub Vec<CoreResult<OrderView>>);

impl PlacedOrders {
    /// Every order, or the first refusal (all of them, for an atomic placement).
    pub fn all(self) -> CoreResult<Vec<OrderView>> {
        self.0.into_iter().collect()
    }

    /// The one order placed alone.
    pub fn one(self) -> CoreResult<OrderView> {
        self.0.into_iter().next().unwrap_or(Err(CoreError::Internal))
    }
}

/// A shipped order a tracking loop asks its carrier about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InTransit {
    pub order: OrderId,
    pub client: ClientId,
    pub tracking_number: String,
    pub carrier: String,
    /// When it was handed over, UTC ms.
    pub handed_over_ms: i64,
}

/// An order that waits for the warehouse's staff: stopped in EXCEPTION, or with an intercept
/// the client requested.
#[derive(Debug, Clone)]
pub struct StaffQueueItem {
    pub order: OrderView,
    pub intercept_requested: bool,
}
