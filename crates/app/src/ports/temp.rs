//! Bird's bulk ("temp") consignment rows, before they become orders.

use async_trait::async_trait;
use entrepot_core::{ids::*, outbound::OrderKind, CoreResult};

use crate::types::temp::*;

#[async_trait]
pub trait TempPort: Send + Sync {
    /// Stores uploaded rows (all or none); returns their ids in order.
    async fn create_temp_consignments(
        &self,
        tenant: &ClientId,
        warehouse: &WarehouseId,
        rows: Vec<(OrderKind, Option<String>, serde_json::Value)>,
    ) -> CoreResult<Vec<i64>>;
    /// Records the order a temp row became.
    async fn mark_temp_converted(&self, tenant: &ClientId, id: i64, order: &OrderId, bird_id: i64) -> CoreResult<()>;
    /// Records why a temp row could not be converted.
    async fn mark_temp_problem(&self, tenant: &ClientId, id: i64, problem: &str) -> CoreResult<()>;
    /// The tenant's temp rows: these ids, or every unconverted row of a kind at a warehouse
    /// (with the problem rows too when asked).
    async fn temp_consignments(
        &self,
        tenant: &ClientId,
        ids: &[i64],
        kind: Option<OrderKind>,
        warehouse: Option<&WarehouseId>,
        include_problems: bool,
    ) -> CoreResult<Vec<TempConsignment>>;
}
