//! Dock slots and appointments on disk. A slot's `booked` count moves with a conditional update
//! (`booked < capacity`), so two sellers cannot both take a slot's last place; the inbound's own
//! state (`has_appointment`, its status) moves through the core in the same transaction.

use entrepot_app::types::{
    audit::AuditRecord,
    receiving::{AppointmentView, DockBooking, DockSlot, NewSlots},
};
use entrepot_core::{
    actor::Actor,
    appointment::AppointmentStatus,
    ids::{ClientId, WarehouseId},
    inbound::InboundStatus,
    CoreError,
};
use sqlx::{any::AnyRow, Any, Transaction};

use super::{load_for, new_text_id};
use crate::{
    audit,
    engine::bulk::Val,
    engine::{
        clock::now_ms,
        exec::Tx,
        rows::{i, parse, s},
    },
    inbound::{inbound_view, lines_of, load, persist, InboundView, Step, INBOUND_COLS},
    Store, StoreError, StoreResult,
};

const SLOT_COLS: &str = "id, warehouse_id, start_at, end_at, capacity, booked";

fn slot(r: &AnyRow) -> StoreResult<DockSlot> {
    Ok(DockSlot {
        id: s(r, "id")?,
        warehouse_id: WarehouseId(s(r, "warehouse_id")?),
        start_ms: i(r, "start_at")?,
        end_ms: i(r, "end_at")?,
        capacity: i(r, "capacity")?,
        booked: i(r, "booked")?,
    })
}

fn slot_text(d: &DockSlot) -> String {
    jiff::Timestamp::from_millisecond(d.start_ms).map(|t| t.to_string()).unwrap_or_else(|_| d.id.clone())
}

/// The appointment of inbound `v`, if one was ever booked.
async fn current(tx: &mut Transaction<'static, Any>, v: &InboundView) -> StoreResult<Option<AppointmentView>> {
    let row = sqlx::query(
        "SELECT a.status, a.booked_at, a.updated_at, s.id, s.warehouse_id, s.start_at, s.end_at, s.capacity, s.booked \
         FROM inbound_appointments a JOIN dock_slots s ON s.id = a.slot_id WHERE a.inbound_id = $1",
    )
    .bind(&v.id.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(AppointmentView {
        inbound_id: v.id.0.clone(),
        inbound_number: v.inbound.number.clone(),
        client_id: v.client_id.clone(),
        slot: slot(&r)?,
        status: parse(&r, "status")?,
        booked_at_ms: i(&r, "booked_at")?,
        updated_at_ms: i(&r, "updated_at")?,
    }))
}

fn audit_rec<'a>(action: &'a str, v: &'a InboundView, detail: &'a str) -> AuditRecord<'a> {
    AuditRecord {
        action,
        subject_kind: "inbound",
        subject_id: &v.id.0,
        warehouse: Some(&v.warehouse_id),
        client: Some(&v.client_id),
        detail: Some(detail),
    }
}

/// Loads the client's inbound, refusing (as not found) one outside a staff actor's warehouses.
async fn load_scoped(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    client: &ClientId,
    key: &str,
) -> StoreResult<InboundView> {
    let v =
        load(&mut Tx::from(&mut *tx), client, key).await?.ok_or_else(|| CoreError::not_found("inbound order", key))?;
    if actor.client().is_none() && !actor.sees_warehouse(&v.warehouse_id) {
        return Err(CoreError::not_found("inbound order", key).into());
    }
    Ok(v)
}

