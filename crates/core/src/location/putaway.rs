//! Where received units go: the putaway suggestion, and whether a bin has room.

use super::{Location, LocationKind};
use crate::{CoreError, CoreResult};

/// A location as the suggestion sees it: what it holds in all, and of the SKU being put away.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub location: &'a Location,
    /// Units of every SKU in it.
    pub units: i64,
    /// Units of the SKU being put away in it.
    pub sku_units: i64,
}

/// Room left in a location holding `units`: `None` when it has no capacity.
pub fn room(capacity: Option<i64>, units: i64) -> Option<i64> {
    capacity.map(|c| c.saturating_sub(units).max(0))
}

/// Refuses `qty` more units into `location` (holding `units`) past its capacity, saying the
/// free space.
pub fn ensure_room(location: &Location, units: i64, qty: i64) -> CoreResult<()> {
    match room(location.capacity, units) {
        Some(free) if qty > free => Err(CoreError::Conflict(format!(
            "bin {} has room for {free} more unit(s) (capacity {}, holding {units}); {qty} do not fit",
            location.code,
            location.capacity.unwrap_or_default()
        ))),
        _ => Ok(()),
    }
}

/// Whether `qty` units may be put away into `l`: a bin for sellable stock, enabled, with room.
fn fits(c: &Candidate<'_>, qty: i64) -> bool {
    let l = c.location;
    !l.disabled && !l.is_default() && l.kind.takes_putaway() && room(l.capacity, c.units).is_none_or(|r| r >= qty)
}

/// The bin `qty` units of a SKU should go to: the SKU's own pick face with room (lowest pick
/// sequence first), else an empty pick face or reserve bin, in the zone the SKU already lives
/// in first, pick faces before reserve, by pick sequence then code. `None`: no bin fits, staff
/// choose one (and confirm it).
pub fn suggest<'a>(candidates: &[Candidate<'a>], qty: i64) -> Option<&'a Location> {
    if let Some(own) = own_pick_face(candidates, qty) {
        return Some(own);
    }
    let key = |c: &Candidate<'_>| (c.location.pick_seq, c.location.code.clone());
    let zone = candidates
        .iter()
        .filter(|c| c.sku_units > 0 && !c.location.is_default())
        .min_by_key(|c| key(c))
        .map(|c| c.location.zone.as_str());
    candidates
        .iter()
        .filter(|c| c.units == 0 && fits(c, qty))
        .min_by_key(|c| {
            let l = c.location;
            (Some(l.zone.as_str()) != zone, l.kind != LocationKind::PickFace, l.pick_seq, l.code.clone())
        })
        .map(|c| c.location)
}

/// The first rule of [`suggest`] alone: the SKU's own pick face that takes `qty` more, first in
/// walking order. When it answers, no empty bin needs to be looked for.
pub fn own_pick_face<'a>(candidates: &[Candidate<'a>], qty: i64) -> Option<&'a Location> {
    candidates
        .iter()
        .filter(|c| c.sku_units > 0 && c.location.kind == LocationKind::PickFace && fits(c, qty))
        .min_by_key(|c| (c.location.pick_seq, c.location.code.clone()))
        .map(|c| c.location)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{ids::WarehouseId, location::LocationId};

    fn loc(code: &str, kind: LocationKind, seq: i64, capacity: Option<i64>) -> Location {
        Location {
            id: LocationId(code.into()),
            warehouse_id: WarehouseId::from("wh_1"),
            code: code.into(),
            zone: super::super::code::zone_of(code).into(),
            kind,
            pick_seq: seq,
            capacity,
            disabled: false,
            created_at_ms: 0,
        }
    }

    fn pick(ls: &[(Location, i64, i64)], qty: i64) -> Option<String> {
        let cs: Vec<Candidate<'_>> = ls
            .iter()
            .map(|(l, units, sku_units)| Candidate { location: l, units: *units, sku_units: *sku_units })
            .collect();
        suggest(&cs, qty).map(|l| l.code.clone())
    }

    #[test]
    fn the_skus_own_pick_face_comes_first_then_an_empty_bin_by_sequence() {
        let dock = loc("DOCK", LocationKind::Dock, crate::location::DEFAULT_PICK_SEQ, None);
        let a1 = loc("A-01-01-1", LocationKind::PickFace, 1, Some(10));
        let a2 = loc("A-01-01-2", LocationKind::PickFace, 2, None);
        let b1 = loc("B-01-01-1", LocationKind::PickFace, 0, None);
        let r1 = loc("R-01", LocationKind::Reserve, 3, None);
        // Nothing anywhere: the empty bin with the lowest sequence, a pick face.
        let empty =
            [(dock.clone(), 50, 50), (a1.clone(), 0, 0), (a2.clone(), 0, 0), (b1.clone(), 0, 0), (r1.clone(), 0, 0)];
        assert_eq!(pick(&empty, 5).as_deref(), Some("B-01-01-1"));
        // The SKU's pick face with room wins over emptier bins.
        let own = [(a1.clone(), 4, 4), (a2.clone(), 0, 0), (b1.clone(), 0, 0)];
        assert_eq!(pick(&own, 6).as_deref(), Some("A-01-01-1"));
        // Full: an empty bin in the SKU's zone before one elsewhere.
        assert_eq!(pick(&own, 7).as_deref(), Some("A-01-01-2"));
        // Only reserve left.
        let reserve = [(a1.clone(), 9, 0), (r1.clone(), 0, 0)];
        assert_eq!(pick(&reserve, 1).as_deref(), Some("R-01"));
        // A disabled bin, the dock and a full bin are never suggested.
        let mut off = a2.clone();
        off.disabled = true;
        assert_eq!(pick(&[(off, 0, 0), (dock, 0, 0), (a1, 10, 10)], 1), None);
    }

    #[test]
    fn the_own_pick_face_answers_alone_only_when_it_has_room() {
        let a1 = loc("A-01-01-1", LocationKind::PickFace, 1, Some(10));
        let r1 = loc("R-01", LocationKind::Reserve, 0, None);
        let own = |units| {
            [Candidate { location: &a1, units, sku_units: units }, Candidate { location: &r1, units: 5, sku_units: 5 }]
        };
        assert_eq!(own_pick_face(&own(4), 6).map(|l| l.code.as_str()), Some("A-01-01-1"));
        // Full, or the SKU only in reserve: empty bins must be looked for.
        assert_eq!(own_pick_face(&own(4), 7), None);
        assert_eq!(own_pick_face(&[Candidate { location: &r1, units: 5, sku_units: 5 }], 1), None);
    }

    #[test]
    fn room_says_the_free_space() {
        let l = loc("A-1", LocationKind::PickFace, 1, Some(10));
        assert!(ensure_room(&l, 7, 3).is_ok());
        let e = ensure_room(&l, 7, 4).unwrap_err().to_string();
        assert!(e.contains("room for 3 more") && e.contains("A-1"), "{e}");
        assert!(ensure_room(&loc("B", LocationKind::Reserve, 1, None), 1_000, 1_000).is_ok());
    }
}
