//! Receiving at the dock (issue 18 §4), for staff's handhelds, the seller's appointments, the
//! admin CLI and the native API: each method takes the acting user first, checks what it may
//! touch, bounds its input, and is one port call (one transaction, with its audit entry), so an
//! endpoint is a thin call.

use entrepot_core::{actor::Actor, ids::*, CoreError, CoreResult};

use crate::{
    types::{inbound::InboundView, receiving::*},
    App,
};

/// The most unidentified-freight entries one read returns.
pub const UNIDENTIFIED_PAGE: i64 = 500;

/// The most days one read of a dock calendar covers, and the most bookings it returns.
pub const MAX_CALENDAR_DAYS: i64 = 14;
pub const MAX_BOOKINGS: i64 = 1_000;

/// The inbounds `/metrics` measures dock-to-stock over.
pub const DOCK_TO_STOCK_WINDOW: i64 = 200;

fn bounded(field: &str, v: &Option<String>, max: usize) -> CoreResult<Option<String>> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > max => {
            Err(CoreError::invalid(field, format!("expected at most {max} characters, got {}", t.chars().count())))
        }
        Some(t) => Ok(Some(t.to_owned())),
    }
}

fn code(field: &str, v: &str) -> CoreResult<String> {
    let t = v.trim();
    if t.is_empty() {
        return Err(CoreError::invalid(field, "expected a scanned code, got nothing"));
    }
    if t.chars().count() > MAX_KEY {
        return Err(CoreError::invalid(field, format!("expected at most {MAX_KEY} characters")));
    }
    Ok(t.to_owned())
}

impl App {
    /// Scans a carton mark (or types an inbound number): the inbound's expected lines.
    pub async fn open_receipt(&self, actor: &Actor, carton_mark: &str) -> CoreResult<ReceiptView> {
        actor.require_staff()?;
        self.storage.open_receipt(actor, &code("code", carton_mark)?).await
    }

    /// The receipt of an inbound: staff of its warehouse, or the seller owning it.
    pub async fn receipt(&self, actor: &Actor, inbound: &str) -> CoreResult<ReceiptView> {
        self.storage.receipt(actor, actor.client(), &code("inbound", inbound)?).await
    }

    /// One scan of a SKU label at the dock: counts `quantity` units, good or damaged (damaged go
    /// to unfulfillable). A wrong scan is refused saying what was expected; a replayed `scan_id`
    /// counts nothing again.
    pub async fn receive_scan(&self, actor: &Actor, scan: ReceiveScan) -> CoreResult<ScanResult> {
        actor.require_staff()?;
        let scan = ReceiveScan {
            inbound: code("inbound", &scan.inbound)?,
            code: code("code", &scan.code)?,
            scan_id: bounded("scan_id", &scan.scan_id, MAX_KEY)?,
            ..scan
        };
        self.storage.receive_scan(actor, &scan).await
    }

    /// Records an unexpected SKU (not on the inbound, or not approved) with a note and photo.
    pub async fn record_unexpected(&self, actor: &Actor, n: NewUnexpected) -> CoreResult<DiscrepancyView> {
        actor.require_staff()?;
        let n = NewUnexpected {
            inbound: code("inbound", &n.inbound)?,
            code: code("code", &n.code)?,
            note: bounded("note", &n.note, MAX_NOTE)?,
            photo_key: bounded("photo_key", &n.photo_key, MAX_KEY)?,
            ..n
        };
        self.storage.record_unexpected(actor, &n).await
    }

    /// Closes the receipt of an inbound: what did not come is short, every discrepancy raises an
    /// `inbound.discrepancy` event; received units wait at the dock for put-away.
    pub async fn close_receipt(&self, actor: &Actor, inbound: &str) -> CoreResult<ReceiptView> {
        actor.require_staff()?;
        self.storage.close_receipt(actor, &code("inbound", inbound)?).await
    }

    /// The discrepancies of one of the client's inbounds (what both dialects show the seller).
    pub async fn inbound_discrepancies(&self, tenant: &ClientId, inbound: &str) -> CoreResult<Vec<DiscrepancyView>> {
        self.storage.inbound_discrepancies(tenant, inbound).await
    }

    /// Creates dock slots for a range of days and hours, in the warehouse's time zone.
    pub async fn create_dock_slots(&self, actor: &Actor, n: NewSlots) -> CoreResult<Vec<DockSlot>> {
        actor.require_staff()?;
        actor.require_warehouse(&n.warehouse)?;
        self.storage.create_dock_slots(actor, &n).await
    }

    /// A warehouse's slots starting in `[from_ms, to_ms)` (sellers see them to book).
    pub async fn dock_slots(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        from_ms: i64,
        to_ms: i64,
    ) -> CoreResult<Vec<DockSlot>> {
        if actor.client().is_none() {
            actor.require_warehouse(warehouse)?;
        }
        self.storage.dock_slots(warehouse, from_ms, to_ms).await
    }

