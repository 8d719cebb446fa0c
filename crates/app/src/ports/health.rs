//! Whether the books balance and the background keeps up: read for the operator (`admin check`,
//! `/metrics`), never changed.

use async_trait::async_trait;
use entrepot_core::CoreResult;

use crate::types::operator::*;

#[async_trait]
pub trait HealthPort: Send + Sync {
    /// Work waiting for the background loops; each count reads an index the workers' claims use.
    async fn backlog(&self) -> CoreResult<Backlog>;
    /// Every ledger invariant recomputed from the transfers and compared with what is
    /// materialised; empty when the books balance.
    async fn ledger_violations(&self) -> CoreResult<Vec<Violation>>;
    /// The backlog of every webhook endpoint that has one, by endpoint id.
    async fn webhook_endpoint_backlog(&self) -> CoreResult<Vec<EndpointBacklog>>;
}
