//! Tracking on disk: the shipped orders a tracking loop asks their carrier about (claimed by
//! the time they were last asked, so processes share them), the events recorded once each, and
//! the delivery that ends an order's journey (SHIPPED → DELIVERED, with its webhook).

use entrepot_app::types::orders::InTransit;
use entrepot_core::{
    ids::{ClientId, OrderId},
    outbound::OutboundStatus,
    tracking::{TrackingCode, TrackingEvent},
};
use serde_json::json;

use crate::{
    engine::{
        clock::now_ms,
        exec::Tx,
        rows::{i, oi, os, parse, s},
    },
    webhook::outbox,
    Store, StoreResult,
};

impl Store {
    /// Claims up to `limit` shipped orders with a tracking number not asked about since
    /// `now_ms - recheck_ms`, marking them asked now.
    pub async fn claim_in_transit(&self, now_ms: i64, recheck_ms: i64, limit: i64) -> StoreResult<Vec<InTransit>> {
        let cut = now_ms.saturating_sub(recheck_ms);
        let rows = sqlx::query(&format!(
            "UPDATE outbound_orders SET tracking_checked_at = $1 WHERE id IN (SELECT id FROM outbound_orders \
             WHERE status = 'SHIPPED' AND tracking_number IS NOT NULL AND COALESCE(tracking_checked_at, 0) < $2 \
             ORDER BY COALESCE(tracking_checked_at, 0), id LIMIT {}) \
             AND status = 'SHIPPED' AND COALESCE(tracking_checked_at, 0) < $2 \
             RETURNING id, client_id, tracking_number, carrier, shipped_at, updated_at",
            limit.clamp(1, 1_000)
        ))
        .bind(now_ms)
        .bind(cut)
        .fetch_all(&self.write)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InTransit {
                    order: OrderId(s(r, "id")?),
                    client: ClientId(s(r, "client_id")?),
                    tracking_number: os(r, "tracking_number")?.unwrap_or_default(),
                    carrier: os(r, "carrier")?.unwrap_or_default(),
                    handed_over_ms: oi(r, "shipped_at")?.unwrap_or(i(r, "updated_at")?),
                })
            })
            .collect()
    }

    /// Records what the carrier reported (each stage once); a delivery moves the order to
    /// DELIVERED. Returns how many events were new.
    pub async fn record_tracking(
        &self,
        client: &ClientId,
        order: &OrderId,
        events: &[TrackingEvent],
    ) -> StoreResult<usize> {
        let mut tx = self.begin().await?;
        let mut new = 0;
        for e in events {
            let r = sqlx::query(
                "INSERT INTO tracking_events (order_id, code, at, description, location, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id, code) DO NOTHING",
            )
            .bind(&order.0)
            .bind(e.code.as_str())
            .bind(e.at_ms)
            .bind(&e.description)
            .bind(e.location.as_deref())
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            if r.rows_affected() == 0 {
                continue;
            }
            new += 1;
            let payload = json!({"id": order, "code": e.code.as_str(), "at_ms": e.at_ms, "description": e.description, "location": e.location});
            outbox::record(&mut Tx::from(&mut tx), Some(client), "order.tracking_event", &order.0, &payload).await?;
            if e.code == TrackingCode::Delivered {
                self.transition_in(&mut tx, client, order, OutboundStatus::Delivered).await?;
            }
        }
        tx.commit().await?;
        Ok(new)
    }

    /// An order's tracking events, oldest first.
    pub async fn tracking_events(&self, order: &OrderId) -> StoreResult<Vec<TrackingEvent>> {
        let rows = sqlx::query(
            "SELECT code, at, description, location FROM tracking_events WHERE order_id = $1 ORDER BY at, code",
        )
        .bind(&order.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TrackingEvent {
                    code: parse(r, "code")?,
                    at_ms: i(r, "at")?,
                    description: s(r, "description")?,
                    location: os(r, "location")?,
                })
            })
            .collect()
    }
}
