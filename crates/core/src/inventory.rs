//! Inventory as a double-entry ledger of units.
//!
//! Quantities of a SKU in a warehouse live in buckets; every change is a [`Transfer`] of a positive
//! quantity from one bucket to another, with a reason code and the document it belongs to. The
//! world outside the warehouse is the [`Bucket::Outside`] account, so the sum over all buckets
//! (outside included) is always zero and every unit is accounted for. [`Position::apply`] is the
//! single place where "no bucket goes negative" is enforced; the store writes transfers and
//! balances through it (or through an equivalent conditional update) in one transaction.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{CoreError, CoreResult};

/// Where units are. `Outside` is the counter-account (suppliers, customers, the bin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Bucket {
    Outside,
    InTransit,
    Received,
    Available,
    /// Reserved by a submitted outbound order.
    ReservedAllocated,
    /// Held for other reasons (e.g. value-added services).
    ReservedHold,
    /// Frozen (OC `suspend`, Bird `frozen_stock`).
    Suspend,
    /// Damaged or otherwise unsellable.
    Unfulfillable,
}

impl Bucket {
    /// Every bucket the warehouse holds (all but `Outside`), in snapshot order.
    pub const HELD: [Self; 7] = [
        Self::InTransit,
        Self::Received,
        Self::Available,
        Self::ReservedAllocated,
        Self::ReservedHold,
        Self::Suspend,
        Self::Unfulfillable,
    ];

    /// Stable storage name (also the column name in the balances table).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Outside => "outside",
            Self::InTransit => "in_transit",
            Self::Received => "received",
            Self::Available => "available",
            Self::ReservedAllocated => "reserved_allocated",
            Self::ReservedHold => "reserved_hold",
            Self::Suspend => "suspend",
            Self::Unfulfillable => "unfulfillable",
        }
    }

    fn index(self) -> Option<usize> {
        Self::HELD.iter().position(|b| *b == self)
    }
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Bucket {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        std::iter::once(Self::Outside)
            .chain(Self::HELD)
            .find(|b| b.as_str() == s)
            .ok_or_else(|| CoreError::invalid("bucket", format!("unknown bucket '{s}'")))
    }
}

/// Why units moved. The first six are OC's movement reason codes; the others name moves OC's
/// public material does not show, in the same `CODE=Text` style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reason {
    /// Inbound order submitted: outside → in transit.
    InboundSubmitted,
    /// Goods received at the dock: in transit → received.
    Received,
    /// Put away complete: received → available.
    PutAway,
    /// Outbound order submitted: available → reserved.
    OutboundSubmitted,
    /// Outbound order cancelled: reserved → available.
    OutboundCancelled,
    /// Outbound order fulfilled (shipped): reserved → outside.
    OutboundFulfilled,
    /// Frozen by the warehouse.
    Frozen,
    /// Unfrozen by the warehouse.
    Unfrozen,
    /// Inventory adjustment (stock count, damage, found goods).
    Adjustment,
    /// Inbound closed short or cancelled: in transit → outside.
    InboundClosed,
    /// A buyer's return received: outside → received (good) or unfulfillable (damaged).
    ReturnReceived,
    /// Returned goods destroyed at the seller's request: written off to outside.
    Disposed,
    /// Returned goods sent on to another address: to outside.
    ReturnForwarded,
}

