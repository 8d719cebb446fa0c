//! What the operator's use cases take and return: new services and ERP apps, the credentials shown
//! once, the ledger check's findings and the backlog of background work.

use entrepot_core::{
    balance::Account,
    company::{Client, Warehouse},
    fees::RateCard,
    ids::{ApiKeyId, ClientId, ErpAppId},
    service::Constraints,
};
use serde::Serialize;

/// A service to create; the id is generated.
#[derive(Debug, Clone)]
pub struct NewService {
    pub warehouse_code: String,
    pub code: String,
    pub bird_id: Option<i64>,
    pub name: String,
    pub name_cn: Option<String>,
    pub carrier: String,
    pub tracking: bool,
    pub signature: bool,
    pub express: bool,
    pub constraints: Constraints,
    pub rates: RateCard,
}

/// What the operator says about a new ERP app.
#[derive(Debug, Clone)]
pub struct NewErpApp {
    pub client_id: ClientId,
    pub name: String,
    /// `SELLER_ERP` or `3PP_ERP`.
    pub kind: String,
    /// `SANDBOX` or `PRODUCTION` (sandbox apps may sign with an empty body, as OC's stage does).
    pub environment: String,
    pub redirect_uri: String,
}

/// A freshly created API key: the only time the plain key exists.
#[derive(Debug, Clone, Serialize)]
pub struct ApiKeyCreated {
    pub id: ApiKeyId,
    pub api_key: String,
}

/// A Bird API key as its owner sees it (the key itself is only shown when made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKeyView {
    pub id: ApiKeyId,
    pub label: String,
    pub created_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
}

/// An OC ERP app a seller authorised, as its Integrations page lists it: one line per app however
/// many tokens it holds. Entrepot does not note each call a token makes, so the nearest thing to
/// "last used" it knows is when the app last took a token (an access token lives an hour, so an
/// app at work takes one at least hourly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorisedApp {
    pub app_id: ErpAppId,
    pub name: String,
    /// `SANDBOX` or `PRODUCTION`.
    pub environment: String,
    /// When the oldest of its live grants was made.
    pub authorised_at_ms: i64,
    /// When it last took a token (the exchange or a refresh).
    pub last_token_at_ms: i64,
}

/// A new ERP app with its secret, shown once.
#[derive(Debug, Clone, Serialize)]
pub struct ErpAppCreated {
    pub id: ErpAppId,
    pub client_key: String,
    pub secret_key: String,
}

/// One broken ledger invariant (`admin check`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub invariant: &'static str,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.invariant, self.detail)
    }
}

/// Work waiting for the background loops (`/metrics`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Submitted orders without a carrier booking yet (retries waiting for their time included).
    pub orders_awaiting_booking: i64,
    /// Outbox events not yet turned into webhook deliveries.
    pub events_to_fan_out: i64,
    /// Webhook deliveries not yet delivered (retries included).
    pub deliveries_pending: i64,
    /// Bulk tasks queued or running.
    pub tasks_open: i64,
}

/// One webhook endpoint's undelivered messages (`/metrics`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointBacklog {
    pub webhook_id: i64,
    pub client_id: String,
    /// Deliveries not yet delivered nor given up (retries waiting for their time included).
    pub pending: i64,
    /// Of those, the ones whose time has come: what the worker could send now.
    pub due: i64,
    /// How long the longest-waiting due delivery has waited past its time (0 when none is due).
    pub lag_ms: i64,
}

/// A client as the operator's list shows it: the sites it uses (by code) and its balance in
/// each currency it holds money in.
#[derive(Debug, Clone)]
pub struct ClientSummary {
    pub client: Client,
    pub sites: Vec<Warehouse>,
    pub balances: Vec<(String, Account)>,
}
