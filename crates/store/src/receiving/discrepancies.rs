//! Receipt discrepancies on disk: over, short and damaged once per (inbound, SKU, kind), written
//! when the receipt closes (or the order finishes without a close); unexpected SKUs each on their
//! own. Every one raises an `inbound.discrepancy` event in the same transaction.

use entrepot_app::types::receiving::DiscrepancyView;
use entrepot_core::{
    actor::Actor,
    ids::{ClientId, SkuId, WarehouseId},
    inbound::{Discrepancy, DiscrepancyKind},
};
use serde_json::json;

use crate::{
    engine::{
        bulk::Val,
        exec::Tx,
        rows::{i, oi, os, parse, s},
    },
    inbound::InboundView,
    webhook::outbox,
    StoreResult,
};

/// A discrepancy to write.
pub(crate) struct Row {
    pub id: String,
    pub kind: DiscrepancyKind,
    pub sku_id: Option<SkuId>,
    pub code: Option<String>,
    pub expected: i64,
    pub received: i64,
    pub quantity: i64,
    pub note: Option<String>,
    pub photo_key: Option<String>,
}

/// Writes a discrepancy of a line the core found (its id derived from inbound, SKU and kind, so
/// writing it again updates it).
pub(crate) async fn write_line(
    tx: &mut Tx<'_>,
    v: &InboundView,
    d: &Discrepancy,
    actor: &Actor,
    now: i64,
) -> StoreResult<DiscrepancyView> {
    let row = Row {
        id: format!("{}:{}:{}", v.id.0, d.sku_id.0, d.kind.as_str()),
        kind: d.kind,
        sku_id: Some(d.sku_id),
        code: None,
        expected: d.expected,
        received: d.received,
        quantity: d.quantity,
        note: None,
        photo_key: None,
    };
    write(tx, v, row, actor, now).await
}

/// Writes one discrepancy of inbound `v` and its `inbound.discrepancy` event.
pub(crate) async fn write(
    tx: &mut Tx<'_>,
    v: &InboundView,
    d: Row,
    actor: &Actor,
    now: i64,
) -> StoreResult<DiscrepancyView> {
    tx.execute(
        "INSERT INTO inbound_discrepancies (id, inbound_id, client_id, warehouse_id, kind, sku_id, code, expected, \
         received, quantity, note, photo_key, actor_name, user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (id) DO UPDATE SET expected = excluded.expected, received = excluded.received, \
         quantity = excluded.quantity",
        [
            Val::from(d.id.as_str()),
            Val::from(v.id.0.as_str()),
            Val::from(v.client_id.0.as_str()),
            Val::from(v.warehouse_id.0.as_str()),
            Val::from(d.kind.as_str()),
            Val::OI(d.sku_id.map(|s| s.0)),
            Val::OS(d.code.clone()),
            Val::I(d.expected),
            Val::I(d.received),
            Val::I(d.quantity),
            Val::OS(d.note.clone()),
            Val::OS(d.photo_key.clone()),
            Val::from(actor.name.as_str()),
            Val::OS(actor.user.as_ref().map(|u| u.0.clone())),
            Val::I(now),
        ],
    )
    .await?;
    let view = DiscrepancyView {
        id: d.id,
        inbound_id: v.id.0.clone(),
        client_id: v.client_id.clone(),
        warehouse_id: v.warehouse_id.clone(),
        kind: d.kind,
        sku_id: d.sku_id,
        code: d.code,
        expected: d.expected,
        received: d.received,
        quantity: d.quantity,
        note: d.note,
        photo_key: d.photo_key,
        actor_name: actor.name.clone(),
        created_at_ms: now,
    };
    outbox::record(
        tx,
        Some(&v.client_id),
        "inbound.discrepancy",
        &v.id.0,
        &json!({
            "number": v.inbound.number,
            "discrepancy": view.id,
            "kind": view.kind.as_str(),
            "sku": view.sku_id.map(|s| s.0),
            "code": view.code,
            "expected": view.expected,
            "received": view.received,
            "quantity": view.quantity,
            "note": view.note,
        }),
    )
    .await?;
    Ok(view)
}

/// The discrepancies of inbound `inbound_id`, oldest first.
pub(crate) async fn of(tx: &mut Tx<'_>, inbound_id: &str) -> StoreResult<Vec<DiscrepancyView>> {
    let rows = tx
        .fetch_all(
            "SELECT id, inbound_id, client_id, warehouse_id, kind, sku_id, code, expected, received, quantity, note, \
             photo_key, actor_name, created_at FROM inbound_discrepancies WHERE inbound_id = $1 ORDER BY created_at, id",
            [Val::from(inbound_id)],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DiscrepancyView {
                id: s(r, "id")?,
                inbound_id: s(r, "inbound_id")?,
                client_id: ClientId(s(r, "client_id")?),
                warehouse_id: WarehouseId(s(r, "warehouse_id")?),
                kind: parse(r, "kind")?,
                sku_id: oi(r, "sku_id")?.map(SkuId),
                code: os(r, "code")?,
                expected: i(r, "expected")?,
                received: i(r, "received")?,
                quantity: i(r, "quantity")?,
                note: os(r, "note")?,
                photo_key: os(r, "photo_key")?,
                actor_name: s(r, "actor_name")?,
                created_at_ms: i(r, "created_at")?,
            })
        })
        .collect()
}