impl Store {
    /// Creates dock slots (see `App::create_dock_slots`).
    pub async fn create_dock_slots(&self, actor: &Actor, n: &NewSlots) -> StoreResult<Vec<DockSlot>> {
        let wh = self.warehouse(&n.warehouse).await?;
        let times = n.plan.times(&wh.timezone)?;
        let (Some(first), Some(last)) = (times.first(), times.last()) else { return Ok(vec![]) };
        let (from, to) = (first.0, last.0 + 1);
        let now = now_ms();
        let mut tx = self.begin().await?;
        for (start, end) in &times {
            sqlx::query(
                "INSERT INTO dock_slots (id, warehouse_id, start_at, end_at, capacity, booked, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT (warehouse_id, start_at) DO NOTHING",
            )
            .bind(new_text_id("slot"))
            .bind(&wh.id.0)
            .bind(start)
            .bind(end)
            .bind(n.plan.capacity)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let detail = format!(
            "{} slots {}..{} {:02}-{:02}h, {} inbounds each",
            times.len(),
            n.plan.from,
            n.plan.to,
            n.plan.first_hour,
            n.plan.last_hour,
            n.plan.capacity
        );
        let rec = AuditRecord {
            action: "dock_slots.created",
            subject_kind: "warehouse",
            subject_id: &wh.id.0,
            warehouse: Some(&wh.id),
            client: None,
            detail: Some(&detail),
        };
        audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        self.dock_slots(&wh.id, from, to).await
    }

    /// The warehouse's slots starting in `[from_ms, to_ms)`, in time order.
    pub async fn dock_slots(&self, warehouse: &WarehouseId, from_ms: i64, to_ms: i64) -> StoreResult<Vec<DockSlot>> {
        let rows = sqlx::query(&format!(
            "SELECT {SLOT_COLS} FROM dock_slots WHERE warehouse_id = $1 AND start_at >= $2 AND start_at < $3 \
             ORDER BY start_at LIMIT 5000"
        ))
        .bind(&warehouse.0)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(slot).collect()
    }

    /// Books or moves an appointment (see `ReceivingPort::book_appointment`).
    pub async fn book_appointment(
        &self,
        actor: &Actor,
        client: &ClientId,
        key: &str,
        slot_id: Option<&str>,
    ) -> StoreResult<(InboundView, Option<AppointmentView>)> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let mut v = load_scoped(&mut tx, actor, client, key).await?;
        let before = v.inbound.clone();
        v.inbound.book_appointment()?;
        let existing = current(&mut tx, &v).await?.filter(|a| a.status == AppointmentStatus::Booked);
        let target = match slot_id {
            Some(id) => {
                let r = sqlx::query(&format!("SELECT {SLOT_COLS} FROM dock_slots WHERE id = $1 AND warehouse_id = $2"))
                    .bind(id.trim())
                    .bind(&v.warehouse_id.0)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| CoreError::not_found("dock slot", id))?;
                slot(&r)?
            }
            None => {
                if let Some(a) = existing {
                    tx.rollback().await?;
                    return Ok((v, Some(a)));
                }
                let free = sqlx::query(&format!(
                    "SELECT {SLOT_COLS} FROM dock_slots WHERE warehouse_id = $1 AND start_at >= $2 AND booked < capacity \
                     ORDER BY start_at LIMIT 1"
                ))
                .bind(&v.warehouse_id.0)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                match free {
                    Some(r) => slot(&r)?,
                    None => {
                        let any = sqlx::query("SELECT id FROM dock_slots WHERE warehouse_id = $1 LIMIT 1")
                            .bind(&v.warehouse_id.0)
                            .fetch_optional(&mut *tx)
                            .await?;
                        if any.is_some() {
                            return Err(CoreError::Conflict(format!(
                                "every dock slot of the warehouse from now on is full; inbound {} cannot be booked",
                                v.inbound.number
                            ))
                            .into());
                        }
                        // No slots at all: the appointment is the inbound's flag, as before slots.
                        let wh = self.warehouse(&v.warehouse_id).await?;
                        persist(
                            &mut Tx::from(&mut tx),
                            &mut v,
                            &before,
                            vec![],
                            &wh.code,
                            Step::by("inbound.appointment", actor),
                        )
                        .await?;
                        audit::record(
                            &mut Tx::from(&mut tx),
                            actor,
                            audit_rec("inbound.appointment_booked", &v, "no slots"),
                        )
                        .await?;
                        tx.commit().await?;
                        return Ok((v, None));
                    }
                }
            }
        };
        if existing.as_ref().is_some_and(|a| a.slot.id == target.id) {
            tx.rollback().await?;
            return Ok((v, existing));
        }
        if target.start_ms < now {
            return Err(CoreError::Conflict(format!("dock slot {} has already started", slot_text(&target))).into());
        }
        let r = sqlx::query("UPDATE dock_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity")
            .bind(&target.id)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() != 1 {
            return Err(CoreError::Conflict(format!(
                "dock slot {} is full ({} inbounds); choose another",
                slot_text(&target),
                target.capacity
            ))
            .into());
        }
        if let Some(old) = &existing {
            sqlx::query("UPDATE dock_slots SET booked = booked - 1 WHERE id = $1 AND booked > 0")
                .bind(&old.slot.id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO inbound_appointments (inbound_id, slot_id, client_id, warehouse_id, status, booked_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'BOOKED', $5, $5) ON CONFLICT (inbound_id) DO UPDATE SET slot_id = excluded.slot_id, \
             status = 'BOOKED', updated_at = excluded.updated_at",
        )
        .bind(&v.id.0)
        .bind(&target.id)
        .bind(&v.client_id.0)
        .bind(&v.warehouse_id.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let wh = self.warehouse(&v.warehouse_id).await?;
        persist(&mut Tx::from(&mut tx), &mut v, &before, vec![], &wh.code, Step::by("inbound.appointment", actor))
            .await?;
        let (action, detail) = match &existing {
            Some(old) => ("inbound.appointment_moved", format!("{} → {}", slot_text(&old.slot), slot_text(&target))),
            None => ("inbound.appointment_booked", slot_text(&target)),
        };
        audit::record(&mut Tx::from(&mut tx), actor, audit_rec(action, &v, &detail)).await?;
        let a = current(&mut tx, &v).await?;
        tx.commit().await?;
        Ok((v, a))
    }

    /// Cancels the client's booked appointment (see `App::cancel_appointment`).
    pub async fn cancel_appointment(&self, actor: &Actor, client: &ClientId, key: &str) -> StoreResult<InboundView> {
        let mut tx = self.begin().await?;
        let mut v = load_scoped(&mut tx, actor, client, key).await?;
        let Some(a) = current(&mut tx, &v).await?.filter(|a| a.status == AppointmentStatus::Booked) else {
            return Err(CoreError::Conflict(format!("inbound {} has no appointment booked", v.inbound.number)).into());
        };
        let before = v.inbound.clone();
        v.inbound.cancel_appointment()?;
        self.end_appointment(&mut tx, &mut v, &before, &a, AppointmentStatus::Cancelled, actor).await?;
        tx.commit().await?;
        Ok(v)
    }

    async fn end_appointment(
        &self,
        tx: &mut Transaction<'static, Any>,
        v: &mut InboundView,
        before: &entrepot_core::inbound::Inbound,
        a: &AppointmentView,
        to: AppointmentStatus,
        actor: &Actor,
    ) -> StoreResult<()> {
        if to == AppointmentStatus::Cancelled {
            sqlx::query("UPDATE dock_slots SET booked = booked - 1 WHERE id = $1 AND booked > 0")
                .bind(&a.slot.id)
                .execute(&mut **tx)
                .await?;
        }
        // Only a booked appointment ends: of two processes recording the same no-show (or a
        // cancel racing it), the second finds it ended and changes nothing.
        let r = sqlx::query(
            "UPDATE inbound_appointments SET status = $1, updated_at = $2 WHERE inbound_id = $3 AND status = 'BOOKED'",
        )
        .bind(to.as_str())
        .bind(now_ms())
        .bind(&v.id.0)
        .execute(&mut **tx)
        .await?;
        if r.rows_affected() != 1 {
            return Err(CoreError::Conflict(format!(
                "the appointment of inbound {} changed concurrently",
                v.inbound.number
            ))
            .into());
        }
        let wh = self.warehouse(&v.warehouse_id).await?;
        let (event, action) = match to {
            AppointmentStatus::NoShow => ("inbound.no_show", "inbound.no_show"),
            _ => ("inbound.appointment", "inbound.appointment_cancelled"),
        };
        persist(&mut Tx::from(&mut *tx), v, before, vec![], &wh.code, Step::by(event, actor)).await?;
        audit::record(&mut Tx::from(&mut *tx), actor, audit_rec(action, v, &slot_text(&a.slot))).await?;
        Ok(())
    }

    /// The client's inbound's appointment, if one was ever booked.
    pub async fn appointment(&self, client: &ClientId, key: &str) -> StoreResult<Option<AppointmentView>> {
        let mut tx = self.read.begin().await?;
        let v = load(&mut Tx::from(&mut tx), client, key)
            .await?
            .ok_or_else(|| CoreError::not_found("inbound order", key))?;
        let a = current(&mut tx, &v).await?;
        tx.rollback().await?;
        Ok(a)
    }

    /// The inbounds booked (arrived, no-show) into the warehouse's slots starting in
    /// `[from_ms, to_ms)`, in slot order, at most `limit`: from the slots' time index, each
    /// slot's bookings by theirs.
    pub async fn dock_bookings(
        &self,
        warehouse: &WarehouseId,
        from_ms: i64,
        to_ms: i64,
        limit: i64,
    ) -> StoreResult<Vec<DockBooking>> {
        let cols: Vec<String> = INBOUND_COLS.split(',').map(|c| format!("i.{}", c.trim())).collect();
        let sql = format!(
            "SELECT a.slot_id, a.status AS appointment_status, {} FROM dock_slots s \
             JOIN inbound_appointments a ON a.slot_id = s.id \
             JOIN inbound_orders i ON i.id = a.inbound_id \
             WHERE s.warehouse_id = $1 AND s.start_at >= $2 AND s.start_at < $3 AND a.status <> 'CANCELLED' \
             ORDER BY s.start_at, i.number LIMIT $4",
            cols.join(", ")
        );
        let mut tx = self.read.begin().await?;
        let rows = Tx::from(&mut tx)
            .fetch_all(
                &sql,
                [Val::from(warehouse.0.as_str()), Val::I(from_ms), Val::I(to_ms), Val::I(limit.clamp(1, 2000))],
            )
            .await?;
        let ids: Vec<String> = rows.iter().map(|r| s(r, "id")).collect::<StoreResult<_>>()?;
        let mut lines = lines_of(&mut Tx::from(&mut tx), &ids).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = s(r, "id")?;
            out.push(DockBooking {
                slot_id: s(r, "slot_id")?,
                status: parse(r, "appointment_status")?,
                inbound: inbound_view(r, lines.remove(&id).unwrap_or_default())?,
            });
        }
        tx.rollback().await?;
        Ok(out)
    }

