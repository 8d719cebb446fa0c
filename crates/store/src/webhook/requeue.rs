//! Messages queued by hand rather than by the outbox fan-out: an owner's test message, and the
//! replay of a finished delivery. Both only put a row in the queue; the dispatcher sends them as
//! it sends everything else (claim, sign, retry, log).

use entrepot_core::{ids::ClientId, CoreError};

use crate::{
    engine::{clock::now_ms, exec::Tx, rows::s, seq},
    webhook::{delivery, Delivery, NewDelivery, DELIVERY_COLS},
    Store, StoreResult,
};

impl Store {
    /// Queues `d` for one of the tenant's endpoints under `event_id`, due now. The delivery
    /// log's uniqueness on `(event_id, webhook_id, subject)` makes a second call with the same
    /// `event_id` queue nothing (`None`), however the two calls race.
    pub async fn queue_delivery(
        &self,
        tenant: &ClientId,
        event_id: &str,
        d: &NewDelivery,
    ) -> StoreResult<Option<Delivery>> {
        let mut tx = self.begin().await?;
        let id = seq::next(&mut Tx::from(&mut tx), "webhook_delivery", 1).await?;
        let now = now_ms();
        let r = sqlx::query(&format!(
            "INSERT INTO webhook_deliveries ({DELIVERY_COLS}, lease_owner, lease_until) \
             SELECT $1, w.client_id, w.id, $2, $3, $4, $5, 'PENDING', 0, $6, NULL, NULL, NULL, NULL, $6, $6, NULL, NULL \
             FROM webhooks w WHERE w.client_id = $7 AND w.id = $8 \
             ON CONFLICT (event_id, webhook_id, subject) DO NOTHING"
        ))
        .bind(id)
        .bind(event_id)
        .bind(&d.event_type)
        .bind(&d.subject)
        .bind(&d.payload)
        .bind(now)
        .bind(&tenant.0)
        .bind(d.webhook_id)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            tx.rollback().await?;
            // Not the tenant's endpoint, or queued already.
            self.webhook(tenant, d.webhook_id).await?;
            return Ok(None);
        }
        let row = sqlx::query(&format!("SELECT {DELIVERY_COLS} FROM webhook_deliveries WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(delivery(&row)?))
    }

    /// Puts one of the tenant's finished deliveries to `webhook_id` back in the queue, due now,
    /// with its body, id and attempt count. One conditional `UPDATE`: of two replays racing, or
    /// one clicked twice, the second finds it pending and changes nothing (`false`).
    pub async fn replay_delivery(&self, tenant: &ClientId, webhook_id: i64, id: i64) -> StoreResult<bool> {
        let now = now_ms();
        let r = sqlx::query(
            "UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = $1, updated_at = $1, \
             lease_owner = NULL, lease_until = NULL \
             WHERE client_id = $2 AND webhook_id = $3 AND id = $4 AND status <> 'PENDING'",
        )
        .bind(now)
        .bind(&tenant.0)
        .bind(webhook_id)
        .bind(id)
        .execute(&self.write)
        .await?;
        if r.rows_affected() == 1 {
            return Ok(true);
        }
        let found =
            sqlx::query("SELECT status FROM webhook_deliveries WHERE client_id = $1 AND webhook_id = $2 AND id = $3")
                .bind(&tenant.0)
                .bind(webhook_id)
                .bind(id)
                .fetch_optional(&self.read)
                .await?;
        match found {
            Some(row) if s(&row, "status")? == "PENDING" => Ok(false),
            _ => Err(CoreError::not_found("delivery", id).into()),
        }
    }
}
