//! Orders handed over per due day, on time or late (the dashboard's on-time chart), counted as
//! each order ships, in its transaction (`ship_days`, migration 0051): the chart reads one row
//! per day whatever the number of orders.

use entrepot_app::types::dashboard::ShipDay;
use entrepot_core::{company::Warehouse, ids::ClientId};

use crate::{
    engine::{bulk::Val, exec::Tx, rows::i, rows::s},
    Store, StoreResult,
};

/// Whether an order due on `due_date` (warehouse-local) handed over at `at_ms` was on time: at
/// or before that day's cut-off in the warehouse's zone. `None` for an order with no (readable)
/// due day, which is not counted.
pub(crate) fn on_time(wh: &Warehouse, due_date: Option<&str>, at_ms: i64) -> Option<bool> {
    let day: jiff::civil::Date = due_date?.parse().ok()?;
    let cutoff = wh.local_day_start_ms(day).ok()?.checked_add(i64::from(wh.cutoff_minutes).checked_mul(60_000)?)?;
    Some(at_ms <= cutoff)
}

/// Counts one order handed over, in the transaction that ships it.
pub(crate) async fn add(tx: &mut Tx<'_>, client: &ClientId, due_date: &str, on_time: bool) -> StoreResult<()> {
    let (yes, no) = if on_time { (1, 0) } else { (0, 1) };
    let sql = "INSERT INTO ship_days (client_id, due_date, on_time, late) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (client_id, due_date) DO UPDATE \
               SET on_time = ship_days.on_time + excluded.on_time, late = ship_days.late + excluded.late";
    tx.execute(sql, [Val::from(client.0.as_str()), Val::from(due_date), Val::I(yes), Val::I(no)]).await?;
    Ok(())
}

impl Store {
    /// The client's orders handed over per due day in `[from, to]`, days with none left out,
    /// oldest first.
    pub async fn ship_days(&self, tenant: &ClientId, from: &str, to: &str) -> StoreResult<Vec<ShipDay>> {
        let rows = sqlx::query(
            "SELECT due_date, on_time, late FROM ship_days WHERE client_id = $1 AND due_date >= $2 AND due_date <= $3 \
             ORDER BY due_date LIMIT 1000",
        )
        .bind(&tenant.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| Ok(ShipDay { due_date: s(r, "due_date")?, on_time: i(r, "on_time")?, late: i(r, "late")? }))
            .collect()
    }
}
