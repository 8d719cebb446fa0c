//! Property tests: random sequences of warehouse operations, driven through the core's own rules,
//! must keep every ledger invariant (balances = sum of transfers, no negative bucket, money
//! conserved, reservations = open orders).

use proptest::prelude::*;

use crate::{
    balance::{Account, MoneyBucket, MoneyTransfer},
    ids::SkuId,
    inventory::{Bucket, Position, Transfer},
    outbound::{effect_of, ledger_moves, Effect, OutboundStatus},
};

#[derive(Debug, Clone)]
enum Op {
    TopUp(i64),
    Stock(i64),
    Place { qty: i64, fee: i64 },
    Move { order: usize, to: usize },
    Adjust(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1i64..5_000).prop_map(Op::TopUp),
        (1i64..20).prop_map(Op::Stock),
        (1i64..6, 0i64..2_000).prop_map(|(qty, fee)| Op::Place { qty, fee }),
        (0usize..32, 0usize..OutboundStatus::ALL.len()).prop_map(|(order, to)| Op::Move { order, to }),
        (-10i64..10).prop_map(Op::Adjust),
    ]
}

struct World {
    pos: Position,
    transfers: Vec<Transfer>,
    account: Account,
    money: Vec<MoneyTransfer>,
    orders: Vec<(OutboundStatus, i64, i64)>,
}

impl World {
    fn stock(&mut self, t: Transfer) -> bool {
        if self.pos.apply(&t, "S", "W").is_ok() {
            self.transfers.push(t);
            true
        } else {
            false
        }
    }

    fn money(&mut self, t: MoneyTransfer) -> bool {
        if self.account.apply(&t, "GBP").is_ok() {
            self.money.push(t);
            true
        } else {
            false
        }
    }

    /// Applies an effect all-or-nothing, as the store's transaction does.
    fn effect(&mut self, e: Effect, qty: i64, fee: i64) -> bool {
        let (pos, acc, nt, nm) = (self.pos, self.account, self.transfers.len(), self.money.len());
        let moves = ledger_moves(&[(SkuId(1), qty)], e).unwrap();
        let mut ok = moves.into_iter().all(|(_, t)| self.stock(t));
        if ok && fee > 0 {
            ok = match e {
                Effect::Reserve => self.money(MoneyTransfer::hold(fee).unwrap()),
                Effect::Release => self.money(MoneyTransfer::release(fee).unwrap()),
                Effect::Consume => self.money(MoneyTransfer::charge(fee).unwrap()),
                Effect::None => true,
            };
        }
        if !ok {
            self.pos = pos;
            self.account = acc;
            self.transfers.truncate(nt);
            self.money.truncate(nm);
        }
        ok
    }

    fn check(&self) {
        assert_eq!(self.pos, Position::replay(&self.transfers).unwrap(), "stock balances = sum of transfers");
        assert!(self.pos.negative_buckets().is_empty(), "no negative stock bucket");
        assert_eq!(self.account, Account::replay(&self.money).unwrap(), "money balances = sum of transfers");
        for b in MoneyBucket::HELD {
            assert!(self.account.get(b) >= 0, "no negative money bucket");
        }
        let topped_up: i64 = self.money.iter().filter(|t| t.from == MoneyBucket::Outside).map(|t| t.amount).sum();
        let inside: i64 = MoneyBucket::HELD.iter().map(|b| self.account.get(*b)).sum();
        assert_eq!(topped_up, inside, "money is conserved");
        let reserved: i64 = self.orders.iter().filter(|(s, ..)| s.holds_reservation()).map(|(_, q, _)| q).sum();
        assert_eq!(self.pos.get(Bucket::ReservedAllocated), reserved, "reservations = open orders");
        let held: i64 = self.orders.iter().filter(|(s, ..)| s.holds_reservation()).map(|(.., f)| f).sum();
        assert_eq!(self.account.get(MoneyBucket::Held), held, "held money = fees of open orders");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn ledgers_stay_consistent(ops in prop::collection::vec(op(), 1..80)) {
        let mut w = World { pos: Position::default(), transfers: vec![], account: Account::default(), money: vec![], orders: vec![] };
        for op in ops {
            match op {
                Op::TopUp(a) => { w.money(MoneyTransfer::top_up(a).unwrap()); }
                Op::Stock(q) => { w.stock(Transfer::adjustment(Bucket::Available, q).unwrap()); }
                Op::Adjust(d) if d != 0 => { w.stock(Transfer::adjustment(Bucket::Available, d).unwrap()); }
                Op::Adjust(_) => {}
                Op::Place { qty, fee } => {
                    if w.effect(Effect::Reserve, qty, fee) {
                        w.orders.push((OutboundStatus::Submitted, qty, fee));
                    }
                }
                Op::Move { order, to } => {
                    if let Some(&(from, qty, fee)) = w.orders.get(order) {
                        let to = OutboundStatus::ALL[to];
                        if let Ok(e) = from.transition(to, "o") {
                            prop_assert_eq!(e, effect_of(from, to));
                            if w.effect(e, qty, fee) {
                                w.orders[order].0 = to;
                            }
                        }
                    }
                }
            }
            w.check();
        }
    }
}
