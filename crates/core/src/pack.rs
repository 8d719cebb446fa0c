//! Packing: every unit of an order scanned into its parcel (a unit the order does not hold is
//! refused), the parcel weighed against what its SKUs weigh, and its box measured.
//!
//! The weight check: a packed parcel weighs its units (by the SKUs' audited weights) plus the
//! box and filling, so it may weigh a little less (scales, rounding) or rather more. Outside
//! [`WeightWindow`] the parcel is held for a supervisor, who may let it go.

use std::collections::BTreeMap;

use crate::{ids::SkuId, limits, sku::Sku, CoreError, CoreResult};

/// How far a packed parcel may weigh from its units' weight before a supervisor looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeightWindow {
    /// Grams it may weigh less: the larger of these.
    pub under_g: i64,
    pub under_pct: i64,
    /// Grams it may weigh more (the box, filling): the larger of these.
    pub over_g: i64,
    pub over_pct: i64,
}

impl Default for WeightWindow {
    fn default() -> Self {
        Self { under_g: 50, under_pct: 5, over_g: 300, over_pct: 25 }
    }
}

impl WeightWindow {
    /// `None` when `measured_g` is acceptable for units weighing `expected_g`; else why not.
    pub fn check(&self, expected_g: i64, measured_g: i64) -> Option<String> {
        let under = self.under_g.max(expected_g.saturating_mul(self.under_pct) / 100);
        let over = self.over_g.max(expected_g.saturating_mul(self.over_pct) / 100);
        let (low, high) = (expected_g.saturating_sub(under).max(0), expected_g.saturating_add(over));
        if measured_g < low || measured_g > high {
            Some(format!(
                "weighs {measured_g} g; its units weigh {expected_g} g, so {low}–{high} g was expected: a supervisor must release it"
            ))
        } else {
            None
        }
    }
}

/// What the order's units weigh, by the SKUs' (audited) weights.
pub fn expected_weight_g(lines: &[(SkuId, i64)], skus: &[Sku]) -> CoreResult<i64> {
    let mut total: i64 = 0;
    for (id, qty) in lines {
        let sku = skus.iter().find(|s| s.id == *id).ok_or_else(|| CoreError::not_found("SKU", id))?;
        let w = sku.weight_g.checked_mul(*qty).ok_or_else(|| limits::too_large("weight"))?;
        total = total.checked_add(w).ok_or_else(|| limits::too_large("weight"))?;
    }
    Ok(total)
}

/// Checks a scan of `qty` units of `sku` into an order's parcel, given what was scanned so far:
/// refused when the order has no such SKU or not that many more. `code` is what was scanned,
/// for the message.
pub fn check_unit(
    lines: &[(SkuId, i64)],
    scanned: &BTreeMap<SkuId, i64>,
    sku: Option<SkuId>,
    qty: i64,
    code: &str,
) -> CoreResult<()> {
    limits::quantity("qty", qty)?;
    let want = sku.and_then(|s| lines.iter().find(|(l, _)| *l == s).map(|(_, q)| *q));
    let (Some(sku), Some(want)) = (sku, want) else {
        return Err(CoreError::invalid("sku", format!("{code} is not in this order: put it aside")));
    };
    let have = scanned.get(&sku).copied().unwrap_or(0);
    if have + qty > want {
        return Err(CoreError::invalid(
            "qty",
            format!("the order has {want} × {code} and {have} are packed: {} more at most", want - have),
        ));
    }
    Ok(())
}

/// Units still to scan, per SKU with any left.
pub fn left_to_scan(lines: &[(SkuId, i64)], scanned: &BTreeMap<SkuId, i64>) -> Vec<(SkuId, i64)> {
    lines.iter().map(|(s, q)| (*s, q - scanned.get(s).copied().unwrap_or(0))).filter(|(_, left)| *left > 0).collect()
}

/// A box's outside dimensions, each 1 mm to 3 m.
pub fn check_box(length_mm: i64, width_mm: i64, height_mm: i64) -> CoreResult<i64> {
    let mut volume: i64 = 1;
    for (field, v) in [("length_mm", length_mm), ("width_mm", width_mm), ("height_mm", height_mm)] {
        if !(1..=3_000).contains(&v) {
            return Err(CoreError::invalid(field, "a box side is 1 to 3000 mm"));
        }
        volume = volume.saturating_mul(v);
    }
    Ok(volume)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parcel_may_weigh_a_little_less_or_a_box_more_and_is_held_outside() {
        let w = WeightWindow::default();
        assert_eq!(w.check(1_000, 960), None);
        assert_eq!(w.check(1_000, 1_250), None, "a box and filling");
        assert!(w.check(1_000, 940).unwrap().contains("950–1300 g"));
        assert!(w.check(1_000, 1_301).is_some());
        assert_eq!(w.check(100, 55), None, "small parcels get 50 g either way");
        assert!(w.check(100, 401).is_some());
    }

    #[test]
    fn a_unit_not_in_the_order_or_one_too_many_is_refused() {
        let lines = [(SkuId(1), 2), (SkuId(2), 1)];
        let mut done = BTreeMap::new();
        assert!(check_unit(&lines, &done, Some(SkuId(1)), 2, "MF1").is_ok());
        assert!(check_unit(&lines, &done, Some(SkuId(3)), 1, "MF3")
            .unwrap_err()
            .to_string()
            .contains("not in this order"));
        assert!(check_unit(&lines, &done, None, 1, "junk").is_err());
        done.insert(SkuId(1), 2);
        assert!(check_unit(&lines, &done, Some(SkuId(1)), 1, "MF1")
            .unwrap_err()
            .to_string()
            .contains("0 more at most"));
        assert_eq!(left_to_scan(&lines, &done), [(SkuId(2), 1)]);
        assert!(check_box(300, 200, 0).is_err());
        assert_eq!(check_box(300, 200, 100).unwrap(), 6_000_000);
    }
}
