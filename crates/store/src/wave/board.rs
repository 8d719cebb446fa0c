//! The cut-off board's counts: per carrier, a warehouse's orders due on a day by status (with
//! their units), those overdue, and the units picked since the day began. Orders are read from
//! the tallies triggers keep (migration 0059), folded by a worker.

use std::collections::BTreeMap;

use entrepot_app::types::waves::{BoardCounts, BoardLine};
use entrepot_core::ids::WarehouseId;

use crate::{
    engine::rows::{i, oi, s},
    Backend, Store, StoreResult,
};

/// The states an order due on a day is counted in on the board.
const BOARD_STATES: &str = "'SUBMITTED', 'WAIT_PICKING', 'PICKING', 'PACKED', 'SHIPPED', 'DELIVERED', 'EXCEPTION'";
/// The states of an order not handed over yet: overdue when its day has passed.
const OPEN_STATES: &str = "'SUBMITTED', 'WAIT_PICKING', 'PICKING', 'PACKED', 'EXCEPTION'";

impl Store {
    /// See [`entrepot_app::ports::WavePort::board_counts`].
    pub async fn board_counts(
        &self,
        warehouse: &WarehouseId,
        day: &str,
        day_start_ms: i64,
    ) -> StoreResult<BoardCounts> {
        let mut lines: BTreeMap<String, BoardLine> = BTreeMap::new();
        // The day's tallies and the deltas not yet folded into them, in one statement: one snapshot.
        let due = sqlx::query(&format!(
            "SELECT v.carrier, g.status, CAST(SUM(g.n) AS BIGINT) AS n, CAST(SUM(g.units) AS BIGINT) AS units FROM ( \
             SELECT service_id, status, n, units FROM board_tallies WHERE warehouse_id = $1 AND due_date = $2 \
             UNION ALL SELECT service_id, status, n, units FROM board_deltas WHERE warehouse_id = $1 AND due_date = $2 \
             ) g JOIN services v ON v.id = g.service_id WHERE g.status IN ({BOARD_STATES}) \
             GROUP BY v.carrier, g.status HAVING SUM(g.n) <> 0"
        ))
        .bind(&warehouse.0)
        .bind(day)
        .fetch_all(&self.read)
        .await?;
        for r in due {
            let carrier = s(&r, "carrier")?;
            let l = lines.entry(carrier.clone()).or_insert_with(|| BoardLine { carrier, ..Default::default() });
            let (n, units) = (i(&r, "n")?, i(&r, "units")?);
            l.due += n;
            match s(&r, "status")?.as_str() {
                "SUBMITTED" => l.waiting += n,
                "WAIT_PICKING" => l.released += n,
                "PICKING" => l.picking += n,
                "PACKED" => l.packed += n,
                "SHIPPED" | "DELIVERED" => l.shipped += n,
                _ => l.exceptions += n,
            }
            if matches!(s(&r, "status")?.as_str(), "SUBMITTED" | "WAIT_PICKING" | "PICKING") {
                l.open_units += units;
            }
        }
        // Of the orders being picked, the units already in totes are not open any more.
        let in_totes = sqlx::query(
            "SELECT v.carrier, CAST(COALESCE(SUM(p.picked), 0) AS BIGINT) AS units FROM outbound_orders o \
             JOIN services v ON v.id = o.service_id JOIN picks p ON p.order_id = o.id \
             WHERE o.warehouse_id = $1 AND o.status = 'PICKING' AND o.due_date = $2 GROUP BY v.carrier",
        )
        .bind(&warehouse.0)
        .bind(day)
        .fetch_all(&self.read)
        .await?;
        for r in in_totes {
            if let Some(l) = lines.get_mut(&s(&r, "carrier")?) {
                l.open_units = (l.open_units - i(&r, "units")?).max(0);
            }
        }
        let late = sqlx::query(&format!(
            "SELECT v.carrier, CAST(SUM(g.n) AS BIGINT) AS n FROM ( \
             SELECT service_id, n FROM board_tallies WHERE warehouse_id = $1 AND status IN ({OPEN_STATES}) AND due_date < $2 \
             UNION ALL SELECT service_id, n FROM board_deltas WHERE warehouse_id = $1 AND due_date < $2 AND status IN ({OPEN_STATES}) \
             ) g JOIN services v ON v.id = g.service_id GROUP BY v.carrier HAVING SUM(g.n) > 0"
        ))
        .bind(&warehouse.0)
        .bind(day)
        .fetch_all(&self.read)
        .await?;
        for r in late {
            let carrier = s(&r, "carrier")?;
            lines.entry(carrier.clone()).or_insert_with(|| BoardLine { carrier, ..Default::default() }).overdue +=
                i(&r, "n")?;
        }
        let picked = sqlx::query(
            "SELECT CAST(COALESCE(SUM(picked), 0) AS BIGINT) AS units, MIN(updated_at) AS first FROM picks \
             WHERE warehouse_id = $1 AND updated_at >= $2 AND picked > 0",
        )
        .bind(&warehouse.0)
        .bind(day_start_ms)
        .fetch_one(&self.read)
        .await?;
        Ok(BoardCounts {
            lines: lines.into_values().collect(),
            picked_units: i(&picked, "units")?,
            first_pick_ms: oi(&picked, "first")?,
        })
    }
}

