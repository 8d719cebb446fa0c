//! Webhook endpoints, the outbox and deliveries.

use async_trait::async_trait;
use entrepot_core::{ids::*, CoreResult};

use crate::types::webhooks::*;

#[async_trait]
pub trait WebhookPort: Send + Sync {
    /// System side: a client's active endpoints, for the dispatcher.
    async fn active_webhooks(&self, client: &ClientId) -> CoreResult<Vec<Webhook>>;
    /// System side: [`Self::claim_delivery`], passing over the endpoints in `busy` (those the
    /// caller already has enough deliveries in flight to). The delivery due first is found
    /// endpoint by endpoint: each active endpoint's first due delivery is one probe of the
    /// `(status, webhook_id, next_attempt_at, id)` index, so a claim costs one probe per endpoint
    /// however long a busy or slow endpoint's backlog is (scanning the due deliveries in time
    /// order would pass over every one of a busy endpoint's).
    async fn claim_delivery_except(
        &self,
        owner: &str,
        lease_ms: i64,
        busy: &[i64],
    ) -> CoreResult<Option<(Delivery, Webhook)>>;
    /// Registers an endpoint for the tenant.
    async fn create_webhook(&self, tenant: &ClientId, n: NewWebhook) -> CoreResult<Webhook>;
    /// Deletes the tenant's endpoints and their delivery logs, all or none: an id that is not the
    /// tenant's fails the whole request.
    async fn delete_webhooks(&self, tenant: &ClientId, ids: &[i64]) -> CoreResult<()>;
    /// System side, after a delivery to `webhook_id` failed for good: disables the endpoint if
    /// it has not succeeded since `after_ms` ago (nor been re-enabled since), and its deliveries
    /// have been failing since then. `true` if it was disabled now.
    async fn disable_if_failing(&self, webhook_id: i64, after_ms: i64) -> CoreResult<bool>;
    /// System side: the oldest outbox events not fanned out yet, in `(created_at, id)` order.
    async fn events_to_fan_out(&self, limit: i64) -> CoreResult<Vec<OutboxEvent>>;
    /// System side: marks `event` fanned out and queues its deliveries, in one transaction.
    /// `false` when another dispatcher got there first (then nothing is written).
    async fn fan_out_event(&self, event: &OutboxEvent, deliveries: &[NewDelivery]) -> CoreResult<bool>;
    /// System side: records how an attempt ended, if `owner` still holds the delivery's lease;
    /// `false` if it lost it (another process took over after the lease ran out).
    async fn finish_attempt(&self, id: i64, owner: &str, o: &AttemptOutcome) -> CoreResult<bool>;
    /// System side: forgets finished deliveries last touched before `before_ms` (the log is kept
    /// for a month, as BirdSystem's is); returns how many.
    async fn prune_webhook_deliveries(&self, before_ms: i64) -> CoreResult<u64>;
    /// System side: marks events that nobody subscribes to as fanned out; returns how many this
    /// call marked.
    async fn skip_events(&self, ids: &[String]) -> CoreResult<u64>;
    /// Changes one of the tenant's endpoints.
    async fn update_webhook(&self, tenant: &ClientId, id: i64, c: WebhookChange) -> CoreResult<Webhook>;
    /// One of the tenant's endpoints; another tenant's is "not found".
    async fn webhook(&self, tenant: &ClientId, id: i64) -> CoreResult<Webhook>;
    /// The tenant's delivery log, newest first, with the total count.
    async fn webhook_deliveries(&self, tenant: &ClientId, f: &DeliveryFilter) -> CoreResult<(Vec<Delivery>, i64)>;
    /// The tenant's endpoints of one dialect (`ids` empty: all of them), oldest first.
    async fn webhooks(&self, tenant: &ClientId, dialect: &str, ids: &[i64]) -> CoreResult<Vec<Webhook>>;
    /// The tenant's endpoints of every dialect, oldest first, at most `limit`, each with its
    /// last success and last failure.
    async fn webhook_summaries(&self, tenant: &ClientId, limit: i64) -> CoreResult<Vec<WebhookSummary>>;
    /// Queues one message for one of the tenant's endpoints outside any outbox event (a test),
    /// under `event_id`: a second call with the same `event_id` queues nothing and answers `None`.
    async fn queue_delivery(&self, tenant: &ClientId, event_id: &str, d: &NewDelivery) -> CoreResult<Option<Delivery>>;
    /// Puts one of the tenant's finished deliveries (to `webhook_id`) back in the queue, due now, keeping its body
    /// and id: `false` when it is already pending (a replay not yet attempted), so two replays
    /// in a row queue one attempt.
    async fn replay_delivery(&self, tenant: &ClientId, webhook_id: i64, id: i64) -> CoreResult<bool>;
}
