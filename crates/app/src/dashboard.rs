//! A seller's dashboard, read in a handful of indexed queries whatever the number of orders.

use std::collections::BTreeMap;

use entrepot_core::{actor::Actor, inventory::Bucket, outbound::OutboundStatus, CoreError, CoreResult};

use crate::{
    people::now_ms,
    types::{dashboard::*, orders::OrderFilter},
    App,
};

/// Days of history the dashboard charts.
pub const CHART_DAYS: i64 = 14;

impl App {
    /// The dashboard of the seller `actor` acts for.
    pub async fn seller_dashboard(&self, actor: &Actor) -> CoreResult<SellerDashboard> {
        let client = actor.client().ok_or_else(|| CoreError::Forbidden("the dashboard is a seller's".into()))?.clone();
        let now = now_ms();
        let warehouses = self.storage.client_warehouses(&client).await?;
        let mut today = BTreeMap::new();
        // The chart runs up to the day an order placed now would ship (after the cut-off or on a
        // closed day, that is a later day).
        let mut next_ship = vec![];
        for wh in &warehouses {
            today.insert(wh.id.clone(), wh.local_date(now)?);
            let at = jiff::Timestamp::from_millisecond(now).map_err(|_| CoreError::Internal)?;
            next_ship.push(wh.due_date(at)?);
        }
        let (Some(first), Some(last)) = (today.values().min().copied(), next_ship.iter().max().copied()) else {
            return Ok(SellerDashboard { warehouses: vec![], per_day: vec![], exceptions: 0, balances: vec![] });
        };
        let from = first.checked_sub(jiff::Span::new().days(CHART_DAYS - 1)).unwrap_or(first);
        let counts = self.storage.due_counts(&client, &from.to_string(), &last.to_string()).await?;
        let stock = self.storage.stock(&client, &[], None).await?;
        let mut days = vec![];
        for wh in warehouses {
            let day = today.get(&wh.id).copied().unwrap_or(first);
            let day_text = day.to_string();
            let day_start = wh.local_day_start_ms(day)?;
            let cutoff_at = day_start.saturating_add(i64::from(wh.cutoff_minutes) * 60_000);
            let minutes_left = if wh.calendar.is_working(day) { (cutoff_at - now).div_euclid(60_000) } else { 0 };
            let due_today = OutboundStatus::ALL
                .iter()
                .filter(|s| **s != OutboundStatus::Cancelled)
                .map(|s| {
                    let n = counts
                        .iter()
                        .filter(|c| c.warehouse == wh.id && c.due_date == day_text && c.status == *s)
                        .map(|c| c.orders)
                        .sum();
                    (*s, n)
                })
                .collect();
            let mut d = WarehouseDay {
                cutoff: format!("{:02}:{:02}", wh.cutoff_minutes / 60, wh.cutoff_minutes % 60),
                day: day_text,
                minutes_left,
                due_today,
                available: 0,
                reserved: 0,
                in_transit: 0,
                unfulfillable: 0,
                warehouse: wh,
            };
            for row in stock.iter().filter(|r| r.warehouse_id == d.warehouse.id) {
                let p = &row.position;
                d.available = d.available.saturating_add(p.get(Bucket::Available));
                d.reserved = d
                    .reserved
                    .saturating_add(p.get(Bucket::ReservedAllocated).saturating_add(p.get(Bucket::ReservedHold)));
                d.in_transit = d.in_transit.saturating_add(p.get(Bucket::InTransit));
                d.unfulfillable = d.unfulfillable.saturating_add(p.get(Bucket::Unfulfillable));
            }
            days.push(d);
        }
        let mut per_day: BTreeMap<String, DayOrders> = BTreeMap::new();
        let mut day = from;
        while day <= last {
            per_day.insert(day.to_string(), DayOrders { day: day.to_string(), orders: 0, shipped: 0 });
            day = day.tomorrow().map_err(|_| CoreError::Internal)?;
        }
        for c in counts.iter().filter(|c| c.status != OutboundStatus::Cancelled) {
            if let Some(d) = per_day.get_mut(&c.due_date) {
                d.orders = d.orders.saturating_add(c.orders);
                if matches!(c.status, OutboundStatus::Shipped | OutboundStatus::Delivered) {
                    d.shipped = d.shipped.saturating_add(c.orders);
                }
            }
        }
        let exceptions = OrderFilter { statuses: vec![OutboundStatus::Exception], limit: 1, ..Default::default() };
        let (_, exceptions) = self.storage.list_orders(&client, &exceptions).await?;
        Ok(SellerDashboard {
            warehouses: days,
            per_day: per_day.into_values().collect(),
            exceptions,
            balances: self.storage.balances(&client).await?,
        })
    }
}
