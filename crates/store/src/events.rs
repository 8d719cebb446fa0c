//! The transactional outbox: an event is written in the same transaction as the change it
//! describes, so webhook delivery (which reads this table) can never miss or invent a change.

use entrepot_core::ids::{ClientId, EventId};
use sqlx::{Any, Transaction};

use crate::{
    clock::{new_id, now_ms},
    rows::to_json,
    StoreResult,
};

pub(crate) async fn record(
    tx: &mut Transaction<'static, Any>,
    client: Option<&ClientId>,
    kind: &str,
    entity_id: &str,
    payload: &serde_json::Value,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO events (id, client_id, kind, entity_id, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id!(EventId).0)
    .bind(client.map(|c| c.0.clone()))
    .bind(kind)
    .bind(entity_id)
    .bind(to_json(payload))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
