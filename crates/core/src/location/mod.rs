//! Bins: where in a warehouse units physically are.
//!
//! A warehouse's stock is kept per bucket (received, available, reserved...) in the ledger; the
//! same units are also kept per location, bucket-less: a bin holds units of SKUs, whatever they
//! are reserved for. The invariant tying the two: for every (SKU, warehouse), the units over its
//! locations equal its physical buckets (every held bucket but in transit). Transfers that bring
//! units into the physical buckets land somewhere ([`landing`]), transfers that take them out
//! draw from the locations that hold the SKU in a fixed order ([`draw_order`]); moves between
//! physical buckets (reserving, freezing) move no goods unless a location is named.
//!
//! - [`code`]: location codes (`A-01-02-3`), checked and normalised;
//! - [`range`]: a range of codes (`A-01..03-01..10-1..4`), expanded and bounded;
//! - [`putaway`]: which bin a SKU's units should go to, and whether a bin has room.

pub mod code;
#[cfg(test)]
mod props;
pub mod putaway;
pub mod range;

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{ids::WarehouseId, inventory::Bucket, CoreError, CoreResult};

/// A location's id. Default locations have a fixed id derived from their warehouse
/// ([`default_id`]), so that the ledger can place units there without looking them up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LocationId(pub String);

impl LocationId {
    pub const PREFIX: &'static str = "loc";

    /// A new id from a millisecond timestamp and 80 random bits (as every text id).
    pub fn generate(unix_ms: u64, random: u128) -> Self {
        let any = crate::ids::InboundId::generate(unix_ms, random).0;
        Self(format!("{}{}", Self::PREFIX, any.trim_start_matches(crate::ids::InboundId::PREFIX)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LocationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a location is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// Where pickers take units from.
    PickFace,
    /// Overstock, replenishing the pick faces.
    Reserve,
    /// Where goods arrive and wait to be put away.
    Dock,
    /// Where returned goods wait for their decision.
    Returns,
    /// Held apart until inspected.
    Quarantine,
    /// Damaged goods (the unfulfillable bucket).
    Damaged,
    /// Picked units waiting to be packed and handed to the carrier (PACK).
    Staging,
}

impl LocationKind {
    pub const ALL: [Self; 7] =
        [Self::PickFace, Self::Reserve, Self::Dock, Self::Returns, Self::Quarantine, Self::Damaged, Self::Staging];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PickFace => "pick_face",
            Self::Reserve => "reserve",
            Self::Dock => "dock",
            Self::Returns => "returns",
            Self::Quarantine => "quarantine",
            Self::Damaged => "damaged",
            Self::Staging => "staging",
        }
    }

    /// Whether sellable (available) units are put away here.
    pub fn takes_putaway(self) -> bool {
        matches!(self, Self::PickFace | Self::Reserve)
    }
}

impl fmt::Display for LocationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LocationKind {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|k| k.as_str()).collect();
            CoreError::invalid("type", format!("unknown location type '{s}' (one of {})", names.join(", ")))
        })
    }
}

/// One location of a warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub id: LocationId,
    pub warehouse_id: WarehouseId,
    /// Unique per warehouse, normalised ([`code::normalize`]).
    pub code: String,
    pub zone: String,
    pub kind: LocationKind,
    /// Walking order: pickers and the putaway suggestion go by it.
    pub pick_seq: i64,
    /// Units it holds at most, all SKUs together; `None`: no limit.
    pub capacity: Option<i64>,
    /// Disabled locations take no new units (what they hold can still leave).
    pub disabled: bool,
    pub created_at_ms: i64,
}

impl Location {
    /// Whether this is one of the locations every warehouse has ([`DEFAULTS`], or [`STOCK`]).
    pub fn is_default(&self) -> bool {
        is_default_code(&self.code)
    }
}

/// The dock: received units wait here until put away.
pub const DOCK: &str = "DOCK";
/// Damaged goods: units entering the unfulfillable bucket land here.
pub const DAMAGED: &str = "DAMAGED";
/// Returned goods waiting for their decision.
pub const RETURNS: &str = "RETURNS";
/// Picked units wait here, in their totes, to be packed and handed to the carrier.
pub const PACK: &str = "PACK";
/// Stock that was on hand before locations existed (migration 0024 placed it here): somewhere
/// in the warehouse, in no known bin. Created by that migration only.
pub const STOCK: &str = "STOCK";

/// The locations created with every warehouse: code, type, pick sequence (after any bin's).
pub const DEFAULTS: [(&str, LocationKind, i64); 4] = [
    (DOCK, LocationKind::Dock, DEFAULT_PICK_SEQ),
    (DAMAGED, LocationKind::Damaged, DEFAULT_PICK_SEQ + 1),
    (RETURNS, LocationKind::Returns, DEFAULT_PICK_SEQ + 2),
    (PACK, LocationKind::Staging, DEFAULT_PICK_SEQ + 4),
];

/// Default locations come after every bin in walking order.
pub const DEFAULT_PICK_SEQ: i64 = 1_000_000_000;

/// Highest pick sequence a bin may have.
pub const MAX_PICK_SEQ: i64 = DEFAULT_PICK_SEQ - 1;

