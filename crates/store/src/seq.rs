//! Gap-free-enough numeric sequences for the ids dialects show as numbers (Bird product and
//! consignment ids, OC numbers), portable across both backends: one upsert that returns the new
//! high-water mark, so a range of `n` numbers costs one statement.

use sqlx::{Any, Row, Transaction};

use crate::StoreResult;

/// Reserves `n` numbers of sequence `name` and returns the first.
pub(crate) async fn next(tx: &mut Transaction<'static, Any>, name: &str, n: i64) -> StoreResult<i64> {
    let row = sqlx::query(
        "INSERT INTO counters (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value RETURNING value",
    )
    .bind(name)
    .bind(n)
    .fetch_one(&mut **tx)
    .await?;
    let high: i64 = row.try_get("value")?;
    Ok(high - n + 1)
}
