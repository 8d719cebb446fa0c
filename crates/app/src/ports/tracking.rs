//! Tracking after the handover: the shipped orders to ask their carrier about, and what it said.

use async_trait::async_trait;
use entrepot_core::{
    ids::{ClientId, OrderId},
    tracking::TrackingEvent,
    CoreResult,
};

use crate::types::orders::InTransit;

#[async_trait]
pub trait TrackingPort: Send + Sync {
    /// Claims up to `limit` shipped orders not asked about since `now_ms - recheck_ms`.
    async fn claim_in_transit(&self, now_ms: i64, recheck_ms: i64, limit: i64) -> CoreResult<Vec<InTransit>>;
    /// Records events (each stage once; a delivery delivers the order); how many were new.
    async fn record_tracking(&self, client: &ClientId, order: &OrderId, events: &[TrackingEvent]) -> CoreResult<usize>;
    /// An order's events, oldest first.
    async fn tracking_events(&self, order: &OrderId) -> CoreResult<Vec<TrackingEvent>>;
}
