//! What a seller's dashboard shows.

use entrepot_core::{balance::Account, company::Warehouse, ids::WarehouseId, outbound::OutboundStatus};

/// How many of a client's orders are due on a warehouse-local day, in one state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCount {
    pub warehouse: WarehouseId,
    pub due_date: String,
    pub status: OutboundStatus,
    pub orders: i64,
}

/// One warehouse's day for a seller: the orders due today by state against the cut-off, and
/// the seller's stock there.
#[derive(Debug, Clone)]
pub struct WarehouseDay {
    pub warehouse: Warehouse,
    /// The warehouse-local day.
    pub day: String,
    /// The daily cut-off, local `HH:MM`.
    pub cutoff: String,
    /// Minutes until today's cut-off (negative once passed; 0 on a closed day).
    pub minutes_left: i64,
    /// Orders due today by state (cancelled left out), in the states' order.
    pub due_today: Vec<(OutboundStatus, i64)>,
    /// Units by bucket, summed over the seller's SKUs: available, reserved, in transit, other.
    pub available: i64,
    pub reserved: i64,
    pub in_transit: i64,
    pub unfulfillable: i64,
}

impl WarehouseDay {
    /// Orders due today that will leave (all but cancelled).
    pub fn due(&self) -> i64 {
        self.due_today.iter().map(|(_, n)| n).sum()
    }

    /// Handed over (or delivered) of those.
    pub fn shipped(&self) -> i64 {
        self.count(&[OutboundStatus::Shipped, OutboundStatus::Delivered])
    }

    pub fn count(&self, of: &[OutboundStatus]) -> i64 {
        self.due_today.iter().filter(|(s, _)| of.contains(s)).map(|(_, n)| n).sum()
    }

    /// Today's % fulfilled as ShipBob counts it: shipped ÷ (shipped + in process), exceptions
    /// left out; none when nothing is due.
    pub fn fulfilled_percent(&self) -> Option<i64> {
        let shipped = self.shipped();
        let base = self.due().saturating_sub(self.count(&[OutboundStatus::Exception, OutboundStatus::Draft]));
        (base > 0).then(|| shipped.saturating_mul(100) / base)
    }
}

/// The seller's dashboard.
#[derive(Debug, Clone)]
pub struct SellerDashboard {
    pub warehouses: Vec<WarehouseDay>,
    /// Orders due per day over the last fortnight and up to the next shipping day (all
    /// warehouses, cancelled left out), oldest first, and of them how many have been handed over.
    pub per_day: Vec<DayOrders>,
    /// Orders stopped in EXCEPTION, whatever their day: they need the seller or the warehouse.
    pub exceptions: i64,
    /// Money by currency.
    pub balances: Vec<(String, Account)>,
    /// The last [`crate::TREND_DAYS`] due days (up to the next shipping day, as `per_day`), oldest
    /// first: how many of the orders handed over were on time.
    pub on_time: Vec<OnTimeDay>,
    /// The client's units on hand at the end of each of the last [`crate::TREND_DAYS`] UTC days
    /// (today: now), oldest first.
    pub stock_trend: Vec<StockLevel>,
}

/// One due day of the on-time chart. An order due on a day is on time when it was handed over
/// (its manifest closed) at or before that day's cut-off in its warehouse's zone, late when
/// handed over after; orders not handed over yet are not counted until they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnTimeDay {
    pub day: String,
    pub on_time: i64,
    pub late: i64,
}

impl OnTimeDay {
    /// On time ÷ handed over, as a whole percent rounded half up (2 of 3: 67); none when none
    /// was handed over.
    pub fn percent(&self) -> Option<i64> {
        let total = self.on_time.checked_add(self.late).filter(|t| *t > 0)?;
        Some(self.on_time.checked_mul(200)?.checked_add(total)? / total.checked_mul(2)?)
    }
}

/// Units on hand (received and not yet shipped: every bucket but in transit) at the end of a
/// UTC day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLevel {
    pub day: String,
    pub units: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOrders {
    pub day: String,
    pub orders: i64,
    pub shipped: i64,
}

/// A client's orders handed over, by the (warehouse-local) day they were due: on time (handed
/// over by that day's cut-off in the warehouse's zone) or late.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipDay {
    pub due_date: String,
    pub on_time: i64,
    pub late: i64,
}

#[cfg(test)]
mod tests {
    use super::OnTimeDay;

    #[test]
    fn on_time_is_a_whole_percent_rounded_half_up() {
        let day = |on_time, late| OnTimeDay { day: "2030-01-02".into(), on_time, late }.percent();
        assert_eq!(day(2, 1), Some(67));
        assert_eq!(day(1, 2), Some(33));
        assert_eq!(day(1, 1), Some(50));
        assert_eq!(day(1, 7), Some(13));
        assert_eq!(day(0, 3), Some(0));
        assert_eq!(day(4, 0), Some(100));
        assert_eq!(day(0, 0), None);
        assert_eq!(day(i64::MAX, 1), None, "overflow is no figure, not a panic");
    }
}
