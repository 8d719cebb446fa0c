//! Waves: due orders released to the floor together.
//!
//! - [`allocate`] gives each order's units bins, first in, first out by the day the bin's units
//!   arrived, all of an order or none of it (an order half allocated would be half picked);
//! - [`plan_lists`] groups the allocated orders into pick lists: a cart of totes per service and
//!   zone (one tote per order), a list of its own for a large order;
//! - [`walk`] orders a list's picks along the bins' pick sequence;
//! - [`check_pick`] decides whether a pick scan (bin, SKU, tote, units) is the work the list
//!   expects, and says what was expected when it is not.

use std::collections::{BTreeMap, HashMap};

use crate::{
    ids::{OrderId, PickId, ServiceId, SkuId},
    location::LocationId,
    CoreError, CoreResult,
};

/// Most orders one wave releases: a bound on input, and on the release's one transaction.
pub const MAX_WAVE_ORDERS: usize = 20_000;
/// Most totes one cart carries.
pub const MAX_TOTES: usize = 50;
/// Totes on a cart unless the release says otherwise.
pub const DEFAULT_TOTES: usize = 12;
/// Orders of more units than this get a pick list of their own unless the release says otherwise.
pub const DEFAULT_SINGLE_OVER_UNITS: i64 = 30;

/// Units of a SKU in one bin that a wave may take: what the bin holds less what open picks
/// already promised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinStock {
    pub location: LocationId,
    pub code: String,
    pub zone: String,
    pub pick_seq: i64,
    /// When the bin's oldest units of the SKU arrived (UTC ms): first in, first out.
    pub since_ms: i64,
    pub free: i64,
}

/// An order a wave may take, with its lines (one per SKU).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaveOrder {
    pub id: OrderId,
    pub service: ServiceId,
    pub lines: Vec<(SkuId, i64)>,
}

impl WaveOrder {
    pub fn units(&self) -> i64 {
        self.lines.iter().map(|(_, q)| *q).fold(0i64, i64::saturating_add)
    }
}

/// Units of an order's SKU to take from one bin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocated {
    pub order: OrderId,
    pub sku: SkuId,
    pub location: LocationId,
    pub zone: String,
    pub pick_seq: i64,
    pub code: String,
    pub qty: i64,
}

/// What [`allocate`] decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allocation {
    pub picks: Vec<Allocated>,
    /// Orders fully allocated, in the order given.
    pub waved: Vec<OrderId>,
    /// Orders left out: the first SKU the bins lacked and how many units were missing.
    pub short: Vec<(OrderId, SkuId, i64)>,
}

/// Allocates `orders` in the order given (the caller puts the most urgent first) from `stock`
/// (each SKU's bins), taking from it what it gives. An order is allocated whole or not at all.
pub fn allocate(orders: &[WaveOrder], stock: &mut HashMap<SkuId, Vec<BinStock>>) -> Allocation {
    for bins in stock.values_mut() {
        bins.sort_by(|a, b| (a.since_ms, a.pick_seq, &a.code).cmp(&(b.since_ms, b.pick_seq, &b.code)));
    }
    let mut out = Allocation::default();
    'orders: for o in orders {
        let mut taken: Vec<(SkuId, usize, i64)> = vec![];
        let mut picks = vec![];
        for (sku, qty) in &o.lines {
            let mut left = *qty;
            if let Some(bins) = stock.get_mut(sku) {
                for (k, b) in bins.iter_mut().enumerate() {
                    if left == 0 {
                        break;
                    }
                    let take = b.free.min(left);
                    if take > 0 {
                        b.free -= take;
                        left -= take;
                        taken.push((*sku, k, take));
                        picks.push(Allocated {
                            order: o.id.clone(),
                            sku: *sku,
                            location: b.location.clone(),
                            zone: b.zone.clone(),
                            pick_seq: b.pick_seq,
                            code: b.code.clone(),
                            qty: take,
                        });
                    }
                }
            }
            if left > 0 {
                // Give back what this order took before it is left out.
                for (s, k, q) in taken {
                    if let Some(b) = stock.get_mut(&s).and_then(|bins| bins.get_mut(k)) {
                        b.free += q;
                    }
                }
                out.short.push((o.id.clone(), *sku, left));
                continue 'orders;
            }
        }
        out.picks.extend(picks);
        out.waved.push(o.id.clone());
    }
    out
}

/// How a wave's orders are grouped into pick lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListRules {
    /// Totes on a cart: orders per batch list.
    pub totes: usize,
    /// Orders of more units than this are picked on a list of their own.
    pub single_over_units: i64,
}

impl Default for ListRules {
    fn default() -> Self {
        Self { totes: DEFAULT_TOTES, single_over_units: DEFAULT_SINGLE_OVER_UNITS }
    }
}

