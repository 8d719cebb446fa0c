//! A seller's own credentials: the Bird API keys its ERPs use and the OC ERP apps it authorised.
//! Any of the seller's users sees them (never the keys or tokens themselves, kept hashed); only
//! an owner makes or revokes one.

use entrepot_core::{
    actor::{Actor, Role},
    ids::{ApiKeyId, ClientId, ErpAppId},
    CoreError, CoreResult,
};

use crate::{
    types::operator::{ApiKeyCreated, ApiKeyView, AuthorisedApp},
    App,
};

/// Longest label of a key.
const MAX_LABEL: usize = 100;

pub(crate) fn seller(actor: &Actor) -> CoreResult<&ClientId> {
    actor.client().ok_or_else(|| CoreError::Forbidden("credentials are a seller's".into()))
}

pub(crate) fn owner(actor: &Actor) -> CoreResult<&ClientId> {
    match &actor.role {
        Role::Seller { client, owner: true } => Ok(client),
        _ => Err(CoreError::Forbidden(format!("{} is not an owner of the seller's account", actor.name))),
    }
}

/// A key's label as given: trimmed, 1 to [`MAX_LABEL`] characters.
pub(crate) fn key_label(label: &str) -> CoreResult<&str> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > MAX_LABEL {
        return Err(CoreError::invalid("label", format!("must be 1 to {MAX_LABEL} characters")));
    }
    Ok(label)
}

impl App {
    pub async fn seller_api_keys(&self, actor: &Actor) -> CoreResult<Vec<ApiKeyView>> {
        self.storage.api_keys(seller(actor)?).await
    }

    /// A new key, shown in the answer once.
    pub async fn create_seller_api_key(&self, actor: &Actor, label: &str) -> CoreResult<ApiKeyCreated> {
        let client = owner(actor)?;
        self.storage.create_api_key(client, key_label(label)?).await
    }

    pub async fn revoke_seller_api_key(&self, actor: &Actor, id: &ApiKeyId) -> CoreResult<()> {
        self.storage.revoke_client_api_key(owner(actor)?, id).await
    }

    /// The OC ERP apps the seller has live grants to.
    pub async fn seller_authorised_apps(&self, actor: &Actor) -> CoreResult<Vec<AuthorisedApp>> {
        self.storage.authorised_apps(seller(actor)?).await
    }

    /// Withdraws the seller's grants to an app: from now on its tokens for this seller are
    /// refused on the OC door (and a code it holds cannot be exchanged); other sellers' grants
    /// to the same app stay.
    pub async fn revoke_seller_app(&self, actor: &Actor, app: &ErpAppId) -> CoreResult<()> {
        self.storage.revoke_app_grant(owner(actor)?, app).await
    }
}
