//! Packing on disk: units scanned into an order's parcel, and the parcel closed (weighed,
//! measured, re-rated on its chargeable weight, PACKED) in one write transaction each.
//! Manifests are in [`manifest`].

mod manifest;

use std::collections::BTreeMap;

use entrepot_app::types::{audit::AuditRecord, packing::*};
use entrepot_core::{
    actor::Actor,
    ids::{ClientId, OrderId, SkuId, WarehouseId},
    pack::{check_unit, expected_weight_g, left_to_scan, WeightWindow},
    service::Parcel,
    sku::Sku,
    CoreError,
};
use serde_json::json;

use crate::{
    engine::{
        bulk::Val,
        clock::now_ms,
        exec::Tx,
        rows::{i, oi, os, s},
    },
    webhook::outbox,
    Backend, Store, StoreResult,
};

/// The order row as packing reads it.
struct Packed {
    id: OrderId,
    client: ClientId,
    warehouse: WarehouseId,
    oc_number: String,
    bird_id: i64,
    reference: String,
    status: String,
    country: String,
    hold: Option<String>,
    packed_weight_g: Option<i64>,
    currency: String,
    handling_fee: i64,
    delivery_fee: i64,
    tracking_number: Option<String>,
    /// The weight its label declares, when known.
    booked_weight_g: Option<i64>,
    /// Re-rating keeps an urgent order's surcharge.
    options: entrepot_core::compliance::OrderOptions,
}

async fn load(tx: &mut Tx<'_>, backend: Backend, id: &OrderId) -> StoreResult<Packed> {
    let lock = if backend == Backend::Postgres { " FOR UPDATE" } else { "" };
    let r = tx
        .fetch_optional(
            &format!(
                "SELECT id, client_id, warehouse_id, oc_number, bird_id, reference, status, recipient, pack_hold, \
                 packed_weight_g, currency, handling_fee, delivery_fee, tracking_number, booked_weight_g, customs FROM outbound_orders \
                 WHERE id = $1{lock}"
            ),
            [Val::from(id.0.as_str())],
        )
        .await?
        .ok_or_else(|| CoreError::not_found("order", id))?;
    let recipient: entrepot_core::company::Address = crate::engine::rows::json(&r, "recipient")?;
    Ok(Packed {
        id: OrderId(s(&r, "id")?),
        client: ClientId(s(&r, "client_id")?),
        warehouse: WarehouseId(s(&r, "warehouse_id")?),
        oc_number: s(&r, "oc_number")?,
        bird_id: i(&r, "bird_id")?,
        reference: s(&r, "reference")?,
        status: s(&r, "status")?,
        country: recipient.country,
        hold: os(&r, "pack_hold")?,
        packed_weight_g: oi(&r, "packed_weight_g")?,
        currency: s(&r, "currency")?,
        handling_fee: i(&r, "handling_fee")?,
        delivery_fee: i(&r, "delivery_fee")?,
        tracking_number: os(&r, "tracking_number")?,
        booked_weight_g: oi(&r, "booked_weight_g")?,
        options: crate::outbound::order_options(&r)?,
    })
}

/// The order's lines with their SKUs and what is scanned of each.
async fn lines(tx: &mut Tx<'_>, id: &OrderId) -> StoreResult<Vec<(Sku, i64, i64)>> {
    let rows = tx
        .fetch_all(
            "SELECT l.sku_id, l.qty, COALESCE(p.scanned, 0) AS scanned FROM outbound_lines l \
             LEFT JOIN pack_lines p ON p.order_id = l.order_id AND p.sku_id = l.sku_id WHERE l.order_id = $1 ORDER BY l.sku_id",
            [Val::from(id.0.as_str())],
        )
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| i(r, "sku_id")).collect::<StoreResult<_>>()?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = crate::engine::bulk::placeholders(1, ids.len());
    let found = tx
        .fetch_all(
            &format!("SELECT {} FROM skus WHERE id IN ({list})", crate::sku::READ_COLS),
            ids.into_iter().map(Val::I),
        )
        .await?;
    let skus: Vec<Sku> = found.iter().map(crate::sku::sku).collect::<StoreResult<_>>()?;
    rows.iter()
        .map(|r| {
            let id = SkuId(i(r, "sku_id")?);
            let sku = skus.iter().find(|s| s.id == id).cloned().ok_or_else(|| CoreError::not_found("SKU", id))?;
            Ok((sku, i(r, "qty")?, i(r, "scanned")?))
        })
        .collect()
}

