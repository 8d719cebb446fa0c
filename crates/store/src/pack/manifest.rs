//! Manifests on disk: packed parcels scanned onto their carrier's open manifest of the
//! warehouse-local day, and the manifest closed in one transaction (every parcel SHIPPED through
//! the order state machine: stock consumed from PACK, the fee charged, events recorded).

use entrepot_app::types::{audit::AuditRecord, packing::*};
use entrepot_core::{
    actor::Actor,
    company::Address,
    ids::{ClientId, OrderId, WarehouseId},
    outbound::OutboundStatus,
    CoreError,
};

use crate::{
    engine::{
        bulk::Val,
        clock::now_ms,
        exec::Tx,
        rows::{i, json, oi, os, s, Columns},
    },
    receiving::new_text_id,
    Backend, Store, StoreResult,
};

const MANIFEST_COLS: &str = "id, warehouse_id, carrier, day, status, created_by, created_at, closed_by, closed_at, \
     (SELECT COUNT(*) FROM manifest_parcels p WHERE p.manifest_id = manifests.id) AS parcel_count";

const PARCEL_COLS: &str =
    "SELECT o.id, o.client_id, o.oc_number, o.bird_id, o.tracking_number, o.weight_g, o.recipient \
     FROM manifest_parcels p JOIN outbound_orders o ON o.id = p.order_id";

fn manifest_row(r: &impl Columns) -> StoreResult<ManifestView> {
    Ok(ManifestView {
        id: s(r, "id")?,
        warehouse_id: WarehouseId(s(r, "warehouse_id")?),
        carrier: s(r, "carrier")?,
        day: s(r, "day")?,
        status: s(r, "status")?,
        created_by: s(r, "created_by")?,
        created_at_ms: i(r, "created_at")?,
        closed_by: os(r, "closed_by")?,
        closed_at_ms: oi(r, "closed_at")?,
        parcel_count: i(r, "parcel_count")?,
        parcels: vec![],
    })
}

fn parcel_row(r: &impl Columns) -> StoreResult<ManifestParcel> {
    let to: Address = json(r, "recipient")?;
    Ok(ManifestParcel {
        order_id: OrderId(s(r, "id")?),
        client_id: ClientId(s(r, "client_id")?),
        oc_number: s(r, "oc_number")?,
        bird_id: i(r, "bird_id")?,
        tracking_number: os(r, "tracking_number")?,
        weight_g: i(r, "weight_g")?,
        recipient: to.name,
        postcode: to.postcode,
        country: to.country,
    })
}

/// A manifest without its parcels (their count only).
async fn head_in(tx: &mut Tx<'_>, id: &str) -> StoreResult<ManifestView> {
    let row = tx
        .fetch_optional(&format!("SELECT {MANIFEST_COLS} FROM manifests WHERE id = $1"), [Val::from(id)])
        .await?
        .ok_or_else(|| CoreError::not_found("manifest", id))?;
    manifest_row(&row)
}

/// A manifest with every parcel, in scan order.
async fn manifest_in(tx: &mut Tx<'_>, id: &str) -> StoreResult<ManifestView> {
    let mut m = head_in(tx, id).await?;
    let rows = tx
        .fetch_all(&format!("{PARCEL_COLS} WHERE p.manifest_id = $1 ORDER BY p.scanned_at, o.id"), [Val::from(id)])
        .await?;
    m.parcels = rows.iter().map(parcel_row).collect::<StoreResult<_>>()?;
    Ok(m)
}

/// A scan's answer: the manifest with the one parcel just scanned, not all of them (a handheld
/// scanning the day's thousandth parcel wants that one, and the count).
async fn scanned_in(tx: &mut Tx<'_>, id: &str, order: &OrderId) -> StoreResult<ManifestView> {
    let mut m = head_in(tx, id).await?;
    let row = tx.fetch_one(&format!("{PARCEL_COLS} WHERE p.order_id = $1"), [Val::from(order.0.as_str())]).await?;
    m.parcels = vec![parcel_row(&row)?];
    Ok(m)
}

async fn audit(
    tx: &mut Tx<'_>,
    actor: &Actor,
    warehouse: &WarehouseId,
    action: &str,
    id: &str,
    detail: &str,
) -> StoreResult<()> {
    let rec = AuditRecord {
        action,
        subject_kind: "manifest",
        subject_id: id,
        warehouse: Some(warehouse),
        client: None,
        detail: Some(detail),
    };
    crate::audit::record(tx, actor, rec).await
}

