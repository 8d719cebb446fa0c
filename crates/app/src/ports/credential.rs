//! The credentials the operator issues and revokes: console users, Bird API keys, OC ERP apps.
//! (Recognising them on each request is [`AuthPort`](super::AuthPort)'s.)

use async_trait::async_trait;
use entrepot_core::{ids::*, CoreResult};

use crate::types::{auth::User, operator::*};

#[async_trait]
pub trait CredentialPort: Send + Sync {
    async fn create_api_key(&self, client: &ClientId, label: &str) -> CoreResult<ApiKeyCreated>;
    async fn create_erp_app(&self, n: NewErpApp) -> CoreResult<ErpAppCreated>;
    /// A console user of `client`, or operator staff without one; the password is kept hashed.
    async fn create_user(
        &self,
        client: Option<&ClientId>,
        username: &str,
        password: &str,
        role: &str,
    ) -> CoreResult<User>;
    /// Revokes a key at once (a key already revoked is "not found").
    async fn revoke_api_key(&self, id: &ApiKeyId) -> CoreResult<()>;
    /// A client's API keys, newest first (revoked ones too).
    async fn api_keys(&self, client: &ClientId) -> CoreResult<Vec<ApiKeyView>>;
    /// Revokes one of `client`'s keys (another client's is "not found").
    async fn revoke_client_api_key(&self, client: &ClientId, id: &ApiKeyId) -> CoreResult<()>;
    /// Revokes an app and with it every token issued to it.
    async fn revoke_erp_app(&self, client_key: &str) -> CoreResult<()>;
    /// The OC ERP apps `client` has live grants to (tokens neither revoked nor expired), by name.
    async fn authorised_apps(&self, client: &ClientId) -> CoreResult<Vec<AuthorisedApp>>;
    /// Withdraws `client`'s grants to one app: its tokens for this client are revoked and its
    /// unused codes spent, at once; the app and other clients' grants to it stay. "Not found"
    /// when the client has no live grant to it.
    async fn revoke_app_grant(&self, client: &ClientId, app: &ErpAppId) -> CoreResult<()>;
}
