//! Webhook endpoints, the outbox fan-out and the delivery log, svix-style.
//!
//! Why the shapes are what they are:
//! - Fan-out is exactly once per outbox event because the event's `fanned_out_at` mark is set by a
//!   conditional `UPDATE ... WHERE fanned_out_at IS NULL` in the same transaction that inserts its
//!   deliveries: of several racing dispatchers one wins, the others' transactions write nothing.
//!   A single cursor row over `(created_at, id)` would not do: on PostgreSQL, transactions commit
//!   out of `created_at` order, so a cursor can pass an event that becomes visible later.
//! - A delivery is rendered once, at fan-out, and stored with its body, so every retry sends the
//!   same bytes and the log shows exactly what was sent.
//! - Deliveries are claimed with leases (one conditional `UPDATE`), so a process that dies in the
//!   middle of an attempt loses nothing: its lease runs out and another process tries again.
//!
//! Endpoint management is tenant-scoped like everything else; the dispatcher's functions are
//! system-side (a worker serves every tenant) and say so.

pub(crate) mod backlog;
pub(crate) mod health;
pub(crate) mod outbox;
pub(crate) mod requeue;
pub(crate) mod summary;

use entrepot_core::{ids::ClientId, CoreError};
use sqlx::any::AnyRow;

use crate::{
    auth::secrets::{Place, Sealer, WEBHOOK_SECRET},
    engine::{
        bulk::{self, bind_all, placeholders, Val},
        clock::now_ms,
        exec::Tx,
        rows::{i, oi, os, s},
        seq,
    },
    Store, StoreResult,
};
pub use entrepot_app::types::webhooks::{
    cap_body, AttemptOutcome, Delivery, DeliveryFilter, DeliveryStatus, NewDelivery, NewWebhook, OutboxEvent, Webhook,
    WebhookChange, WebhookStatus, WebhookSummary, RESPONSE_BODY_CAP,
};

pub(crate) const WEBHOOK_COLS: &str =
    "id, client_id, dialect, url, resource_type, action, secret, status, created_at, updated_at";
pub(crate) const DELIVERY_COLS: &str =
    "id, client_id, webhook_id, event_id, event_type, subject, payload, status, attempts, \
     next_attempt_at, response_code, response_body, last_error, last_attempt_at, created_at, updated_at";

/// An endpoint row, its secret opened.
pub(crate) fn webhook(row: &AnyRow, sealer: &Sealer) -> StoreResult<Webhook> {
    let id = i(row, "id")?;
    Ok(Webhook {
        id,
        client_id: ClientId(s(row, "client_id")?),
        dialect: s(row, "dialect")?,
        url: s(row, "url")?,
        resource_type: s(row, "resource_type")?,
        action: s(row, "action")?,
        secret: sealer.open(&Place { column: WEBHOOK_SECRET, id: &id.to_string() }, &s(row, "secret")?)?,
        status: WebhookStatus::parse(&s(row, "status")?).unwrap_or(WebhookStatus::Inactive),
        created_at_ms: i(row, "created_at")?,
        updated_at_ms: i(row, "updated_at")?,
    })
}

pub(crate) fn delivery(row: &AnyRow) -> StoreResult<Delivery> {
    Ok(Delivery {
        id: i(row, "id")?,
        client_id: ClientId(s(row, "client_id")?),
        webhook_id: i(row, "webhook_id")?,
        event_id: s(row, "event_id")?,
        event_type: s(row, "event_type")?,
        subject: s(row, "subject")?,
        payload: s(row, "payload")?,
        status: DeliveryStatus::parse(&s(row, "status")?).unwrap_or(DeliveryStatus::Failed),
        attempts: i(row, "attempts")?,
        next_attempt_at_ms: i(row, "next_attempt_at")?,
        response_code: oi(row, "response_code")?,
        response_body: os(row, "response_body")?,
        last_error: os(row, "last_error")?,
        last_attempt_at_ms: oi(row, "last_attempt_at")?,
        created_at_ms: i(row, "created_at")?,
        updated_at_ms: i(row, "updated_at")?,
    })
}

