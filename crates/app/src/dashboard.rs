//! A seller's dashboard, read in a handful of indexed queries whatever the number of orders.

use std::collections::BTreeMap;

use entrepot_core::{actor::Actor, ids::ClientId, inventory::Bucket, outbound::OutboundStatus, CoreError, CoreResult};

use crate::{
    people::now_ms,
    types::{dashboard::*, orders::OrderFilter},
    App,
};

/// Days of history the dashboard charts.
pub const CHART_DAYS: i64 = 14;

/// Days the on-time and stock charts cover, read from daily tallies (one row a day).
pub const TREND_DAYS: i64 = 30;

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
            return Ok(SellerDashboard {
                warehouses: vec![],
                per_day: vec![],
                exceptions: 0,
                balances: vec![],
                on_time: vec![],
                stock_trend: vec![],
            });
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
        let on_hand = stock.iter().fold(0i64, |n, r| {
            Bucket::HELD
                .iter()
                .filter(|b| **b != Bucket::InTransit)
                .fold(n, |n, b| n.saturating_add(r.position.get(*b)))
        });
        Ok(SellerDashboard {
            warehouses: days,
            per_day: per_day.into_values().collect(),
            exceptions,
            balances: self.storage.balances(&client).await?,
            on_time: self.on_time_days(&client, last).await?,
            stock_trend: self.stock_trend(&client, now, on_hand).await?,
        })
    }

    /// The on-time chart's days: the [`TREND_DAYS`] due days up to `last`, the day an order placed
    /// now would ship (as the orders chart): orders handed over ahead of their day count too.
    async fn on_time_days(&self, client: &ClientId, last: jiff::civil::Date) -> CoreResult<Vec<OnTimeDay>> {
        let from = last.checked_sub(jiff::Span::new().days(TREND_DAYS - 1)).map_err(|_| CoreError::Internal)?;
        let shipped = self.storage.ship_days(client, &from.to_string(), &last.to_string()).await?;
        let mut out = vec![];
        let mut day = from;
        while day <= last {
            let text = day.to_string();
            let (on_time, late) =
                shipped.iter().find(|s| s.due_date == text).map(|s| (s.on_time, s.late)).unwrap_or((0, 0));
            out.push(OnTimeDay { day: text, on_time, late });
            day = day.tomorrow().map_err(|_| CoreError::Internal)?;
        }
        Ok(out)
    }

    /// The stock chart's days: units on hand now, less each later day's net change, back over
    /// the [`TREND_DAYS`] UTC days up to today.
    async fn stock_trend(&self, client: &ClientId, now: i64, on_hand: i64) -> CoreResult<Vec<StockLevel>> {
        let today = jiff::Timestamp::from_millisecond(now)
            .map_err(|_| CoreError::Internal)?
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        let from = today.checked_sub(jiff::Span::new().days(TREND_DAYS - 1)).map_err(|_| CoreError::Internal)?;
        let changes = self.storage.stock_days(client, &from.to_string()).await?;
        let mut out = vec![];
        let mut day = today;
        let mut units = on_hand;
        loop {
            let text = day.to_string();
            out.push(StockLevel { day: text.clone(), units });
            if day <= from {
                break;
            }
            // The level the evening before: this day's change undone.
            let change: i64 = changes.iter().filter(|(d, _)| *d == text).map(|(_, n)| *n).sum();
            units = units.saturating_sub(change);
            day = day.yesterday().map_err(|_| CoreError::Internal)?;
        }
        out.reverse();
        Ok(out)
    }
}
