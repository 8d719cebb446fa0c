//! Carrier booking claims: which submitted orders a booking worker takes next, and recording what
//! the carrier answered.
//!
//! An order waits for booking from SUBMITTED until PACKED without a tracking number; it
//! then has a row in the booking queue (`booking::queue`, kept in step by the order writes). A
//! worker claims a batch of rows with a single conditional `UPDATE` on their lease, so of several
//! processes on one database exactly one holds an order at a time; the lease doubles as the "not
//! before" time of a retry after a temporary carrier failure. The results of a batch are recorded
//! together, each only by the lease holder (whose queue row goes with it) and only while the
//! order has no tracking number, so even a worker whose lease ran out mid-batch cannot record a
//! second booking.
//!
//! Claiming and recording in batches matters on SQLite, whose one writer is shared with order
//! intake: per order, a claim and a record were two durable commits.

pub(crate) mod queue;

use entrepot_core::{
    ids::{ClientId, OrderId},
    CoreError,
};
use serde_json::json;
use sqlx::Row;

use crate::{
    engine::{
        bulk::{self, bind_all, placeholders, Val},
        clock::now_ms,
        exec::{self, Tx},
        rows::{i, os, s},
    },
    webhook::outbox,
    Backend, Store, StoreResult,
};
pub use entrepot_app::types::booking::{BookingClaim, FinishedBooking, MAX_BOOKING_BATCH};

impl Store {
    /// System side: claims the oldest order waiting for a booking (and not leased, nor waiting to
    /// be retried) for `owner` until `lease_ms` from now.
    pub async fn claim_booking(&self, owner: &str, lease_ms: i64) -> StoreResult<Option<BookingClaim>> {
        Ok(self.claim_bookings(owner, lease_ms, 1).await?.pop())
    }

    /// System side: claims up to `max` (at most [`MAX_BOOKING_BATCH`]) of the oldest orders
    /// waiting for a booking, in claim order, for `owner` until `lease_ms` from now, in one
    /// statement. Fewer than `max` may come back while more wait, if a concurrent claimer
    /// took some of them first.
    pub async fn claim_bookings(&self, owner: &str, lease_ms: i64, max: usize) -> StoreResult<Vec<BookingClaim>> {
        let max = max.min(MAX_BOOKING_BATCH);
        if max == 0 {
            return Ok(vec![]);
        }
        let now = now_ms();
        // Expired leases first (retries due, claims of a worker that died), then the oldest never
        // claimed: each from its own index (see migration 13), so neither reads past the orders
        // being booked right now. The outer limit stops before the second is read if the first
        // fills the batch.
        let lock = if self.backend == Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
        let pick = format!(
            "SELECT order_id FROM (SELECT order_id FROM booking_queue WHERE lease_until IS NOT NULL \
               AND lease_until < $3 ORDER BY lease_until LIMIT $4{lock}) AS due \
             UNION ALL \
             SELECT order_id FROM (SELECT order_id FROM booking_queue WHERE lease_until IS NULL \
               ORDER BY queued_at, order_id LIMIT $4{lock}) AS fresh \
             LIMIT $4"
        );
        let picked = match self.backend {
            // SKIP LOCKED: pass over rows a concurrent claim has locked instead of queueing behind
            // it only to find them taken; a row whose claim committed meanwhile is checked again
            // against the conditions when it is locked, so it is not claimed twice. ARRAY(...)
            // because PostgreSQL may evaluate an `IN (subquery)` again per row, and each
            // evaluation would skip the rows the previous one locked and take more, past the limit.
            Backend::Postgres => format!("order_id = ANY(ARRAY({pick}))"),
            // Write transactions are serialized; the subquery is evaluated once.
            Backend::Sqlite => format!("order_id IN ({pick})"),
        };
        let sql = format!(
            "UPDATE booking_queue SET owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE {picked} RETURNING order_id, queued_at, attempts"
        );
        let vals = [Val::from(owner), Val::I(now + lease_ms), Val::I(now), Val::I(max as i64)];
        let rows = self.writer_transaction(move |tx| Box::pin(async move { tx.fetch_all(&sql, vals).await })).await?;
        self.claimed(owner, rows).await
    }

