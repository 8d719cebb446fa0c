//! Cycle counts: staff count what a bin holds, and the variance becomes an inventory adjustment
//! (OC reason `IAA`) in the same double-entry ledger, at once when it is small, after a
//! supervisor's approval when it is not.
//!
//! The rules, all pure:
//! - a count task is for one location, of every SKU in it or of one SKU ([`CountState`] is its
//!   life: open → counted → approved / rejected, or open → adjusted when applied at once);
//! - the expected quantity is what the location holds *when the count is recorded* (a snapshot
//!   kept with the count's lines), so stock may keep moving while a task is open: the bin is not
//!   frozen, and the variance is against the bin as it was when the counter finished;
//! - the counter does not see the expected quantity (a blind count, [`shows_expected`]);
//! - a variance whose size is at most the warehouse's threshold (units, per SKU line) is
//!   applied at once; a task with any larger line waits for a supervisor ([`needs_approval`]);
//! - an adjustment never makes stock negative and never takes reserved units: units missing
//!   from a bin are written off from the buckets that are not promised to anyone
//!   ([`adjustment_buckets`]); when those do not cover the shortfall the adjustment is refused
//!   with what is reserved ([`plan`]), and the task waits for a supervisor (who may release the
//!   reservations, recount, or reject it).
//!
//! Approving applies the variance measured at count time as a delta, not the counted quantity
//! as an absolute: units that moved between the count and the approval stay accounted for.

use std::{collections::BTreeMap, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{
    actor::Actor,
    ids::{ClientId, SkuId},
    inventory::{Bucket, Position, Reason, Transfer},
    limits,
    location::{LocationKind, DAMAGED, DOCK, RETURNS},
    CoreError, CoreResult,
};

/// The threshold of a warehouse that never set one: a variance of up to 10 units per SKU is
/// applied at once.
pub const DEFAULT_APPROVAL_UNITS: i64 = 10;
/// The largest threshold a warehouse may set.
pub const MAX_APPROVAL_UNITS: i64 = 1_000_000;
/// Most scans one count's results carry.
pub const MAX_SCANS: usize = 1_000;

/// Where a count task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountState {
    /// Waiting for the counter.
    Open,
    /// Counted; its variance waits for a supervisor (above the threshold, or not coverable).
    Counted,
    /// Counted and its variance applied at once (none, or within the threshold).
    Adjusted,
    /// A supervisor approved the variance: applied.
    Approved,
    /// A supervisor rejected the count (or cancelled it before counting): nothing applied.
    Rejected,
}

impl CountState {
    pub const ALL: [Self; 5] = [Self::Open, Self::Counted, Self::Adjusted, Self::Approved, Self::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Counted => "counted",
            Self::Adjusted => "adjusted",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    /// Whether `to` may follow this state.
    pub fn may_become(self, to: Self) -> bool {
        matches!(
            (self, to),
            (Self::Open, Self::Counted | Self::Adjusted | Self::Rejected)
                | (Self::Counted, Self::Approved | Self::Rejected)
        )
    }

    /// Refuses a move the life of a task does not allow.
    pub fn ensure(self, to: Self, id: &str) -> CoreResult<()> {
        if self.may_become(to) {
            Ok(())
        } else {
            Err(CoreError::InvalidTransition {
                entity: "count",
                id: id.to_owned(),
                from: self.as_str().to_owned(),
                to: to.as_str().to_owned(),
            })
        }
    }
}

impl fmt::Display for CountState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CountState {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            CoreError::invalid(
                "state",
                format!("unknown count state '{s}' (open, counted, adjusted, approved, rejected)"),
            )
        })
    }
}

/// Whether `actor` may see the expected quantities of a task in `state`: once it is counted,
/// everyone who may see the task; before that, supervisors only (the counter counts blind).
pub fn shows_expected(state: CountState, actor: &Actor) -> bool {
    state != CountState::Open || actor.require_supervisor().is_ok()
}

/// Checks a threshold a warehouse sets.
pub fn check_threshold(units: i64) -> CoreResult<i64> {
    limits::within("count_approval_units", units, 0, MAX_APPROVAL_UNITS)
}

/// One SKU of a counted location: what it held when the count was recorded, what was counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountedLine {
    pub client: ClientId,
    pub sku: SkuId,
    pub expected: i64,
    pub counted: i64,
}

