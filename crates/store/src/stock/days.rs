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

/// Rows each client's day is spread over (migration 0058).
const STRIPES: u8 = 16;

/// Adds `delta` to the client's day of `at_ms`, in the ledger rows' transaction; nothing when 0.
pub(crate) async fn add(tx: &mut Tx<'_>, client: &ClientId, at_ms: i64, delta: i64) -> StoreResult<()> {
    if delta == 0 {
        return Ok(());
    }
    // One stripe of the day at random: concurrent transactions of one client rarely meet on a row.
    let stripe = i64::from(rand::random::<u8>() % STRIPES);
    let sql = "INSERT INTO stock_days (client_id, day, stripe, delta) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (client_id, day, stripe) DO UPDATE SET delta = stock_days.delta + excluded.delta";
    tx.execute(sql, [Val::from(client.0.as_str()), Val::S(day_of(at_ms)), Val::I(stripe), Val::I(delta)]).await?;
    Ok(())
}

impl Store {
    /// The client's net change of units on hand per UTC day from `from` (`YYYY-MM-DD`) on, days
    /// without movement left out, oldest first.
    pub async fn stock_days(&self, tenant: &ClientId, from: &str) -> StoreResult<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT day, CAST(SUM(delta) AS BIGINT) AS delta FROM stock_days WHERE client_id = $1 AND day >= $2 \
                 GROUP BY day ORDER BY day LIMIT 1000",
        )
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

    /// Concurrent moves of one client spread over the day's stripes, and a read sums them.
    #[entrepot_testkit::each_backend]
    async fn concurrent_moves_add_up_over_the_stripes(b: entrepot_testkit::Backend) {
        let fx = crate::outbound::direct::tests::fixture(b).await;
        let moves = (0..40).map(|_| {
            let (store, client, wh, sku) = (fx.store.clone(), fx.client.clone(), fx.warehouse.clone(), fx.sku);
            tokio::spawn(async move {
                let t = entrepot_core::inventory::Transfer::adjustment(Bucket::Available, 2).unwrap();
                store.move_stock(&client, sku, &wh, t, None).await.unwrap();
            })
        });
        for m in moves.collect::<Vec<_>>() {
            m.await.unwrap();
        }
        let today = day_of(crate::engine::clock::now_ms());
        let days = fx.store.stock_days(&fx.client, &today).await.unwrap();
        assert_eq!(days, vec![(today.clone(), 80)], "{b:?}");
        let rows = fx.store.count_raw("SELECT COUNT(*) AS n FROM stock_days").await.unwrap();
        assert!((1..=i64::from(STRIPES)).contains(&rows), "{b:?}: {rows} rows");
        assert!(fx.store.check().await.unwrap().is_empty(), "{b:?}");
    }
}
