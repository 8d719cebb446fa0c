//! Property test: random sequences of receiving, putaway, bin moves, reservations, shipping and
//! damage, placed by the core's rules ([`landing`], [`draw_order`], [`draw`]) as the store
//! places them, keep the units over the locations equal to the physical buckets, and no
//! location negative.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::{draw, draw_order, is_physical, landing, Holding, LocationId, LocationKind, DAMAGED, DOCK};
use crate::inventory::{Bucket, Position, Reason, Transfer};

const BINS: [(&str, LocationKind, i64); 5] = [
    (DOCK, LocationKind::Dock, 1_000_000_000),
    (DAMAGED, LocationKind::Damaged, 1_000_000_001),
    ("A-1", LocationKind::PickFace, 1),
    ("A-2", LocationKind::PickFace, 2),
    ("R-1", LocationKind::Reserve, 3),
];

#[derive(Debug, Clone)]
enum Op {
    Receive(i64),
    PutAway(i64, usize),
    Move(i64, usize, usize),
    Reserve(i64),
    Ship(i64),
    Damage(i64),
    WriteOff(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1i64..20).prop_map(Op::Receive),
        (1i64..20, 2usize..5).prop_map(|(q, b)| Op::PutAway(q, b)),
        (1i64..10, 0usize..5, 0usize..5).prop_map(|(q, f, t)| Op::Move(q, f, t)),
        (1i64..10).prop_map(Op::Reserve),
        (1i64..10).prop_map(Op::Ship),
        (1i64..5).prop_map(Op::Damage),
        (1i64..5).prop_map(Op::WriteOff),
    ]
}

struct World {
    pos: Position,
    bins: BTreeMap<&'static str, i64>,
}

impl World {
    fn holdings(&self) -> Vec<Holding> {
        BINS.iter()
            .map(|(code, kind, seq)| Holding {
                location: LocationId((*code).into()),
                code: (*code).into(),
                kind: *kind,
                pick_seq: *seq,
                qty: self.bins.get(code).copied().unwrap_or(0),
            })
            .collect()
    }

    /// Applies a transfer, placing its units as the store does; all or nothing.
    fn transfer(&mut self, t: Transfer, to: Option<&'static str>) {
        let mut pos = self.pos;
        if pos.apply(&t, "S", "W").is_err() {
            return;
        }
        let mut bins = self.bins.clone();
        let (pf, pt) = (is_physical(t.from), is_physical(t.to));
        if pf != pt || to.is_some() {
            if pf {
                let mut hs = self.holdings();
                draw_order(t.from, &mut hs);
                let Some(drawn) = draw(&hs, t.qty) else { return };
                for (l, q) in drawn {
                    let code = BINS.iter().find(|b| b.0 == l.0).map(|b| b.0).unwrap_or(DOCK);
                    *bins.entry(code).or_default() -= q;
                }
            }
            if pt {
                *bins.entry(to.unwrap_or(landing(t.to))).or_default() += t.qty;
            }
        }
        self.pos = pos;
        self.bins = bins;
    }

    fn physical(&self) -> i64 {
        Bucket::HELD.iter().filter(|b| is_physical(**b)).map(|b| self.pos.get(*b)).sum()
    }
}

fn t(from: Bucket, to: Bucket, q: i64, r: Reason) -> Option<Transfer> {
    Transfer::new(from, to, q, r).ok()
}

proptest! {
    #[test]
    fn locations_always_add_up_to_the_physical_buckets(ops in proptest::collection::vec(op(), 1..60)) {
        let mut w = World { pos: Position::default(), bins: BTreeMap::new() };
        for o in ops {
            match o {
                Op::Receive(q) => {
                    if let Some(x) = t(Bucket::Outside, Bucket::Received, q, Reason::Received) { w.transfer(x, None) }
                }
                Op::PutAway(q, b) => {
                    if let Some(x) = t(Bucket::Received, Bucket::Available, q, Reason::PutAway) { w.transfer(x, Some(BINS[b].0)) }
                }
                Op::Move(q, f, to) => {
                    let (f, to) = (BINS[f].0, BINS[to].0);
                    if f != to && w.bins.get(f).copied().unwrap_or(0) >= q {
                        *w.bins.entry(f).or_default() -= q;
                        *w.bins.entry(to).or_default() += q;
                    }
                }
                Op::Reserve(q) => {
                    if let Some(x) = t(Bucket::Available, Bucket::ReservedAllocated, q, Reason::OutboundSubmitted) { w.transfer(x, None) }
                }
                Op::Ship(q) => {
                    if let Some(x) = t(Bucket::ReservedAllocated, Bucket::Outside, q, Reason::OutboundFulfilled) { w.transfer(x, None) }
                }
                Op::Damage(q) => {
                    if let Some(x) = t(Bucket::Outside, Bucket::Unfulfillable, q, Reason::Adjustment) { w.transfer(x, None) }
                }
                Op::WriteOff(q) => {
                    if let Some(x) = t(Bucket::Unfulfillable, Bucket::Outside, q, Reason::Adjustment) { w.transfer(x, None) }
                }
            }
            prop_assert_eq!(w.bins.values().sum::<i64>(), w.physical());
            prop_assert!(w.bins.values().all(|q| *q >= 0), "{:?}", w.bins);
        }
    }
}
