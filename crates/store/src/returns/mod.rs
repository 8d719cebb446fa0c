//! Returns (RMAs) on disk: the receipt and the action of a RETURN consignment, each in one
//! transaction with its stock transfers, its charge, its audit entry and its outbox event.
//!
//! What the seller sees is mirrored onto the consignment's attributes in the same transaction
//! (`return_status`, `return_outcome`, `return_good`, `return_damaged`, `return_fee`), so every
//! door that renders consignments shows a return's progress without a second read.

use entrepot_app::types::{
    audit::AuditRecord,
    returns::{ReturnCommand, ReturnReceipt, ReturnView, UnidentifiedReturn},
};
use entrepot_core::{
    actor::Actor,
    balance::{MoneyBucket, MoneyReason, MoneyTransfer},
    fees::RateCard,
    ids::{ClientId, OrderId, ServiceId, SkuId, UnidentifiedReturnId, WarehouseId},
    inventory::Bucket,
    outbound::{OrderKind, OutboundStatus},
    returns::{
        check_receipt, completion_moves, receipt_moves, validate_photo_key, ReceivedLine, ReturnAction, ReturnRates,
        ReturnStatus, ACTION_ATTR, DAMAGED_ATTR, FEE_ATTR, GOOD_ATTR, OUTCOME_ATTR, RETURN_SERVICE_CODE, STATUS_ATTR,
    },
    service::{Constraints, Service},
    CoreError,
};
use serde_json::json;
use sqlx::{Any, Transaction};

use crate::{
    audit,
    engine::{
        bulk::Val,
        clock::{new_id, now_ms},
        exec::Tx,
        rows::{b, i, json, oi, os, parse, s, to_json},
    },
    money,
    outbound::load,
    stock::{self, At, StockMove},
    webhook::outbox,
    Store, StoreResult,
};

mod disposal;

/// Longest inspection note kept, in characters, and most photos per return.
const MAX_NOTES: usize = 4000;
const MAX_PHOTOS: usize = 20;

/// The floor state of a received return, as read inside a transaction.
struct Rma {
    status: ReturnStatus,
    outcome: Option<ReturnAction>,
    inspected: bool,
    notes: Option<String>,
    photos: Vec<String>,
    forward_reference: Option<String>,
    forward_address: Option<String>,
    fee: i64,
    currency: Option<String>,
    received_at: i64,
    completed_at: Option<i64>,
    lines: Vec<ReceivedLine>,
}

async fn load_rma(tx: &mut Tx<'_>, order: &OrderId) -> StoreResult<Option<Rma>> {
    let Some(r) = tx
        .fetch_optional(
            "SELECT status, outcome, inspected, notes, photos, forward_reference, forward_address, fee, currency, \
             received_at, completed_at FROM returns WHERE order_id = $1",
            [Val::from(order.0.as_str())],
        )
        .await?
    else {
        return Ok(None);
    };
    let outcome = os(&r, "outcome")?.map(|o| o.parse::<ReturnAction>()).transpose()?;
    let mut rma = Rma {
        status: parse(&r, "status")?,
        outcome,
        inspected: b(&r, "inspected")?,
        notes: os(&r, "notes")?,
        photos: json(&r, "photos")?,
        forward_reference: os(&r, "forward_reference")?,
        forward_address: os(&r, "forward_address")?,
        fee: i(&r, "fee")?,
        currency: os(&r, "currency")?,
        received_at: i(&r, "received_at")?,
        completed_at: oi(&r, "completed_at")?,
        lines: vec![],
    };
    let rows = tx
        .fetch_all(
            "SELECT sku_id, expected, good, damaged FROM return_lines WHERE order_id = $1 ORDER BY sku_id",
            [Val::from(order.0.as_str())],
        )
        .await?;
    for r in rows {
        rma.lines.push(ReceivedLine {
            sku: SkuId(i(&r, "sku_id")?),
            expected: i(&r, "expected")?,
            good: i(&r, "good")?,
            damaged: i(&r, "damaged")?,
        });
    }
    Ok(Some(rma))
}

