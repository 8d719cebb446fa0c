//! A client's units on hand per day (the dashboard's stock trend), kept as a daily tally of the
//! net change in the same transaction as the ledger rows (`stock_days`, migration 0051): a past
//! day's level is today's less the changes after it, read in one row per day however many
//! movements the client makes.

use entrepot_core::{ids::ClientId, inventory::Bucket};

use crate::{
    engine::{bulk::Val, exec::Tx, rows::i, rows::s},
    Store, StoreResult,
};

/// Whether units in `b` count as on hand: in the warehouse, whatever their state (in transit
/// and outside do not).
pub(crate) fn on_hand(b: Bucket) -> bool {
    !matches!(b, Bucket::Outside | Bucket::InTransit)
}

/// The change to units on hand of moving `qty` from `from` to `to`.
pub(crate) fn delta(from: Bucket, to: Bucket, qty: i64) -> i64 {
    match (on_hand(from), on_hand(to)) {
        (false, true) => qty,
        (true, false) => qty.saturating_neg(),
        _ => 0,
    }
}

/// The UTC day of a moment, `YYYY-MM-DD` (the migration's backfill spells it the same).
pub(crate) fn day_of(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// Adds `delta` to the client's day of `at_ms`, in the ledger rows' transaction; nothing when 0.
pub(crate) async fn add(tx: &mut Tx<'_>, client: &ClientId, at_ms: i64, delta: i64) -> StoreResult<()> {
    if delta == 0 {
        return Ok(());
    }
    let sql = "INSERT INTO stock_days (client_id, day, delta) VALUES ($1, $2, $3) \
               ON CONFLICT (client_id, day) DO UPDATE SET delta = stock_days.delta + excluded.delta";
    tx.execute(sql, [Val::from(client.0.as_str()), Val::S(day_of(at_ms)), Val::I(delta)]).await?;
    Ok(())
}

impl Store {
    /// The client's net change of units on hand per UTC day from `from` (`YYYY-MM-DD`) on, days
    /// without movement left out, oldest first.
    pub async fn stock_days(&self, tenant: &ClientId, from: &str) -> StoreResult<Vec<(String, i64)>> {
        let rows =
            sqlx::query("SELECT day, delta FROM stock_days WHERE client_id = $1 AND day >= $2 ORDER BY day LIMIT 1000")
                .bind(&tenant.0)
                .bind(from)
                .fetch_all(&self.read)
                .await?;
        rows.iter().map(|r| Ok((s(r, "day")?, i(r, "delta")?))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_moves_across_the_warehouse_wall_change_units_on_hand() {
        assert_eq!(delta(Bucket::Outside, Bucket::Available, 5), 5);
        assert_eq!(delta(Bucket::InTransit, Bucket::Received, 3), 3);
        assert_eq!(delta(Bucket::ReservedAllocated, Bucket::Outside, 2), -2);
        assert_eq!(delta(Bucket::Available, Bucket::ReservedAllocated, 7), 0);
        assert_eq!(delta(Bucket::Outside, Bucket::InTransit, 9), 0);
        assert_eq!(day_of(1_893_542_400_000), "2030-01-02");
    }
}
