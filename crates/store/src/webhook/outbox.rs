//! The transactional outbox: an event is written in the same transaction as the change it
//! describes, so webhook delivery (which reads this table) can never miss or invent a change.
//!
//! An event of a client with no active webhook (or of no client) is written already fanned out:
//! an endpoint hears only of what happens after it was registered, so nobody will ever be told of
//! it, and the fan-out loop would only read it and mark it. With intake at thousands of orders a
//! second, that reading and marking held the one SQLite writer longer than the orders did.

use entrepot_core::ids::{ClientId, EventId};

use crate::{
    engine::{
        bulk::{self, Val},
        clock::{new_id, now_ms},
        exec::Tx,
        rows::to_json,
    },
    StoreResult,
};

pub(crate) async fn record(
    tx: &mut Tx<'_>,
    client: Option<&ClientId>,
    kind: &str,
    entity_id: &str,
    payload: &serde_json::Value,
) -> StoreResult<()> {
    let vals = [
        Val::S(new_id!(EventId).0),
        Val::OS(client.map(|c| c.0.clone())),
        Val::from(kind),
        Val::from(entity_id),
        Val::S(to_json(payload)),
        Val::I(now_ms()),
    ];
    // Whether the client listens, read in the same statement (one round trip per event).
    tx.execute(
        "INSERT INTO events (id, client_id, kind, entity_id, payload, created_at, fanned_out_at) \
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN EXISTS (SELECT 1 FROM webhooks \
         WHERE client_id = $2 AND status = 'ACTIVE') THEN NULL ELSE $6 END)",
        vals,
    )
    .await?;
    Ok(())
}

/// Whether `client` has an active webhook, read in the event's own transaction.
async fn listened(tx: &mut Tx<'_>, client: Option<&ClientId>) -> StoreResult<bool> {
    let Some(client) = client else { return Ok(false) };
    let sql = "SELECT 1 AS one FROM webhooks WHERE client_id = $1 AND status = 'ACTIVE' LIMIT 1";
    Ok(tx.fetch_optional(sql, [Val::from(client.0.as_str())]).await?.is_some())
}

/// Records one event per `(entity_id, payload)` of `kind` in multi-row inserts (a batch of orders).
pub(crate) async fn record_many(
    tx: &mut Tx<'_>,
    client: Option<&ClientId>,
    kind: &str,
    items: Vec<(String, serde_json::Value)>,
) -> StoreResult<()> {
    let now = now_ms();
    let fanned_out = if listened(tx, client).await? { None } else { Some(now) };
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
                Val::OI(fanned_out),
            ]
        })
        .collect();
    let cols = ["id", "client_id", "kind", "entity_id", "payload", "created_at", "fanned_out_at"];
    bulk::insert(tx, "events", &cols, rows, "").await?;
    Ok(())
}