async fn view_in(tx: &mut Tx<'_>, backend: Backend, id: &OrderId) -> StoreResult<PackView> {
    let o = load(tx, backend, id).await?;
    let lines = lines(tx, id).await?;
    let skus: Vec<Sku> = lines.iter().map(|(s, _, _)| s.clone()).collect();
    let wanted: Vec<(SkuId, i64)> = lines.iter().map(|(s, q, _)| (s.id, *q)).collect();
    let label =
        tx.fetch_optional("SELECT 1 AS one FROM order_labels WHERE order_id = $1", [Val::from(id.0.as_str())]).await?;
    Ok(PackView {
        expected_weight_g: expected_weight_g(&wanted, &skus)?,
        complete: lines.iter().all(|(_, q, sc)| sc >= q),
        lines: lines
            .into_iter()
            .map(|(s, qty, scanned)| PackLineView {
                sku_id: s.id,
                mfskuid: s.mfskuid,
                seller_sku: s.seller_sku,
                name: s.name_en,
                qty,
                scanned,
            })
            .collect(),
        order_id: o.id,
        client_id: o.client,
        warehouse_id: o.warehouse,
        oc_number: o.oc_number,
        bird_id: o.bird_id,
        reference: o.reference,
        status: o.status,
        hold: o.hold,
        packed_weight_g: o.packed_weight_g,
        currency: o.currency,
        handling_fee: o.handling_fee,
        delivery_fee: o.delivery_fee,
        tracking_number: o.tracking_number,
        label_ready: label.is_some(),
    })
}

/// Refuses packing an order that is not picked, or whose picks are not all done.
async fn ready_to_pack(tx: &mut Tx<'_>, o: &Packed) -> StoreResult<()> {
    if o.status == "PACKED" {
        return Err(CoreError::Conflict(format!("order {} is packed already", o.oc_number)).into());
    }
    if o.status != "PICKING" {
        return Err(CoreError::Conflict(format!(
            "order {} is {}: only a picked order is packed",
            o.oc_number, o.status
        ))
        .into());
    }
    let row = tx
        .fetch_one(
            "SELECT CAST(COALESCE(SUM(qty - picked - short - cancelled), 0) AS BIGINT) AS n FROM picks WHERE order_id = $1",
            [Val::from(o.id.0.as_str())],
        )
        .await?;
    let left = i(&row, "n")?;
    if left > 0 {
        return Err(
            CoreError::Conflict(format!("order {} is still being picked: {left} unit(s) left", o.oc_number)).into()
        );
    }
    Ok(())
}

async fn unit_in(tx: &mut Tx<'_>, backend: Backend, actor: &Actor, u: &PackUnit) -> StoreResult<PackView> {
    let o = load(tx, backend, &u.order).await?;
    if let Some(scan) = &u.scan_id {
        let seen = tx
            .fetch_optional(
                "SELECT 1 AS one FROM pack_scans WHERE order_id = $1 AND scan_id = $2",
                [Val::from(u.order.0.as_str()), Val::from(scan.as_str())],
            )
            .await?;
        if seen.is_some() {
            return view_in(tx, backend, &u.order).await;
        }
    }
    ready_to_pack(tx, &o).await?;
    let have = lines(tx, &u.order).await?;
    let wanted: Vec<(SkuId, i64)> = have.iter().map(|(s, q, _)| (s.id, *q)).collect();
    let scanned: BTreeMap<SkuId, i64> = have.iter().map(|(s, _, sc)| (s.id, *sc)).collect();
    let code = have.iter().find(|(s, _, _)| s.id == u.sku).map(|(s, _, _)| s.mfskuid.clone()).unwrap_or_default();
    check_unit(&wanted, &scanned, Some(u.sku), u.qty, &code)?;
    tx.execute(
        "INSERT INTO pack_lines (order_id, sku_id, scanned) VALUES ($1, $2, $3) \
         ON CONFLICT (order_id, sku_id) DO UPDATE SET scanned = pack_lines.scanned + excluded.scanned",
        [Val::from(u.order.0.as_str()), Val::I(u.sku.0), Val::I(u.qty)],
    )
    .await?;
    if let Some(scan) = &u.scan_id {
        tx.execute(
            "INSERT INTO pack_scans (order_id, scan_id, created_at) VALUES ($1, $2, $3)",
            [Val::from(u.order.0.as_str()), Val::from(scan.as_str()), Val::I(now_ms())],
        )
        .await?;
    }
    let detail = format!("{} × {code} into the parcel", u.qty);
    audit(tx, actor, &o, "pack.scanned", &detail).await?;
    view_in(tx, backend, &u.order).await
}

