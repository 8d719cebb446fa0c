//! Inbound orders: goods on their way into a warehouse.

use async_trait::async_trait;
use entrepot_core::{ids::*, CoreResult};
use serde_json::Value;

use crate::types::inbound::*;

#[async_trait]
pub trait InboundPort: Send + Sync {
    /// Records that tracking numbers arrived for an express inbound.
    async fn add_inbound_tracking(&self, tenant: &ClientId, key: &str, numbers: &[String]) -> CoreResult<InboundView>;
    /// Records customs clearance documents of `types` (OC's `fileType`) uploaded for an inbound.
    async fn add_inbound_clearance_docs(
        &self,
        tenant: &ClientId,
        key: &str,
        types: &[String],
    ) -> CoreResult<InboundView>;
    /// Creates and submits an inbound order: expected goods go in transit at once.
    async fn create_inbound(&self, tenant: &ClientId, n: NewInbound) -> CoreResult<InboundView>;
    /// Creates a batch of inbound orders all-or-nothing (Bird's client-dispatch upload); an error
    /// names its 1-based line and leaves nothing behind.
    async fn create_inbounds(&self, tenant: &ClientId, batch: Vec<NewInbound>) -> CoreResult<Vec<InboundView>>;
    /// One of the tenant's inbound orders by id, number or reference.
    async fn find_inbound(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView>;
    /// A fresh reference for an inbound sent without one: `prefix` and a number never handed out
    /// before, so it cannot collide with an earlier generated one.
    async fn generated_inbound_reference(&self, prefix: &str) -> CoreResult<String>;
    /// Which of `references` the tenant's inbound orders already use.
    async fn inbound_references_taken(&self, tenant: &ClientId, references: &[String]) -> CoreResult<Vec<String>>;
    /// The tenant's inbound orders, newest first, only those numbered `numbers` when some are
    /// given; with the total count before paging (`limit` ≤ 0: no limit).
    async fn list_inbounds(
        &self,
        tenant: &ClientId,
        numbers: &[String],
        offset: i64,
        limit: i64,
    ) -> CoreResult<(Vec<InboundView>, i64)>;
    /// The tenant's inbounds matching `f`, newest first, with the total count before paging.
    async fn search_inbounds(&self, tenant: &ClientId, f: &InboundSearch) -> CoreResult<(Vec<InboundView>, i64)>;
    /// Applies `f` to the details of the tenant's inbound `key` (id, number or reference) and
    /// stores the result; returns the new details. `f` may refuse, and then nothing changes. It may
    /// run more than once when another change lands in between, so it must only edit the value.
    async fn update_inbound_details(
        &self,
        tenant: &ClientId,
        key: &str,
        f: &(dyn for<'v> Fn(&'v mut Value) -> CoreResult<()> + Send + Sync),
    ) -> CoreResult<Value>;
}