    /// Claims one of the tenant's orders for an immediate booking (Bird's `returnLabel=1`). A
    /// retry waiting for its time is taken at once; an order another worker is booking right now
    /// is not (`None`).
    pub async fn claim_booking_of(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        owner: &str,
        lease_ms: i64,
    ) -> StoreResult<Option<BookingClaim>> {
        let now = now_ms();
        let row = sqlx::query(
            "UPDATE booking_queue SET owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE order_id = $4 AND client_id = $5 AND (lease_until IS NULL OR lease_until < $3 OR owner IS NULL) \
             RETURNING order_id, queued_at, attempts",
        )
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .bind(&id.0)
        .bind(&tenant.0)
        .fetch_optional(&self.write)
        .await?;
        Ok(self.claimed(owner, row.into_iter().map(exec::Row::Any).collect()).await?.pop())
    }

    /// The claimed orders in claim order. A claimed order that no longer waits for a booking
    /// (cancelled, picked, booked by hand) leaves the queue instead; one that cannot be found
    /// is left out, its lease running out unused.
    async fn claimed(&self, owner: &str, rows: Vec<exec::Row>) -> StoreResult<Vec<BookingClaim>> {
        let mut claims = rows
            .iter()
            .map(|r| Ok((i(&r, "queued_at")?, OrderId(s(&r, "order_id")?), i(&r, "attempts")?)))
            .collect::<StoreResult<Vec<_>>>()?;
        // RETURNING keeps no order: claim order is the index's.
        claims.sort();
        let ids: Vec<OrderId> = claims.iter().map(|(_, id, _)| id.clone()).collect();
        let mut orders = self.orders_by_id(&ids).await?;
        let mut out = Vec::with_capacity(claims.len());
        let mut moved_on = vec![];
        for (_, id, attempts) in claims {
            match orders.remove(&id) {
                Some(order) if queue::waits(&order) => out.push(BookingClaim { order, attempts }),
                Some(order) => moved_on.push(order.id),
                None => {}
            }
        }
        if !moved_on.is_empty() {
            self.unqueue(owner, &moved_on).await?;
        }
        Ok(out)
    }

    /// Takes orders `owner` holds out of the queue.
    async fn unqueue(&self, owner: &str, ids: &[OrderId]) -> StoreResult<()> {
        for chunk in ids.chunks(MAX_BOOKING_BATCH) {
            let ids: Vec<&str> = chunk.iter().map(|id| id.0.as_str()).collect();
            let mut ph = bulk::Ph::on(self.backend);
            let (list, ids) = bulk::any_of(&mut ph, &ids);
            let q = format!("DELETE FROM booking_queue WHERE order_id {list} AND owner = {}", ph.one());
            bulk::bind(sqlx::query(&q), ids).bind(owner).execute(&self.write).await?;
        }
        Ok(())
    }

    /// Records a booking and writes the `order.tracking` event, in one transaction, if `owner`
    /// still holds the order and it has no tracking number yet; `false` otherwise (another worker
    /// recorded it, or the order was cancelled meanwhile).
    pub async fn finish_booking(
        &self,
        id: &OrderId,
        owner: &str,
        tracking: &str,
        carrier: &str,
        label: &[u8],
    ) -> StoreResult<bool> {
        let done = FinishedBooking {
            id: id.clone(),
            tracking: tracking.into(),
            carrier: carrier.into(),
            label: label.into(),
            declared_weight_g: 0,
        };
        Ok(self.finish_bookings(owner, vec![done]).await?.first().copied().unwrap_or(false))
    }

    /// Records many bookings and their `order.tracking` events in one transaction, each under the
    /// conditions of [`Store::finish_booking`]; says per booking, in order, whether it was recorded.
    pub async fn finish_bookings(&self, owner: &str, done: Vec<FinishedBooking>) -> StoreResult<Vec<bool>> {
        if done.is_empty() {
            return Ok(vec![]);
        }
        let (backend, owner) = (self.backend, owner.to_owned());
        self.writer_transaction(move |tx| Box::pin(record_bookings(tx, backend, owner, done))).await
    }