impl Store {
    /// Registers an endpoint for the tenant.
    pub async fn create_webhook(&self, tenant: &ClientId, n: NewWebhook) -> StoreResult<Webhook> {
        let mut tx = self.begin().await?;
        let id = seq::next(&mut Tx::from(&mut tx), "webhook", 1).await?;
        let now = now_ms();
        sqlx::query(&format!("INSERT INTO webhooks ({WEBHOOK_COLS}) VALUES ({})", placeholders(1, 10)))
            .bind(id)
            .bind(&tenant.0)
            .bind(&n.dialect)
            .bind(&n.url)
            .bind(&n.resource_type)
            .bind(&n.action)
            .bind(self.secrets.seal(&Place { column: WEBHOOK_SECRET, id: &id.to_string() }, &n.secret)?)
            .bind(n.status.as_str())
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.webhook(tenant, id).await
    }

    /// One of the tenant's endpoints; another tenant's is "not found".
    pub async fn webhook(&self, tenant: &ClientId, id: i64) -> StoreResult<Webhook> {
        let row = sqlx::query(&format!("SELECT {WEBHOOK_COLS} FROM webhooks WHERE client_id = $1 AND id = $2"))
            .bind(&tenant.0)
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref()
            .map(|r| webhook(r, &self.secrets))
            .transpose()?
            .ok_or_else(|| CoreError::not_found("webhook", id).into())
    }

    /// The tenant's endpoints of one dialect (`ids` empty: all of them), oldest first.
    pub async fn webhooks(&self, tenant: &ClientId, dialect: &str, ids: &[i64]) -> StoreResult<Vec<Webhook>> {
        let mut q = format!("SELECT {WEBHOOK_COLS} FROM webhooks WHERE client_id = $1 AND dialect = $2");
        let mut binds = vec![Val::S(tenant.0.clone()), Val::S(dialect.to_owned())];
        if !ids.is_empty() {
            q.push_str(&format!(" AND id IN ({})", placeholders(3, ids.len())));
            binds.extend(ids.iter().map(|v| Val::I(*v)));
        }
        q.push_str(" ORDER BY id");
        let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
        rows.iter().map(|r| webhook(r, &self.secrets)).collect()
    }

    /// Changes one of the tenant's endpoints.
    pub async fn update_webhook(&self, tenant: &ClientId, id: i64, c: WebhookChange) -> StoreResult<Webhook> {
        let mut w = self.webhook(tenant, id).await?;
        w.url = c.url.unwrap_or(w.url);
        w.resource_type = c.resource_type.unwrap_or(w.resource_type);
        w.action = c.action.unwrap_or(w.action);
        w.secret = c.secret.unwrap_or(w.secret);
        w.status = c.status.unwrap_or(w.status);
        let r = sqlx::query(
            "UPDATE webhooks SET url = $1, resource_type = $2, action = $3, secret = $4, status = $5, updated_at = $6 \
             WHERE client_id = $7 AND id = $8",
        )
        .bind(&w.url)
        .bind(&w.resource_type)
        .bind(&w.action)
        .bind(self.secrets.seal(&Place { column: WEBHOOK_SECRET, id: &id.to_string() }, &w.secret)?)
        .bind(w.status.as_str())
        .bind(now_ms())
        .bind(&tenant.0)
        .bind(id)
        .execute(&self.write)
        .await?;
        if r.rows_affected() != 1 {
            return Err(CoreError::not_found("webhook", id).into());
        }
        self.webhook(tenant, id).await
    }

