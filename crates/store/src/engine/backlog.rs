//! How much background work is waiting, for `/metrics`: an operator (or a benchmark) sees at once
//! whether carrier booking, webhook fan-out and delivery, or bulk tasks keep up with intake. Each
//! count reads an index the workers' claims use already.

use crate::{engine::rows::i, Store, StoreResult};

pub use entrepot_app::types::operator::Backlog;

impl Store {
    /// The current backlog.
    pub async fn backlog(&self) -> StoreResult<Backlog> {
        let count = |sql: String| async move {
            let row = sqlx::query(&sql).fetch_one(&self.read).await?;
            i(&row, "n")
        };
        Ok(Backlog {
            // Rows of orders that moved on while a worker held them are counted until its claim
            // drops them (see `booking::claimed`).
            orders_awaiting_booking: count("SELECT COUNT(*) AS n FROM booking_queue".into()).await?,
            events_to_fan_out: count("SELECT COUNT(*) AS n FROM events WHERE fanned_out_at IS NULL".into()).await?,
            deliveries_pending: count("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'PENDING'".into())
                .await?,
            tasks_open: count("SELECT COUNT(*) AS n FROM tasks WHERE status IN ('QUEUE', 'RUNNING')".into()).await?,
        })
    }
}