impl ListRules {
    pub fn validate(&self) -> CoreResult<()> {
        if !(1..=MAX_TOTES).contains(&self.totes) {
            return Err(CoreError::invalid("totes", format!("a cart carries 1 to {MAX_TOTES} totes")));
        }
        if self.single_over_units < 1 {
            return Err(CoreError::invalid("single_over_units", "must be at least 1"));
        }
        Ok(())
    }
}

/// One pick list: its orders in tote order (tote `k + 1` holds `orders[k]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPlan {
    pub service: ServiceId,
    /// The zone all its picks are in; `None` when its orders span zones.
    pub zone: Option<String>,
    /// A large order picked on its own.
    pub single: bool,
    pub orders: Vec<OrderId>,
}

/// Groups the allocated orders (in `waved` order) into pick lists by service and zone: orders
/// whose picks are all in one zone go on that zone's carts, the others on carts of their own;
/// an order over `rules.single_over_units` units is a list by itself.
pub fn plan_lists(orders: &[WaveOrder], alloc: &Allocation, rules: ListRules) -> Vec<ListPlan> {
    let by_id: HashMap<&OrderId, &WaveOrder> = orders.iter().map(|o| (&o.id, o)).collect();
    let mut zones: HashMap<&OrderId, Option<&str>> = HashMap::new();
    for p in &alloc.picks {
        zones
            .entry(&p.order)
            .and_modify(|z| {
                if *z != Some(p.zone.as_str()) {
                    *z = None;
                }
            })
            .or_insert(Some(p.zone.as_str()));
    }
    let mut lists = vec![];
    // Groups keep the order their first order came in.
    let mut groups: BTreeMap<(usize, ServiceId, Option<String>), Vec<OrderId>> = BTreeMap::new();
    let mut first_seen: HashMap<(ServiceId, Option<String>), usize> = HashMap::new();
    for id in &alloc.waved {
        let Some(o) = by_id.get(id) else { continue };
        let zone = zones.get(id).copied().flatten().map(str::to_owned);
        if o.units() > rules.single_over_units {
            lists.push(ListPlan { service: o.service.clone(), zone, single: true, orders: vec![id.clone()] });
            continue;
        }
        let n = first_seen.len();
        let rank = *first_seen.entry((o.service.clone(), zone.clone())).or_insert(n);
        groups.entry((rank, o.service.clone(), zone)).or_default().push(id.clone());
    }
    for ((_, service, zone), ids) in groups {
        for chunk in ids.chunks(rules.totes.max(1)) {
            lists.push(ListPlan {
                service: service.clone(),
                zone: zone.clone(),
                single: false,
                orders: chunk.to_vec(),
            });
        }
    }
    lists
}

/// A pick as a picker works it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPick {
    pub id: PickId,
    pub order: OrderId,
    pub sku: SkuId,
    /// What the SKU's label says (its MFSKUID), to tell the picker.
    pub sku_code: String,
    pub location: LocationId,
    pub bin: String,
    pub pick_seq: i64,
    pub tote: i64,
    pub qty: i64,
    pub picked: i64,
    /// Units the bin did not have (re-allocated elsewhere or missing).
    pub short: i64,
}

impl OpenPick {
    /// Units still to take.
    pub fn left(&self) -> i64 {
        (self.qty - self.picked - self.short).max(0)
    }
}

/// Orders a list's picks along the walk: by the bins' pick sequence, then bin code, then tote.
pub fn walk(picks: &mut [OpenPick]) {
    picks.sort_by(|a, b| (a.pick_seq, &a.bin, a.tote, a.sku).cmp(&(b.pick_seq, &b.bin, b.tote, b.sku)));
}

/// The next pick of a list in walk order (`picks` walked), if any is left.
pub fn next_pick(picks: &[OpenPick]) -> Option<&OpenPick> {
    picks.iter().find(|p| p.left() > 0)
}

