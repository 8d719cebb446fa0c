//! Whether the books balance (`admin check`) and the background keeps up (`/metrics`).

use entrepot_core::CoreResult;

use crate::{types::operator::*, App};

impl App {
    /// Every ledger invariant recomputed from the transfers and compared with what is
    /// materialised; empty when the books balance.
    pub async fn check_ledger(&self) -> CoreResult<Vec<Violation>> {
        self.storage.ledger_violations().await
    }

    /// Work waiting for the background loops.
    pub async fn backlog(&self) -> CoreResult<Backlog> {
        self.storage.backlog().await
    }

    /// How far behind each webhook endpoint with undelivered messages is.
    pub async fn webhook_endpoint_backlog(&self) -> CoreResult<Vec<EndpointBacklog>> {
        self.storage.webhook_endpoint_backlog().await
    }
}