fn view(o: &entrepot_app::OrderView, rma: Option<&Rma>) -> ReturnView {
    let requested = o.attributes.get(ACTION_ATTR).and_then(|a| a.parse().ok());
    let expected =
        || o.lines.iter().map(|(sku, q)| ReceivedLine { sku: *sku, expected: *q, good: 0, damaged: 0 }).collect();
    ReturnView {
        order_id: o.id.clone(),
        bird_id: o.bird_id,
        client_id: o.client_id.clone(),
        warehouse_id: o.warehouse_id.clone(),
        order_status: o.status,
        status: rma.map(|r| r.status),
        requested,
        outcome: rma.and_then(|r| r.outcome),
        inspected: rma.is_some_and(|r| r.inspected),
        tracking_number: o.tracking_number.clone(),
        lines: rma.map(|r| r.lines.clone()).unwrap_or_else(expected),
        notes: rma.and_then(|r| r.notes.clone()),
        photos: rma.map(|r| r.photos.clone()).unwrap_or_default(),
        forward_reference: rma.and_then(|r| r.forward_reference.clone()),
        forward_address: rma.and_then(|r| r.forward_address.clone()),
        fee: rma.map(|r| r.fee).unwrap_or(0),
        currency: rma.and_then(|r| r.currency.clone()),
        received_at_ms: rma.map(|r| r.received_at),
        completed_at_ms: rma.and_then(|r| r.completed_at),
    }
}

/// The RETURN consignment `order` of `tenant`, inside `tx`.
async fn load_return(
    tx: &mut Transaction<'static, Any>,
    tenant: &ClientId,
    order: &OrderId,
) -> StoreResult<entrepot_app::OrderView> {
    let o = load(tx, tenant, order).await?.ok_or_else(|| CoreError::not_found("return", order))?;
    if o.kind != OrderKind::Return {
        return Err(CoreError::Conflict(format!(
            "consignment {} is a {} consignment, not a return",
            o.bird_id, o.kind
        ))
        .into());
    }
    Ok(o)
}

/// Writes the seller-visible mirror of the return onto its consignment.
async fn mirror(
    tx: &mut Tx<'_>,
    o: &mut entrepot_app::OrderView,
    status: ReturnStatus,
    rma_lines: &[ReceivedLine],
    outcome: Option<ReturnAction>,
    fee: Option<(i64, &str)>,
) -> StoreResult<()> {
    let a = &mut o.attributes;
    a.insert(STATUS_ATTR.into(), status.as_str().into());
    let good: i64 = rma_lines.iter().map(|l| l.good).sum();
    let damaged: i64 = rma_lines.iter().map(|l| l.damaged).sum();
    a.insert(GOOD_ATTR.into(), good.to_string());
    a.insert(DAMAGED_ATTR.into(), damaged.to_string());
    if let Some(out) = outcome {
        a.insert(OUTCOME_ATTR.into(), out.as_str().into());
    }
    if let Some((fee, currency)) = fee {
        a.insert(FEE_ATTR.into(), format!("{fee} {currency}"));
    }
    let now = now_ms();
    o.updated_at_ms = now;
    tx.execute(
        "UPDATE outbound_orders SET attributes = $1, updated_at = $2 WHERE id = $3 AND client_id = $4",
        [Val::S(to_json(&o.attributes)), Val::I(now), Val::from(o.id.0.as_str()), Val::from(o.client_id.0.as_str())],
    )
    .await?;
    Ok(())
}

fn event_payload(o: &entrepot_app::OrderView, v: &ReturnView) -> serde_json::Value {
    json!({
        "order_id": o.id, "bird_id": o.bird_id, "status": v.status.map(|s| s.as_str()),
        "requested": v.requested, "outcome": v.outcome, "lines": v.lines, "fee": v.fee, "currency": v.currency,
        "forward_reference": v.forward_reference,
    })
}

