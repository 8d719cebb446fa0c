use entrepot_core::ids::ClientId;
use serde::Serialize;

/// Whether an endpoint receives deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum WebhookStatus {
    Active,
    Inactive,
}

impl WebhookStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Inactive => "INACTIVE",
        }
    }

    /// `ACTIVE` or `INACTIVE`, any case.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "ACTIVE" => Some(Self::Active),
            "INACTIVE" => Some(Self::Inactive),
            _ => None,
        }
    }
}

/// An ERP's callback endpoint. `resource_type` and `action` are the dialect's own names for what
/// it subscribes to; the store does not interpret them.
#[derive(Clone, Serialize)]
pub struct Webhook {
    /// Numeric, because Bird shows ids as numbers.
    pub id: i64,
    pub client_id: ClientId,
    /// Whose payload shapes it receives, e.g. `bird`.
    pub dialect: String,
    pub url: String,
    pub resource_type: String,
    pub action: String,
    /// The signing secret; shown to the client once, at creation.
    #[serde(skip)]
    pub secret: String,
    pub status: WebhookStatus,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("id", &self.id)
            .field("client_id", &self.client_id)
            .field("url", &self.url)
            .field("resource_type", &self.resource_type)
            .field("action", &self.action)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A new endpoint, already validated by the dialect that received it.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub dialect: String,
    pub url: String,
    pub resource_type: String,
    pub action: String,
    pub secret: String,
    pub status: WebhookStatus,
}

/// Changes to an endpoint; `None` keeps the stored value (Bird merges an update into the row).
#[derive(Debug, Clone, Default)]
pub struct WebhookChange {
    pub url: Option<String>,
    pub resource_type: Option<String>,
    pub action: Option<String>,
    pub secret: Option<String>,
    pub status: Option<WebhookStatus>,
}

/// An endpoint with when a delivery to it last succeeded and last failed for good, for its
/// owner's list.
#[derive(Debug, Clone)]
pub struct WebhookSummary {
    pub webhook: Webhook,
    pub last_success_ms: Option<i64>,
    pub last_failure_ms: Option<i64>,
}

/// One row of the transactional outbox, as the dispatcher reads it.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxEvent {
    pub id: String,
    pub client_id: Option<ClientId>,
    /// e.g. `order.tracking`, `sku.created`.
    pub kind: String,
    pub entity_id: String,
    pub payload: serde_json::Value,
    pub created_at_ms: i64,
}

/// A message to queue for one endpoint, rendered by its dialect.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub webhook_id: i64,
    /// The dialect's name of what happened, for the log (`CONSIGNMENT.GET_DELIVERY_REFERENCE`).
    pub event_type: String,
    /// What the message is about (an order, a product): one event may concern several.
    pub subject: String,
    /// The exact request body.
    pub payload: String,
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeliveryStatus {
    Pending,
    Success,
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Success => "SUCCESS",
            Self::Failed => "FAILED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "PENDING" => Some(Self::Pending),
            "SUCCESS" => Some(Self::Success),
            "FAILED" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// A delivery and its latest attempt: one line of the delivery log.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub client_id: ClientId,
    pub webhook_id: i64,
    pub event_id: String,
    pub event_type: String,
    pub subject: String,
    pub payload: String,
    pub status: DeliveryStatus,
    /// Attempts started, counting one in progress.
    pub attempts: i64,
    pub next_attempt_at_ms: i64,
    pub response_code: Option<i64>,
    /// The first 4 KB of the last response.
    pub response_body: Option<String>,
    /// Why the last attempt failed without a response (timeout, refused address, ...).
    pub last_error: Option<String>,
    pub last_attempt_at_ms: Option<i64>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Which of a tenant's deliveries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub webhook_id: Option<i64>,
    pub status: Option<DeliveryStatus>,
    pub offset: i64,
    /// 0 or negative: no limit.
    pub limit: i64,
}

/// How an attempt ended.
#[derive(Debug, Clone)]
pub struct AttemptOutcome {
    /// PENDING to try again at `next_attempt_at_ms`, SUCCESS, or FAILED for good.
    pub status: DeliveryStatus,
    pub next_attempt_at_ms: i64,
    pub response_code: Option<i64>,
    pub response_body: Option<String>,
    pub error: Option<String>,
}

/// Stored response bodies are cut to this many bytes.
pub const RESPONSE_BODY_CAP: usize = 4096;

/// Cuts `text` to at most `RESPONSE_BODY_CAP` bytes on a character boundary.
pub fn cap_body(text: &str) -> String {
    if text.len() <= RESPONSE_BODY_CAP {
        return text.to_owned();
    }
    let mut end = RESPONSE_BODY_CAP;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}