    /// Deletes the tenant's endpoints and their delivery logs, all or none: an id that is not the
    /// tenant's fails the whole request.
    pub async fn delete_webhooks(&self, tenant: &ClientId, ids: &[i64]) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        for id in ids {
            sqlx::query(
                "DELETE FROM webhook_deliveries WHERE webhook_id IN (SELECT id FROM webhooks WHERE client_id = $1 AND id = $2)",
            )
            .bind(&tenant.0)
            .bind(*id)
            .execute(&mut *tx)
            .await?;
            let r = sqlx::query("DELETE FROM webhooks WHERE client_id = $1 AND id = $2")
                .bind(&tenant.0)
                .bind(*id)
                .execute(&mut *tx)
                .await?;
            if r.rows_affected() != 1 {
                return Err(CoreError::not_found("webhook", id).into());
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The tenant's delivery log, newest first, with the total count.
    pub async fn webhook_deliveries(&self, tenant: &ClientId, f: &DeliveryFilter) -> StoreResult<(Vec<Delivery>, i64)> {
        let mut cond = "client_id = $1".to_owned();
        let mut binds = vec![Val::S(tenant.0.clone())];
        if let Some(w) = f.webhook_id {
            binds.push(Val::I(w));
            cond.push_str(&format!(" AND webhook_id = ${}", binds.len()));
        }
        if let Some(st) = f.status {
            binds.push(Val::S(st.as_str().to_owned()));
            cond.push_str(&format!(" AND status = ${}", binds.len()));
        }
        let count_q = format!("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE {cond}");
        let total = i(&bind_all(sqlx::query(&count_q), &binds).fetch_one(&self.read).await?, "n")?;
        let limit = if f.limit <= 0 { i64::MAX } else { f.limit };
        let q = format!(
            "SELECT {DELIVERY_COLS} FROM webhook_deliveries WHERE {cond} ORDER BY id DESC LIMIT {limit} OFFSET {}",
            f.offset.max(0)
        );
        let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
        Ok((rows.iter().map(delivery).collect::<StoreResult<_>>()?, total))
    }

    /// System side: the oldest outbox events not fanned out yet, in `(created_at, id)` order.
    pub async fn events_to_fan_out(&self, limit: i64) -> StoreResult<Vec<OutboxEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT id, client_id, kind, entity_id, payload, created_at FROM events WHERE fanned_out_at IS NULL \
             ORDER BY created_at, id LIMIT {}",
            limit.max(1)
        ))
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let payload = s(r, "payload")?;
                Ok(OutboxEvent {
                    id: s(r, "id")?,
                    client_id: os(r, "client_id")?.map(ClientId),
                    kind: s(r, "kind")?,
                    entity_id: s(r, "entity_id")?,
                    payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
                    created_at_ms: i(r, "created_at")?,
                })
            })
            .collect()
    }

    /// System side: a client's active endpoints, for the dispatcher.
    pub async fn active_webhooks(&self, client: &ClientId) -> StoreResult<Vec<Webhook>> {
        let rows = sqlx::query(&format!(
            "SELECT {WEBHOOK_COLS} FROM webhooks WHERE client_id = $1 AND status = 'ACTIVE' ORDER BY id"
        ))
        .bind(&client.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(|r| webhook(r, &self.secrets)).collect()
    }

    /// System side: marks `event` fanned out and queues its deliveries, in one transaction.
    /// `false` when another dispatcher got there first (then nothing is written).
    pub async fn fan_out_event(&self, event: &OutboxEvent, deliveries: &[NewDelivery]) -> StoreResult<bool> {
        let Some(client) = &event.client_id else {
            return Ok(self.skip_events(std::slice::from_ref(&event.id)).await? == 1);
        };
        let now = now_ms();
        let mut tx = self.begin().await?;
        let r = sqlx::query("UPDATE events SET fanned_out_at = $1 WHERE id = $2 AND fanned_out_at IS NULL")
            .bind(now)
            .bind(&event.id)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        if !deliveries.is_empty() {
            let first = seq::next(&mut Tx::from(&mut tx), "webhook_delivery", deliveries.len() as i64).await?;
            for (k, d) in deliveries.iter().enumerate() {
                sqlx::query(&format!(
                    "INSERT INTO webhook_deliveries ({DELIVERY_COLS}, lease_owner, lease_until) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', 0, $8, NULL, NULL, NULL, NULL, $8, $8, NULL, NULL) \
                     ON CONFLICT (event_id, webhook_id, subject) DO NOTHING"
                ))
                .bind(first + k as i64)
                .bind(&client.0)
                .bind(d.webhook_id)
                .bind(&event.id)
                .bind(&d.event_type)
                .bind(&d.subject)
                .bind(&d.payload)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// System side: marks events that nobody subscribes to as fanned out; returns how many this
    /// call marked.
    pub async fn skip_events(&self, ids: &[String]) -> StoreResult<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        // Anonymous placeholders on SQLite: a fan-out batch binds hundreds of ids (see `engine::bulk`).
        let mut skipped = 0;
        for chunk in ids.chunks(bulk::MAX_ROWS) {
            let mut ph = bulk::Ph::on(self.backend);
            let (at, list) = (ph.one(), ph.tuples(1, chunk.len()));
            // COALESCE, not `fanned_out_at IS NULL`: that condition lets PostgreSQL choose the index
            // of events not fanned out and match every entry against the list (tens of ms per call
            // at a 20,000-event backlog) instead of looking the ids up by key.
            let q =
                format!("UPDATE events SET fanned_out_at = {at} WHERE id IN {list} AND COALESCE(fanned_out_at, 0) = 0");
            let vals = std::iter::once(bulk::Val::I(now_ms())).chain(chunk.iter().map(|v| bulk::Val::from(v.as_str())));
            skipped += bulk::bind(sqlx::query(&q), vals).execute(&self.write).await?.rows_affected();
        }
        Ok(skipped)
    }

    /// System side: claims the delivery due first (of an active endpoint) for `owner` until
    /// `lease_ms` from now, counting the attempt; with its endpoint.
    pub async fn claim_delivery(&self, owner: &str, lease_ms: i64) -> StoreResult<Option<(Delivery, Webhook)>> {
        self.claim_delivery_except(owner, lease_ms, &[]).await
    }

    /// System side: [`Store::claim_delivery`], passing over the endpoints in `busy` (those the
    /// caller already has enough deliveries in flight to). The delivery due first is found
    /// endpoint by endpoint: each active endpoint's first due delivery is one probe of the
    /// `(status, webhook_id, next_attempt_at, id)` index, so a claim costs one probe per endpoint
    /// however long a busy or slow endpoint's backlog is (scanning the due deliveries in time
    /// order would pass over every one of a busy endpoint's).
    pub async fn claim_delivery_except(
        &self,
        owner: &str,
        lease_ms: i64,
        busy: &[i64],
    ) -> StoreResult<Option<(Delivery, Webhook)>> {
        let now = now_ms();
        let free = "status = 'PENDING' AND (lease_until IS NULL OR lease_until < $3)";
        let skip =
            if busy.is_empty() { String::new() } else { format!(" AND w.id NOT IN ({})", placeholders(4, busy.len())) };
        let q = format!(
            "UPDATE webhook_deliveries SET lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3 \
             WHERE id = (SELECT d.id FROM webhooks w JOIN webhook_deliveries d ON d.id = ( \
                SELECT h.id FROM webhook_deliveries h WHERE h.status = 'PENDING' AND h.webhook_id = w.id \
                AND h.next_attempt_at <= $3 AND (h.lease_until IS NULL OR h.lease_until < $3) \
                ORDER BY h.next_attempt_at, h.id LIMIT 1) \
                WHERE w.status = 'ACTIVE'{skip} ORDER BY d.next_attempt_at, d.id LIMIT 1) \
             AND {free} RETURNING {DELIVERY_COLS}"
        );
        let mut binds = vec![Val::S(owner.to_owned()), Val::I(now + lease_ms), Val::I(now)];
        binds.extend(busy.iter().map(|w| Val::I(*w)));
        let row = bind_all(sqlx::query(&q), &binds).fetch_optional(&self.write).await?;
        let Some(row) = row else { return Ok(None) };
        let d = delivery(&row)?;
        let w = sqlx::query(&format!("SELECT {WEBHOOK_COLS} FROM webhooks WHERE id = $1"))
            .bind(d.webhook_id)
            .fetch_optional(&self.read)
            .await?;
        match w {
            Some(w) => Ok(Some((d, webhook(&w, &self.secrets)?))),
            // Deleted between the claim and now: its deliveries are gone too.
            None => Ok(None),
        }
    }

    /// System side: records how an attempt ended, if `owner` still holds the delivery's lease;
    /// `false` if it lost it (another process took over after the lease ran out).
    pub async fn finish_attempt(&self, id: i64, owner: &str, o: &AttemptOutcome) -> StoreResult<bool> {
        let now = now_ms();
        let r = sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, next_attempt_at = $2, response_code = $3, response_body = $4, \
             last_error = $5, last_attempt_at = $6, updated_at = $6, lease_owner = NULL, lease_until = NULL \
             WHERE id = $7 AND lease_owner = $8 AND status = 'PENDING'",
        )
        .bind(o.status.as_str())
        .bind(o.next_attempt_at_ms)
        .bind(o.response_code)
        .bind(o.response_body.as_deref().map(cap_body))
        .bind(o.error.clone())
        .bind(now)
        .bind(id)
        .bind(owner)
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// System side: forgets finished deliveries last touched before `before_ms` (the log is kept
    /// for a month, as BirdSystem's is); returns how many.
    pub async fn prune_webhook_deliveries(&self, before_ms: i64) -> StoreResult<u64> {
        let r = sqlx::query("DELETE FROM webhook_deliveries WHERE status <> 'PENDING' AND updated_at < $1")
            .bind(before_ms)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bodies_are_capped_on_a_character_boundary() {
        assert_eq!(super::cap_body("ok"), "ok");
        let long = "é".repeat(3000);
        let cut = super::cap_body(&long);
        assert!(cut.len() <= super::RESPONSE_BODY_CAP && cut.len() >= super::RESPONSE_BODY_CAP - 1);
        assert!(cut.chars().all(|c| c == 'é'));
    }
}
