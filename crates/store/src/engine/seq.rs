//! Gap-free-enough numeric sequences for the ids dialects show as numbers (Bird product and
//! consignment ids, OC numbers), portable across both backends: one upsert that returns the new
//! high-water mark, so a range of `n` numbers costs one statement.

use crate::{
    engine::{bulk::Val, exec::Tx, rows::i},
    StoreResult,
};

/// Reserves `n` numbers of sequence `name` and returns the first.
pub(crate) async fn next(tx: &mut Tx<'_>, name: &str, n: i64) -> StoreResult<i64> {
    let row = tx
        .fetch_one(
            "INSERT INTO counters (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value RETURNING value",
            [Val::from(name), Val::I(n)],
        )
        .await?;
    Ok(i(&row, "value")? - n + 1)
}
