//! Switching off endpoints that keep failing (svix's rule): once every delivery to an endpoint
//! has failed for a whole period (five days by default), it is set INACTIVE so a dead ERP stops
//! costing retries, and a `webhook.disabled` event says so. Its pending deliveries wait, as for
//! any inactive endpoint, until the client sets it ACTIVE again, which also restarts the clock.

use crate::{
    engine::{clock::now_ms, exec::Tx, rows::oi},
    webhook::outbox,
    Store, StoreResult,
};

impl Store {
    /// System side, after a delivery to `webhook_id` failed for good: disables the endpoint if
    /// it has not succeeded since `after_ms` ago (nor been re-enabled since), and its deliveries
    /// have been failing since then. `true` if it was disabled now.
    pub async fn disable_if_failing(&self, webhook_id: i64, after_ms: i64) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT w.client_id, w.updated_at, \
             (SELECT MAX(d.last_attempt_at) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'SUCCESS') AS last_ok \
             FROM webhooks w WHERE w.id = $1 AND w.status = 'ACTIVE'",
        )
        .bind(webhook_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(false) };
        let healthy_at = oi(&row, "last_ok")?.unwrap_or(0).max(oi(&row, "updated_at")?.unwrap_or(0));
        let first_failure = sqlx::query(
            "SELECT MIN(created_at) AS since FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'FAILED' AND created_at >= $2",
        )
        .bind(webhook_id)
        .bind(healthy_at)
        .fetch_one(&mut *tx)
        .await?;
        let now = now_ms();
        let failing = oi(&first_failure, "since")?.is_some_and(|since| now - since >= after_ms);
        if !failing {
            return Ok(false);
        }
        let r =
            sqlx::query("UPDATE webhooks SET status = 'INACTIVE', updated_at = $1 WHERE id = $2 AND status = 'ACTIVE'")
                .bind(now)
                .bind(webhook_id)
                .execute(&mut *tx)
                .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        let client = entrepot_core::ids::ClientId(crate::engine::rows::s(&row, "client_id")?);
        let payload = serde_json::json!({"webhook_id": webhook_id, "failing_since_ms": healthy_at});
        outbox::record(&mut Tx::from(&mut tx), Some(&client), "webhook.disabled", &webhook_id.to_string(), &payload)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
