use entrepot_core::{
    ids::{ClientId, OrderId, WarehouseId},
    outbound::OrderKind,
};
use serde::Serialize;

/// A temp row.
#[derive(Debug, Clone, Serialize)]
pub struct TempConsignment {
    pub id: i64,
    pub client_id: ClientId,
    pub warehouse_id: WarehouseId,
    pub kind: OrderKind,
    pub thirty_system_id: Option<String>,
    pub data: serde_json::Value,
    /// `NEW`, `CONVERTED` or `PROBLEM`.
    pub status: String,
    pub order_id: Option<OrderId>,
    pub bird_id: Option<i64>,
    pub problem: Option<String>,
    pub created_at_ms: i64,
}

/// The idempotency reference of the order a temp row becomes.
pub fn temp_order_reference(id: i64) -> String {
    format!("temp-{id}")
}