impl Reason {
    pub const ALL: [Self; 13] = [
        Self::InboundSubmitted,
        Self::Received,
        Self::PutAway,
        Self::OutboundSubmitted,
        Self::OutboundCancelled,
        Self::OutboundFulfilled,
        Self::Frozen,
        Self::Unfrozen,
        Self::Adjustment,
        Self::InboundClosed,
        Self::ReturnReceived,
        Self::Disposed,
        Self::ReturnForwarded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::InboundSubmitted => "IOS",
            Self::Received => "GRN",
            Self::PutAway => "PAC",
            Self::OutboundSubmitted => "OOS",
            Self::OutboundCancelled => "OOC",
            Self::OutboundFulfilled => "OOF",
            Self::Frozen => "OEH",
            Self::Unfrozen => "OEU",
            Self::Adjustment => "IAA",
            Self::InboundClosed => "IOC",
            Self::ReturnReceived => "RTN",
            Self::Disposed => "DSP",
            Self::ReturnForwarded => "RTF",
        }
    }

    /// OC's wire text, misspellings included (`Fulfiled`, `Adjustement`) because ERPs match it.
    pub fn text(self) -> &'static str {
        match self {
            Self::InboundSubmitted => "Inbound Order Submitted",
            Self::Received => "Goods Received",
            Self::PutAway => "Put Away Completed",
            Self::OutboundSubmitted => "Outbound Order Submitted",
            Self::OutboundCancelled => "Outbound Order Cancelled",
            Self::OutboundFulfilled => "Outbound Order Fulfiled",
            Self::Frozen => "OCFrozen",
            Self::Unfrozen => "OCUnfrozen",
            Self::Adjustment => "Inventory Adjustement Applied",
            Self::InboundClosed => "Inbound Order Closed",
            Self::ReturnReceived => "Return Received",
            Self::Disposed => "Return Disposed",
            Self::ReturnForwarded => "Return Forwarded",
        }
    }

    /// `CODE=Text`, as OC's movement query prints it.
    pub fn oc_wire(self) -> String {
        format!("{}={}", self.code(), self.text())
    }

    pub fn from_code(code: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or_else(|| CoreError::invalid("reason", format!("unknown reason code '{code}'")))
    }
}

/// The document a transfer belongs to, so movements can show their order number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocRef {
    /// `outbound`, `inbound`, `adjustment`.
    pub kind: String,
    pub id: String,
}

/// One ledger entry: `qty` units of one SKU in one warehouse move from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub from: Bucket,
    pub to: Bucket,
    pub qty: i64,
    pub reason: Reason,
}

impl Transfer {
    /// A transfer; quantities are positive and the buckets differ, so a transfer always means a
    /// movement.
    pub fn new(from: Bucket, to: Bucket, qty: i64, reason: Reason) -> CoreResult<Self> {
        if qty <= 0 {
            return Err(CoreError::invalid("quantity", format!("must be positive, got {qty}")));
        }
        if from == to {
            return Err(CoreError::invalid("bucket", "a transfer needs two different buckets"));
        }
        Ok(Self { from, to, qty, reason })
    }

    /// Stock adjustment by a signed delta on one bucket, against the outside world.
    pub fn adjustment(bucket: Bucket, delta: i64) -> CoreResult<Self> {
        if delta >= 0 {
            Self::new(Bucket::Outside, bucket, delta, Reason::Adjustment)
        } else {
            Self::new(bucket, Bucket::Outside, magnitude(delta)?, Reason::Adjustment)
        }
    }

    /// Freezes `delta` available units, or unfreezes `-delta` suspended ones when negative.
    pub fn freeze(delta: i64) -> CoreResult<Self> {
        if delta >= 0 {
            Self::new(Bucket::Available, Bucket::Suspend, delta, Reason::Frozen)
        } else {
            Self::new(Bucket::Suspend, Bucket::Available, magnitude(delta)?, Reason::Unfrozen)
        }
    }
}

/// The size of a negative delta; `i64::MIN` has none.
fn magnitude(delta: i64) -> CoreResult<i64> {
    delta.checked_neg().ok_or_else(|| crate::limits::too_large("quantity"))
}

/// Balances of one (client, SKU, warehouse) across the held buckets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    qty: [i64; 7],
}

impl Position {
    pub fn from_array(qty: [i64; 7]) -> Self {
        Self { qty }
    }

    pub fn get(&self, b: Bucket) -> i64 {
        b.index().map(|i| self.qty[i]).unwrap_or(0)
    }

    /// Units physically in or on the way to the warehouse (saturating: each bucket is bounded
    /// far below `i64::MAX / 7` by the input limits, so this only guards corrupt data).
    pub fn total(&self) -> i64 {
        self.qty.iter().fold(0i64, |t, q| t.saturating_add(*q))
    }