async fn audit(tx: &mut Tx<'_>, actor: &Actor, o: &Packed, action: &str, detail: &str) -> StoreResult<()> {
    let rec = AuditRecord {
        action,
        subject_kind: "order",
        subject_id: &o.id.0,
        warehouse: Some(&o.warehouse),
        client: Some(&o.client),
        detail: Some(detail),
    };
    crate::audit::record(tx, actor, rec).await
}

async fn close_in(
    tx: &mut Tx<'_>,
    backend: Backend,
    actor: &Actor,
    c: &PackClose,
    svc: &entrepot_core::service::Service,
) -> StoreResult<PackView> {
    let o = load(tx, backend, &c.order).await?;
    ready_to_pack(tx, &o).await?;
    let have = lines(tx, &c.order).await?;
    let wanted: Vec<(SkuId, i64)> = have.iter().map(|(s, q, _)| (s.id, *q)).collect();
    let scanned: BTreeMap<SkuId, i64> = have.iter().map(|(s, _, sc)| (s.id, *sc)).collect();
    let left = left_to_scan(&wanted, &scanned);
    if !left.is_empty() {
        let say: Vec<String> = left
            .iter()
            .map(|(id, q)| {
                let code = have.iter().find(|(s, _, _)| s.id == *id).map(|(s, _, _)| s.mfskuid.as_str()).unwrap_or("?");
                format!("{q} × {code}")
            })
            .collect();
        return Err(CoreError::Conflict(format!("scan every unit first: {} left", say.join(", "))).into());
    }
    let skus: Vec<Sku> = have.iter().map(|(s, _, _)| s.clone()).collect();
    let expected = expected_weight_g(&wanted, &skus)?;
    let package = json!({"length_mm": c.length_mm, "width_mm": c.width_mm, "height_mm": c.height_mm}).to_string();
    let now = now_ms();
    if let Some(reason) = WeightWindow::default().check(expected, c.weight_g) {
        if !c.release_hold {
            tx.execute(
                "UPDATE outbound_orders SET pack_hold = $1, packed_weight_g = $2, package = $3, updated_at = $4 WHERE id = $5",
                [Val::S(reason.clone()), Val::I(c.weight_g), Val::S(package), Val::I(now), Val::from(o.id.0.as_str())],
            )
            .await?;
            audit(tx, actor, &o, "pack.held", &reason).await?;
            return view_in(tx, backend, &c.order).await;
        }
        audit(tx, actor, &o, "pack.released", &reason).await?;
    }
    // Re-rated on what the parcel is: its weight, its box.
    let with: Vec<(&Sku, i64)> = have.iter().map(|(s, q, _)| (s, *q)).collect();
    let base = Parcel::from_lines(&o.country, with)?;
    let mut sides = [c.length_mm, c.width_mm, c.height_mm];
    sides.sort_unstable_by(|a, b| b.cmp(a));
    let parcel = Parcel {
        weight_g: c.weight_g,
        volume_mm3: c.length_mm.saturating_mul(c.width_mm).saturating_mul(c.height_mm),
        largest_item_mm: sides,
        ..base
    };
    svc.check(&parcel).map_err(|reason| CoreError::UnsuitableService { service: svc.code.clone(), reason })?;
    let quote = svc.rates.quote_for(&parcel, o.options)?;
    let held = o.handling_fee.checked_add(o.delivery_fee).ok_or_else(|| entrepot_core::limits::too_large("fee"))?;
    let changed = tx
        .execute(
            "UPDATE outbound_orders SET status = 'PACKED', pack_hold = NULL, packed_weight_g = $1, package = $2, \
             weight_g = $1, volume_mm3 = $3, chargeable_weight_g = $4, handling_fee = $5, delivery_fee = $6, \
             fee_held = COALESCE(fee_held, $7), packed_at = $8, packed_by = $9, updated_at = $8 \
             WHERE id = $10 AND status = 'PICKING'",
            [
                Val::I(c.weight_g),
                Val::S(package),
                Val::I(parcel.volume_mm3),
                Val::I(quote.chargeable_weight_g),
                Val::I(quote.handling),
                Val::I(quote.delivery),
                Val::I(held),
                Val::I(now),
                Val::S(actor.name.clone()),
                Val::from(o.id.0.as_str()),
            ],
        )
        .await?;
    if changed != 1 {
        return Err(
            CoreError::Conflict(format!("order {} changed while it was packed; scan it again", o.oc_number)).into()
        );
    }
    outbox::record(
        tx,
        Some(&o.client),
        "order.status",
        &o.id.0,
        &json!({"id": o.id, "from": "PICKING", "to": "PACKED"}),
    )
    .await?;
    let detail = format!(
        "{} g in {}×{}×{} mm; fee {} → {} {}",
        c.weight_g,
        c.length_mm,
        c.width_mm,
        c.height_mm,
        held,
        quote.handling + quote.delivery,
        o.currency
    );
    audit(tx, actor, &o, "pack.closed", &detail).await?;
    rebook_if_misdeclared(tx, actor, &o, svc, c.weight_g, now).await?;
    view_in(tx, backend, &c.order).await
}

