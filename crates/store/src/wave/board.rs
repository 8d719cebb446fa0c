//! The cut-off board's counts: per carrier, a warehouse's orders due on a day by status (with
//! their units), those overdue, and the units picked since the day began.

use std::collections::BTreeMap;

use entrepot_app::types::waves::{BoardCounts, BoardLine};
use entrepot_core::ids::WarehouseId;

use crate::{
    engine::rows::{i, oi, s},
    Store, StoreResult,
};

impl Store {
    /// See [`entrepot_app::ports::WavePort::board_counts`].
    pub async fn board_counts(
        &self,
        warehouse: &WarehouseId,
        day: &str,
        day_start_ms: i64,
    ) -> StoreResult<BoardCounts> {
        let mut lines: BTreeMap<String, BoardLine> = BTreeMap::new();
        let due = sqlx::query(
            // Counted per service from the board's index alone (orders carry their units), then
            // per carrier.
            "SELECT v.carrier, g.status, CAST(SUM(g.n) AS BIGINT) AS n, CAST(SUM(g.units) AS BIGINT) AS units FROM ( \
             SELECT o.service_id, o.status, COUNT(*) AS n, CAST(COALESCE(SUM(o.units), 0) AS BIGINT) AS units \
             FROM outbound_orders o WHERE o.warehouse_id = $1 AND o.due_date = $2 AND o.status IN ('SUBMITTED', \
             'WAIT_PICKING', 'PICKING', 'PACKED', 'SHIPPED', 'DELIVERED', 'EXCEPTION') GROUP BY o.service_id, o.status \
             ) g JOIN services v ON v.id = g.service_id GROUP BY v.carrier, g.status",
        )
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
        let late = sqlx::query(
            "SELECT v.carrier, COUNT(*) AS n FROM outbound_orders o JOIN services v ON v.id = o.service_id \
             WHERE o.warehouse_id = $1 AND o.status IN ('SUBMITTED', 'WAIT_PICKING', 'PICKING', 'PACKED', 'EXCEPTION') \
             AND o.due_date < $2 GROUP BY v.carrier",
        )
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
