//! Bird's webhook shapes: the registration rows, the delivery log and the message itself, with
//! the topics (resource type and action) an ERP can subscribe to.

use entrepot_core::ids::ClientId;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    envelope::BirdError,
    fields::{Int, Text},
    listing::{Column, Columns},
};

/// The types of [`WebhookRow`]'s columns, which list filters read their values as; the columns
/// not named here are text.
pub const WEBHOOK_COLUMNS: Columns =
    &[("id", Column::Integer), ("create_time", Column::Time), ("update_time", Column::Time)];

/// The types of [`DeliveryRow`]'s columns, as [`WEBHOOK_COLUMNS`].
pub const DELIVERY_COLUMNS: Columns = &[
    ("id", Column::Integer),
    ("webhook_id", Column::Integer),
    ("attempts", Column::Integer),
    ("response_code", Column::Integer),
    ("next_attempt_time", Column::Time),
    ("last_attempt_time", Column::Time),
    ("create_time", Column::Time),
    ("update_time", Column::Time),
];

pub const CONSIGNMENT: &str = "CONSIGNMENT";
pub const PRODUCT: &str = "PRODUCT";
/// Client dispatches (inbounds): UPDATE when receiving found a discrepancy.
pub const CLIENT_DISPATCH: &str = "CLIENT_DISPATCH";

/// What can be subscribed to: resource type and its actions.
pub const TOPICS: &[(&str, &[&str])] = &[
    (CONSIGNMENT, &["GET_DELIVERY_REFERENCE", "UPDATE_TRACKING_EVENT"]),
    (PRODUCT, &["CREATE", "UPDATE", "UPDATE_LIVE_STOCK"]),
    (CLIENT_DISPATCH, &["UPDATE"]),
];

/// Checks a resource type and action pair and returns them in Bird's upper case.
pub fn topic(resource_type: &str, action: &str) -> Result<(String, String), BirdError> {
    let r = resource_type.trim().to_ascii_uppercase();
    let a = action.trim().to_ascii_uppercase();
    let Some((_, actions)) = TOPICS.iter().find(|(t, _)| *t == r) else {
        return Err(BirdError::bad(format!(
            "resource_type '{resource_type}' is not supported; use CONSIGNMENT, PRODUCT or CLIENT_DISPATCH"
        )));
    };
    if !actions.contains(&a.as_str()) {
        return Err(BirdError::bad(format!(
            "action '{action}' is not available for resource_type {r}; use {}",
            actions.join(", ")
        )));
    }
    Ok((r, a))
}

/// A registered webhook: `GET|POST /client/Webhook`. The secret is shown only when it was just
/// set (creation, rotation).
#[derive(Serialize)]
pub struct WebhookRow<'a> {
    pub id: String,
    pub client_id: &'a ClientId,
    pub url: &'a str,
    pub resource_type: &'a str,
    pub action: &'a str,
    /// ACTIVE or INACTIVE.
    pub status: &'static str,
    pub create_time: Option<String>,
    pub update_time: Option<String>,
    pub primary_keys: [&'static str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<&'a str>,
}

/// One line of the delivery log: `GET /client/Webhook-Delivery`.
#[derive(Serialize)]
pub struct DeliveryRow<'a> {
    pub id: String,
    pub webhook_id: String,
    pub event: &'a str,
    pub resource_type: &'a str,
    pub action: &'a str,
    pub event_id: &'a str,
    /// PENDING, SUCCESS or FAILED.
    pub status: &'static str,
    pub attempts: String,
    pub response_code: Option<String>,
    pub response_body: Option<&'a str>,
    pub error: Option<&'a str>,
    pub request_body: &'a str,
    /// Only while the delivery is pending.
    pub next_attempt_time: Option<String>,
    pub last_attempt_time: Option<String>,
    pub create_time: Option<String>,
    pub update_time: Option<String>,
    pub primary_keys: [&'static str; 1],
}

/// The message POSTed to a webhook. Fields in alphabetical order, so that the text is the one
/// receivers have always been sent; `data` is the consignment or product row.
#[derive(Serialize)]
pub struct WebhookMessage<'a> {
    pub action: &'a str,
    pub data: Value,
    pub resource_type: &'a str,
    pub time: Option<String>,
}

/// The body of `POST /client/Webhook` (create; with `id`, update) and `POST /client/Webhook/<id>`
/// (update): fields not sent keep their values on an update.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct WebhookFields {
    pub id: Int,
    /// Required on creation; checked against the allowed destinations.
    pub url: Text,
    /// [`TOPICS`], in any case.
    pub resource_type: Text,
    pub action: Text,
    /// At most 256 characters; generated when absent on creation.
    pub secret: Text,
    /// ACTIVE (default) or INACTIVE.
    pub status: Text,
}

/// The query of `GET /client/Webhook` (`?id=` joined with `_`) and of `DELETE /client/Webhook`
/// (`?ids=` or `?id=`).
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct WebhookIds {
    pub id: Text,
    pub ids: Text,
}

/// The query of `GET /client/Webhook-Delivery`.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct DeliverySearch {
    pub webhook_id: Int,
    /// PENDING, SUCCESS or FAILED.
    pub status: Text,
}
