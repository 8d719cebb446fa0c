//! From the app's webhooks, deliveries and outbox events to Bird's rows and messages.

use entrepot_app::{Delivery, DeliveryFilter, DeliveryStatus, OutboxEvent, Webhook, WebhookStatus};
use serde_json::Value;

use super::types::{DeliveryRow, DeliverySearch, WebhookFields, WebhookMessage, WebhookRow};
use crate::{envelope::BirdError, format};

impl<'a> WebhookRow<'a> {
    /// `w`, with `secret` when it was just set.
    pub fn new(w: &'a Webhook, secret: Option<&'a str>) -> Self {
        WebhookRow {
            id: w.id.to_string(),
            client_id: &w.client_id,
            url: &w.url,
            resource_type: &w.resource_type,
            action: &w.action,
            status: w.status.as_str(),
            create_time: format::time_text(w.created_at_ms),
            update_time: format::time_text(w.updated_at_ms),
            primary_keys: ["id"],
            secret,
        }
    }
}

impl<'a> From<&'a Delivery> for DeliveryRow<'a> {
    fn from(d: &'a Delivery) -> Self {
        let (resource_type, action) = d.event_type.split_once('.').unwrap_or((d.event_type.as_str(), ""));
        DeliveryRow {
            id: d.id.to_string(),
            webhook_id: d.webhook_id.to_string(),
            event: &d.event_type,
            resource_type,
            action,
            event_id: &d.event_id,
            status: d.status.as_str(),
            attempts: d.attempts.to_string(),
            response_code: d.response_code.map(|c| c.to_string()),
            response_body: d.response_body.as_deref(),
            error: d.last_error.as_deref(),
            request_body: &d.payload,
            next_attempt_time: if d.status == DeliveryStatus::Pending {
                format::time_text(d.next_attempt_at_ms)
            } else {
                None
            },
            last_attempt_time: d.last_attempt_at_ms.and_then(format::time_text),
            create_time: format::time_text(d.created_at_ms),
            update_time: format::time_text(d.updated_at_ms),
            primary_keys: ["id"],
        }
    }
}

/// The message body for `row`, the resource `e` is about.
pub fn message(resource_type: &str, action: &str, e: &OutboxEvent, row: Value) -> String {
    let m = WebhookMessage { action, data: row, resource_type, time: format::time_text(e.created_at_ms) };
    serde_json::to_string(&m).unwrap_or_default()
}

impl WebhookFields {
    /// `status`, if sent.
    pub fn status(&self) -> Result<Option<WebhookStatus>, BirdError> {
        self.status
            .get()
            .map(|s| {
                WebhookStatus::parse(s)
                    .ok_or_else(|| BirdError::bad(format!("status '{s}' must be ACTIVE or INACTIVE")))
            })
            .transpose()
    }

    /// `secret`, if sent.
    pub fn secret(&self) -> Result<Option<String>, BirdError> {
        match self.secret.take() {
            Some(s) if s.len() > 256 => Err(BirdError::bad("secret: at most 256 characters")),
            other => Ok(other),
        }
    }
}

impl DeliverySearch {
    /// The log filter these parameters ask for.
    pub fn filter(&self) -> Result<DeliveryFilter, BirdError> {
        let mut f = DeliveryFilter { webhook_id: self.webhook_id.get("webhook_id")?, ..Default::default() };
        if let Some(s) = self.status.get() {
            f.status = Some(
                DeliveryStatus::parse(s)
                    .ok_or_else(|| BirdError::bad(format!("status '{s}' must be PENDING, SUCCESS or FAILED")))?,
            );
        }
        Ok(f)
    }
}
