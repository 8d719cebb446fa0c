//! Where a transfer's units physically go: the legs of a stock transfer between locations, and
//! `location_stock` kept in step, inside the transfer's transaction.
//!
//! A transfer into the physical buckets from outside or in transit lands in the named location
//! or its bucket's default ([`landing`]); one out of them draws from the named location or from
//! those holding the SKU ([`draw_order`]); one between physical buckets moves goods only when a
//! location is named (putaway), otherwise (reserving, freezing) it names none.

use crate::{
    engine::{
        bulk::Val,
        exec::Tx,
        rows::{i, parse, s},
    },
    stock::StockMove,
    StoreResult,
};
use entrepot_core::{
    ids::{ClientId, SkuId, WarehouseId},
    location::{default_id, draw, draw_order, is_default_id, is_physical, landing, Holding, LocationId},
    CoreError,
};

/// The locations a transfer names; `None`: the default for its buckets.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct At<'a> {
    pub from: Option<&'a LocationId>,
    pub to: Option<&'a LocationId>,
}

/// One part of a transfer: `qty` units from one location (or none) to one location (or none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Leg {
    pub from: Option<LocationId>,
    pub to: Option<LocationId>,
    pub qty: i64,
}

/// Moves the units of `m` between locations as its buckets say, and returns the legs its
/// ledger rows are written as (one leg, or one per location drawn from).
pub(crate) async fn place(
    tx: &mut Tx<'_>,
    m: &StockMove<'_>,
    at: At<'_>,
    sku_label: &str,
    wh_label: &str,
) -> StoreResult<Vec<Leg>> {
    let t = &m.transfer;
    let (pf, pt) = (is_physical(t.from), is_physical(t.to));
    let named = at.from.is_some() || at.to.is_some();
    let moves_goods = pf != pt || (pf && pt && named);
    if !moves_goods {
        return Ok(vec![Leg { from: None, to: None, qty: t.qty }]);
    }
    let to = pt.then(|| at.to.cloned().unwrap_or_else(|| default_id(m.warehouse, landing(t.to))));
    let sources: Vec<(Option<LocationId>, i64)> = if !pf {
        vec![(None, t.qty)]
    } else if let Some(from) = at.from {
        vec![(Some(from.clone()), t.qty)]
    } else {
        let mut holdings = holdings(tx, m).await?;
        draw_order(t.from, &mut holdings);
        let drawn = draw(&holdings, t.qty).ok_or_else(|| {
            CoreError::Conflict(format!(
                "the locations of SKU {sku_label} in {wh_label} hold fewer units than its stock; \
                 `entrepot admin check` says where"
            ))
        })?;
        drawn.into_iter().map(|(l, q)| (Some(l), q)).collect()
    };
    let mut legs = Vec::with_capacity(sources.len());
    for (from, qty) in sources {
        if let Some(from) = &from {
            take(tx, (m.client, m.sku, m.warehouse), from, qty, sku_label).await?;
        }
        if let Some(to) = &to {
            add(tx, (m.client, m.sku, m.warehouse), to, qty).await?;
        }
        legs.push(Leg { from, to: to.clone(), qty });
    }
    Ok(legs)
}

/// The locations holding units of `m`'s SKU in its warehouse.
async fn holdings(tx: &mut Tx<'_>, m: &StockMove<'_>) -> StoreResult<Vec<Holding>> {
    let rows = tx
        .fetch_all(
            "SELECT ls.location_id, ls.qty, l.code, l.kind, l.pick_seq FROM location_stock ls \
             JOIN locations l ON l.id = ls.location_id WHERE ls.sku_id = $1 AND ls.warehouse_id = $2 AND ls.qty > 0",
            [Val::I(m.sku.0), Val::from(m.warehouse.0.as_str())],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Holding {
                location: LocationId(s(r, "location_id")?),
                code: s(r, "code")?,
                kind: parse(r, "kind")?,
                pick_seq: i(r, "pick_seq")?,
                qty: i(r, "qty")?,
            })
        })
        .collect()
}

/// Units of one client's SKU in one warehouse.
pub(crate) type Units<'a> = (&'a ClientId, SkuId, &'a WarehouseId);

/// Takes `qty` units of the SKU out of `from`, refusing if it holds fewer.
pub(crate) async fn take(
    tx: &mut Tx<'_>,
    (_, sku, warehouse): Units<'_>,
    from: &LocationId,
    qty: i64,
    sku_label: &str,
) -> StoreResult<()> {
    let changed = tx
        .execute(
            "UPDATE location_stock SET qty = qty - $1 WHERE location_id = $2 AND sku_id = $3 AND warehouse_id = $4 AND qty >= $1",
            [Val::I(qty), Val::from(from.0.as_str()), Val::I(sku.0), Val::from(warehouse.0.as_str())],
        )
        .await?;
    if changed == 1 {
        return units(tx, warehouse, from, -qty).await;
    }
    let row = tx
        .fetch_optional(
            "SELECT l.code, COALESCE(ls.qty, 0) AS qty FROM locations l \
             LEFT JOIN location_stock ls ON ls.location_id = l.id AND ls.sku_id = $2 WHERE l.id = $1",
            [Val::from(from.0.as_str()), Val::I(sku.0)],
        )
        .await?;
    let (code, have) = match row {
        Some(r) => (s(&r, "code")?, i(&r, "qty")?),
        None => (from.0.clone(), 0),
    };
    Err(CoreError::Conflict(format!("location {code} holds {have} unit(s) of SKU {sku_label}, not {qty}")).into())
}

/// Adds `qty` units of the SKU to `to`. Units arriving in an empty slot date it (`since`, what
/// waves allocate first in, first out by); units joining others keep the older date.
pub(crate) async fn add(
    tx: &mut Tx<'_>,
    (client, sku, warehouse): Units<'_>,
    to: &LocationId,
    qty: i64,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO location_stock (location_id, sku_id, client_id, warehouse_id, qty, since) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (location_id, sku_id) DO UPDATE SET qty = location_stock.qty + excluded.qty, \
         since = CASE WHEN location_stock.qty = 0 THEN excluded.since ELSE location_stock.since END",
        [
            Val::from(to.0.as_str()),
            Val::I(sku.0),
            Val::from(client.0.as_str()),
            Val::from(warehouse.0.as_str()),
            Val::I(qty),
            Val::I(crate::engine::clock::now_ms()),
        ],
    )
    .await?;
    units(tx, warehouse, to, qty).await
}

/// Keeps `locations.units` (what the location holds in all) in step with its `location_stock`:
/// bins only. Every receipt and putaway passes through the default locations (the dock), whose
/// count would be one row every scan of the warehouse waits for on PostgreSQL, and the putaway
/// suggestion, which reads the count, never offers them.
async fn units(tx: &mut Tx<'_>, warehouse: &WarehouseId, location: &LocationId, change: i64) -> StoreResult<()> {
    if is_default_id(warehouse, location) {
        return Ok(());
    }
    tx.execute(
        "UPDATE locations SET units = units + $1 WHERE id = $2",
        [Val::I(change), Val::from(location.0.as_str())],
    )
    .await?;
    Ok(())
}
