//! Sandbox twins and what sandbox apps have called (see [`crate::sandbox`]).

use async_trait::async_trait;
use entrepot_core::{ids::*, CoreResult};

use crate::types::{auth::ErpApp, sandbox::SandboxCall};

#[async_trait]
pub trait SandboxPort: Send + Sync {
    /// The live client `client` stands in for, when it is a sandbox twin.
    async fn sandbox_of(&self, client: &ClientId) -> CoreResult<Option<ClientId>>;
    /// The client's current sandbox twin, made on first use (copies of its approved SKUs with
    /// play stock, a play balance).
    async fn sandbox_twin(&self, live: &ClientId) -> CoreResult<ClientId>;
    /// A fresh twin; test keys and webhooks move to it.
    async fn reset_sandbox(&self, live: &ClientId) -> CoreResult<ClientId>;
    /// Counts a successful sandbox call of `operation` by `app`.
    async fn record_sandbox_call(&self, app: &str, operation: &str) -> CoreResult<()>;
    /// What `app` has called successfully in sandbox.
    async fn sandbox_calls(&self, app: &str) -> CoreResult<Vec<SandboxCall>>;
    /// The client's OC ERP apps, revoked ones too, oldest first.
    async fn erp_apps_of(&self, client: &ClientId) -> CoreResult<Vec<ErpApp>>;
    /// Submitted orders of sandbox twins placed before `before_ms`, oldest first, at most `limit`.
    async fn sandbox_orders_due(&self, before_ms: i64, limit: i64) -> CoreResult<Vec<(ClientId, OrderId)>>;
}
