//! Browser sessions and bearer tokens: both are 256 random bits handed out once and kept as
//! their SHA-256 (a fast hash is safe for secrets that long, and keeps each request's lookup
//! cheap). A session carries its CSRF token; a token its label (the device) and scope.

use entrepot_app::types::{
    audit::AuditRecord,
    people::{SessionOpened, SessionRecord, TokenCreated, TokenOwner, TokenRecord, UserRecord},
};
use entrepot_core::{actor::Actor, ids::UserId, CoreError};
use sqlx::any::AnyRow;

use super::{secret256, sha256_hex, user_with_warehouses};
use crate::{
    audit,
    engine::{
        clock::{now_ms, random},
        exec::Tx,
        rows::{i, oi, s},
    },
    Store, StoreResult,
};

const TOKEN_COLUMNS: &str = "id, user_id, label, scope, created_at, revoked_at";

fn token(row: &AnyRow) -> StoreResult<TokenRecord> {
    Ok(TokenRecord {
        id: s(row, "id")?,
        user_id: UserId(s(row, "user_id")?),
        label: s(row, "label")?,
        scope: s(row, "scope")?,
        created_at_ms: i(row, "created_at")?,
        revoked: oi(row, "revoked_at")?.is_some(),
    })
}

impl Store {
    /// Opens a session for `user` until `ttl_ms` from now; records `session.opened`. Expired
    /// sessions of the same user are dropped on the way.
    pub async fn open_session(&self, actor: &Actor, user: &UserRecord, ttl_ms: i64) -> StoreResult<SessionOpened> {
        let now = now_ms();
        let secret = secret256();
        let csrf_token = secret256();
        let expires_at_ms = now.saturating_add(ttl_ms);
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM user_sessions WHERE user_id = $1 AND expires_at <= $2")
            .bind(&user.id.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO user_sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(sha256_hex(&secret))
        .bind(&user.id.0)
        .bind(&csrf_token)
        .bind(now)
        .bind(expires_at_ms)
        .execute(&mut *tx)
        .await?;
        let audit = AuditRecord {
            action: "session.opened",
            subject_kind: "user",
            subject_id: &user.id.0,
            warehouse: None,
            client: user.client_id.as_ref(),
            detail: None,
        };
        audit::record(&mut Tx::from(&mut tx), actor, audit).await?;
        tx.commit().await?;
        Ok(SessionOpened { secret, csrf_token, expires_at_ms, user: user.clone() })
    }

    pub async fn session(&self, secret: &str) -> StoreResult<Option<SessionRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {}, s.csrf_token, s.expires_at FROM user_sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1",
            self.user_columns()
        ))
        .bind(sha256_hex(secret))
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (csrf_token, expires_at_ms) = (s(&row, "csrf_token")?, i(&row, "expires_at")?);
        Ok(Some(SessionRecord { user: user_with_warehouses(&row)?, csrf_token, expires_at_ms }))
    }

    pub async fn close_session(&self, secret: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM user_sessions WHERE id_hash = $1")
            .bind(sha256_hex(secret))
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Creates a bearer token for `user`; records `token.created` (with its label) by `actor`.
    pub async fn create_token(
        &self,
        actor: &Actor,
        user: &UserId,
        label: &str,
        scope: &str,
    ) -> StoreResult<TokenCreated> {
        let secret = format!("ent_{}", secret256());
        let record = TokenRecord {
            id: format!("tok_{:026x}", random() >> 24),
            user_id: user.clone(),
            label: label.to_owned(),
            scope: scope.to_owned(),
            created_at_ms: now_ms(),
            revoked: false,
        };
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO api_tokens (id, token_hash, user_id, label, scope, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&record.id)
        .bind(sha256_hex(&secret))
        .bind(&user.0)
        .bind(&record.label)
        .bind(&record.scope)
        .bind(record.created_at_ms)
        .execute(&mut *tx)
        .await?;
        let audit = AuditRecord {
            action: "token.created",
            subject_kind: "token",
            subject_id: &record.id,
            warehouse: None,
            client: actor.client(),
            detail: Some(label),
        };
        audit::record(&mut Tx::from(&mut tx), actor, audit).await?;
        tx.commit().await?;
        Ok(TokenCreated { token: secret, record })
    }

    pub async fn tokens(&self, user: &UserId) -> StoreResult<Vec<TokenRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id"
        ))
        .bind(&user.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(token).collect()
    }

    pub async fn token(&self, id: &str) -> StoreResult<Option<TokenRecord>> {
        let row = sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(token).transpose()
    }

    /// Revokes a live token; records `token.revoked`. A revoked or unknown one is "not found".
    pub async fn revoke_token(&self, actor: &Actor, id: &str) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(CoreError::not_found("token", id).into());
        }
        let audit = AuditRecord {
            action: "token.revoked",
            subject_kind: "token",
            subject_id: id,
            warehouse: None,
            client: actor.client(),
            detail: None,
        };
        audit::record(&mut Tx::from(&mut tx), actor, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The token whose secret is `secret`, with its user (revoked ones too: the caller refuses):
    /// one read, since every scan of a handheld presents its token.
    pub async fn token_owner(&self, secret: &str) -> StoreResult<Option<TokenOwner>> {
        let row = sqlx::query(&format!(
            "SELECT {}, t.id AS token_id, t.label AS token_label, t.scope AS token_scope, \
             t.created_at AS token_created_at, t.revoked_at AS token_revoked_at \
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
            self.user_columns()
        ))
        .bind(sha256_hex(secret))
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user = user_with_warehouses(&row)?;
        let token = TokenRecord {
            id: s(&row, "token_id")?,
            user_id: user.id.clone(),
            label: s(&row, "token_label")?,
            scope: s(&row, "token_scope")?,
            created_at_ms: i(&row, "token_created_at")?,
            revoked: oi(&row, "token_revoked_at")?.is_some(),
        };
        Ok(Some(TokenOwner { user, token }))
    }
}