/// A parcel scanned onto its carrier's open manifest of `day`, opening one if needed.
async fn parcel_in(
    tx: &mut Tx<'_>,
    backend: Backend,
    actor: &Actor,
    warehouse: &WarehouseId,
    order: &OrderId,
    day: &str,
) -> StoreResult<ManifestView> {
    let lock = if backend == Backend::Postgres { " FOR UPDATE OF o" } else { "" };
    let row = tx
        .fetch_optional(
            &format!(
                "SELECT o.status, o.oc_number, o.warehouse_id, o.intercept, o.tracking_number, v.carrier FROM outbound_orders o \
                 JOIN services v ON v.id = o.service_id WHERE o.id = $1{lock}"
            ),
            [Val::from(order.0.as_str())],
        )
        .await?
        .ok_or_else(|| CoreError::not_found("order", order))?;
    let (status, number, carrier) = (s(&row, "status")?, s(&row, "oc_number")?, s(&row, "carrier")?);
    if s(&row, "warehouse_id")? != warehouse.0 {
        return Err(CoreError::not_found("order", order).into());
    }
    let on = tx
        .fetch_optional(
            "SELECT p.manifest_id, m.status FROM manifest_parcels p JOIN manifests m ON m.id = p.manifest_id WHERE p.order_id = $1",
            [Val::from(order.0.as_str())],
        )
        .await?;
    if let Some(on) = on {
        let id = s(&on, "manifest_id")?;
        if s(&on, "status")? == "OPEN" {
            // Scanned twice: it is on its manifest already.
            return scanned_in(tx, &id, order).await;
        }
        return Err(CoreError::Conflict(format!("order {number} was handed over on manifest {id}")).into());
    }
    if os(&row, "intercept")?.as_deref() == Some("REQUESTED") {
        return Err(CoreError::Conflict(format!(
            "order {number}: its client asked to intercept it; accept or refuse the intercept first"
        ))
        .into());
    }
    if status != OutboundStatus::Packed.as_str() {
        return Err(CoreError::Conflict(format!(
            "order {number} is {status}: only a packed parcel goes on a manifest"
        ))
        .into());
    }
    if os(&row, "tracking_number")?.is_none() {
        return Err(CoreError::Conflict(format!(
            "order {number} has no carrier label yet: print it (its booking is retried in the background) and scan again"
        ))
        .into());
    }
    let now = now_ms();
    tx.execute(
        "INSERT INTO manifests (id, warehouse_id, carrier, day, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, 'OPEN', $5, $6) ON CONFLICT (warehouse_id, carrier, day) WHERE status = 'OPEN' DO NOTHING",
        [
            Val::S(new_text_id("mfs")),
            Val::from(warehouse.0.as_str()),
            Val::from(carrier.as_str()),
            Val::from(day),
            Val::S(actor.name.clone()),
            Val::I(now),
        ],
    )
    .await?;
    let open = tx
        .fetch_one(
            "SELECT id FROM manifests WHERE warehouse_id = $1 AND carrier = $2 AND day = $3 AND status = 'OPEN'",
            [Val::from(warehouse.0.as_str()), Val::from(carrier.as_str()), Val::from(day)],
        )
        .await?;
    let id = s(&open, "id")?;
    tx.execute(
        "INSERT INTO manifest_parcels (order_id, manifest_id, scanned_by, scanned_at) VALUES ($1, $2, $3, $4)",
        [Val::from(order.0.as_str()), Val::from(id.as_str()), Val::S(actor.name.clone()), Val::I(now)],
    )
    .await?;
    tx.execute(
        "UPDATE outbound_orders SET manifest_id = $1 WHERE id = $2",
        [Val::from(id.as_str()), Val::from(order.0.as_str())],
    )
    .await?;
    audit(tx, actor, warehouse, "manifest.scanned", &id, &format!("order {number}")).await?;
    scanned_in(tx, &id, order).await
}