    /// Gives claimed orders that were never sent to the carrier back at once (a batch cut short
    /// by shutdown or by its lease running low), uncounted, so that nobody waits for their lease
    /// to run out; returns how many were still ours.
    pub async fn release_bookings(&self, owner: &str, ids: &[OrderId]) -> StoreResult<u64> {
        let mut released = 0;
        for chunk in ids.chunks(MAX_BOOKING_BATCH) {
            let q = format!(
                "UPDATE booking_queue SET owner = NULL, lease_until = NULL, attempts = attempts - 1 \
                 WHERE owner = $1 AND order_id IN ({})",
                placeholders(2, chunk.len())
            );
            let binds: Vec<Val> =
                std::iter::once(Val::S(owner.into())).chain(chunk.iter().map(|i| Val::S(i.0.clone()))).collect();
            released += bind_all(sqlx::query(&q), &binds).execute(&self.write).await?.rows_affected();
        }
        Ok(released)
    }

    /// Gives a claimed order back after a temporary failure, to be retried from `retry_at_ms`.
    pub async fn defer_booking(&self, id: &OrderId, owner: &str, retry_at_ms: i64, error: &str) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let r =
            sqlx::query("UPDATE booking_queue SET owner = NULL, lease_until = $1 WHERE order_id = $2 AND owner = $3")
                .bind(retry_at_ms)
                .bind(&id.0)
                .bind(owner)
                .execute(&mut *tx)
                .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("UPDATE outbound_orders SET booking_error = $1 WHERE id = $2")
            .bind(error)
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Keeps why a carrier refused a claimed order, for the order's EXCEPTION status the caller
    /// sets next; `false` if `owner` no longer holds it. The lease stays, so nobody books the
    /// order again before it leaves the waiting states (or the lease runs out, if setting the
    /// status failed).
    pub async fn refuse_booking(&self, id: &OrderId, owner: &str, reason: &str) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE outbound_orders SET booking_error = $1 WHERE id = $2 \
             AND EXISTS (SELECT 1 FROM booking_queue WHERE order_id = $2 AND owner = $3)",
        )
        .bind(reason)
        .bind(&id.0)
        .bind(owner)
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The label kept with the booking of one of the tenant's orders; `None` if the order has none
    /// in the database (not booked yet, or booked before labels were kept there).
    pub async fn order_label(&self, tenant: &ClientId, id: &OrderId) -> StoreResult<Option<Vec<u8>>> {
        let row = sqlx::query(
            "SELECT l.pdf FROM order_labels l JOIN outbound_orders o ON o.id = l.order_id \
             WHERE o.client_id = $1 AND l.order_id = $2",
        )
        .bind(&tenant.0)
        .bind(&id.0)
        .fetch_optional(&self.read)
        .await?;
        Ok(match row {
            Some(row) => Some(row.try_get::<Vec<u8>, _>("pdf")?),
            None => None,
        })
    }

    /// Why the last booking of one of the tenant's orders failed, if it did.
    pub async fn booking_error(&self, tenant: &ClientId, id: &OrderId) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT booking_error FROM outbound_orders WHERE client_id = $1 AND id = $2")
            .bind(&tenant.0)
            .bind(&id.0)
            .fetch_optional(&self.read)
            .await?
            .ok_or_else(|| CoreError::not_found("order", id))?;
        os(&row, "booking_error")
    }
}

