use entrepot_core::{
    ids::{ClientId, InboundId, SkuId, WarehouseId},
    inbound::{Inbound, ShippingMode},
};
use serde::Serialize;

/// An inbound order to create.
#[derive(Debug, Clone)]
pub struct NewInbound {
    pub warehouse_id: WarehouseId,
    /// The client's idempotency reference (OC `sellerInboundNumber`).
    pub reference: String,
    pub mode: ShippingMode,
    pub lines: Vec<(SkuId, i64)>,
    /// OC's `needClearanceDoc`: not received until its customs clearance documents are uploaded
    /// (see [`entrepot_core::inbound::Clearance`]).
    pub need_clearance_doc: bool,
    /// Dialect-specific details kept verbatim (boxes, ETA, customs data).
    pub details: serde_json::Value,
}

/// An inbound order as stored.
#[derive(Debug, Clone, Serialize)]
pub struct InboundView {
    pub id: InboundId,
    pub client_id: ClientId,
    pub warehouse_id: WarehouseId,
    pub reference: String,
    pub inbound: Inbound,
    pub details: serde_json::Value,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// Arrival at the dock (check-in, or the first unit counted), UTC ms: dock-to-stock starts.
    pub arrived_at_ms: Option<i64>,
    /// When the last unit was put away (the order finished), UTC ms: dock-to-stock ends.
    pub available_at_ms: Option<i64>,
}

/// Which of a tenant's inbounds to find. The number and reference lists match either (an order
/// named by one list or the other); the time slot narrows whatever they found.
#[derive(Debug, Clone, Default)]
pub struct InboundSearch {
    pub numbers: Vec<String>,
    pub references: Vec<String>,
    /// Creation time, inclusive bounds in UTC milliseconds.
    pub created_from_ms: Option<i64>,
    pub created_to_ms: Option<i64>,
    pub offset: i64,
    /// 0 or negative: no limit.
    pub limit: i64,
}
