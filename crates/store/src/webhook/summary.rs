//! A tenant's endpoints as its owner's list shows them: each with when a delivery to it last
//! succeeded and last failed.

use entrepot_core::ids::ClientId;

use crate::{
    engine::rows::oi,
    webhook::{webhook, WebhookSummary, WEBHOOK_COLS},
    Store, StoreResult,
};

/// The newest delivery of the endpoint meeting `cond`, by the log's own index `(client_id,
/// webhook_id, id)` read backwards: it stops at the first match.
fn newest(cond: &str) -> String {
    format!(
        "(SELECT d.last_attempt_at FROM webhook_deliveries d WHERE d.client_id = w.client_id AND d.webhook_id = w.id \
         AND {cond} ORDER BY d.id DESC LIMIT 1)"
    )
}

impl Store {
    /// The tenant's endpoints of every dialect, oldest first, at most `limit`, each with its
    /// last success and its last failure: a delivery failed for good, or pending again after an
    /// attempt that got no 2xx answer.
    pub async fn webhook_summaries(&self, tenant: &ClientId, limit: i64) -> StoreResult<Vec<WebhookSummary>> {
        let ok = newest("d.status = 'SUCCESS'");
        let failed = newest(
            "(d.status = 'FAILED' OR (d.status = 'PENDING' AND d.last_attempt_at IS NOT NULL \
             AND (d.response_code IS NULL OR d.response_code < 200 OR d.response_code > 299)))",
        );
        let cols = WEBHOOK_COLS.split(", ").map(|c| format!("w.{c}")).collect::<Vec<_>>().join(", ");
        let q = format!(
            "SELECT {cols}, {ok} AS last_ok, {failed} AS last_failed FROM webhooks w WHERE w.client_id = $1 \
             ORDER BY w.id LIMIT {}",
            limit.clamp(1, 1000)
        );
        let rows = sqlx::query(&q).bind(&tenant.0).fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                Ok(WebhookSummary {
                    webhook: webhook(r, &self.secrets)?,
                    last_success_ms: oi(r, "last_ok")?,
                    last_failure_ms: oi(r, "last_failed")?,
                })
            })
            .collect()
    }
}
