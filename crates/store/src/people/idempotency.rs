//! The native API's Idempotency-Key records. The primary key `(user_id, idem_key)` is the lock:
//! `INSERT ... ON CONFLICT DO NOTHING` claims a key once, even across processes; a row without
//! a status is a command still running.

use entrepot_app::types::people::IdempotencyClaim;
use entrepot_core::ids::UserId;

use crate::{
    engine::{
        clock::now_ms,
        rows::{oi, os, s},
    },
    Store, StoreResult,
};

impl Store {
    pub async fn idempotency_claim(
        &self,
        user: &UserId,
        key: &str,
        request: &str,
        body_hash: &str,
        ttl_ms: i64,
    ) -> StoreResult<IdempotencyClaim> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2 AND created_at < $3")
            .bind(&user.0)
            .bind(key)
            .bind(now - ttl_ms)
            .execute(&mut *tx)
            .await?;
        let claimed = sqlx::query(
            "INSERT INTO idempotency_keys (user_id, idem_key, request, body_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_id, idem_key) DO NOTHING",
        )
        .bind(&user.0)
        .bind(key)
        .bind(request)
        .bind(body_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let out = if claimed == 1 {
            IdempotencyClaim::Claimed
        } else {
            let row = sqlx::query(
                "SELECT request, body_hash, status, content_type, response FROM idempotency_keys \
                 WHERE user_id = $1 AND idem_key = $2",
            )
            .bind(&user.0)
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
            if s(&row, "request")? != request || s(&row, "body_hash")? != body_hash {
                IdempotencyClaim::Mismatch
            } else {
                match oi(&row, "status")? {
                    None => IdempotencyClaim::InFlight,
                    Some(status) => IdempotencyClaim::Replay {
                        status: u16::try_from(status).unwrap_or(500),
                        content_type: os(&row, "content_type")?.unwrap_or_default(),
                        body: os(&row, "response")?.unwrap_or_default(),
                    },
                }
            }
        };
        tx.commit().await?;
        if now % 64 == 0 {
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
                .bind(now - ttl_ms)
                .execute(&self.write)
                .await?;
        }
        Ok(out)
    }

    pub async fn idempotency_finish(
        &self,
        user: &UserId,
        key: &str,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE idempotency_keys SET status = $3, content_type = $4, response = $5 WHERE user_id = $1 AND idem_key = $2",
        )
        .bind(&user.0)
        .bind(key)
        .bind(i64::from(status))
        .bind(content_type)
        .bind(body)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    pub async fn idempotency_release(&self, user: &UserId, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2 AND status IS NULL")
            .bind(&user.0)
            .bind(key)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