    /// The dock of `warehouse` over `[from_ms, to_ms)` (at most [`MAX_CALENDAR_DAYS`]) as its
    /// staff see it: the slots, and the inbounds booked into them (at most [`MAX_BOOKINGS`]).
    pub async fn dock_calendar(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        from_ms: i64,
        to_ms: i64,
    ) -> CoreResult<DockCalendar> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let span = to_ms.checked_sub(from_ms).filter(|d| (0..=MAX_CALENDAR_DAYS * 86_400_000).contains(d));
        if span.is_none() {
            return Err(CoreError::invalid("to", format!("expected at most {MAX_CALENDAR_DAYS} days after from")));
        }
        Ok(DockCalendar {
            slots: self.storage.dock_slots(warehouse, from_ms, to_ms).await?,
            bookings: self.storage.dock_bookings(warehouse, from_ms, to_ms, MAX_BOOKINGS).await?,
        })
    }

    /// Books the appointment of `client`'s non-express inbound into `slot` (the earliest free one
    /// when `None`), or moves it there; refused when the slot is full. A seller books its own.
    pub async fn book_appointment(
        &self,
        actor: &Actor,
        client: &ClientId,
        inbound: &str,
        slot: Option<&str>,
    ) -> CoreResult<AppointmentView> {
        actor.require_client(client)?;
        let (_, a) = self.storage.book_appointment(actor, client, &code("inbound", inbound)?, slot).await?;
        a.ok_or_else(|| CoreError::Conflict("the warehouse has no dock slots; staff create them first".into()))
    }

    /// Cancels the appointment of `client`'s inbound.
    pub async fn cancel_appointment(&self, actor: &Actor, client: &ClientId, inbound: &str) -> CoreResult<InboundView> {
        actor.require_client(client)?;
        self.storage.cancel_appointment(actor, client, &code("inbound", inbound)?).await
    }

    /// The appointment of `client`'s inbound, if any: the seller's own, or staff of the
    /// inbound's warehouse (to others the inbound is not found).
    pub async fn appointment(
        &self,
        actor: &Actor,
        client: &ClientId,
        inbound: &str,
    ) -> CoreResult<Option<AppointmentView>> {
        actor.require_client(client)?;
        let inbound = code("inbound", inbound)?;
        if actor.client().is_none() {
            let v = self.storage.find_inbound(client, &inbound).await?;
            if !actor.sees_warehouse(&v.warehouse_id) {
                return Err(CoreError::not_found("inbound order", &inbound));
            }
        }
        self.storage.appointment(client, &inbound).await
    }

    /// Check-in at the dock: the inbound arrives (its arrival time starts dock-to-stock).
    pub async fn check_in(&self, actor: &Actor, inbound: &str) -> CoreResult<InboundView> {
        actor.require_staff()?;
        self.storage.check_in(actor, &code("inbound", inbound)?).await
    }

    /// Records no-shows: booked appointments whose slot ended before `now_ms` with no arrival.
    pub async fn record_no_shows(&self, actor: &Actor, now_ms: i64) -> CoreResult<Vec<AppointmentView>> {
        actor.require_staff()?;
        self.storage.record_no_shows(actor, now_ms).await
    }

    /// Records freight that came with no inbound order.
    pub async fn record_unidentified(&self, actor: &Actor, n: NewUnidentified) -> CoreResult<Unidentified> {
        actor.require_staff()?;
        actor.require_warehouse(&n.warehouse)?;
        if !(1..=10_000).contains(&n.cartons) {
            return Err(CoreError::invalid("cartons", format!("expected 1 to 10000 cartons, got {}", n.cartons)));
        }
        let n = NewUnidentified {
            carrier: bounded("carrier", &n.carrier, MAX_KEY)?,
            tracking: bounded("tracking", &n.tracking, MAX_KEY)?,
            note: bounded("note", &n.note, MAX_NOTE)?,
            photo_key: bounded("photo_key", &n.photo_key, MAX_KEY)?,
            ..n
        };
        self.storage.record_unidentified(actor, &n).await
    }

    /// The unidentified-freight queue of the warehouses the actor sees (`warehouse` narrows it).
    pub async fn unidentified(
        &self,
        actor: &Actor,
        warehouse: Option<&WarehouseId>,
        open_only: bool,
    ) -> CoreResult<Vec<Unidentified>> {
        actor.require_staff()?;
        let scope: Vec<WarehouseId> = match (warehouse, &actor.role) {
            (Some(w), _) => {
                actor.require_warehouse(w)?;
                vec![w.clone()]
            }
            (None, entrepot_core::actor::Role::Staff { warehouses, .. }) => {
                if warehouses.is_empty() {
                    return Ok(vec![]);
                }
                warehouses.clone()
            }
            (None, _) => vec![],
        };
        self.storage.unidentified(&scope, open_only, UNIDENTIFIED_PAGE).await
    }

    /// Matches unidentified freight to a client's inbound (it opens for receiving) or closes it.
    pub async fn resolve_unidentified(&self, actor: &Actor, id: &str, r: Resolution) -> CoreResult<Unidentified> {
        actor.require_staff()?;
        let r = match r {
            Resolution::Close { reason } => {
                let reason = bounded("reason", &Some(reason), MAX_NOTE)?
                    .ok_or_else(|| CoreError::invalid("reason", "expected a reason for closing it"))?;
                Resolution::Close { reason }
            }
            Resolution::Match { client, inbound } => Resolution::Match { client, inbound: code("inbound", &inbound)? },
        };
        self.storage.resolve_unidentified(actor, &code("id", id)?, &r).await
    }

    /// Dock-to-stock over the last inbounds that became available (`/metrics`).
    pub async fn dock_to_stock(&self) -> CoreResult<DockToStock> {
        self.storage.dock_to_stock(DOCK_TO_STOCK_WINDOW).await
    }
}
