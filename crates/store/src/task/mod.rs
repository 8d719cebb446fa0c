//! Background tasks with leases. A task is claimed by one process at a time with a single
//! conditional `UPDATE` (portable: no `SKIP LOCKED` needed); the claimer renews its lease while it
//! works, and a task whose lease ran out (its process died) is claimed again. Handlers make each
//! step idempotent, so a re-run finishes the work without doing any of it twice.

use std::collections::BTreeMap;

use entrepot_core::{ids::ClientId, CoreError};
use sqlx::any::AnyRow;

use crate::{
    engine::{
        clock::now_ms,
        exec::Tx,
        rows::{i, json, oi, os, s, to_json},
        seq,
    },
    Store, StoreResult,
};
pub use entrepot_app::types::tasks::{Task, TaskStatus};

const COLS: &str =
    "id, client_id, kind, status, params, data, errors, total, processed, attempts, created_at, started_at, updated_at, finished_at";

fn task(row: &AnyRow) -> StoreResult<Task> {
    Ok(Task {
        id: i(row, "id")?,
        client_id: os(row, "client_id")?.map(ClientId),
        kind: s(row, "kind")?,
        status: TaskStatus::parse(&s(row, "status")?),
        params: json(row, "params")?,
        data: json(row, "data")?,
        errors: json(row, "errors")?,
        total: i(row, "total")?,
        processed: i(row, "processed")?,
        attempts: i(row, "attempts")?,
        created_at_ms: i(row, "created_at")?,
        started_at_ms: oi(row, "started_at")?,
        updated_at_ms: i(row, "updated_at")?,
        finished_at_ms: oi(row, "finished_at")?,
    })
}

impl Store {
    /// Queues a task; returns it with its (numeric, Bird-visible) id.
    pub async fn enqueue_task(
        &self,
        client: Option<&ClientId>,
        kind: &str,
        params: serde_json::Value,
        total: i64,
    ) -> StoreResult<Task> {
        let mut tx = self.begin().await?;
        let id = seq::next(&mut Tx::from(&mut tx), "task", 1).await?;
        let now = now_ms();
        sqlx::query(&format!(
            "INSERT INTO tasks ({COLS}) VALUES ($1, $2, $3, 'QUEUE', $4, '{{}}', '{{}}', $5, 0, 0, $6, NULL, $6, NULL)"
        ))
        .bind(id)
        .bind(client.map(|c| c.0.clone()))
        .bind(kind)
        .bind(to_json(&params))
        .bind(total)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.task(client, id).await
    }

    /// A task, scoped to its client when `client` is given (Bird's status query).
    pub async fn task(&self, client: Option<&ClientId>, id: i64) -> StoreResult<Task> {
        let row = sqlx::query(&format!("SELECT {COLS} FROM tasks WHERE id = $1 AND ($2 = '' OR client_id = $2)"))
            .bind(id)
            .bind(client.map(|c| c.0.clone()).unwrap_or_default())
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(task).transpose()?.ok_or_else(|| CoreError::not_found("task", id).into())
    }

    /// Claims the oldest runnable task of these kinds for `owner` until `lease_ms` from now:
    /// a queued one, or a running one whose lease has expired.
    pub async fn claim_task(&self, kinds: &[&str], owner: &str, lease_ms: i64) -> StoreResult<Option<Task>> {
        if kinds.is_empty() {
            return Ok(None);
        }
        let now = now_ms();
        let in_list = kinds.iter().map(|k| format!("'{}'", k.replace('\'', ""))).collect::<Vec<_>>().join(", ");
        let runnable = "(status = 'QUEUE' OR (status = 'RUNNING' AND lease_until < $3))";
        let row = sqlx::query(&format!(
            "UPDATE tasks SET status = 'RUNNING', lease_owner = $1, lease_until = $2, attempts = attempts + 1, \
             started_at = COALESCE(started_at, $3), updated_at = $3 \
             WHERE id = (SELECT id FROM tasks WHERE kind IN ({in_list}) AND {runnable} ORDER BY id LIMIT 1) AND {runnable} \
             RETURNING {COLS}"
        ))
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(&self.write)
        .await?;
        row.as_ref().map(task).transpose()
    }

    /// Extends the lease; false if the task is no longer ours (another process took it over).
    pub async fn renew_task(&self, id: i64, owner: &str, lease_ms: i64) -> StoreResult<bool> {
        let r =
            sqlx::query("UPDATE tasks SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND status = 'RUNNING'")
                .bind(now_ms() + lease_ms)
                .bind(id)
                .bind(owner)
                .execute(&self.write)
                .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Records the outcome of some items (merged into what is recorded) and the progress count.
    pub async fn record_task_progress(
        &self,
        id: i64,
        owner: &str,
        data: &BTreeMap<String, String>,
        errors: &BTreeMap<String, String>,
    ) -> StoreResult<bool> {
        let processed = (data.len() + errors.len()) as i64;
        let r = sqlx::query(
            "UPDATE tasks SET data = $1, errors = $2, processed = $3, updated_at = $4 WHERE id = $5 AND lease_owner = $6 AND status = 'RUNNING'",
        )
        .bind(to_json(data))
        .bind(to_json(errors))
        .bind(processed)
        .bind(now_ms())
        .bind(id)
        .bind(owner)
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Ends a task: FINISH, or ERROR with the reason.
    pub async fn finish_task(&self, id: i64, owner: &str, error: Option<&str>) -> StoreResult<()> {
        let now = now_ms();
        let status = if error.is_some() { TaskStatus::Error } else { TaskStatus::Finish };
        sqlx::query(
            "UPDATE tasks SET status = $1, last_error = $2, finished_at = $3, updated_at = $3, lease_until = NULL \
             WHERE id = $4 AND lease_owner = $5 AND status = 'RUNNING'",
        )
        .bind(status.as_str())
        .bind(error.map(str::to_owned))
        .bind(now)
        .bind(id)
        .bind(owner)
        .execute(&self.write)
        .await?;
        Ok(())
    }
}