impl Store {
    /// See [`entrepot_app::ports::PackPort::manifest_parcel`].
    pub async fn manifest_parcel(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        order: &OrderId,
    ) -> StoreResult<ManifestView> {
        let wh = self.cached_warehouse(warehouse).await?;
        let day = wh.local_date(now_ms())?.to_string();
        let (a, w, o, backend) = (actor.clone(), warehouse.clone(), order.clone(), self.backend);
        self.writer_transaction(move |tx| Box::pin(async move { parcel_in(tx, backend, &a, &w, &o, &day).await })).await
    }

    /// See [`entrepot_app::ports::PackPort::close_manifest`].
    pub async fn close_manifest(&self, actor: &Actor, id: &str) -> StoreResult<ManifestView> {
        let mut tx = self.begin().await?;
        let lock = if self.backend == Backend::Postgres { " FOR UPDATE" } else { "" };
        let row = sqlx::query(&format!("SELECT status, warehouse_id FROM manifests WHERE id = $1{lock}"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| CoreError::not_found("manifest", id))?;
        if s(&row, "status")? != "OPEN" {
            return Err(CoreError::Conflict(format!("manifest {id} is closed already")).into());
        }
        let warehouse = WarehouseId(s(&row, "warehouse_id")?);
        let parcels = sqlx::query(
            "SELECT o.id, o.client_id, o.status, o.intercept FROM manifest_parcels p JOIN outbound_orders o ON o.id = p.order_id \
             WHERE p.manifest_id = $1 ORDER BY p.scanned_at, o.id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let mut shipped = 0;
        for p in parcels {
            let (order, client) = (OrderId(s(&p, "id")?), ClientId(s(&p, "client_id")?));
            let intercepted = os(&p, "intercept")?.as_deref() == Some("REQUESTED");
            if s(&p, "status")? != OutboundStatus::Packed.as_str() || intercepted {
                // Taken off since (an intercept, an exception): it stays in the warehouse.
                sqlx::query("DELETE FROM manifest_parcels WHERE order_id = $1")
                    .bind(&order.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE outbound_orders SET manifest_id = NULL WHERE id = $1")
                    .bind(&order.0)
                    .execute(&mut *tx)
                    .await?;
                continue;
            }
            self.transition_in(&mut tx, &client, &order, OutboundStatus::Shipped).await?;
            shipped += 1;
        }
        if shipped == 0 {
            return Err(CoreError::Conflict(format!("manifest {id} has no packed parcel to hand over")).into());
        }
        sqlx::query("UPDATE manifests SET status = 'CLOSED', closed_by = $1, closed_at = $2 WHERE id = $3")
            .bind(&actor.name)
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let mut t = Tx::from(&mut tx);
        audit(&mut t, actor, &warehouse, "manifest.closed", id, &format!("{shipped} parcel(s) handed over")).await?;
        let m = manifest_in(&mut t, id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// See [`entrepot_app::ports::PackPort::order_manifest`].
    pub async fn order_manifest(&self, order: &OrderId) -> StoreResult<Option<OrderManifest>> {
        let row = sqlx::query(
            "SELECT m.id, m.carrier, p.scanned_by, p.scanned_at, m.closed_by, m.closed_at \
             FROM manifest_parcels p JOIN manifests m ON m.id = p.manifest_id WHERE p.order_id = $1",
        )
        .bind(&order.0)
        .fetch_optional(&self.read)
        .await?;
        row.map(|r| {
            Ok(OrderManifest {
                manifest_id: s(&r, "id")?,
                carrier: s(&r, "carrier")?,
                scanned_by: s(&r, "scanned_by")?,
                scanned_at_ms: i(&r, "scanned_at")?,
                closed_by: os(&r, "closed_by")?,
                closed_at_ms: oi(&r, "closed_at")?,
            })
        })
        .transpose()
    }

    /// See [`entrepot_app::ports::PackPort::manifest`].
    pub async fn manifest(&self, id: &str) -> StoreResult<ManifestView> {
        let mut tx = self.read.begin().await?;
        let m = manifest_in(&mut Tx::from(&mut tx), id).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// See [`entrepot_app::ports::PackPort::manifests`].
    pub async fn manifests(&self, warehouse: &WarehouseId, limit: i64) -> StoreResult<Vec<ManifestView>> {
        let rows = sqlx::query(&format!(
            "SELECT {MANIFEST_COLS} FROM manifests WHERE warehouse_id = $1 ORDER BY created_at DESC, id DESC LIMIT {}",
            limit.clamp(1, 200)
        ))
        .bind(&warehouse.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(manifest_row).collect()
    }
}
