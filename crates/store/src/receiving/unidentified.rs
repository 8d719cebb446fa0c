//! The unidentified-freight queue on disk: freight at the dock with no inbound order, until staff
//! match it to a client's inbound (which then opens for receiving) or close it with a reason.

use entrepot_app::types::{
    audit::AuditRecord,
    receiving::{NewUnidentified, Resolution, Unidentified},
};
use entrepot_core::{
    actor::Actor,
    ids::{ClientId, WarehouseId},
    inbound::InboundStatus,
    CoreError,
};
use sqlx::any::AnyRow;

use super::new_text_id;
use crate::{
    audit,
    engine::{
        bulk,
        clock::now_ms,
        exec::Tx,
        rows::{i, oi, os, s},
    },
    inbound::{load, persist, Step},
    Store, StoreResult,
};

const COLS: &str =
    "id, warehouse_id, carrier, tracking, cartons, note, photo_key, status, client_id, inbound_id, reason, \
                    created_by, created_at, resolved_by, resolved_at";

fn row(r: &AnyRow) -> StoreResult<Unidentified> {
    Ok(Unidentified {
        id: s(r, "id")?,
        warehouse_id: WarehouseId(s(r, "warehouse_id")?),
        carrier: os(r, "carrier")?,
        tracking: os(r, "tracking")?,
        cartons: i(r, "cartons")?,
        note: os(r, "note")?,
        photo_key: os(r, "photo_key")?,
        status: s(r, "status")?,
        client_id: os(r, "client_id")?.map(ClientId),
        inbound_id: os(r, "inbound_id")?,
        reason: os(r, "reason")?,
        created_by: s(r, "created_by")?,
        created_at_ms: i(r, "created_at")?,
        resolved_by: os(r, "resolved_by")?,
        resolved_at_ms: oi(r, "resolved_at")?,
    })
}

impl Store {
    /// Records freight that came with no inbound order.
    pub async fn record_unidentified(&self, actor: &Actor, n: &NewUnidentified) -> StoreResult<Unidentified> {
        self.warehouse(&n.warehouse).await?;
        let id = new_text_id("uf");
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO unidentified_freight (id, warehouse_id, carrier, tracking, cartons, note, photo_key, status, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'OPEN', $8, $9)",
        )
        .bind(&id)
        .bind(&n.warehouse.0)
        .bind(n.carrier.clone())
        .bind(n.tracking.clone())
        .bind(n.cartons)
        .bind(n.note.clone())
        .bind(n.photo_key.clone())
        .bind(&actor.name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        let detail = format!(
            "{} cartons, {} {}",
            n.cartons,
            n.carrier.as_deref().unwrap_or("-"),
            n.tracking.as_deref().unwrap_or("-")
        );
        let rec = AuditRecord {
            action: "unidentified.recorded",
            subject_kind: "unidentified",
            subject_id: &id,
            warehouse: Some(&n.warehouse),
            client: None,
            detail: Some(&detail),
        };
        audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        let r = sqlx::query(&format!("SELECT {COLS} FROM unidentified_freight WHERE id = $1"))
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        row(&r)
    }

    /// The queue (see `ReceivingPort::unidentified`).
    pub async fn unidentified(
        &self,
        warehouses: &[WarehouseId],
        open_only: bool,
        limit: i64,
    ) -> StoreResult<Vec<Unidentified>> {
        let mut cond = vec![];
        let mut vals: Vec<bulk::Val> = vec![];
        if open_only {
            cond.push("status = 'OPEN'".to_owned());
        }
        if !warehouses.is_empty() {
            let list: Vec<String> = (0..warehouses.len()).map(|k| format!("${}", vals.len() + k + 1)).collect();
            cond.push(format!("warehouse_id IN ({})", list.join(", ")));
            vals.extend(warehouses.iter().map(|w| bulk::Val::S(w.0.clone())));
        }
        let filter = if cond.is_empty() { String::new() } else { format!("WHERE {}", cond.join(" AND ")) };
        let q =
            format!("SELECT {COLS} FROM unidentified_freight {filter} ORDER BY created_at, id LIMIT {}", limit.max(1));
        let rows = bulk::bind(sqlx::query(&q), vals).fetch_all(&self.read).await?;
        rows.iter().map(row).collect()
    }