impl Store {
    /// Folds the board's deltas into its tallies (see migration 0059), dropping tallies that
    /// came to nothing; the deltas folded. Safe to run from several processes at once: a delta
    /// is deleted, and so counted, by one of them.
    pub async fn fold_board(&self) -> StoreResult<u64> {
        const UPSERT: &str = " ON CONFLICT (warehouse_id, due_date, service_id, status) DO UPDATE \
            SET n = board_tallies.n + excluded.n, units = board_tallies.units + excluded.units";
        let mut tx = self.begin().await?;
        let folded = if self.backend == Backend::Postgres {
            sqlx::query(&format!(
                "WITH d AS (DELETE FROM board_deltas RETURNING *) \
                 INSERT INTO board_tallies (warehouse_id, due_date, service_id, status, n, units) \
                 SELECT warehouse_id, due_date, service_id, status, CAST(SUM(n) AS BIGINT), CAST(SUM(units) AS BIGINT) \
                 FROM d GROUP BY warehouse_id, due_date, service_id, status{UPSERT}"
            ))
            .execute(&mut *tx)
            .await?
            .rows_affected()
        } else {
            // One writer: nothing is added between the two statements.
            sqlx::query(&format!(
                "INSERT INTO board_tallies (warehouse_id, due_date, service_id, status, n, units) \
                 SELECT warehouse_id, due_date, service_id, status, SUM(n), SUM(units) FROM board_deltas WHERE true \
                 GROUP BY warehouse_id, due_date, service_id, status{UPSERT}"
            ))
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM board_deltas").execute(&mut *tx).await?.rows_affected()
        };
        if folded > 0 {
            sqlx::query("DELETE FROM board_tallies WHERE n = 0 AND units = 0").execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(folded)
    }

    /// `admin check`: the board's tallies and deltas against a count of the orders, per key,
    /// in one statement (one snapshot); each key that differs.
    pub(crate) async fn board_differences(&self) -> StoreResult<Vec<String>> {
        let rows = sqlx::query(
            "SELECT warehouse_id, due_date, service_id, status, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(units) AS BIGINT) AS units FROM ( \
             SELECT warehouse_id, due_date, service_id, status, n, units FROM board_tallies \
             UNION ALL SELECT warehouse_id, due_date, service_id, status, n, units FROM board_deltas \
             UNION ALL SELECT warehouse_id, due_date, service_id, status, -1, -units FROM outbound_orders WHERE due_date IS NOT NULL \
             ) g GROUP BY warehouse_id, due_date, service_id, status HAVING SUM(n) <> 0 OR SUM(units) <> 0",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(format!(
                    "{} {} {} {}: the board counts {} more orders and {} more units than there are",
                    s(r, "warehouse_id")?,
                    s(r, "due_date")?,
                    s(r, "service_id")?,
                    s(r, "status")?,
                    i(r, "n")?,
                    i(r, "units")?
                ))
            })
            .collect()
    }
}

impl Store {
    /// See [`entrepot_app::ports::WavePort::record_refused_pick`].
    pub async fn record_refused_pick(
        &self,
        actor: &entrepot_core::actor::Actor,
        list: &entrepot_app::types::waves::PickListSummary,
        reason: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let rec = entrepot_app::types::audit::AuditRecord {
            action: "pick.refused",
            subject_kind: "pick_list",
            subject_id: &list.id.0,
            warehouse: Some(&list.warehouse_id),
            client: None,
            detail: Some(reason),
        };
        crate::audit::record(&mut crate::engine::exec::Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        Ok(())
    }

    /// See [`entrepot_app::ports::WavePort::floor_facts`].
    pub async fn floor_facts(&self, since_ms: i64) -> StoreResult<entrepot_app::types::waves::FloorFacts> {
        let shipped = sqlx::query(
            "SELECT o.warehouse_id, v.carrier, o.due_date, o.shipped_at, o.created_at FROM outbound_orders o \
             JOIN services v ON v.id = o.service_id WHERE o.shipped_at >= $1",
        )
        .bind(since_ms)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok((
                WarehouseId(s(r, "warehouse_id")?),
                s(r, "carrier")?,
                crate::engine::rows::os(r, "due_date")?,
                i(r, "shipped_at")?,
                i(r, "created_at")?,
            ))
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let scans = sqlx::query(
            "SELECT warehouse_id, actor_name, action, COUNT(*) AS n FROM audit_log \
             WHERE action IN ('pick.scanned', 'pick.refused', 'pick.short', 'pack.closed') AND at >= $1 \
             AND warehouse_id IS NOT NULL GROUP BY warehouse_id, actor_name, action",
        )
        .bind(since_ms)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((WarehouseId(s(r, "warehouse_id")?), s(r, "actor_name")?, s(r, "action")?, i(r, "n")?)))
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(entrepot_app::types::waves::FloorFacts { shipped, scans })
    }
}