    /// Applies a transfer, refusing it if the source bucket would go negative. `sku` and
    /// `warehouse` only label the error.
    pub fn apply(&mut self, t: &Transfer, sku: &str, warehouse: &str) -> CoreResult<()> {
        let mut next = self.qty;
        if let Some(i) = t.from.index() {
            if next[i] < t.qty {
                return Err(CoreError::InsufficientStock {
                    sku: sku.to_owned(),
                    warehouse: warehouse.to_owned(),
                    requested: t.qty,
                    available: next[i],
                });
            }
            next[i] -= t.qty;
        }
        if let Some(i) = t.to.index() {
            next[i] = next[i].checked_add(t.qty).ok_or_else(|| crate::limits::too_large("quantity"))?;
        }
        self.qty = next;
        Ok(())
    }

    /// Replays a ledger from zero: what the balances must be if they are a sum of transfers. A
    /// sum that does not fit is an error, never a wrap.
    pub fn replay<'a>(transfers: impl IntoIterator<Item = &'a Transfer>) -> CoreResult<Self> {
        let mut p = Self::default();
        let too_large = || crate::limits::too_large("quantity");
        for t in transfers {
            if let Some(i) = t.from.index() {
                p.qty[i] = p.qty[i].checked_sub(t.qty).ok_or_else(too_large)?;
            }
            if let Some(i) = t.to.index() {
                p.qty[i] = p.qty[i].checked_add(t.qty).ok_or_else(too_large)?;
            }
        }
        Ok(p)
    }

    /// The buckets that are negative, if any (an invariant violation).
    pub fn negative_buckets(&self) -> Vec<Bucket> {
        Bucket::HELD.into_iter().filter(|b| self.get(*b) < 0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserve_and_ship() {
        let mut p = Position::default();
        p.apply(&Transfer::adjustment(Bucket::Available, 5).unwrap(), "S", "W").unwrap();
        let reserve =
            Transfer::new(Bucket::Available, Bucket::ReservedAllocated, 3, Reason::OutboundSubmitted).unwrap();
        p.apply(&reserve, "S", "W").unwrap();
        assert_eq!(p.get(Bucket::Available), 2);
        let err = p.apply(&reserve, "S", "W").unwrap_err();
        assert_eq!(
            err,
            CoreError::InsufficientStock { sku: "S".into(), warehouse: "W".into(), requested: 3, available: 2 }
        );
        assert_eq!(p.get(Bucket::Available), 2, "a refused transfer changes nothing");
        p.apply(
            &Transfer::new(Bucket::ReservedAllocated, Bucket::Outside, 3, Reason::OutboundFulfilled).unwrap(),
            "S",
            "W",
        )
        .unwrap();
        assert_eq!(p.total(), 2);
    }

    #[test]
    fn transfers_must_move_something() {
        assert!(Transfer::new(Bucket::Available, Bucket::Available, 1, Reason::Adjustment).is_err());
        assert!(Transfer::new(Bucket::Outside, Bucket::Available, 0, Reason::Adjustment).is_err());
        assert!(Transfer::adjustment(Bucket::Available, 0).is_err());
        assert!(Transfer::freeze(0).is_err());
    }

    #[test]
    fn a_negative_delta_moves_the_other_way_and_i64_min_is_refused() {
        let t = Transfer::freeze(-3).unwrap();
        assert_eq!((t.from, t.to, t.qty, t.reason), (Bucket::Suspend, Bucket::Available, 3, Reason::Unfrozen));
        let t = Transfer::freeze(3).unwrap();
        assert_eq!((t.from, t.to, t.qty, t.reason), (Bucket::Available, Bucket::Suspend, 3, Reason::Frozen));
        let t = Transfer::adjustment(Bucket::Received, -2).unwrap();
        assert_eq!((t.from, t.to, t.qty), (Bucket::Received, Bucket::Outside, 2));
        assert!(Transfer::freeze(i64::MIN).is_err());
        assert!(Transfer::adjustment(Bucket::Available, i64::MIN).is_err());
    }

    #[test]
    fn reason_codes_round_trip() {
        for r in Reason::ALL {
            assert_eq!(Reason::from_code(r.code()).unwrap(), r);
        }
        assert_eq!(Reason::OutboundFulfilled.oc_wire(), "OOF=Outbound Order Fulfiled");
        for b in Bucket::HELD {
            assert_eq!(b.as_str().parse::<Bucket>().unwrap(), b);
        }
    }
}
