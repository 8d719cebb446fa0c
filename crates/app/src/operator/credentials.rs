//! Console users, Bird API keys and OC ERP apps, issued and revoked by the operator.

use entrepot_core::{ids::*, CoreResult};

use crate::{
    types::{auth::User, operator::*},
    App,
};

impl App {
    /// A console user: one of `client`'s sellers, or operator staff when no client is given.
    pub async fn create_user(&self, client: Option<&ClientId>, username: &str, password: &str) -> CoreResult<User> {
        let role = if client.is_some() { "seller" } else { "staff" };
        self.storage.create_user(client, username, password, role).await
    }

    /// A Bird API key for `client`; the plain key is in the answer and nowhere else.
    pub async fn create_api_key(&self, client: &ClientId, label: &str) -> CoreResult<ApiKeyCreated> {
        self.storage.create_api_key(client, label).await
    }

    /// Revokes a key at once (a key already revoked is "not found").
    pub async fn revoke_api_key(&self, id: &ApiKeyId) -> CoreResult<()> {
        self.storage.revoke_api_key(id).await
    }

    /// An OC ERP app; its SecretKey is in the answer and, sealed, in the database only.
    pub async fn create_erp_app(&self, n: NewErpApp) -> CoreResult<ErpAppCreated> {
        self.storage.create_erp_app(n).await
    }

    /// Revokes an app and with it every token issued to it.
    pub async fn revoke_erp_app(&self, client_key: &str) -> CoreResult<()> {
        self.storage.revoke_erp_app(client_key).await
    }
}