/// Which open pick a scan of `qty` units of `sku` from bin `bin` into tote `tote` fulfils, or
/// a refusal saying what the list expected: the bin must have work on this list (else the next
/// bin of the walk is named), the SKU must be due from that bin, the tote must be the order's,
/// and the units no more than are left. `short` scans (the bin had fewer units) may take fewer,
/// even none. `picks` are the list's, walked.
pub fn check_pick<'a>(
    picks: &'a [OpenPick],
    bin: &str,
    sku: SkuId,
    tote: i64,
    qty: i64,
    short: bool,
) -> CoreResult<&'a OpenPick> {
    let Some(next) = next_pick(picks) else {
        return Err(CoreError::Conflict("this pick list is complete: nothing is left to pick".into()));
    };
    let at_bin: Vec<&OpenPick> = picks.iter().filter(|p| p.left() > 0 && p.bin.eq_ignore_ascii_case(bin)).collect();
    if at_bin.is_empty() {
        return Err(CoreError::invalid(
            "bin",
            format!(
                "wrong bin {bin}: nothing to pick there on this list; next is bin {} ({} × {})",
                next.bin,
                next.left(),
                next.sku_code
            ),
        ));
    }
    let of_sku: Vec<&OpenPick> = at_bin.iter().copied().filter(|p| p.sku == sku).collect();
    if of_sku.is_empty() {
        let want: Vec<String> = at_bin.iter().map(|p| format!("{} × {}", p.left(), p.sku_code)).collect();
        return Err(CoreError::invalid(
            "sku",
            format!("wrong SKU for bin {}: expected {}", at_bin[0].bin, want.join(", ")),
        ));
    }
    let Some(pick) = of_sku.iter().copied().find(|p| p.tote == tote) else {
        let totes: Vec<String> = of_sku.iter().map(|p| format!("tote {} ({} left)", p.tote, p.left())).collect();
        return Err(CoreError::invalid(
            "tote",
            format!(
                "wrong tote {tote}: {} from bin {} goes into {}",
                of_sku[0].sku_code,
                of_sku[0].bin,
                totes.join(", ")
            ),
        ));
    };
    if qty < 0 || (!short && qty == 0) {
        return Err(CoreError::invalid("qty", "must be at least 1 (a short pick may say 0)"));
    }
    if qty > pick.left() {
        return Err(CoreError::invalid(
            "qty",
            format!(
                "only {} × {} are left to pick from bin {} for tote {}",
                pick.left(),
                pick.sku_code,
                pick.bin,
                pick.tote
            ),
        ));
    }
    Ok(pick)
}

