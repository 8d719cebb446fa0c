//! The transactional outbox: an event is written in the same transaction as the change it
//! describes, so webhook delivery (which reads this table) can never miss or invent a change.

use entrepot_core::ids::{ClientId, EventId};
use sqlx::{Any, Transaction};

use crate::{
    bulk::{self, Val},
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

/// Records one event per `(entity_id, payload)` of `kind` in multi-row inserts (a batch of orders).
pub(crate) async fn record_many(
    tx: &mut Transaction<'static, Any>,
    client: Option<&ClientId>,
    kind: &str,
    items: Vec<(String, serde_json::Value)>,
) -> StoreResult<()> {
    let now = now_ms();
    let client = client.map(|c| c.0.clone());
    let rows = items
        .into_iter()
        .map(|(entity, payload)| {
            vec![
                Val::S(new_id!(EventId).0),
                Val::OS(client.clone()),
                Val::from(kind),
                Val::S(entity),
                Val::S(to_json(&payload)),
                Val::I(now),
            ]
        })
        .collect();
    bulk::insert(tx, "events", &["id", "client_id", "kind", "entity_id", "payload", "created_at"], rows, "").await?;
    Ok(())
}
