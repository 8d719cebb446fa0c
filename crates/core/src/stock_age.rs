//! Stock age: how long the units on hand have been in the warehouse, in day bands, from the
//! stock ledger, first in first out. OC's GetStockAge answers with it; OC's material does not
//! show its bands, so they are the usual overseas-warehouse ones (see [`BANDS`]).
//!
//! "On hand" is every bucket past put-away ([`ON_HAND`]): a unit reserved for an order or frozen
//! is still in the warehouse and still ageing. A transfer into that set from outside it (put-away,
//! an adjustment in, a return) brings a lot in; a transfer out of it (shipment, an adjustment out)
//! takes the oldest units first. Moves inside the set (reserving, cancelling a reservation,
//! freezing) change nothing, so a cancelled order's units keep their age.

use std::collections::VecDeque;

use crate::{inventory::Bucket, CoreError, CoreResult};

/// Buckets whose units have been put away and are in the warehouse.
pub const ON_HAND: [Bucket; 5] =
    [Bucket::Available, Bucket::ReservedAllocated, Bucket::ReservedHold, Bucket::Suspend, Bucket::Unfulfillable];

/// Upper bound (inclusive, in whole days) of each band but the last, which is everything older.
pub const BANDS: [i64; 5] = [30, 60, 90, 180, 365];

const DAY_MS: i64 = 86_400_000;

/// Whether units in `b` are on hand.
pub fn on_hand(b: Bucket) -> bool {
    ON_HAND.contains(&b)
}

/// One ledger transfer as stock age needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeEntry {
    pub at_ms: i64,
    pub from: Bucket,
    pub to: Bucket,
    pub qty: i64,
}

/// Units on hand by age: `units[k]` are `BANDS[k-1]+1 ..= BANDS[k]` days old (from 0 for the
/// first), the last entry older than 365 days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgeBands {
    pub units: [i64; 6],
}

impl AgeBands {
    /// Units on hand in all bands.
    pub fn total(&self) -> i64 {
        self.units.iter().fold(0i64, |a, u| a.saturating_add(*u))
    }
}

/// The band of an age in whole days (a lot dated after `now` is 0 days old).
pub fn band_of(days: i64) -> usize {
    BANDS.iter().position(|b| days <= *b).unwrap_or(BANDS.len())
}

/// The age bands of the units on hand at `now_ms`, from one SKU's transfers in one warehouse.
/// Entries are taken oldest first (sorted here, stable, so the ledger's order breaks ties). More
/// units leaving than came in (a ledger from before stock age was kept) empties the lots and
/// no more.
pub fn age_bands(entries: &[AgeEntry], now_ms: i64) -> CoreResult<AgeBands> {
    let mut sorted: Vec<&AgeEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.at_ms);
    let mut lots: VecDeque<(i64, i64)> = VecDeque::new();
    for e in sorted {
        if e.qty <= 0 || on_hand(e.from) == on_hand(e.to) {
            continue;
        }
        if on_hand(e.to) {
            lots.push_back((e.at_ms, e.qty));
            continue;
        }
        let mut left = e.qty;
        while left > 0 {
            let Some(front) = lots.front_mut() else { break };
            let took = left.min(front.1);
            front.1 -= took;
            left -= took;
            if front.1 == 0 {
                lots.pop_front();
            }
        }
    }
    let mut out = AgeBands::default();
    for (at, qty) in lots {
        let days = now_ms.saturating_sub(at).max(0) / DAY_MS;
        let slot = &mut out.units[band_of(days)];
        *slot = slot.checked_add(qty).ok_or_else(|| CoreError::invalid("quantity", "stock age overflows"))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use Bucket::*;

    const NOW: i64 = 1_000 * DAY_MS;

    fn e(days_ago: i64, from: Bucket, to: Bucket, qty: i64) -> AgeEntry {
        AgeEntry { at_ms: NOW - days_ago * DAY_MS, from, to, qty }
    }

    #[test]
    fn bands_are_inclusive_at_their_upper_day() {
        let got: Vec<usize> = [0, 30, 31, 60, 61, 90, 91, 180, 181, 365, 366, 5000].map(band_of).to_vec();
        assert_eq!(got, vec![0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    }

    #[test]
    fn put_away_lots_age_into_their_bands() {
        let l = [e(400, Received, Available, 1), e(100, Received, Available, 2), e(5, Received, Available, 3)];
        assert_eq!(age_bands(&l, NOW).unwrap().units, [3, 0, 0, 2, 0, 1]);
    }

    #[test]
    fn shipments_take_the_oldest_units_first() {
        let l = [
            e(200, Received, Available, 4),
            e(70, Received, Available, 5),
            e(10, Received, Available, 6),
            // 4 of the 200-day lot and 2 of the 70-day lot leave, in two shipments.
            e(3, ReservedAllocated, Outside, 3),
            e(2, Available, Outside, 3),
        ];
        let b = age_bands(&l, NOW).unwrap();
        assert_eq!(b.units, [6, 0, 3, 0, 0, 0]);
        assert_eq!(b.total(), 9);
    }

    #[test]
    fn moves_inside_the_warehouse_keep_the_age() {
        let l = [
            e(45, Received, Available, 5),
            e(1, Available, ReservedAllocated, 2),
            e(1, ReservedAllocated, Available, 2),
            e(1, Available, Suspend, 1),
            e(0, InTransit, Received, 9),
        ];
        assert_eq!(age_bands(&l, NOW).unwrap().units, [0, 5, 0, 0, 0, 0]);
    }

    #[test]
    fn order_is_by_time_and_overdrawn_ledgers_stop_at_zero() {
        let l = [e(1, Available, Outside, 10), e(50, Outside, Available, 4), e(20, Outside, Available, 4)];
        // The 50-day and 20-day lots came in before the 1-day shipment took them all.
        assert_eq!(age_bands(&l, NOW).unwrap().total(), 0);
        let future = [AgeEntry { at_ms: NOW + DAY_MS, from: Outside, to: Available, qty: 2 }];
        assert_eq!(age_bands(&future, NOW).unwrap().units, [2, 0, 0, 0, 0, 0]);
    }
}
