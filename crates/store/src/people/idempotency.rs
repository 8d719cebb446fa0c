//! The native API's Idempotency-Key records. The primary key `(user_id, idem_key)` is the lock:
//! `INSERT ... ON CONFLICT` claims a key once, even across processes; a row without
//! a status is a command still running.

use entrepot_app::types::people::IdempotencyClaim;
use entrepot_core::ids::UserId;

use sqlx::any::AnyRow;

use crate::{
    engine::{
        bulk::Val,
        clock::now_ms,
        rows::{oi, os, s},
    },
    Store, StoreResult,
};

impl Store {
    /// Claims `key` for `user` (see [`IdempotencyClaim`]) in one statement where writes are
    /// written (a handheld's every scan claims and finishes a key, beside the scan's own write):
    /// a new key is inserted, one past `ttl_ms` taken over in place; only a key in use is read.
    pub async fn idempotency_claim(
        &self,
        user: &UserId,
        key: &str,
        request: &str,
        body_hash: &str,
        ttl_ms: i64,
    ) -> StoreResult<IdempotencyClaim> {
        let now = now_ms();
        let sql = "INSERT INTO idempotency_keys (user_id, idem_key, request, body_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, idem_key) DO UPDATE SET request = excluded.request, \
             body_hash = excluded.body_hash, created_at = excluded.created_at, status = NULL, content_type = NULL, \
             response = NULL WHERE idempotency_keys.created_at < $6";
        // The key's row may go (released, or swept) between a refused claim and its read.
        for _ in 0..3 {
            let vals = vec![
                Val::from(user.0.as_str()),
                Val::from(key),
                Val::from(request),
                Val::from(body_hash),
                Val::I(now),
                Val::I(now.saturating_sub(ttl_ms)),
            ];
            if self.write_statement(sql, vals).await? == 1 {
                self.sweep_idempotency_keys(now, ttl_ms).await?;
                return Ok(IdempotencyClaim::Claimed);
            }
            let row = sqlx::query(
                "SELECT request, body_hash, status, content_type, response FROM idempotency_keys \
                 WHERE user_id = $1 AND idem_key = $2",
            )
            .bind(&user.0)
            .bind(key)
            .fetch_optional(&self.read)
            .await?;
            if let Some(row) = row {
                return in_use(&row, request, body_hash);
            }
        }
        Ok(IdempotencyClaim::InFlight)
    }

    /// Now and then, forgets keys past their time to live.
    async fn sweep_idempotency_keys(&self, now: i64, ttl_ms: i64) -> StoreResult<()> {
        if now % 64 == 0 {
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
                .bind(now.saturating_sub(ttl_ms))
                .execute(&self.write)
                .await?;
        }
        Ok(())
    }

    /// Keeps the answer of a claimed key for its replays.
    pub async fn idempotency_finish(
        &self,
        user: &UserId,
        key: &str,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> StoreResult<()> {
        let vals = vec![
            Val::from(user.0.as_str()),
            Val::from(key),
            Val::I(i64::from(status)),
            Val::from(content_type),
            Val::from(body),
        ];
        let sql = "UPDATE idempotency_keys SET status = $3, content_type = $4, response = $5 WHERE user_id = $1 AND idem_key = $2";
        self.write_statement(sql, vals).await?;
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

/// What a key already in use answers a claim for `request` with `body_hash`.
fn in_use(row: &AnyRow, request: &str, body_hash: &str) -> StoreResult<IdempotencyClaim> {
    if s(row, "request")? != request || s(row, "body_hash")? != body_hash {
        return Ok(IdempotencyClaim::Mismatch);
    }
    Ok(match oi(row, "status")? {
        None => IdempotencyClaim::InFlight,
        Some(status) => IdempotencyClaim::Replay {
            status: u16::try_from(status).unwrap_or(500),
            content_type: os(row, "content_type")?.unwrap_or_default(),
            body: os(row, "response")?.unwrap_or_default(),
        },
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use entrepot_app::types::people::IdempotencyClaim;
    use entrepot_core::ids::UserId;
    use entrepot_testkit::{each_backend, Backend, TestDb};

    use crate::Store;

    const DAY: i64 = 86_400_000;

    #[each_backend]
    async fn a_key_is_claimed_once_replayed_and_forgotten(b: Backend) {
        let db = TestDb::new(b).await;
        let store = Store::open(&db.url).await.unwrap();
        let (u, other) = (UserId::from("usr_1"), UserId::from("usr_2"));
        let claim = |user: &UserId, body: &str, ttl: i64| {
            let (store, user, body) = (store.clone(), user.clone(), body.to_owned());
            async move { store.idempotency_claim(&user, "k1", "POST /tokens", &body, ttl).await.unwrap() }
        };
        assert_eq!(claim(&u, "h1", DAY).await, IdempotencyClaim::Claimed);
        assert_eq!(claim(&u, "h1", DAY).await, IdempotencyClaim::InFlight, "the first is still running");
        assert_eq!(claim(&u, "h2", DAY).await, IdempotencyClaim::Mismatch);
        assert_eq!(claim(&other, "h2", DAY).await, IdempotencyClaim::Claimed, "keys are per user");
        store.idempotency_finish(&u, "k1", 201, "application/json", "{\"id\":1}").await.unwrap();
        let replay = IdempotencyClaim::Replay {
            status: 201,
            content_type: "application/json".into(),
            body: "{\"id\":1}".into(),
        };
        assert_eq!(claim(&u, "h1", DAY).await, replay);
        // Released (the command failed): the next try runs anew; a finished key is not released.
        store.idempotency_release(&u, "k1").await.unwrap();
        assert_eq!(claim(&u, "h1", DAY).await, replay);
        store.idempotency_release(&other, "k1").await.unwrap();
        assert_eq!(claim(&other, "h3", DAY).await, IdempotencyClaim::Claimed);
        // Past its time to live, a key is new again.
        assert_eq!(claim(&u, "h9", -1000).await, IdempotencyClaim::Claimed);
    }
}