/// Records bookings `owner` holds, in `tx`; see [`Store::finish_bookings`].
async fn record_bookings(
    tx: &mut Tx<'_>,
    backend: Backend,
    owner: String,
    mut done: Vec<FinishedBooking>,
) -> StoreResult<Vec<bool>> {
    let mut recorded = vec![false; done.len()];
    // Rows in id order, so that two transactions over the same orders (PostgreSQL) lock them in
    // the same order and cannot deadlock.
    // An order named twice is recorded once, as it is first named.
    let mut by_id: Vec<usize> = (0..done.len()).collect();
    by_id.sort_by(|a, b| done[*a].id.cmp(&done[*b].id));
    by_id.dedup_by(|later, first| done[*later].id == done[*first].id);
    let now = now_ms();
    let mut clients: Vec<Option<ClientId>> = vec![None; done.len()];
    for chunk in by_id.chunks(bulk::rows_per_chunk(3, 2)) {
        // Only the lease holder records: its queue row goes, and with it the claim.
        let ids: Vec<&str> = chunk.iter().map(|&k| done[k].id.0.as_str()).collect();
        let mut ph = bulk::Ph::on(backend);
        let (list, ids) = bulk::any_of(&mut ph, &ids);
        let owner_ph = ph.one();
        let sql = format!("DELETE FROM booking_queue WHERE order_id {list} AND owner = {owner_ph} RETURNING order_id");
        let held = tx.fetch_all(&sql, ids.into_iter().chain([Val::from(owner.as_str())])).await?;
        let mut held: Vec<usize> = held
            .iter()
            .map(|r| s(&r, "order_id"))
            .collect::<StoreResult<Vec<_>>>()?
            .iter()
            // The chunk is in id order.
            .filter_map(|id| chunk.binary_search_by(|&k| done[k].id.0.as_str().cmp(id)).ok().map(|at| chunk[at]))
            .collect();
        if held.is_empty() {
            continue;
        }
        held.sort_by(|a, b| done[*a].id.cmp(&done[*b].id));
        let rows: Vec<Vec<Val>> = held
            .iter()
            .map(|&k| {
                let b = &done[k];
                vec![
                    Val::from(b.id.0.as_str()),
                    Val::from(b.tracking.as_str()),
                    Val::from(b.carrier.as_str()),
                    Val::I(b.declared_weight_g),
                ]
            })
            .collect();
        let mut ph = bulk::Ph::new(tx);
        let at = ph.one();
        let (source, vals) = bulk::rows_source(&mut ph, &rows);
        let sql = format!(
            "UPDATE outbound_orders SET tracking_number = v.column2, carrier = v.column3, updated_at = {at}, \
                 booking_error = NULL, booked_weight_g = NULLIF(v.column4, 0) FROM {source} \
                 WHERE outbound_orders.id = v.column1 \
                 AND outbound_orders.tracking_number IS NULL AND outbound_orders.status NOT IN ('DRAFT', 'CANCELLED') \
                 RETURNING outbound_orders.id AS id, outbound_orders.client_id AS client_id"
        );
        let rows = tx.fetch_all(&sql, std::iter::once(Val::I(now)).chain(vals)).await?;
        let mut labels = Vec::with_capacity(rows.len());
        for row in &rows {
            let id = s(&row, "id")?;
            let Ok(at) = held.binary_search_by(|&k| done[k].id.0.as_str().cmp(&id)) else { continue };
            let k = held[at];
            recorded[k] = true;
            clients[k] = Some(ClientId(s(&row, "client_id")?));
            labels.push(vec![Val::S(id), Val::B(std::mem::take(&mut done[k].label))]);
        }
        let upsert = "ON CONFLICT (order_id) DO UPDATE SET pdf = excluded.pdf";
        bulk::insert(tx, "order_labels", &["order_id", "pdf"], labels, upsert).await?;
    }
    if !recorded.contains(&true) {
        return Ok(recorded);
    }
    let mut events_of: Vec<(ClientId, Vec<(String, serde_json::Value)>)> = vec![];
    for (b, client) in done.iter().zip(clients) {
        let Some(client) = client else { continue };
        let event = (b.id.0.clone(), json!({"id": b.id, "tracking_number": b.tracking, "carrier": b.carrier}));
        match events_of.iter_mut().find(|(c, _)| *c == client) {
            Some((_, items)) => items.push(event),
            None => events_of.push((client, vec![event])),
        }
    }
    for (client, items) in events_of {
        outbox::record_many(tx, Some(&client), "order.tracking", items).await?;
    }
    Ok(recorded)
}
