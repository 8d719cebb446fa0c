//! Background tasks and Bird's bulk ("temp") consignment rows. Reads forward to the ports; a use case that is more than one
//! port call is written here once.

use std::collections::BTreeMap;

use entrepot_core::{ids::*, outbound::OrderKind, CoreResult};

use crate::types::{tasks::*, temp::*};

use crate::App;

impl App {
    /// Claims the oldest runnable task of these kinds for `owner` until `lease_ms` from now:
    /// a queued one, or a running one whose lease has expired.
    pub async fn claim_task(&self, kinds: &[&str], owner: &str, lease_ms: i64) -> CoreResult<Option<Task>> {
        self.storage.claim_task(kinds, owner, lease_ms).await
    }

    /// Queues a task; returns it with its (numeric, Bird-visible) id.
    pub async fn enqueue_task(
        &self,
        client: Option<&ClientId>,
        kind: &str,
        params: serde_json::Value,
        total: i64,
    ) -> CoreResult<Task> {
        self.storage.enqueue_task(client, kind, params, total).await
    }

    /// Ends a task: FINISH, or ERROR with the reason.
    pub async fn finish_task(&self, id: i64, owner: &str, error: Option<&str>) -> CoreResult<()> {
        self.storage.finish_task(id, owner, error).await
    }

    /// Records the outcome of some items (merged into what is recorded) and the progress count.
    pub async fn record_task_progress(
        &self,
        id: i64,
        owner: &str,
        data: &BTreeMap<String, String>,
        errors: &BTreeMap<String, String>,
    ) -> CoreResult<bool> {
        self.storage.record_task_progress(id, owner, data, errors).await
    }

    /// Extends the lease; false if the task is no longer ours (another process took it over).
    pub async fn renew_task(&self, id: i64, owner: &str, lease_ms: i64) -> CoreResult<bool> {
        self.storage.renew_task(id, owner, lease_ms).await
    }

    /// A task, scoped to its client when `client` is given (Bird's status query).
    pub async fn task(&self, client: Option<&ClientId>, id: i64) -> CoreResult<Task> {
        self.storage.task(client, id).await
    }

    /// Stores uploaded rows (all or none); returns their ids in order.
    pub async fn create_temp_consignments(
        &self,
        tenant: &ClientId,
        warehouse: &WarehouseId,
        rows: Vec<(OrderKind, Option<String>, serde_json::Value)>,
    ) -> CoreResult<Vec<i64>> {
        self.storage.create_temp_consignments(tenant, warehouse, rows).await
    }

    /// Records the order a temp row became.
    pub async fn mark_temp_converted(
        &self,
        tenant: &ClientId,
        id: i64,
        order: &OrderId,
        bird_id: i64,
    ) -> CoreResult<()> {
        self.storage.mark_temp_converted(tenant, id, order, bird_id).await
    }

    /// Records why a temp row could not be converted.
    pub async fn mark_temp_problem(&self, tenant: &ClientId, id: i64, problem: &str) -> CoreResult<()> {
        self.storage.mark_temp_problem(tenant, id, problem).await
    }

    /// The tenant's temp rows: these ids, or every unconverted row of a kind at a warehouse
    /// (with the problem rows too when asked).
    pub async fn temp_consignments(
        &self,
        tenant: &ClientId,
        ids: &[i64],
        kind: Option<OrderKind>,
        warehouse: Option<&WarehouseId>,
        include_problems: bool,
    ) -> CoreResult<Vec<TempConsignment>> {
        self.storage.temp_consignments(tenant, ids, kind, warehouse, include_problems).await
    }
}