impl CountedLine {
    /// Counted minus expected: positive found, negative missing.
    pub fn variance(&self) -> CoreResult<i64> {
        self.counted.checked_sub(self.expected).ok_or_else(|| limits::too_large("variance"))
    }
}

/// One SKU scan of the results, resolved to its SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountScan {
    pub client: ClientId,
    pub sku: SkuId,
    /// The code as scanned (for messages).
    pub code: String,
    pub qty: i64,
}

/// The lines of a count: every SKU the location held (counted zero unless scanned) and every
/// SKU scanned (expected zero unless held), in SKU order. A count of one SKU (`only`) refuses a
/// scan of another, saying which it counts. `held` is `(client, SKU, units)`.
pub fn count_lines(
    held: &[(ClientId, SkuId, i64)],
    scans: &[CountScan],
    only: Option<(SkuId, &str)>,
) -> CoreResult<Vec<CountedLine>> {
    if scans.len() > MAX_SCANS {
        return Err(CoreError::invalid("scans", format!("at most {MAX_SCANS} scans a count, got {}", scans.len())));
    }
    let mut lines: BTreeMap<SkuId, CountedLine> = BTreeMap::new();
    for (client, sku, qty) in held {
        if only.is_some_and(|(o, _)| o != *sku) || *qty <= 0 {
            continue;
        }
        lines.insert(*sku, CountedLine { client: client.clone(), sku: *sku, expected: *qty, counted: 0 });
    }
    for (k, s) in scans.iter().enumerate() {
        limits::within("qty", s.qty, 0, limits::MAX_QUANTITY).map_err(|e| e.at_line(k + 1))?;
        if let Some((o, label)) = only {
            if o != s.sku {
                return Err(CoreError::invalid(
                    "code",
                    format!("this count is of SKU {label} only; {} is another SKU", s.code),
                )
                .at_line(k + 1));
            }
        }
        let line = lines.entry(s.sku).or_insert_with(|| CountedLine {
            client: s.client.clone(),
            sku: s.sku,
            expected: 0,
            counted: 0,
        });
        line.counted = line
            .counted
            .checked_add(s.qty)
            .filter(|c| *c <= limits::MAX_QUANTITY)
            .ok_or_else(|| limits::too_large("qty").at_line(k + 1))?;
    }
    Ok(lines.into_values().collect())
}

/// The largest variance of `lines`, in units either way.
pub fn largest_variance(lines: &[CountedLine]) -> CoreResult<i64> {
    let mut max = 0i64;
    for l in lines {
        let v = l.variance()?;
        max = max.max(v.checked_abs().ok_or_else(|| limits::too_large("variance"))?);
    }
    Ok(max)
}

/// Whether a count waits for a supervisor: some line's variance is larger than `threshold` units.
pub fn needs_approval(lines: &[CountedLine], threshold: i64) -> CoreResult<bool> {
    Ok(largest_variance(lines)? > threshold)
}

/// The buckets a location's units are adjusted in: where found units go, and the buckets
/// missing units are written off from, in order. Reserved buckets are never among them: units
/// promised to an order are not written off by a count.
pub fn adjustment_buckets(kind: LocationKind, code: &str) -> (Bucket, &'static [Bucket]) {
    match (kind, code) {
        // Received units wait at the dock; units put away with no bin named stayed there too.
        (_, DOCK) | (LocationKind::Dock, _) => {
            (Bucket::Received, &[Bucket::Received, Bucket::Available, Bucket::Suspend])
        }
        (_, DAMAGED) | (LocationKind::Damaged, _) => (Bucket::Unfulfillable, &[Bucket::Unfulfillable]),
        (_, RETURNS) | (LocationKind::Returns, _) => (Bucket::Received, &[Bucket::Received, Bucket::Suspend]),
        (LocationKind::Quarantine, _) => (Bucket::Suspend, &[Bucket::Suspend, Bucket::Available]),
        (LocationKind::PickFace | LocationKind::Reserve, _) => {
            (Bucket::Available, &[Bucket::Available, Bucket::Suspend])
        }
        // Units in PACK are picked for orders (reserved): found units are sellable again, but a
        // count never writes off what an order holds; a missing unit there is an order's short.
        (LocationKind::Staging, _) => (Bucket::Available, &[Bucket::Suspend]),
    }
}