    /// Matches or closes unidentified freight (see `App::resolve_unidentified`).
    pub async fn resolve_unidentified(&self, actor: &Actor, id: &str, r: &Resolution) -> StoreResult<Unidentified> {
        let mut tx = self.begin().await?;
        let found = sqlx::query(&format!("SELECT {COLS} FROM unidentified_freight WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let u = match found {
            Some(f) => row(&f)?,
            None => return Err(CoreError::not_found("unidentified freight", id).into()),
        };
        if !actor.sees_warehouse(&u.warehouse_id) {
            return Err(CoreError::not_found("unidentified freight", id).into());
        }
        if u.status != "OPEN" {
            return Err(CoreError::Conflict(format!("unidentified freight {id} is {} already", u.status)).into());
        }
        let now = now_ms();
        let (action, detail, client, inbound) = match r {
            Resolution::Close { reason } => {
                sqlx::query(
                    "UPDATE unidentified_freight SET status = 'CLOSED', reason = $1, resolved_by = $2, resolved_at = $3 \
                     WHERE id = $4 AND status = 'OPEN'",
                )
                .bind(reason)
                .bind(&actor.name)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                ("unidentified.closed", reason.clone(), None, None)
            }
            Resolution::Match { client, inbound } => {
                let mut v = load(&mut Tx::from(&mut tx), client, inbound)
                    .await?
                    .ok_or_else(|| CoreError::not_found("inbound order", inbound))?;
                if v.warehouse_id != u.warehouse_id {
                    return Err(CoreError::Conflict(format!(
                        "inbound {} is bound for another warehouse than the freight",
                        v.inbound.number
                    ))
                    .into());
                }
                if matches!(
                    v.inbound.status,
                    InboundStatus::InTransit | InboundStatus::AwaitingAppointment | InboundStatus::AwaitingTracking
                ) {
                    let before = v.inbound.clone();
                    v.inbound.arrive()?;
                    let wh = self.warehouse(&v.warehouse_id).await?;
                    persist(
                        &mut Tx::from(&mut tx),
                        &mut v,
                        &before,
                        vec![],
                        &wh.code,
                        Step::by("inbound.arrived", actor),
                    )
                    .await?;
                } else if !v.inbound.status.accepts_receipts() || v.inbound.receipt_closed {
                    return Err(CoreError::Conflict(format!(
                        "inbound {} is {}; expected an inbound still open for receiving",
                        v.inbound.number, v.inbound.status
                    ))
                    .into());
                }
                sqlx::query(
                    "UPDATE unidentified_freight SET status = 'MATCHED', client_id = $1, inbound_id = $2, resolved_by = $3, \
                     resolved_at = $4 WHERE id = $5 AND status = 'OPEN'",
                )
                .bind(&client.0)
                .bind(&v.id.0)
                .bind(&actor.name)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                ("unidentified.matched", format!("matched to inbound {}", v.inbound.number), Some(client), Some(v.id))
            }
        };
        let rec = AuditRecord {
            action,
            subject_kind: "unidentified",
            subject_id: id,
            warehouse: Some(&u.warehouse_id),
            client,
            detail: Some(&detail),
        };
        audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        if let (Some(c), Some(ib)) = (client, &inbound) {
            let rec = AuditRecord {
                action: "inbound.matched_freight",
                subject_kind: "inbound",
                subject_id: &ib.0,
                warehouse: Some(&u.warehouse_id),
                client: Some(c),
                detail: Some(id),
            };
            audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        }
        let out = sqlx::query(&format!("SELECT {COLS} FROM unidentified_freight WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        row(&out)
    }
}
