//! Staged orders: rows a client uploads verbatim (Bird's bulk "temp" consignments, the
//! `temp_consignments` table), converted into orders later by a background task. A row is converted at most once: the order it becomes carries the reference
//! `temp-<id>` (unique per client), and the row remembers the order.

use entrepot_core::{
    ids::{ClientId, OrderId, WarehouseId},
    outbound::OrderKind,
    CoreError,
};
use sqlx::any::AnyRow;

use crate::{
    engine::{
        bulk::{bind_all, placeholders, Val},
        clock::now_ms,
        exec::Tx,
        rows::{i, json, oi, os, parse, s, to_json},
        seq,
    },
    Store, StoreResult,
};
pub use entrepot_app::types::temp::{temp_order_reference, TempConsignment};

const COLS: &str =
    "id, client_id, warehouse_id, kind, thirty_system_id, data, status, order_id, bird_id, problem, created_at";

fn temp(row: &AnyRow) -> StoreResult<TempConsignment> {
    Ok(TempConsignment {
        id: i(row, "id")?,
        client_id: ClientId(s(row, "client_id")?),
        warehouse_id: WarehouseId(s(row, "warehouse_id")?),
        kind: parse(row, "kind")?,
        thirty_system_id: os(row, "thirty_system_id")?,
        data: json(row, "data")?,
        status: s(row, "status")?,
        order_id: os(row, "order_id")?.map(OrderId),
        bird_id: oi(row, "bird_id")?,
        problem: os(row, "problem")?,
        created_at_ms: i(row, "created_at")?,
    })
}

impl Store {
    /// Stores uploaded rows (all or none); returns their ids in order.
    pub async fn create_temp_consignments(
        &self,
        tenant: &ClientId,
        warehouse: &WarehouseId,
        rows: Vec<(OrderKind, Option<String>, serde_json::Value)>,
    ) -> StoreResult<Vec<i64>> {
        if rows.is_empty() {
            return Ok(vec![]);
        }
        let mut tx = self.begin().await?;
        let first = seq::next(&mut Tx::from(&mut tx), "temp_consignment", rows.len() as i64).await?;
        let now = now_ms();
        let mut ids = Vec::with_capacity(rows.len());
        for (k, (kind, thirty, data)) in rows.into_iter().enumerate() {
            let id = first + k as i64;
            sqlx::query(&format!("INSERT INTO temp_consignments ({COLS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'NEW', NULL, NULL, NULL, $7, $7)"))
                .bind(id)
                .bind(&tenant.0)
                .bind(&warehouse.0)
                .bind(kind.as_str())
                .bind(thirty)
                .bind(to_json(&data))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The tenant's temp rows: these ids, or every unconverted row of a kind at a warehouse
    /// (with the problem rows too when asked).
    pub async fn temp_consignments(
        &self,
        tenant: &ClientId,
        ids: &[i64],
        kind: Option<OrderKind>,
        warehouse: Option<&WarehouseId>,
        include_problems: bool,
    ) -> StoreResult<Vec<TempConsignment>> {
        let mut q = format!("SELECT {COLS} FROM temp_consignments WHERE client_id = $1");
        let mut binds = vec![Val::S(tenant.0.clone())];
        if !ids.is_empty() {
            q.push_str(&format!(" AND id IN ({})", placeholders(2, ids.len())));
            binds.extend(ids.iter().map(|i| Val::I(*i)));
        } else {
            q.push_str(if include_problems { " AND status IN ('NEW', 'PROBLEM')" } else { " AND status = 'NEW'" });
        }
        if let Some(k) = kind {
            q.push_str(&format!(" AND kind = ${}", binds.len() + 1));
            binds.push(Val::S(k.as_str().to_owned()));
        }
        if let Some(w) = warehouse {
            q.push_str(&format!(" AND warehouse_id = ${}", binds.len() + 1));
            binds.push(Val::S(w.0.clone()));
        }
        q.push_str(" ORDER BY id");
        let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
        rows.iter().map(temp).collect()
    }

    /// Records the order a temp row became.
    pub async fn mark_temp_converted(
        &self,
        tenant: &ClientId,
        id: i64,
        order: &OrderId,
        bird_id: i64,
    ) -> StoreResult<()> {
        let r = sqlx::query(
            "UPDATE temp_consignments SET status = 'CONVERTED', order_id = $1, bird_id = $2, problem = NULL, updated_at = $3 \
             WHERE id = $4 AND client_id = $5",
        )
        .bind(&order.0)
        .bind(bird_id)
        .bind(now_ms())
        .bind(id)
        .bind(&tenant.0)
        .execute(&self.write)
        .await?;
        if r.rows_affected() == 0 {
            return Err(CoreError::not_found("temp consignment", id).into());
        }
        Ok(())
    }

    /// Records why a temp row could not be converted.
    pub async fn mark_temp_problem(&self, tenant: &ClientId, id: i64, problem: &str) -> StoreResult<()> {
        sqlx::query("UPDATE temp_consignments SET status = 'PROBLEM', problem = $1, updated_at = $2 WHERE id = $3 AND client_id = $4 AND status <> 'CONVERTED'")
            .bind(problem)
            .bind(now_ms())
            .bind(id)
            .bind(&tenant.0)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