/// A label booked at a weight on another step of the service's price list than the packed
/// parcel's declares it wrongly (the carrier would surcharge or refuse it): it goes, and the
/// parcel waits for a booking again, which the API makes at once.
async fn rebook_if_misdeclared(
    tx: &mut Tx<'_>,
    actor: &Actor,
    o: &Packed,
    svc: &entrepot_core::service::Service,
    weight_g: i64,
    now: i64,
) -> StoreResult<()> {
    let (Some(old), Some(declared)) = (&o.tracking_number, o.booked_weight_g) else { return Ok(()) };
    if svc.rates.weight_step(declared) == svc.rates.weight_step(weight_g) {
        return Ok(());
    }
    let id = Val::from(o.id.0.as_str());
    tx.execute("UPDATE outbound_orders SET tracking_number = NULL, booked_weight_g = NULL WHERE id = $1", [id.clone()])
        .await?;
    tx.execute("DELETE FROM order_labels WHERE order_id = $1", [id.clone()]).await?;
    tx.execute(
        "INSERT INTO booking_queue (order_id, client_id, queued_at) VALUES ($1, $2, $3) ON CONFLICT (order_id) DO NOTHING",
        [id, Val::from(o.client.0.as_str()), Val::I(now)],
    )
    .await?;
    let detail = format!("label {old} declared {declared} g, the parcel weighs {weight_g} g: booked again");
    audit(tx, actor, o, "pack.rebooked", &detail).await
}

impl Store {
    /// See [`entrepot_app::ports::PackPort::order_at`].
    pub async fn order_at(&self, warehouse: &WarehouseId, key: &str) -> StoreResult<(OrderId, ClientId)> {
        let bird: i64 = key.trim().parse().unwrap_or(-1);
        let row = sqlx::query(
            "SELECT id, client_id FROM outbound_orders WHERE warehouse_id = $1 AND id = $2 \
             UNION ALL SELECT id, client_id FROM outbound_orders WHERE warehouse_id = $1 AND oc_number = $2 \
             UNION ALL SELECT id, client_id FROM outbound_orders WHERE warehouse_id = $1 AND bird_id = $3",
        )
        .bind(&warehouse.0)
        .bind(key.trim())
        .bind(bird)
        .fetch_optional(&self.read)
        .await?
        .ok_or_else(|| CoreError::not_found("order", key))?;
        Ok((OrderId(s(&row, "id")?), ClientId(s(&row, "client_id")?)))
    }

    /// See [`entrepot_app::ports::PackPort::pack_view`].
    pub async fn pack_view(&self, id: &OrderId) -> StoreResult<PackView> {
        let mut tx = self.read.begin().await?;
        let v = view_in(&mut Tx::from(&mut tx), Backend::Sqlite, id).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// See [`entrepot_app::ports::PackPort::pack_unit`].
    pub async fn pack_unit(&self, actor: &Actor, u: &PackUnit) -> StoreResult<PackView> {
        let (actor, u, backend) = (actor.clone(), u.clone(), self.backend);
        self.writer_transaction(move |tx| Box::pin(async move { unit_in(tx, backend, &actor, &u).await })).await
    }

    /// See [`entrepot_app::ports::PackPort::close_pack`].
    pub async fn close_pack(&self, actor: &Actor, c: &PackClose) -> StoreResult<PackView> {
        let service = {
            let row = sqlx::query("SELECT service_id FROM outbound_orders WHERE id = $1")
                .bind(&c.order.0)
                .fetch_one(&self.read)
                .await?;
            self.cached_service(&entrepot_core::ids::ServiceId(s(&row, "service_id")?)).await?
        };
        let (actor, c, backend) = (actor.clone(), c.clone(), self.backend);
        self.writer_transaction(move |tx| Box::pin(async move { close_in(tx, backend, &actor, &c, &service).await }))
            .await
    }
}

#[cfg(test)]
mod tests;
