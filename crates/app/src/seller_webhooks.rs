//! A seller's webhook endpoints as its own users manage them (the console's Integrations page):
//! any of the seller's users reads them and their delivery logs; only an owner registers,
//! switches, deletes, test-sends or replays, as with API keys. Where an endpoint may point and
//! what it may subscribe to is the door's to check before [`App::create_seller_webhook`], with
//! the rules the dialect registering endpoints uses (see [`NewWebhook`]).
//!
//! A test and a replay go through the delivery queue like any message (the dispatcher claims,
//! signs, sends, retries and logs them), so they prove the whole path, not just the URL.

use entrepot_core::{actor::Actor, CoreError, CoreResult};

use crate::{
    integrations::{owner, seller},
    types::webhooks::*,
    App,
};

/// Most endpoints a seller keeps (and its page lists).
pub const MAX_SELLER_WEBHOOKS: i64 = 100;
/// Deliveries on one page of an endpoint's log.
pub const DELIVERY_PAGE: i64 = 25;
/// The deepest page of a log a page reads (a month of a busy endpoint's deliveries is long; the
/// dialects' log API filters further back).
pub const MAX_DELIVERY_PAGE: i64 = 400;
/// The `event_type` of a test message.
pub const TEST_EVENT: &str = "test";
/// Longest URL an endpoint may have (the destination check refuses longer ones too).
const MAX_URL: usize = 2048;
/// Longest subscription name (resource type or action).
const MAX_TOPIC: usize = 64;

/// Whether a form's one-time key is usable as part of an event id: 16 to 64 URL-safe characters.
fn valid_nonce(nonce: &str) -> bool {
    (16..=64).contains(&nonce.len()) && nonce.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl App {
    /// The seller's endpoints, oldest first, with when each last worked and last failed.
    pub async fn seller_webhooks(&self, actor: &Actor) -> CoreResult<Vec<WebhookSummary>> {
        self.storage.webhook_summaries(seller(actor)?, MAX_SELLER_WEBHOOKS).await
    }

    /// One of the seller's endpoints; another seller's is "not found".
    pub async fn seller_webhook(&self, actor: &Actor, id: i64) -> CoreResult<Webhook> {
        self.storage.webhook(seller(actor)?, id).await
    }

    /// Refuses anyone but an owner of a seller's account: what a door asks before it checks an
    /// endpoint's URL for [`Self::create_seller_webhook`] (a lookup not done for whoever may not
    /// register one).
    pub fn may_manage_seller_webhooks(&self, actor: &Actor) -> CoreResult<()> {
        owner(actor).map(|_| ())
    }

    /// Registers an endpoint the door has checked; its secret is the caller's to show once.
    pub async fn create_seller_webhook(&self, actor: &Actor, n: NewWebhook) -> CoreResult<Webhook> {
        let client = owner(actor)?;
        if n.url.is_empty() || n.url.len() > MAX_URL {
            return Err(CoreError::invalid("url", format!("must be 1 to {MAX_URL} characters")));
        }
        for (field, v) in [("resource_type", &n.resource_type), ("action", &n.action)] {
            if v.is_empty() || v.len() > MAX_TOPIC {
                return Err(CoreError::invalid(field, format!("must be 1 to {MAX_TOPIC} characters")));
            }
        }
        let held = self.storage.webhook_summaries(client, MAX_SELLER_WEBHOOKS).await?.len();
        if held as i64 >= MAX_SELLER_WEBHOOKS {
            return Err(CoreError::Conflict(format!("at most {MAX_SELLER_WEBHOOKS} webhook endpoints per seller")));
        }
        self.storage.create_webhook(client, n).await
    }

    /// Switches an endpoint on or off. Switching on restarts the clock of the rule that switches
    /// off an endpoint failing for days; its deliveries waiting meanwhile go out.
    pub async fn set_seller_webhook_active(&self, actor: &Actor, id: i64, active: bool) -> CoreResult<Webhook> {
        let status = if active { WebhookStatus::Active } else { WebhookStatus::Inactive };
        let change = WebhookChange { status: Some(status), ..WebhookChange::default() };
        self.storage.update_webhook(owner(actor)?, id, change).await
    }

    /// Deletes an endpoint and its delivery log.
    pub async fn delete_seller_webhook(&self, actor: &Actor, id: i64) -> CoreResult<()> {
        self.storage.delete_webhooks(owner(actor)?, &[id]).await
    }

    /// One page (from 1) of an endpoint's delivery log, newest first, with the log's length.
    pub async fn seller_webhook_log(&self, actor: &Actor, id: i64, page: i64) -> CoreResult<(Vec<Delivery>, i64)> {
        let client = seller(actor)?;
        self.storage.webhook(client, id).await?;
        let page = page.clamp(1, MAX_DELIVERY_PAGE);
        let offset = (page - 1).checked_mul(DELIVERY_PAGE).ok_or(CoreError::Internal)?;
        let f = DeliveryFilter { webhook_id: Some(id), status: None, offset, limit: DELIVERY_PAGE };
        self.storage.webhook_deliveries(client, &f).await
    }

    /// Queues a `test` message to one active endpoint, shaped as its subscription's messages are
    /// (`resource_type`, `action` `TEST`, `time`, `data`). `nonce` is the form's one-time key: a
    /// form posted twice (a double click) queues one test; `false` then.
    pub async fn test_seller_webhook(&self, actor: &Actor, id: i64, nonce: &str) -> CoreResult<bool> {
        let client = owner(actor)?;
        if !valid_nonce(nonce) {
            return Err(CoreError::invalid("nonce", "must be 16 to 64 letters, digits, - or _"));
        }
        let w = active(self.storage.webhook(client, id).await?)?;
        let body = serde_json::json!({
            "resource_type": w.resource_type,
            "action": "TEST",
            "time": jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M:%S").to_string(),
            "data": {"webhook_id": w.id.to_string(), "test": true},
        });
        let d = NewDelivery {
            webhook_id: w.id,
            event_type: TEST_EVENT.into(),
            subject: TEST_EVENT.into(),
            payload: body.to_string(),
        };
        Ok(self.storage.queue_delivery(client, &format!("evt_test_{nonce}"), &d).await?.is_some())
    }

    /// Sends a finished delivery (succeeded or failed) again: the same message, under the same
    /// `webhook-id`, as one more attempt of the same row (its attempt count goes on; a replay of
    /// a delivery whose retries ran out is tried once). `false` when it is still pending (a
    /// replay clicked twice queues one attempt).
    pub async fn replay_seller_delivery(&self, actor: &Actor, webhook_id: i64, delivery: i64) -> CoreResult<bool> {
        let client = owner(actor)?;
        active(self.storage.webhook(client, webhook_id).await?)?;
        self.storage.replay_delivery(client, webhook_id, delivery).await
    }
}

/// The endpoint if it is switched on: an inactive endpoint's queue waits, so a test or a replay
/// would wait unseen.
fn active(w: Webhook) -> CoreResult<Webhook> {
    match w.status {
        WebhookStatus::Active => Ok(w),
        WebhookStatus::Inactive => Err(CoreError::Conflict("the endpoint is switched off: switch it on first".into())),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn nonces_are_bounded_and_url_safe() {
        assert!(super::valid_nonce("abcdefghijklmnop"));
        assert!(super::valid_nonce(&"a-_9".repeat(16)));
        assert!(!super::valid_nonce("short"));
        assert!(!super::valid_nonce(&"a".repeat(65)));
        assert!(!super::valid_nonce("abcdefghijklmnop'"));
    }
}
