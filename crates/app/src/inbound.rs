//! Inbound orders. Reads forward to the ports; a use case that is more than one
//! port call is written here once.

use entrepot_core::{ids::*, CoreResult};
use serde_json::Value;

use crate::types::inbound::*;

use crate::App;

impl App {
    /// Records that tracking numbers arrived for an express inbound.
    pub async fn add_inbound_tracking(
        &self,
        tenant: &ClientId,
        key: &str,
        numbers: &[String],
    ) -> CoreResult<InboundView> {
        self.storage.add_inbound_tracking(tenant, key, numbers).await
    }

    /// Records customs clearance documents of `types` (OC's `fileType`) uploaded for an inbound:
    /// once those [`entrepot_core::inbound::CLEARANCE_DOCS`] asks for are there, an inbound
    /// created with `needClearanceDoc` can be received.
    pub async fn add_inbound_clearance_docs(
        &self,
        tenant: &ClientId,
        key: &str,
        types: &[String],
    ) -> CoreResult<InboundView> {
        self.storage.add_inbound_clearance_docs(tenant, key, types).await
    }

    /// Creates and submits an inbound order: expected goods go in transit at once.
    pub async fn create_inbound(&self, tenant: &ClientId, n: NewInbound) -> CoreResult<InboundView> {
        self.storage.create_inbound(tenant, n).await
    }

    /// Creates a batch of inbound orders all-or-nothing (Bird's client-dispatch upload); an error
    /// names its 1-based line and leaves nothing behind.
    pub async fn create_inbounds(&self, tenant: &ClientId, batch: Vec<NewInbound>) -> CoreResult<Vec<InboundView>> {
        self.storage.create_inbounds(tenant, batch).await
    }

    /// One of the tenant's inbound orders by id, number or reference.
    pub async fn find_inbound(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView> {
        self.storage.find_inbound(tenant, key).await
    }

    /// A fresh reference for an inbound sent without one: `prefix` and a number never handed out
    /// before, so it cannot collide with an earlier generated one.
    pub async fn generated_inbound_reference(&self, prefix: &str) -> CoreResult<String> {
        self.storage.generated_inbound_reference(prefix).await
    }

    /// Which of `references` the tenant's inbound orders already use.
    pub async fn inbound_references_taken(&self, tenant: &ClientId, references: &[String]) -> CoreResult<Vec<String>> {
        self.storage.inbound_references_taken(tenant, references).await
    }

    /// The tenant's inbound orders, newest first, only those numbered `numbers` when some are
    /// given; with the total count before paging (`limit` ≤ 0: no limit).
    pub async fn list_inbounds(
        &self,
        tenant: &ClientId,
        numbers: &[String],
        offset: i64,
        limit: i64,
    ) -> CoreResult<(Vec<InboundView>, i64)> {
        self.storage.list_inbounds(tenant, numbers, offset, limit).await
    }

    /// The tenant's inbounds matching `f`, newest first, with the total count before paging.
    pub async fn search_inbounds(&self, tenant: &ClientId, f: &InboundSearch) -> CoreResult<(Vec<InboundView>, i64)> {
        self.storage.search_inbounds(tenant, f).await
    }

    /// Applies `f` to the details of the tenant's inbound `key` (id, number or reference) and
    /// stores the result; returns the new details. `f` may refuse, and then nothing changes. It may
    /// run more than once when another change lands in between, so it must only edit the value.
    pub async fn update_inbound_details(
        &self,
        tenant: &ClientId,
        key: &str,
        f: impl Fn(&mut Value) -> CoreResult<()> + Send + Sync,
    ) -> CoreResult<Value> {
        self.storage.update_inbound_details(tenant, key, &f).await
    }
}