impl Store {
    /// The warehouse's internal service for return authorisations created without a delivery
    /// service, created on first use (concurrent first uses create one).
    pub async fn return_service(&self, warehouse: &WarehouseId) -> StoreResult<Service> {
        let find = || {
            sqlx::query("SELECT id FROM services WHERE warehouse_id = $1 AND code = $2")
                .bind(warehouse.0.clone())
                .bind(RETURN_SERVICE_CODE)
        };
        if let Some(r) = find().fetch_optional(&self.write).await? {
            return self.service(&ServiceId(s(&r, "id")?)).await;
        }
        let wh = self.warehouse(warehouse).await?;
        // Its (empty) rate card is in the warehouse's usual currency; returns hold no fee anyway.
        let currency = sqlx::query("SELECT rates FROM services WHERE warehouse_id = $1 ORDER BY created_at LIMIT 1")
            .bind(&wh.id.0)
            .fetch_optional(&self.read)
            .await?
            .map(|r| json::<RateCard>(&r, "rates"))
            .transpose()?
            .map(|r| r.currency)
            .unwrap_or_else(|| if wh.country == "GB" { "GBP".into() } else { "EUR".into() });
        let rates = RateCard { currency, ..Default::default() };
        sqlx::query(
            "INSERT INTO services (id, warehouse_id, code, bird_id, name, name_cn, carrier, active, tracking, signature, \
             express, constraints, rates, created_at) VALUES ($1, $2, $3, NULL, $4, NULL, 'NONE', 1, 0, 0, 0, $5, $6, $7) \
             ON CONFLICT (warehouse_id, code) DO NOTHING",
        )
        .bind(new_id!(ServiceId).0)
        .bind(&wh.id.0)
        .bind(RETURN_SERVICE_CODE)
        .bind(format!("Returns to {}", wh.code))
        .bind(to_json(&Constraints::default()))
        .bind(to_json(&rates))
        .bind(now_ms())
        .execute(&self.write)
        .await?;
        let r = find().fetch_one(&self.write).await?;
        self.service(&ServiceId(s(&r, "id")?)).await
    }

    /// The RETURN consignment a scan names, whichever client it belongs to: its Bird id, its order
    /// id, or the tracking number the buyer shipped it with (the newest such return).
    pub async fn find_return(&self, scan: &str) -> StoreResult<Option<(ClientId, OrderId)>> {
        let scan = scan.trim();
        if scan.is_empty() || scan.len() > 100 {
            return Ok(None);
        }
        let number: i64 = scan.parse().unwrap_or(-1);
        let row = sqlx::query(
            "SELECT client_id, id FROM outbound_orders WHERE kind = 'RETURN' AND (id = $1 OR tracking_number = $1 OR bird_id = $2) \
             ORDER BY created_at DESC LIMIT 1",
        )
        .bind(scan)
        .bind(number)
        .fetch_optional(&self.read)
        .await?;
        row.map(|r| Ok((ClientId(s(&r, "client_id")?), OrderId(s(&r, "id")?)))).transpose()
    }

    /// A return as the seller and staff see it.
    pub async fn return_view(&self, tenant: &ClientId, order: &OrderId) -> StoreResult<ReturnView> {
        let mut tx = self.begin().await?;
        let o = load_return(&mut tx, tenant, order).await?;
        let rma = load_rma(&mut Tx::from(&mut tx), order).await?;
        tx.commit().await?;
        Ok(view(&o, rma.as_ref()))
    }

