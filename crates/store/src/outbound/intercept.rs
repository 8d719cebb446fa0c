//! Intercepts: a client's cancel once picking has started is recorded as a request; staff
//! accept it (the picked units go back to their bins, the order is cancelled and its stock and
//! fee released, all in one transaction) or refuse it (the order ships).

use entrepot_core::{
    actor::Actor,
    ids::{ClientId, OrderId},
    outbound::OutboundStatus,
    CoreError,
};
use serde_json::json;

use super::{load, OrderView};
use crate::{
    engine::{clock::now_ms, exec::Tx, rows::os},
    webhook::outbox,
    Store, StoreResult,
};

impl Store {
    /// Records a client's cancel of an order past picking as an intercept request (asking twice
    /// keeps the first); refused for an order in any other status.
    pub async fn request_intercept(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        reason: Option<&str>,
    ) -> StoreResult<OrderView> {
        let mut tx = self.begin().await?;
        let o = load(&mut tx, tenant, id).await?.ok_or_else(|| CoreError::not_found("order", id))?;
        if !o.status.intercepts() {
            return Err(CoreError::Conflict(format!(
                "order {} is {}: there is nothing to intercept",
                o.oc_number, o.status
            ))
            .into());
        }
        let r = sqlx::query(
            "UPDATE outbound_orders SET intercept = 'REQUESTED', intercept_reason = $1, updated_at = $2 \
             WHERE id = $3 AND client_id = $4 AND (intercept IS NULL OR intercept = 'REFUSED')",
        )
        .bind(reason)
        .bind(now_ms())
        .bind(&o.id.0)
        .bind(&tenant.0)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 1 {
            let payload = json!({"id": o.id, "intercept": "REQUESTED", "status": o.status.as_str(), "reason": reason});
            outbox::record(&mut Tx::from(&mut tx), Some(tenant), "order.intercept", &o.id.0, &payload).await?;
        }
        tx.commit().await?;
        Ok(o)
    }

    /// The intercept state of an order: REQUESTED, ACCEPTED, REFUSED or none.
    pub async fn intercept_of(&self, id: &OrderId) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT intercept FROM outbound_orders WHERE id = $1")
            .bind(&id.0)
            .fetch_optional(&self.read)
            .await?;
        Ok(row.map(|r| os(&r, "intercept")).transpose()?.flatten())
    }

    /// Staff decide on a requested intercept: accepted, the picked units go back to their bins
    /// and the order is cancelled (stock and fee released); refused, it goes on to ship.
    pub async fn resolve_intercept(
        &self,
        actor: &Actor,
        tenant: &ClientId,
        id: &OrderId,
        accept: bool,
    ) -> StoreResult<OrderView> {
        let mut tx = self.begin().await?;
        let o = load(&mut tx, tenant, id).await?.ok_or_else(|| CoreError::not_found("order", id))?;
        let state = sqlx::query("SELECT intercept FROM outbound_orders WHERE id = $1")
            .bind(&o.id.0)
            .fetch_one(&mut *tx)
            .await?;
        if os(&state, "intercept")?.as_deref() != Some("REQUESTED") {
            return Err(CoreError::Conflict(format!("order {} has no intercept waiting", o.oc_number)).into());
        }
        let out = if accept {
            crate::wave::put_back(&mut Tx::from(&mut tx), &o.warehouse_id, &o.id).await?;
            for sql in [
                "DELETE FROM manifest_parcels WHERE order_id = $1",
                "DELETE FROM pack_lines WHERE order_id = $1",
                "UPDATE outbound_orders SET manifest_id = NULL, pack_hold = NULL WHERE id = $1",
            ] {
                sqlx::query(sql).bind(&o.id.0).execute(&mut *tx).await?;
            }
            self.transition_as(&mut tx, tenant, &o.id, OutboundStatus::Cancelled, true).await?
        } else {
            o
        };
        let decided = if accept { "ACCEPTED" } else { "REFUSED" };
        sqlx::query("UPDATE outbound_orders SET intercept = $1, updated_at = $2 WHERE id = $3")
            .bind(decided)
            .bind(now_ms())
            .bind(&out.id.0)
            .execute(&mut *tx)
            .await?;
        let payload = json!({"id": out.id, "intercept": decided, "status": out.status.as_str()});
        outbox::record(&mut Tx::from(&mut tx), Some(tenant), "order.intercept", &out.id.0, &payload).await?;
        let detail = format!("intercept {} by {}", decided.to_ascii_lowercase(), actor.name);
        let rec = entrepot_app::types::audit::AuditRecord {
            action: "order.intercept",
            subject_kind: "order",
            subject_id: &out.id.0,
            warehouse: Some(&out.warehouse_id),
            client: Some(tenant),
            detail: Some(&detail),
        };
        crate::audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// See [`entrepot_app::ports::OrderPort::requeue_exception`].
    pub async fn requeue_exception(&self, actor: &Actor, tenant: &ClientId, id: &OrderId) -> StoreResult<OrderView> {
        let mut tx = self.begin().await?;
        let o = self.transition_as(&mut tx, tenant, id, OutboundStatus::Submitted, true).await?;
        // Its picks were cancelled when it stopped; the next wave allocates it afresh.
        sqlx::query("UPDATE outbound_orders SET wave_id = NULL, pick_list_id = NULL, tote = NULL WHERE id = $1")
            .bind(&o.id.0)
            .execute(&mut *tx)
            .await?;
        let detail = format!("back onto the floor by {}, due {}", actor.name, o.due_date.as_deref().unwrap_or("now"));
        let rec = entrepot_app::types::audit::AuditRecord {
            action: "order.requeued",
            subject_kind: "order",
            subject_id: &o.id.0,
            warehouse: Some(&o.warehouse_id),
            client: Some(tenant),
            detail: Some(&detail),
        };
        crate::audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        Ok(o)
    }
}
