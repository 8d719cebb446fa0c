//! OC's OAuth2 records: authorization codes and the access/refresh tokens they are exchanged
//! for. Only SHA-256 hashes are stored; the core decides whether a code or token is acceptable.

use entrepot_core::{
    ids::{ClientId, UserId},
    oauth::{self, AccessRecord, CodeRecord, OauthRefusal},
};
use sha2::{Digest, Sha256};
use sqlx::{any::AnyRow, Any, Transaction};

use crate::{
    engine::{
        clock::{now_ms, random},
        rows::{i, oi, s},
    },
    ErpApp, Store, StoreResult,
};
pub use entrepot_app::types::auth::TokenPair;

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// `n` random characters of `alphabet` (64 symbols).
fn random_text(alphabet: &[u8; 64], n: usize) -> String {
    let mut out = String::with_capacity(n);
    let mut bits = random();
    let mut left = 128;
    for _ in 0..n {
        if left < 6 {
            bits = random();
            left = 128;
        }
        out.push(alphabet[(bits & 63) as usize] as char);
        bits >>= 6;
        left -= 6;
    }
    out
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A code like OC's: a base64 blob with `+` and `/`, which ERPs famously double-encode (§2.1).
fn new_code() -> String {
    random_text(BASE64, 64)
}

fn new_token() -> String {
    random_text(URL_SAFE, 48)
}

/// Whom a token speaks for: the app it was issued to, the client and the user who authorized.
struct Grantee {
    app: String,
    client: String,
    user: String,
}

impl Grantee {
    fn of(row: &AnyRow) -> StoreResult<Self> {
        Ok(Self { app: s(row, "erp_app_id")?, client: s(row, "client_id")?, user: s(row, "user_id")? })
    }
}

async fn insert_token(
    tx: &mut Transaction<'static, Any>,
    kind: &str,
    token: &str,
    who: &Grantee,
    parent: Option<&str>,
    expires_at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO oauth_tokens (token_hash, kind, erp_app_id, client_id, user_id, parent_hash, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(hash(token))
    .bind(kind)
    .bind(&who.app)
    .bind(&who.client)
    .bind(&who.user)
    .bind(parent.map(str::to_owned))
    .bind(expires_at)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Issues a single-use authorization code for `client` (whose `user` logged in) to `app`.
    pub async fn issue_authorization_code(
        &self,
        app: &ErpApp,
        client: &ClientId,
        user: &UserId,
        redirect_uri: &str,
    ) -> StoreResult<String> {
        let code = new_code();
        let now = now_ms();
        sqlx::query(
            "INSERT INTO oauth_codes (code_hash, erp_app_id, client_id, user_id, redirect_uri, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(hash(&code))
        .bind(&app.id.0)
        .bind(&client.0)
        .bind(&user.0)
        .bind(redirect_uri)
        .bind(now + oauth::CODE_TTL_MS)
        .bind(now)
        .execute(&self.write)
        .await?;
        Ok(code)
    }

    /// Exchanges a code for tokens; the code is spent even when two requests race for it.
    pub async fn exchange_authorization_code(
        &self,
        client_key: &str,
        code: &str,
        redirect_uri: Option<&str>,
    ) -> StoreResult<Result<TokenPair, OauthRefusal>> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT c.erp_app_id, c.client_id, c.user_id, c.redirect_uri, c.expires_at, c.used_at, a.client_key \
             FROM oauth_codes c JOIN erp_apps a ON a.id = c.erp_app_id WHERE c.code_hash = $1",
        )
        .bind(hash(code))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(Err(OauthRefusal::InvalidGrant(format!("Invalid authorization code: {code}"))));
        };
        let now = now_ms();
        let record = CodeRecord {
            client_key: s(&row, "client_key")?,
            redirect_uri: s(&row, "redirect_uri")?,
            expires_at_ms: i(&row, "expires_at")?,
            used: oi(&row, "used_at")?.is_some(),
        };
        if let Err(refusal) = oauth::check_code(&record, client_key, redirect_uri, now) {
            return Ok(Err(refusal));
        }
        let spent = sqlx::query("UPDATE oauth_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL")
            .bind(now)
            .bind(hash(code))
            .execute(&mut *tx)
            .await?;
        if spent.rows_affected() == 0 {
            return Ok(Err(OauthRefusal::InvalidGrant("Authorization code has already been used.".into())));
        }
        let who = Grantee::of(&row)?;
        let pair = TokenPair { access_token: new_token(), refresh_token: new_token(), expires_in_s: 3600 };
        insert_token(&mut tx, "refresh", &pair.refresh_token, &who, None, now + oauth::REFRESH_TTL_MS).await?;
        let parent = hash(&pair.refresh_token);
        insert_token(&mut tx, "access", &pair.access_token, &who, Some(&parent), now + oauth::ACCESS_TTL_MS).await?;
        tx.commit().await?;
        Ok(Ok(pair))
    }

    /// Mints a new access token from a refresh token (which stays valid until its year is up).
    pub async fn refresh_access_token(
        &self,
        client_key: &str,
        refresh_token: &str,
    ) -> StoreResult<Result<TokenPair, OauthRefusal>> {
        let parent = hash(refresh_token);
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT t.erp_app_id, t.client_id, t.user_id, t.expires_at, t.revoked_at, a.client_key, a.revoked_at AS app_revoked \
             FROM oauth_tokens t JOIN erp_apps a ON a.id = t.erp_app_id WHERE t.token_hash = $1 AND t.kind = 'refresh'",
        )
        .bind(&parent)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(Err(OauthRefusal::InvalidGrant("Invalid refresh token.".into())));
        };
        let record = access_record(&row)?;
        let now = now_ms();
        match oauth::check_access(&record, client_key, now) {
            Ok(_) => {}
            Err(oauth::TokenRefusal::OtherApp) => {
                return Ok(Err(OauthRefusal::InvalidGrant("Refresh token was issued to another client.".into())))
            }
            Err(oauth::TokenRefusal::Expired) => {
                return Ok(Err(OauthRefusal::InvalidGrant("Refresh token expired. Please authorize again.".into())))
            }
            Err(_) => return Ok(Err(OauthRefusal::InvalidGrant("Refresh token has been revoked.".into()))),
        }
        let who = Grantee::of(&row)?;
        let pair = TokenPair { access_token: new_token(), refresh_token: refresh_token.to_owned(), expires_in_s: 3600 };
        insert_token(&mut tx, "access", &pair.access_token, &who, Some(&parent), now + oauth::ACCESS_TTL_MS).await?;
        tx.commit().await?;
        Ok(Ok(pair))
    }

    /// The record of an access token, if it was ever issued; the caller checks it with
    /// [`oauth::check_access`].
    /// Tokens read less than a second ago are not read again (see `auth::keys`); their expiry is
    /// still checked at each call.
    pub async fn access_token(&self, token: &str) -> StoreResult<Option<AccessRecord>> {
        let hash = hash(token);
        self.token_cache
            .get_or_read(hash.clone(), || async {
                let row = sqlx::query(
                    "SELECT t.client_id, t.expires_at, t.revoked_at, a.client_key, a.revoked_at AS app_revoked \
                     FROM oauth_tokens t JOIN erp_apps a ON a.id = t.erp_app_id WHERE t.token_hash = $1 AND t.kind = 'access'",
                )
                .bind(&hash)
                .fetch_optional(&self.read)
                .await?;
                row.as_ref().map(access_record).transpose()
            })
            .await
    }

    /// Revokes every token issued to an app (used when the app itself is revoked).
    pub(crate) async fn revoke_app_tokens(tx: &mut Transaction<'static, Any>, app_id: &str) -> StoreResult<u64> {
        let r = sqlx::query("UPDATE oauth_tokens SET revoked_at = $1 WHERE erp_app_id = $2 AND revoked_at IS NULL")
            .bind(now_ms())
            .bind(app_id)
            .execute(&mut **tx)
            .await?;
        Ok(r.rows_affected())
    }
}

fn access_record(row: &AnyRow) -> StoreResult<AccessRecord> {
    Ok(AccessRecord {
        client_key: s(row, "client_key")?,
        client_id: ClientId(s(row, "client_id")?),
        expires_at_ms: i(row, "expires_at")?,
        revoked: oi(row, "revoked_at")?.is_some() || oi(row, "app_revoked")?.is_some(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_look_like_ocs_and_tokens_are_url_safe() {
        let c = super::new_code();
        assert_eq!(c.len(), 64);
        assert!(c.bytes().all(|b| super::BASE64.contains(&b)));
        let t = super::new_token();
        assert_eq!(t.len(), 48);
        assert!(t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(super::new_token(), t);
    }
}