    /// Receives a return: checks the counted units against the authorisation, brings them in
    /// (good to received, damaged to unfulfillable) and records the receipt.
    pub async fn receive_return(
        &self,
        actor: &Actor,
        tenant: &ClientId,
        order: &OrderId,
        receipt: ReturnReceipt,
    ) -> StoreResult<ReturnView> {
        let mut tx = self.begin().await?;
        let mut o = load_return(&mut tx, tenant, order).await?;
        match o.status {
            OutboundStatus::Submitted => {}
            OutboundStatus::Draft => {
                return Err(CoreError::Conflict(format!(
                    "return {} is still PREPARING: the seller must submit it (PENDING) before it is received",
                    o.bird_id
                ))
                .into())
            }
            other => {
                return Err(
                    CoreError::Conflict(format!("return {} is {other} and cannot be received", o.bird_id)).into()
                )
            }
        }
        let lines = check_receipt(&o.lines, &receipt.counted)?;
        let note = receipt.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > MAX_NOTES) {
            return Err(CoreError::invalid("note", format!("must be at most {MAX_NOTES} characters")).into());
        }
        let now = now_ms();
        let inserted = Tx::from(&mut tx)
            .execute(
                "INSERT INTO returns (order_id, client_id, warehouse_id, status, notes, received_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (order_id) DO NOTHING",
                [
                    Val::from(o.id.0.as_str()),
                    Val::from(tenant.0.as_str()),
                    Val::from(o.warehouse_id.0.as_str()),
                    Val::from(ReturnStatus::Received.as_str()),
                    Val::OS(note.map(str::to_owned)),
                    Val::I(now),
                ],
            )
            .await?;
        if inserted != 1 {
            return Err(CoreError::Conflict(format!("return {} was received already", o.bird_id)).into());
        }
        for l in &lines {
            Tx::from(&mut tx)
                .execute(
                    "INSERT INTO return_lines (order_id, sku_id, expected, good, damaged) VALUES ($1, $2, $3, $4, $5)",
                    [
                        Val::from(o.id.0.as_str()),
                        Val::I(l.sku.0),
                        Val::I(l.expected),
                        Val::I(l.good),
                        Val::I(l.damaged),
                    ],
                )
                .await?;
        }
        let wh = self.cached_warehouse(&o.warehouse_id).await?;
        let returns_bin = entrepot_core::location::default_id(&o.warehouse_id, entrepot_core::location::RETURNS);
        for (sku, transfer) in receipt_moves(&lines)? {
            // Good units wait in RETURNS for their action; damaged ones land in DAMAGED.
            let at = At { from: None, to: (transfer.to == Bucket::Received).then_some(&returns_bin) };
            let m = StockMove {
                client: tenant,
                sku,
                warehouse: &o.warehouse_id,
                transfer,
                doc_kind: "return",
                doc_id: &o.oc_number,
                note: Some("RETURNS"),
                for_client: None,
            };
            stock::apply_at(&mut Tx::from(&mut tx), m, at, &sku.to_string(), &wh.code).await?;
        }
        mirror(&mut Tx::from(&mut tx), &mut o, ReturnStatus::Received, &lines, None, None).await?;
        let rma = load_rma(&mut Tx::from(&mut tx), order).await?;
        let v = view(&o, rma.as_ref());
        let detail =
            lines.iter().map(|l| format!("SKU {}: {} good, {} damaged", l.sku, l.good, l.damaged)).collect::<Vec<_>>();
        let detail = detail.join("; ");
        let rec = AuditRecord {
            action: "return.received",
            subject_kind: "return",
            subject_id: &o.id.0,
            warehouse: Some(&o.warehouse_id),
            client: Some(tenant),
            detail: Some(&detail),
        };
        audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        outbox::record(&mut Tx::from(&mut tx), Some(tenant), "return.received", &o.id.0, &event_payload(&o, &v))
            .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Runs an action on a received return: an inspection (notes, photos; the return waits for a
    /// decision) or a final action, which moves the units on and charges the client's balance
    /// from `rates` (refused, with nothing changed, when the balance cannot cover it).
    pub async fn run_return_action(
        &self,
        actor: &Actor,
        tenant: &ClientId,
        order: &OrderId,
        cmd: ReturnCommand,
        rates: &ReturnRates,
    ) -> StoreResult<ReturnView> {
        for p in &cmd.photos {
            validate_photo_key(p)?;
        }
        let mut tx = self.begin().await?;
        let mut o = load_return(&mut tx, tenant, order).await?;
        let Some(rma) = load_rma(&mut Tx::from(&mut tx), order).await? else {
            return Err(CoreError::Conflict(format!("return {} has not been received yet", o.bird_id)).into());
        };
        let requested = o.attributes.get(ACTION_ATTR).and_then(|a| a.parse::<ReturnAction>().ok());
        let action = cmd.action.or(requested).ok_or_else(|| {
            CoreError::invalid(
                "action",
                "the seller asked for no action: name one (RESTOCK, HOLD, DISPOSE, INSPECT, FORWARD)",
            )
        })?;
        let action = match (action, rma.status) {
            // The seller asked for an inspection and staff have inspected: the decision is theirs.
            (ReturnAction::Inspect, ReturnStatus::Inspecting) if cmd.action.is_none() => {
                return Err(CoreError::invalid(
                    "action",
                    format!("return {} is being inspected: decide RESTOCK, HOLD, DISPOSE or FORWARD", o.bird_id),
                )
                .into())
            }
            (a, _) => a,
        };
        rma.status.can_run(action, &o.bird_id.to_string())?;
        let mut notes = rma.notes.clone();
        if let Some(n) = cmd.notes.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            notes = Some(match notes {
                Some(old) => format!("{old}\n{n}"),
                None => n.to_owned(),
            });
        }
        if notes.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTES) {
            return Err(CoreError::invalid("notes", format!("must be at most {MAX_NOTES} characters in all")).into());
        }
        let mut photos = rma.photos.clone();
        photos.extend(cmd.photos.iter().cloned());
        if photos.len() > MAX_PHOTOS {
            return Err(CoreError::invalid("photos", format!("at most {MAX_PHOTOS} photos per return")).into());
        }
        let clean = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let (forward_reference, forward_address) = (clean(&cmd.forward_reference), clean(&cmd.forward_address));
        if action == ReturnAction::Forward && forward_reference.is_none() {
            return Err(
                CoreError::invalid("forward_reference", "forwarding needs the onward parcel's reference").into()
            );
        }
        for (f, v) in [("forward_reference", &forward_reference), ("forward_address", &forward_address)] {
            if v.as_ref().is_some_and(|v| v.chars().count() > 500) {
                return Err(CoreError::invalid(f, "must be at most 500 characters").into());
            }
        }
        let now = now_ms();
        let wh = self.cached_warehouse(&o.warehouse_id).await?;
        let (status, event, fee, currency) = if action == ReturnAction::Inspect {
            (ReturnStatus::Inspecting, "return.inspecting", 0, None)
        } else {
            let note = forward_reference.as_deref().map(|r| format!("forwarded: {r}"));
            let returns_bin = entrepot_core::location::default_id(&o.warehouse_id, entrepot_core::location::RETURNS);
            for (sku, transfer) in completion_moves(action, &rma.lines)? {
                // Good units written off or forwarded leave from RETURNS, where the receipt put
                // them; restocked and held ones stay there (staff move them to a bin).
                let leaving = transfer.from == Bucket::Received && transfer.to == Bucket::Outside;
                let at = At { from: leaving.then_some(&returns_bin), to: None };
                let m = StockMove {
                    client: tenant,
                    sku,
                    warehouse: &o.warehouse_id,
                    transfer,
                    doc_kind: "return",
                    doc_id: &o.oc_number,
                    note: note.as_deref().or(Some("RETURNS")),
                    for_client: None,
                };
                stock::apply_at(&mut Tx::from(&mut tx), m, at, &sku.to_string(), &wh.code).await?;
            }
            let units: i64 = rma.lines.iter().map(ReceivedLine::units).sum();
            let fee = rates.fee(action, units, rma.inspected)?;
            let currency = self.client(tenant).await?.currency.as_str().to_owned();
            if fee > 0 {
                let t = MoneyTransfer::new(MoneyBucket::Available, MoneyBucket::Charged, fee, MoneyReason::Charge)?;
                money::apply(&mut tx, tenant, &currency, &t, "return", &o.oc_number).await?;
            }
            (ReturnStatus::Completed, "return.completed", fee, Some(currency))
        };
        let r = Tx::from(&mut tx)
            .execute(
                "UPDATE returns SET status = $1, outcome = $2, inspected = $3, notes = $4, photos = $5, \
                 forward_reference = $6, forward_address = $7, fee = $8, currency = $9, completed_at = $10, updated_at = $11 \
                 WHERE order_id = $12 AND status = $13",
                [
                    Val::from(status.as_str()),
                    Val::OS(action.is_final().then(|| action.as_str().to_owned())),
                    Val::I(i64::from(rma.inspected || action == ReturnAction::Inspect)),
                    Val::OS(notes),
                    Val::S(to_json(&photos)),
                    Val::OS(forward_reference.clone()),
                    Val::OS(forward_address),
                    Val::I(fee),
                    Val::OS(currency.clone()),
                    Val::OI(action.is_final().then_some(now)),
                    Val::I(now),
                    Val::from(o.id.0.as_str()),
                    Val::from(rma.status.as_str()),
                ],
            )
            .await?;
        if r != 1 {
            return Err(CoreError::Conflict(format!("return {} changed concurrently; try again", o.bird_id)).into());
        }
        let outcome = action.is_final().then_some(action);
        let fee_shown = currency.as_deref().map(|c| (fee, c));
        mirror(&mut Tx::from(&mut tx), &mut o, status, &rma.lines, outcome, fee_shown).await?;
        let rma = load_rma(&mut Tx::from(&mut tx), order).await?;
        let v = view(&o, rma.as_ref());
        let detail = match (&currency, &v.forward_reference) {
            (Some(c), Some(r)) => format!("{action}, fee {fee} {c}, forwarded as {r}"),
            (Some(c), None) => format!("{action}, fee {fee} {c}"),
            _ => action.to_string(),
        };
        let rec = AuditRecord {
            action: event,
            subject_kind: "return",
            subject_id: &o.id.0,
            warehouse: Some(&o.warehouse_id),
            client: Some(tenant),
            detail: Some(&detail),
        };
        audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        outbox::record(&mut Tx::from(&mut tx), Some(tenant), event, &o.id.0, &event_payload(&o, &v)).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// The returns rate card of `warehouse`, if the operator set one.
    pub async fn return_rates(&self, warehouse: &WarehouseId) -> StoreResult<Option<ReturnRates>> {
        let row = sqlx::query("SELECT rates FROM return_rate_cards WHERE warehouse_id = $1")
            .bind(&warehouse.0)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| json::<ReturnRates>(&r, "rates")).transpose()
    }

    /// Sets the returns rate card of `warehouse`; charges from now on use it.
    pub async fn set_return_rates(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        rates: &ReturnRates,
    ) -> StoreResult<()> {
        rates.validate()?;
        self.warehouse(warehouse).await?;
        let mut tx = self.begin().await?;
        Tx::from(&mut tx)
            .execute(
                "INSERT INTO return_rate_cards (warehouse_id, rates, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (warehouse_id) DO UPDATE SET rates = excluded.rates, updated_at = excluded.updated_at",
                [Val::from(warehouse.0.as_str()), Val::S(to_json(rates)), Val::I(now_ms())],
            )
            .await?;
        let detail = to_json(rates);
        let rec = AuditRecord {
            action: "return.rates",
            subject_kind: "warehouse",
            subject_id: &warehouse.0,
            warehouse: Some(warehouse),
            client: None,
            detail: Some(&detail),
        };
        audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records returned goods that match no authorisation, for staff to resolve.
    pub async fn record_unidentified_return(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        scanned: &str,
        note: Option<&str>,
    ) -> StoreResult<UnidentifiedReturn> {
        let u = UnidentifiedReturn {
            id: new_id!(UnidentifiedReturnId),
            warehouse_id: warehouse.clone(),
            scanned: scanned.trim().to_owned(),
            note: note.map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned),
            created_at_ms: now_ms(),
            matched_order_id: None,
        };
        let mut tx = self.begin().await?;
        Tx::from(&mut tx)
            .execute(
                "INSERT INTO unidentified_returns (id, warehouse_id, scanned, note, created_at) VALUES ($1, $2, $3, $4, $5)",
                [
                    Val::from(u.id.0.as_str()),
                    Val::from(warehouse.0.as_str()),
                    Val::from(u.scanned.as_str()),
                    Val::OS(u.note.clone()),
                    Val::I(u.created_at_ms),
                ],
            )
            .await?;
        let rec = AuditRecord {
            action: "return.unidentified",
            subject_kind: "unidentified_return",
            subject_id: &u.id.0,
            warehouse: Some(warehouse),
            client: None,
            detail: Some(&u.scanned),
        };
        audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        Ok(u)
    }

    /// Matches an unidentified return to the authorisation `order` of `tenant` (staff then
    /// receive it against that authorisation); it leaves the queue.
    pub async fn match_unidentified_return(
        &self,
        actor: &Actor,
        id: &UnidentifiedReturnId,
        tenant: &ClientId,
        order: &OrderId,
    ) -> StoreResult<UnidentifiedReturn> {
        let mut tx = self.begin().await?;
        let o = load_return(&mut tx, tenant, order).await?;
        let r = Tx::from(&mut tx)
            .execute(
                "UPDATE unidentified_returns SET matched_order_id = $1, matched_at = $2 \
                 WHERE id = $3 AND warehouse_id = $4 AND matched_order_id IS NULL AND disposed_at IS NULL",
                [
                    Val::from(o.id.0.as_str()),
                    Val::I(now_ms()),
                    Val::from(id.0.as_str()),
                    Val::from(o.warehouse_id.0.as_str()),
                ],
            )
            .await?;
        if r != 1 {
            return Err(CoreError::Conflict(format!(
                "unidentified return {id} is not waiting at the return's warehouse (matched already, or elsewhere)"
            ))
            .into());
        }
        let detail = format!("matched to return {}", o.bird_id);
        let rec = AuditRecord {
            action: "return.matched",
            subject_kind: "unidentified_return",
            subject_id: &id.0,
            warehouse: Some(&o.warehouse_id),
            client: Some(tenant),
            detail: Some(&detail),
        };
        audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        let row = Tx::from(&mut tx)
            .fetch_one(
                &format!("SELECT {UNIDENTIFIED_COLS} FROM unidentified_returns WHERE id = $1"),
                [Val::from(id.0.as_str())],
            )
            .await?;
        let u = unidentified(&row)?;
        tx.commit().await?;
        Ok(u)
    }

    /// The unidentified returns waiting to be matched, newest first, optionally of one warehouse.
    pub async fn unidentified_returns(&self, warehouse: Option<&WarehouseId>) -> StoreResult<Vec<UnidentifiedReturn>> {
        let rows = sqlx::query(&format!(
            "SELECT {UNIDENTIFIED_COLS} FROM unidentified_returns \
             WHERE ($1 = '' OR warehouse_id = $1) AND matched_order_id IS NULL AND disposed_at IS NULL ORDER BY created_at DESC, id LIMIT 500"
        ))
        .bind(warehouse.map(|w| w.0.clone()).unwrap_or_default())
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(unidentified).collect()
    }
}

pub(crate) const UNIDENTIFIED_COLS: &str = "id, warehouse_id, scanned, note, created_at, matched_order_id";

pub(crate) fn unidentified(r: &impl crate::engine::rows::Columns) -> StoreResult<UnidentifiedReturn> {
    Ok(UnidentifiedReturn {
        id: UnidentifiedReturnId(s(r, "id")?),
        warehouse_id: WarehouseId(s(r, "warehouse_id")?),
        scanned: s(r, "scanned")?,
        note: os(r, "note")?,
        created_at_ms: i(r, "created_at")?,
        matched_order_id: os(r, "matched_order_id")?.map(OrderId),
    })
}

/// Whether `order` has been received on the floor (its consignment then stays as it is).
pub(crate) async fn was_received(tx: &mut Tx<'_>, order: &OrderId) -> StoreResult<bool> {
    Ok(tx
        .fetch_optional("SELECT 1 AS one FROM returns WHERE order_id = $1", [Val::from(order.0.as_str())])
        .await?
        .is_some())
}
