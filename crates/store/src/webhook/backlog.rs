//! How far behind each webhook endpoint is, for `/metrics`: a slow endpoint's deliveries wait in
//! the database (the worker holds only those in flight), and this is where an operator sees them
//! pile up, endpoint by endpoint. One pass over the pending part of the
//! `(status, webhook_id, next_attempt_at, id)` index, grouped by endpoint.

use crate::{
    engine::{
        clock::now_ms,
        rows::{i, s},
    },
    Store, StoreResult,
};

pub use entrepot_app::types::operator::EndpointBacklog;

impl Store {
    /// System side: the backlog of every endpoint that has one, by endpoint id.
    pub async fn webhook_endpoint_backlog(&self) -> StoreResult<Vec<EndpointBacklog>> {
        let now = now_ms();
        let rows = sqlx::query(
            "SELECT g.webhook_id, w.client_id, g.pending, g.due, g.oldest FROM ( \
               SELECT webhook_id, COUNT(*) AS pending, \
                 SUM(CASE WHEN next_attempt_at <= $1 THEN 1 ELSE 0 END) AS due, MIN(next_attempt_at) AS oldest \
               FROM webhook_deliveries WHERE status = 'PENDING' GROUP BY webhook_id) g \
             JOIN webhooks w ON w.id = g.webhook_id ORDER BY g.webhook_id",
        )
        .bind(now)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EndpointBacklog {
                    webhook_id: i(r, "webhook_id")?,
                    client_id: s(r, "client_id")?,
                    pending: i(r, "pending")?,
                    due: i(r, "due")?,
                    lag_ms: (now - i(r, "oldest")?).max(0),
                })
            })
            .collect()
    }
}