/// Most units one bin's capacity may say.
pub const MAX_CAPACITY: i64 = 1_000_000_000;

pub fn is_default_code(code: &str) -> bool {
    DEFAULTS.iter().any(|(c, _, _)| *c == code) || code == STOCK
}

/// Whether `id` is one of `warehouse`'s default locations.
pub fn is_default_id(warehouse: &WarehouseId, id: &LocationId) -> bool {
    DEFAULTS.iter().map(|(c, _, _)| *c).chain([STOCK]).any(|c| default_id(warehouse, c) == *id)
}

/// The fixed id of the default location `code` of `warehouse`.
pub fn default_id(warehouse: &WarehouseId, code: &str) -> LocationId {
    LocationId(format!("{}_{}_{}", LocationId::PREFIX, warehouse.0, code))
}

/// Whether units in `b` are physically in the warehouse (and so in some location).
pub fn is_physical(b: Bucket) -> bool {
    !matches!(b, Bucket::Outside | Bucket::InTransit)
}

/// The default location units entering `b` land in when the transfer names none: damaged goods
/// in DAMAGED, everything else at the DOCK (received goods wait there for putaway; found goods
/// wait there to be binned).
pub fn landing(b: Bucket) -> &'static str {
    match b {
        Bucket::Unfulfillable => DAMAGED,
        _ => DOCK,
    }
}

/// A location holding units of one SKU, as [`draw_order`] ranks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    pub location: LocationId,
    pub code: String,
    pub kind: LocationKind,
    pub pick_seq: i64,
    pub qty: i64,
}

/// Orders the locations holding a SKU for units leaving bucket `from` without a named location:
/// the bucket's own default first (received units from the DOCK, unfulfillable from DAMAGED),
/// then bins by pick sequence, then STOCK, the DOCK, PACK, returns, quarantine and damaged last.
pub fn draw_order(from: Bucket, holdings: &mut [Holding]) {
    let own = match from {
        Bucket::Received => Some(DOCK),
        Bucket::Unfulfillable => Some(DAMAGED),
        _ => None,
    };
    let rank = |h: &Holding| -> u8 {
        if Some(h.code.as_str()) == own {
            return 0;
        }
        if h.code == STOCK {
            return 2;
        }
        match h.kind {
            LocationKind::PickFace | LocationKind::Reserve => 1,
            LocationKind::Dock | LocationKind::Staging => 3,
            LocationKind::Returns => 4,
            LocationKind::Quarantine => 5,
            LocationKind::Damaged => 6,
        }
    };
    holdings.sort_by(|a, b| (rank(a), a.pick_seq, &a.code).cmp(&(rank(b), b.pick_seq, &b.code)));
}

/// Takes `qty` units from `holdings` in their order: `(location, units)` per location used, or
/// `None` if they hold fewer than `qty` together.
pub fn draw(holdings: &[Holding], qty: i64) -> Option<Vec<(LocationId, i64)>> {
    let mut left = qty;
    let mut out = vec![];
    for h in holdings {
        if left == 0 {
            break;
        }
        let take = h.qty.min(left);
        if take > 0 {
            out.push((h.location.clone(), take));
            left -= take;
        }
    }
    (left == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(code: &str, kind: LocationKind, seq: i64, qty: i64) -> Holding {
        Holding { location: LocationId(code.into()), code: code.into(), kind, pick_seq: seq, qty }
    }

    #[test]
    fn units_leave_bins_by_pick_sequence_then_the_dock_and_damaged_last() {
        let mut hs = vec![
            h(DAMAGED, LocationKind::Damaged, DEFAULT_PICK_SEQ + 1, 5),
            h(DOCK, LocationKind::Dock, DEFAULT_PICK_SEQ, 5),
            h("A-02", LocationKind::PickFace, 20, 1),
            h("R-01", LocationKind::Reserve, 10, 2),
        ];
        draw_order(Bucket::ReservedAllocated, &mut hs);
        let codes: Vec<&str> = hs.iter().map(|h| h.code.as_str()).collect();
        assert_eq!(codes, ["R-01", "A-02", DOCK, DAMAGED]);
        assert_eq!(
            draw(&hs, 4),
            Some(vec![(LocationId("R-01".into()), 2), (LocationId("A-02".into()), 1), (LocationId(DOCK.into()), 1)])
        );
        assert_eq!(draw(&hs, 14), None, "13 units held");
        draw_order(Bucket::Unfulfillable, &mut hs);
        assert_eq!(hs[0].code, DAMAGED);
        draw_order(Bucket::Received, &mut hs);
        assert_eq!(hs[0].code, DOCK);
    }

    #[test]
    fn kinds_read_back_from_their_names_in_any_spelling() {
        for k in LocationKind::ALL {
            assert_eq!(k.as_str().parse::<LocationKind>().unwrap_or(LocationKind::Dock), k);
        }
        assert_eq!("Pick-Face".parse::<LocationKind>().ok(), Some(LocationKind::PickFace));
        assert!("shelf".parse::<LocationKind>().unwrap_err().to_string().contains("pick_face"));
    }
}