/// How many of today's open orders will miss the cut-off at today's pick rate: the units the
/// pickers can still take before it (`units_per_hour` × the time left) against the open orders'
/// units, the shortfall counted in orders of the open orders' average size. No rate measured yet
/// (nobody picked today) projects nothing; after the cut-off every open order misses.
pub fn projected_misses(open_orders: i64, open_units: i64, units_per_hour: i64, minutes_left: i64) -> i64 {
    if open_orders <= 0 || open_units <= 0 {
        return 0;
    }
    if minutes_left <= 0 {
        return open_orders;
    }
    if units_per_hour <= 0 {
        return 0;
    }
    let can = units_per_hour.saturating_mul(minutes_left) / 60;
    let short = open_units.saturating_sub(can);
    if short <= 0 {
        return 0;
    }
    // Orders of the average size, rounded up; never more than are open.
    let per_order = (open_units + open_orders - 1) / open_orders;
    ((short + per_order - 1) / per_order.max(1)).min(open_orders)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn misses_are_projected_from_the_pick_rate_and_the_time_left() {
        // 100 units in 50 orders, 60 units an hour, 30 minutes left: 30 can be picked, 70 units
        // (35 orders of 2) miss.
        assert_eq!(projected_misses(50, 100, 60, 30), 35);
        assert_eq!(projected_misses(50, 100, 600, 30), 0, "fast enough");
        assert_eq!(projected_misses(50, 100, 60, 0), 50, "the cut-off has passed");
        assert_eq!(projected_misses(50, 100, 0, 30), 0, "no rate yet");
        assert_eq!(projected_misses(0, 0, 60, 30), 0);
        assert_eq!(projected_misses(3, 300, 1, 60), 3, "never more than are open");
    }

    fn bin(code: &str, zone: &str, seq: i64, since: i64, free: i64) -> BinStock {
        BinStock {
            location: LocationId(format!("loc_{code}")),
            code: code.into(),
            zone: zone.into(),
            pick_seq: seq,
            since_ms: since,
            free,
        }
    }

    fn order(id: &str, svc: &str, lines: &[(i64, i64)]) -> WaveOrder {
        WaveOrder { id: id.into(), service: svc.into(), lines: lines.iter().map(|(s, q)| (SkuId(*s), *q)).collect() }
    }

    #[test]
    fn oldest_units_go_first_and_an_order_is_allocated_whole_or_not_at_all() {
        let mut stock = HashMap::from([
            (SkuId(1), vec![bin("A-02", "A", 2, 200, 5), bin("A-01", "A", 1, 100, 2)]),
            (SkuId(2), vec![bin("B-01", "B", 10, 50, 1)]),
        ]);
        let orders = [
            order("o1", "s", &[(1, 3)]),
            // Wants 2 of SKU 2 but only 1 is free: left out, and its SKU 1 units stay free.
            order("o2", "s", &[(1, 2), (2, 2)]),
            order("o3", "s", &[(1, 4), (2, 1)]),
        ];
        let a = allocate(&orders, &mut stock);
        assert_eq!(a.waved, vec![OrderId::from("o1"), OrderId::from("o3")]);
        assert_eq!(a.short, vec![(OrderId::from("o2"), SkuId(2), 1)]);
        let took: Vec<(&str, &str, i64)> = a.picks.iter().map(|p| (p.order.as_str(), p.code.as_str(), p.qty)).collect();
        // A-01's units arrived first: o1 empties it before touching A-02.
        assert_eq!(took, [("o1", "A-01", 2), ("o1", "A-02", 1), ("o3", "A-02", 4), ("o3", "B-01", 1)]);
        assert!(stock.values().flatten().all(|b| b.free == 0));
    }

    #[test]
    fn lists_group_by_service_and_zone_in_carts_and_large_orders_go_alone() {
        let mut stock = HashMap::from([
            (SkuId(1), vec![bin("A-01", "A", 1, 0, 1000)]),
            (SkuId(2), vec![bin("B-01", "B", 2, 0, 1000)]),
        ]);
        let orders = [
            order("a1", "royal", &[(1, 1)]),
            order("a2", "royal", &[(1, 1)]),
            order("b1", "royal", &[(2, 1)]),
            order("a3", "royal", &[(1, 1)]),
            order("m1", "royal", &[(1, 1), (2, 1)]),
            order("d1", "dpd", &[(1, 1)]),
            order("big", "royal", &[(1, 31)]),
        ];
        let a = allocate(&orders, &mut stock);
        let lists = plan_lists(&orders, &a, ListRules { totes: 2, single_over_units: 30 });
        let shape: Vec<(&str, Option<&str>, bool, Vec<&str>)> = lists
            .iter()
            .map(|l| (l.service.as_str(), l.zone.as_deref(), l.single, l.orders.iter().map(|o| o.as_str()).collect()))
            .collect();
        assert_eq!(
            shape,
            [
                ("royal", Some("A"), true, vec!["big"]),
                ("royal", Some("A"), false, vec!["a1", "a2"]),
                ("royal", Some("A"), false, vec!["a3"]),
                ("royal", Some("B"), false, vec!["b1"]),
                ("royal", None, false, vec!["m1"]),
                ("dpd", Some("A"), false, vec!["d1"]),
            ]
        );
        assert!(ListRules { totes: 0, single_over_units: 1 }.validate().is_err());
        assert!(ListRules { totes: MAX_TOTES + 1, single_over_units: 1 }.validate().is_err());
    }

    fn pick(id: &str, bin: &str, seq: i64, sku: i64, tote: i64, qty: i64) -> OpenPick {
        OpenPick {
            id: id.into(),
            order: format!("o{tote}").as_str().into(),
            sku: SkuId(sku),
            sku_code: format!("MF{sku}"),
            location: LocationId(format!("loc_{bin}")),
            bin: bin.into(),
            pick_seq: seq,
            tote,
            qty,
            picked: 0,
            short: 0,
        }
    }

    #[test]
    fn a_wrong_bin_sku_tote_or_count_is_refused_saying_what_was_expected() {
        let mut picks =
            vec![pick("p2", "B-01", 20, 2, 1, 1), pick("p1", "A-01", 10, 1, 2, 3), pick("p3", "A-01", 10, 1, 1, 1)];
        walk(&mut picks);
        let order: Vec<&str> = picks.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(order, ["p3", "p1", "p2"]);
        let err = |r: CoreResult<&OpenPick>| r.unwrap_err().to_string();
        assert!(err(check_pick(&picks, "C-09", SkuId(1), 1, 1, false)).contains("next is bin A-01 (1 × MF1)"));
        assert!(err(check_pick(&picks, "A-01", SkuId(2), 1, 1, false)).contains("expected 1 × MF1, 3 × MF1"));
        assert!(err(check_pick(&picks, "A-01", SkuId(1), 5, 1, false)).contains("tote 1 (1 left), tote 2 (3 left)"));
        assert!(err(check_pick(&picks, "A-01", SkuId(1), 2, 4, false)).contains("only 3"));
        assert!(check_pick(&picks, "A-01", SkuId(1), 2, 0, false).is_err());
        assert_eq!(check_pick(&picks, "a-01", SkuId(1), 2, 0, true).unwrap().id.as_str(), "p1");
        // Another bin of the list may be picked out of walk order.
        assert_eq!(check_pick(&picks, "B-01", SkuId(2), 1, 1, false).unwrap().id.as_str(), "p2");
        for p in &mut picks {
            p.picked = p.qty;
        }
        assert!(err(check_pick(&picks, "A-01", SkuId(1), 2, 1, false)).contains("complete"));
    }
}