    /// Check-in at the dock (see `App::check_in`).
    pub async fn check_in(&self, actor: &Actor, key: &str) -> StoreResult<InboundView> {
        let mut tx = self.begin().await?;
        let mut v = load_for(&mut Tx::from(&mut tx), actor, key).await?;
        if !actor.sees_warehouse(&v.warehouse_id) {
            return Err(CoreError::not_found("inbound order", key).into());
        }
        let before = v.inbound.clone();
        v.inbound.arrive()?;
        let wh = self.warehouse(&v.warehouse_id).await?;
        persist(&mut Tx::from(&mut tx), &mut v, &before, vec![], &wh.code, Step::by("inbound.arrived", actor)).await?;
        sqlx::query(
            "UPDATE inbound_appointments SET status = 'ARRIVED', updated_at = $1 WHERE inbound_id = $2 AND status = 'BOOKED'",
        )
        .bind(now_ms())
        .bind(&v.id.0)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut Tx::from(&mut tx), actor, audit_rec("inbound.arrived", &v, "checked in at the dock"))
            .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Records no-shows (see `App::record_no_shows`).
    pub async fn record_no_shows(&self, actor: &Actor, now: i64) -> StoreResult<Vec<AppointmentView>> {
        let rows = sqlx::query(
            "SELECT a.inbound_id, a.client_id, a.warehouse_id FROM inbound_appointments a JOIN dock_slots s \
             ON s.id = a.slot_id WHERE a.status = 'BOOKED' AND s.end_at < $1 ORDER BY s.end_at LIMIT 1000",
        )
        .bind(now)
        .fetch_all(&self.read)
        .await?;
        let mut out = vec![];
        for r in rows {
            if !actor.sees_warehouse(&WarehouseId(s(&r, "warehouse_id")?)) {
                continue;
            }
            let (id, client) = (s(&r, "inbound_id")?, ClientId(s(&r, "client_id")?));
            let mut tx = self.begin().await?;
            let Some(mut v) = load(&mut Tx::from(&mut tx), &client, &id).await? else { continue };
            let Some(a) = current(&mut tx, &v).await?.filter(|a| a.status == AppointmentStatus::Booked) else {
                continue;
            };
            let before = v.inbound.clone();
            if matches!(v.inbound.status, InboundStatus::InTransit | InboundStatus::AwaitingAppointment) {
                v.inbound.cancel_appointment()?;
                match self.end_appointment(&mut tx, &mut v, &before, &a, AppointmentStatus::NoShow, actor).await {
                    Ok(()) => {}
                    // Another process recorded it (or it was cancelled) meanwhile.
                    Err(StoreError::Core(CoreError::Conflict(_))) => continue,
                    Err(e) => return Err(e),
                }
            } else {
                // It arrived through another path (the admin CLI's arrive, a first scan).
                sqlx::query(
                    "UPDATE inbound_appointments SET status = 'ARRIVED', updated_at = $1 WHERE inbound_id = $2",
                )
                .bind(now_ms())
                .bind(&v.id.0)
                .execute(&mut *tx)
                .await?;
            }
            let a = current(&mut tx, &v).await?;
            tx.commit().await?;
            out.extend(a.filter(|a| a.status == AppointmentStatus::NoShow));
        }
        Ok(out)
    }
}
