//! A seller's grants to OC ERP apps, as its Integrations page shows and withdraws them. A grant
//! is not a row of its own: it is the tokens (and codes) issued to one app for one client, so
//! listing groups them and withdrawing revokes them, leaving the app and other clients' grants
//! to it as they are.

use entrepot_core::{
    ids::{ClientId, ErpAppId},
    CoreError,
};

use crate::{
    engine::{
        clock::now_ms,
        rows::{i, s},
    },
    Store, StoreResult,
};
pub use entrepot_app::types::operator::AuthorisedApp;

/// Most apps a page lists (a seller authorises a handful).
const MAX_APPS: i64 = 200;

impl Store {
    /// The apps `client` has live grants to: a refresh token neither revoked nor expired, of an
    /// app not revoked; by name.
    pub async fn authorised_apps(&self, client: &ClientId) -> StoreResult<Vec<AuthorisedApp>> {
        let rows = sqlx::query(&format!(
            "SELECT a.id, a.name, a.environment, MIN(t.created_at) AS since, MAX(t.created_at) AS last_token \
             FROM oauth_tokens t JOIN erp_apps a ON a.id = t.erp_app_id \
             WHERE t.client_id = $1 AND t.revoked_at IS NULL AND a.revoked_at IS NULL \
             GROUP BY a.id, a.name, a.environment \
             HAVING MAX(CASE WHEN t.kind = 'refresh' THEN t.expires_at ELSE 0 END) > $2 \
             ORDER BY a.name, a.id LIMIT {MAX_APPS}"
        ))
        .bind(&client.0)
        .bind(now_ms())
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuthorisedApp {
                    app_id: ErpAppId(s(r, "id")?),
                    name: s(r, "name")?,
                    environment: s(r, "environment")?,
                    authorised_at_ms: i(r, "since")?,
                    last_token_at_ms: i(r, "last_token")?,
                })
            })
            .collect()
    }

    /// Withdraws `client`'s grants to `app`: every token issued to it for this client is
    /// revoked and every unused code spent, in one transaction, and the cache of recognised
    /// tokens forgotten, so the next call with one is refused. "Not found" if there was nothing
    /// to withdraw.
    pub async fn revoke_app_grant(&self, client: &ClientId, app: &ErpAppId) -> StoreResult<()> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let tokens = sqlx::query(
            "UPDATE oauth_tokens SET revoked_at = $1 WHERE client_id = $2 AND erp_app_id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(&client.0)
        .bind(&app.0)
        .execute(&mut *tx)
        .await?;
        let codes = sqlx::query(
            "UPDATE oauth_codes SET used_at = $1 WHERE client_id = $2 AND erp_app_id = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(&client.0)
        .bind(&app.0)
        .execute(&mut *tx)
        .await?;
        if tokens.rows_affected() + codes.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(CoreError::not_found("ERP app", &app.0).into());
        }
        tx.commit().await?;
        self.token_cache.forget();
        Ok(())
    }
}