/// What applying a line's variance to a location needs to know besides the line.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    pub kind: LocationKind,
    /// The location's code.
    pub code: &'a str,
    /// The units of the SKU the location holds now.
    pub holds: i64,
    /// The SKU's balances in the warehouse now.
    pub position: &'a Position,
    /// Labels for messages.
    pub sku_label: &'a str,
    pub warehouse_label: &'a str,
}

/// The ledger transfers (reason `IAA`) that apply `variance` units of a SKU at a location: found
/// units come from outside into the location's bucket; missing ones leave from the unreserved
/// buckets in order. Refused, changing nothing, when the location now holds fewer units than are
/// missing (it was emptied since the count: recount) or when the unreserved units do not cover
/// them (the message says how many are reserved).
pub fn plan(variance: i64, site: Site<'_>) -> CoreResult<Vec<Transfer>> {
    let (found, draw) = adjustment_buckets(site.kind, site.code);
    if variance == 0 {
        return Ok(vec![]);
    }
    if variance > 0 {
        return Ok(vec![Transfer::new(Bucket::Outside, found, variance, Reason::Adjustment)?]);
    }
    let missing = variance.checked_neg().ok_or_else(|| limits::too_large("variance"))?;
    if site.holds < missing {
        return Err(CoreError::Conflict(format!(
            "{} now holds {} unit(s) of SKU {}, fewer than the {missing} the count found missing: \
             stock moved since the count; recount it",
            site.code, site.holds, site.sku_label
        )));
    }
    let free: i64 = draw.iter().map(|b| site.position.get(*b)).sum();
    if free < missing {
        let reserved = site.position.get(Bucket::ReservedAllocated) + site.position.get(Bucket::ReservedHold);
        return Err(CoreError::Conflict(format!(
            "{} is {missing} unit(s) of SKU {} short, but only {free} unit(s) of it in {} are not reserved \
             ({reserved} reserved for orders): release or ship the reservations, or recount",
            site.code, site.sku_label, site.warehouse_label
        )));
    }
    let mut left = missing;
    let mut out = vec![];
    for b in draw {
        let take = site.position.get(*b).min(left);
        if take > 0 {
            out.push(Transfer::new(*b, Bucket::Outside, take, Reason::Adjustment)?);
            left -= take;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;

    use super::*;
    use crate::actor::Role;

    fn line(sku: i64, expected: i64, counted: i64) -> CountedLine {
        CountedLine { client: ClientId::from("cli_a"), sku: SkuId(sku), expected, counted }
    }

    fn scan(sku: i64, qty: i64) -> CountScan {
        CountScan { client: ClientId::from("cli_a"), sku: SkuId(sku), code: format!("MF{sku}"), qty }
    }

    fn site<'a>(kind: LocationKind, holds: i64, p: &'a Position) -> Site<'a> {
        Site { kind, code: "A-01", holds, position: p, sku_label: "S", warehouse_label: "UK1" }
    }

    #[test]
    fn lines_join_what_was_held_and_what_was_scanned() {
        let c = ClientId::from("cli_a");
        let held = [(c.clone(), SkuId(1), 5), (c.clone(), SkuId(2), 3)];
        let lines = count_lines(&held, &[scan(2, 1), scan(3, 4), scan(2, 1)], None).unwrap();
        assert_eq!(lines, vec![line(1, 5, 0), line(2, 3, 2), line(3, 0, 4)]);
        assert_eq!(largest_variance(&lines).unwrap(), 5);
        assert!(needs_approval(&lines, 4).unwrap());
        assert!(!needs_approval(&lines, 5).unwrap());
        let one = count_lines(&held, &[scan(2, 3)], Some((SkuId(2), "S2"))).unwrap();
        assert_eq!(one, vec![line(2, 3, 3)]);
        let e = count_lines(&held, &[scan(3, 1)], Some((SkuId(2), "S2"))).unwrap_err().to_string();
        assert!(e.contains("SKU S2 only") && e.contains("MF3"), "{e}");
        assert!(count_lines(&held, &[scan(1, -1)], None).is_err());
    }

    #[test]
    fn the_states_follow_the_life_of_a_count() {
        use CountState::*;
        assert!(Open.may_become(Adjusted) && Open.may_become(Counted) && Counted.may_become(Approved));
        assert!(!Adjusted.may_become(Approved) && !Rejected.may_become(Open) && !Open.may_become(Approved));
        assert!(Approved.ensure(Rejected, "cnt_1").unwrap_err().to_string().contains("approved"));
        for s in CountState::ALL {
            assert_eq!(s.as_str().parse::<CountState>().unwrap(), s);
        }
    }

    #[test]
    fn counts_are_blind_until_counted_except_for_supervisors() {
        let staff = |supervisor| Actor {
            user: None,
            name: "s".into(),
            role: Role::Staff { warehouses: vec![], supervisor },
            device: None,
        };
        assert!(!shows_expected(CountState::Open, &staff(false)));
        assert!(shows_expected(CountState::Open, &staff(true)));
        assert!(shows_expected(CountState::Counted, &staff(false)));
    }

    #[test]
    fn missing_units_come_from_unreserved_buckets_only() {
        let p = Position::from_array([0, 0, 2, 8, 0, 1, 0]);
        let t = plan(-3, site(LocationKind::PickFace, 11, &p)).unwrap();
        let got: Vec<(Bucket, Bucket, i64, Reason)> = t.iter().map(|t| (t.from, t.to, t.qty, t.reason)).collect();
        assert_eq!(
            got,
            vec![
                (Bucket::Available, Bucket::Outside, 2, Reason::Adjustment),
                (Bucket::Suspend, Bucket::Outside, 1, Reason::Adjustment)
            ]
        );
        let e = plan(-4, site(LocationKind::PickFace, 11, &p)).unwrap_err().to_string();
        assert!(e.contains("only 3 unit(s)") && e.contains("8 reserved"), "{e}");
        let e = plan(-3, site(LocationKind::PickFace, 2, &p)).unwrap_err().to_string();
        assert!(e.contains("recount"), "{e}");
        let found = plan(4, site(LocationKind::Damaged, 0, &p)).unwrap();
        assert_eq!((found[0].from, found[0].to, found[0].qty), (Bucket::Outside, Bucket::Unfulfillable, 4));
        assert_eq!(adjustment_buckets(LocationKind::Reserve, DOCK).0, Bucket::Received);
        assert!(plan(0, site(LocationKind::PickFace, 0, &p)).unwrap().is_empty());
    }

    proptest! {
        /// Whatever the balances, the location and the count, an adjustment the plan allows
        /// applies without any bucket going negative, leaves the reserved buckets as they were,
        /// and leaves the location holding what was counted.
        #[test]
        fn a_variance_never_makes_stock_negative(
            q in proptest::array::uniform7(0i64..30),
            holds in 0i64..30,
            counted in 0i64..40,
            kind in prop_oneof![
                Just(LocationKind::PickFace), Just(LocationKind::Reserve), Just(LocationKind::Dock),
                Just(LocationKind::Damaged), Just(LocationKind::Returns), Just(LocationKind::Quarantine)
            ],
        ) {
            let before = Position::from_array(q);
            let variance = counted - holds;
            let site = Site { kind, code: "X-1", holds, position: &before, sku_label: "S", warehouse_label: "W" };
            if let Ok(transfers) = plan(variance, site) {
                let mut p = before;
                let mut at = holds;
                for t in &transfers {
                    prop_assert!(p.apply(t, "S", "W").is_ok());
                    prop_assert_eq!(t.reason, Reason::Adjustment);
                    at += if t.from == Bucket::Outside { t.qty } else { -t.qty };
                }
                prop_assert!(p.negative_buckets().is_empty());
                prop_assert_eq!(at, counted);
                prop_assert!(at >= 0);
                for b in [Bucket::ReservedAllocated, Bucket::ReservedHold, Bucket::InTransit] {
                    prop_assert_eq!(p.get(b), before.get(b));
                }
            } else {
                // Refused only when the location or the unreserved units cannot cover it.
                let (_, draw) = adjustment_buckets(kind, "X-1");
                let free: i64 = draw.iter().map(|b| before.get(*b)).sum();
                prop_assert!(variance < 0 && (free < -variance || holds < -variance));
            }
        }
    }
}
