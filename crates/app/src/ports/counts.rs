//! Cycle counts: tasks per location, the results that record their lines and, within the
//! warehouse's threshold, apply their variance at once; a supervisor's decision on the rest.
//! Every write records its audit entry in its own transaction.

use async_trait::async_trait;
use entrepot_core::{actor::Actor, ids::WarehouseId, CoreResult};

use crate::types::counts::*;

#[async_trait]
pub trait CountPort: Send + Sync {
    /// Creates the tasks, all or nothing: a location with an open count already is refused
    /// naming it; a SKU no location holds is refused.
    async fn create_counts(&self, actor: &Actor, n: &NewCounts) -> CoreResult<Vec<CountTask>>;
    /// Tasks of a warehouse oldest first after the cursor, with their lines (none while open).
    async fn count_tasks(&self, f: &CountFilter) -> CoreResult<Vec<CountTask>>;
    /// One task with its lines; an open one lists what its location holds now (the use case
    /// hides it from the counter).
    async fn count_task(&self, id: &str) -> CoreResult<CountTask>;
    /// Records a count in one transaction: the lines with what the location holds now as
    /// expected, then the variance applied at once (state adjusted) when no line is above the
    /// warehouse's threshold and the unreserved units cover it, else the task waits (counted).
    async fn record_count(&self, actor: &Actor, r: &CountResults) -> CoreResult<CountOutcome>;
    /// A supervisor's decision on a counted task (approve applies its variance; reject applies
    /// nothing, and may also cancel an open task).
    async fn decide_count(&self, actor: &Actor, id: &str, approve: bool, reason: Option<&str>)
        -> CoreResult<CountTask>;
    /// The warehouse's approval threshold, in units per SKU line.
    async fn count_threshold(&self, warehouse: &WarehouseId) -> CoreResult<i64>;
    /// Sets it.
    async fn set_count_threshold(&self, actor: &Actor, warehouse: &WarehouseId, units: i64) -> CoreResult<i64>;
}
