//! Returns (RMAs): a buyer sends goods back against a return authorisation (Bird's `RETURN`
//! consignment), the warehouse receives them unit by unit with their condition, then runs the
//! action the seller chose (or, after an inspection, the one staff decide on).
//!
//! The authorisation itself is an outbound order of kind [`OrderKind::Return`] (so every door
//! creates, reads, lists and fills it like any consignment); it reserves no stock and holds no
//! fee. What happens on the floor is this module's state machine, kept beside the order:
//!
//! ```text
//! (expected: the order, Draft or Submitted) --receive--> Received --restock|hold|dispose|forward--> Completed
//!                                                        Received --inspect--> Inspecting --decide--> Completed
//! ```
//!
//! Stock: a receipt brings good units `outside → received` (they land on the dock and the bins
//! part places them) and damaged ones `outside → unfulfillable`, both with reason RTN. Completing
//! moves them on ([`completion_moves`]): restock `received → available` (PAC), hold `received →
//! suspend` (OEH), dispose and forward everything `→ outside` (DSP, RTF). Damaged units are never
//! restocked: they stay unfulfillable unless disposed of or forwarded.
//!
//! Money: nothing at receipt (the goods are here whatever the balance says); at completion one
//! charge from the returns rate card ([`ReturnRates::fee`]), refused with the action when the
//! balance cannot cover it, so no balance ever goes negative.

use std::{collections::BTreeMap, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use crate::outbound::OrderKind;
use crate::{
    ids::SkuId,
    inventory::{Bucket, Reason, Transfer},
    limits, CoreError, CoreResult,
};

/// The code of each warehouse's internal service that carries return authorisations created
/// without a delivery service. Never listed and never offered for anything but returns.
pub const RETURN_SERVICE_CODE: &str = "_RETURN";

/// Order attribute: the action the seller asked for (a [`ReturnAction`] name).
pub const ACTION_ATTR: &str = "return_action";
/// Order attribute: the tracking number the buyer ships the return with.
pub const TRACKING_ATTR: &str = "return_tracking_number";
/// Order attributes the store keeps in step with a received return, so every door rendering the
/// consignment shows its progress: its [`ReturnStatus`], the action that completed it, units
/// received good and damaged, and the fee charged (`"240 GBP"`).
pub const STATUS_ATTR: &str = "return_status";
pub const OUTCOME_ATTR: &str = "return_outcome";
pub const GOOD_ATTR: &str = "return_good";
pub const DAMAGED_ATTR: &str = "return_damaged";
pub const FEE_ATTR: &str = "return_fee";

/// What is done with returned goods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReturnAction {
    /// Back on the shelf, sellable again (Bird CONTAINER).
    Restock,
    /// Kept aside for the seller, e.g. to ship home (Bird SELLER).
    Hold,
    /// Destroyed, written off (Bird DISPOSE).
    Dispose,
    /// Inspected first; staff then decide one of the others (Bird CHECK).
    Inspect,
    /// Sent on to another address (Bird TRANSFER).
    Forward,
}

impl ReturnAction {
    pub const ALL: [Self; 5] = [Self::Restock, Self::Hold, Self::Dispose, Self::Inspect, Self::Forward];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Restock => "RESTOCK",
            Self::Hold => "HOLD",
            Self::Dispose => "DISPOSE",
            Self::Inspect => "INSPECT",
            Self::Forward => "FORWARD",
        }
    }

    /// Whether the action ends the return (inspection leads to a decision instead).
    pub fn is_final(self) -> bool {
        self != Self::Inspect
    }
}

impl fmt::Display for ReturnAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReturnAction {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::ALL.into_iter().find(|a| a.as_str().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            CoreError::invalid(
                "action",
                format!("unknown return action '{s}': expected RESTOCK, HOLD, DISPOSE, INSPECT or FORWARD"),
            )
        })
    }
}

/// Where a received return is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReturnStatus {
    /// Counted in; waiting for its action.
    Received,
    /// Being inspected; waiting for staff's decision.
    Inspecting,
    /// Its action ran.
    Completed,
}

impl ReturnStatus {
    pub const ALL: [Self; 3] = [Self::Received, Self::Inspecting, Self::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "RECEIVED",
            Self::Inspecting => "INSPECTING",
            Self::Completed => "COMPLETED",
        }
    }

    /// Checks that `action` may run now: any action on a received return; on one being
    /// inspected, only a decision (not a second inspection); nothing once completed.
    pub fn can_run(self, action: ReturnAction, id: &str) -> CoreResult<()> {
        let ok = match self {
            Self::Received => true,
            Self::Inspecting => action.is_final(),
            Self::Completed => false,
        };
        if ok {
            Ok(())
        } else {
            Err(CoreError::InvalidTransition {
                entity: "return",
                id: id.to_owned(),
                from: self.as_str().to_owned(),
                to: action.as_str().to_owned(),
            })
        }
    }
}

impl fmt::Display for ReturnStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReturnStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| CoreError::invalid("status", format!("unknown return status '{s}'")))
    }
}

/// The state a returned unit arrives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Good,
    Damaged,
}

impl FromStr for Condition {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "good" => Ok(Self::Good),
            "damaged" => Ok(Self::Damaged),
            _ => Err(CoreError::invalid("condition", format!("unknown condition '{s}': expected good or damaged"))),
        }
    }
}

/// One counted line of a receipt: `qty` units of `sku` in `condition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    pub sku: SkuId,
    pub condition: Condition,
    pub qty: i64,
}

/// What came back of one SKU line of the authorisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedLine {
    pub sku: SkuId,
    pub expected: i64,
    pub good: i64,
    pub damaged: i64,
}

impl ReceivedLine {
    pub fn units(&self) -> i64 {
        self.good.saturating_add(self.damaged)
    }
}

/// Checks a receipt against the authorisation's lines and totals it per SKU. Units of a SKU the
/// RMA does not list, or more units than it lists, are refused with a message naming what was
/// expected (a wrong scan tells staff what to look for). Expected lines with nothing counted are
/// kept with zeros: a short return is recorded, not refused.
pub fn check_receipt(expected: &[(SkuId, i64)], counted: &[Counted]) -> CoreResult<Vec<ReceivedLine>> {
    if counted.is_empty() {
        return Err(CoreError::invalid("lines", "a receipt needs at least one counted unit"));
    }
    limits::lines("lines", counted.len())?;
    let listing = || expected.iter().map(|(s, q)| format!("{q} × SKU {s}")).collect::<Vec<_>>().join(", ");
    let mut lines: BTreeMap<SkuId, ReceivedLine> =
        expected.iter().map(|(sku, q)| (*sku, ReceivedLine { sku: *sku, expected: *q, good: 0, damaged: 0 })).collect();
    for (k, c) in counted.iter().enumerate() {
        limits::quantity(&format!("lines[{k}].qty"), c.qty)?;
        let Some(line) = lines.get_mut(&c.sku) else {
            return Err(CoreError::invalid(
                format!("lines[{k}].sku"),
                format!("SKU {} is not on this return; expected {}", c.sku, listing()),
            ));
        };
        let slot = match c.condition {
            Condition::Good => &mut line.good,
            Condition::Damaged => &mut line.damaged,
        };
        *slot = slot.checked_add(c.qty).ok_or_else(|| limits::too_large("qty"))?;
        if line.units() > line.expected {
            return Err(CoreError::invalid(
                format!("lines[{k}].qty"),
                format!(
                    "{} units of SKU {} counted but the return lists {}; expected {}",
                    line.units(),
                    c.sku,
                    line.expected,
                    listing()
                ),
            ));
        }
    }
    Ok(lines.into_values().collect())
}

/// The stock transfers of a receipt: good units to `received`, damaged to `unfulfillable`.
pub fn receipt_moves(lines: &[ReceivedLine]) -> CoreResult<Vec<(SkuId, Transfer)>> {
    let mut out = vec![];
    for l in lines {
        if l.good > 0 {
            out.push((l.sku, Transfer::new(Bucket::Outside, Bucket::Received, l.good, Reason::ReturnReceived)?));
        }
        if l.damaged > 0 {
            out.push((
                l.sku,
                Transfer::new(Bucket::Outside, Bucket::Unfulfillable, l.damaged, Reason::ReturnReceived)?,
            ));
        }
    }
    Ok(out)
}

/// The stock transfers that complete a return with `action` (an inspection moves nothing).
pub fn completion_moves(action: ReturnAction, lines: &[ReceivedLine]) -> CoreResult<Vec<(SkuId, Transfer)>> {
    let mut out = vec![];
    for l in lines {
        let good = match action {
            ReturnAction::Inspect => None,
            ReturnAction::Restock => Some((Bucket::Available, Reason::PutAway)),
            ReturnAction::Hold => Some((Bucket::Suspend, Reason::Frozen)),
            ReturnAction::Dispose => Some((Bucket::Outside, Reason::Disposed)),
            ReturnAction::Forward => Some((Bucket::Outside, Reason::ReturnForwarded)),
        };
        let damaged = match action {
            ReturnAction::Dispose => Some(Reason::Disposed),
            ReturnAction::Forward => Some(Reason::ReturnForwarded),
            _ => None,
        };
        if let (Some((to, reason)), true) = (good, l.good > 0) {
            out.push((l.sku, Transfer::new(Bucket::Received, to, l.good, reason)?));
        }
        if let (Some(reason), true) = (damaged, l.damaged > 0) {
            out.push((l.sku, Transfer::new(Bucket::Unfulfillable, Bucket::Outside, l.damaged, reason)?));
        }
    }
    Ok(out)
}

/// The price of one action: per return and per unit received, in minor units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRate {
    pub per_return: i64,
    pub per_unit: i64,
}

/// The operator's returns price list, in minor units of the client's currency: receiving per
/// unit, and each action per return and per unit. One card per warehouse, [`ReturnRates::standard`]
/// until the operator sets one; Bird's `return-consignment-action` rows show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRates {
    pub receive_per_unit: i64,
    pub actions: BTreeMap<ReturnAction, ActionRate>,
}

impl ReturnRates {
    /// The standard card: receiving 0.20 a unit; restock 1.50 + 0.10/unit, hold 1.00, dispose
    /// 0.80 + 0.05/unit, inspect 2.00, forward 1.50 + 0.10/unit.
    pub fn standard() -> Self {
        let r = |per_return, per_unit| ActionRate { per_return, per_unit };
        Self {
            receive_per_unit: 20,
            actions: [
                (ReturnAction::Restock, r(150, 10)),
                (ReturnAction::Hold, r(100, 0)),
                (ReturnAction::Dispose, r(80, 5)),
                (ReturnAction::Inspect, r(200, 0)),
                (ReturnAction::Forward, r(150, 10)),
            ]
            .into_iter()
            .collect(),
        }
    }

    /// Checks an operator's card: every amount within [`limits::MAX_AMOUNT_MINOR`], none negative.
    pub fn validate(&self) -> CoreResult<()> {
        limits::amount_minor("receive_per_unit", self.receive_per_unit)?;
        for (a, r) in &self.actions {
            limits::amount_minor(&format!("{a}.per_return"), r.per_return)?;
            limits::amount_minor(&format!("{a}.per_unit"), r.per_unit)?;
        }
        Ok(())
    }

    pub fn rate(&self, action: ReturnAction) -> ActionRate {
        self.actions.get(&action).copied().unwrap_or_default()
    }

    /// What completing a return of `units` received units with `action` costs: receiving, the
    /// inspection if there was one, and the action. Checked: a total that does not fit is an
    /// error, never a wrap.
    pub fn fee(&self, action: ReturnAction, units: i64, inspected: bool) -> CoreResult<i64> {
        let too_large = || limits::too_large("fee");
        let of = |r: ActionRate| r.per_unit.checked_mul(units).and_then(|u| u.checked_add(r.per_return));
        let mut total = self.receive_per_unit.checked_mul(units).ok_or_else(too_large)?;
        if inspected && action != ReturnAction::Inspect {
            total =
                total.checked_add(of(self.rate(ReturnAction::Inspect)).ok_or_else(too_large)?).ok_or_else(too_large)?;
        }
        total = total.checked_add(of(self.rate(action)).ok_or_else(too_large)?).ok_or_else(too_large)?;
        Ok(total)
    }
}

/// Checks a photo's blob key as the blob store will (relative, `/`-separated, no `.`/`..`), so a
/// key that could never be read is refused at the door.
pub fn validate_photo_key(key: &str) -> CoreResult<()> {
    let bad = key.is_empty()
        || key.len() > 512
        || key.starts_with('/')
        || key.contains('\\')
        || key.contains('\0')
        || key.split('/').any(|c| c.is_empty() || c == "." || c == "..");
    if bad {
        Err(CoreError::invalid(
            "photo",
            format!("'{key}' is not a blob key (a relative path such as returns/R1/1.jpg)"),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(sku: i64, condition: Condition, qty: i64) -> Counted {
        Counted { sku: SkuId(sku), condition, qty }
    }

    #[test]
    fn receipts_are_bounded_by_the_authorisation() {
        let rma = [(SkuId(1), 2), (SkuId(2), 1)];
        let lines = check_receipt(&rma, &[c(1, Condition::Good, 1), c(1, Condition::Damaged, 1)]).unwrap();
        assert_eq!(lines[0], ReceivedLine { sku: SkuId(1), expected: 2, good: 1, damaged: 1 });
        assert_eq!(lines[1].units(), 0, "a short line is kept");
        let e = check_receipt(&rma, &[c(1, Condition::Good, 3)]).unwrap_err().to_string();
        assert!(e.contains("3 units of SKU 1 counted but the return lists 2; expected 2 × SKU 1, 1 × SKU 2"), "{e}");
        let e = check_receipt(&rma, &[c(9, Condition::Good, 1)]).unwrap_err().to_string();
        assert!(e.contains("SKU 9 is not on this return"), "{e}");
        assert!(check_receipt(&rma, &[c(1, Condition::Good, 0)]).is_err());
        assert!(check_receipt(&rma, &[]).is_err());
        assert!(check_receipt(&rma, &[c(1, Condition::Good, i64::MAX)]).is_err());
    }

    #[test]
    fn every_action_moves_what_came_in() {
        let lines = [ReceivedLine { sku: SkuId(1), expected: 3, good: 2, damaged: 1 }];
        let received = receipt_moves(&lines).unwrap();
        assert_eq!(received.len(), 2);
        for a in ReturnAction::ALL {
            let moves = completion_moves(a, &lines).unwrap();
            // What the receipt put in `received` leaves it (but on inspection); the damaged unit
            // leaves only when the goods leave.
            let out_of_received: i64 =
                moves.iter().filter(|(_, t)| t.from == Bucket::Received).map(|(_, t)| t.qty).sum();
            assert_eq!(out_of_received, if a == ReturnAction::Inspect { 0 } else { 2 }, "{a}");
            let damaged_out = moves.iter().any(|(_, t)| t.from == Bucket::Unfulfillable);
            assert_eq!(damaged_out, matches!(a, ReturnAction::Dispose | ReturnAction::Forward), "{a}");
        }
        let restock = completion_moves(ReturnAction::Restock, &lines).unwrap();
        assert_eq!(restock[0].1.to, Bucket::Available);
    }

    #[test]
    fn the_state_machine_runs_each_action_once() {
        use ReturnAction::*;
        ReturnStatus::Received.can_run(Inspect, "r").unwrap();
        ReturnStatus::Inspecting.can_run(Restock, "r").unwrap();
        assert!(ReturnStatus::Inspecting.can_run(Inspect, "r").is_err());
        for a in ReturnAction::ALL {
            assert!(ReturnStatus::Completed.can_run(a, "r").is_err());
            assert_eq!(a.as_str().parse::<ReturnAction>().unwrap(), a);
        }
    }

    #[test]
    fn fees_add_up_and_never_wrap() {
        let r = ReturnRates::standard();
        assert_eq!(r.fee(ReturnAction::Restock, 3, false).unwrap(), 60 + 150 + 30);
        assert_eq!(r.fee(ReturnAction::Dispose, 2, true).unwrap(), 40 + 200 + 80 + 10);
        assert_eq!(r.fee(ReturnAction::Inspect, 2, true).unwrap(), 40 + 200);
        assert!(r.fee(ReturnAction::Restock, i64::MAX, false).is_err());
    }

    #[test]
    fn photo_keys() {
        validate_photo_key("returns/R1/1.jpg").unwrap();
        for k in ["", "/a", "a/../b", "a\\b", "a//b"] {
            assert!(validate_photo_key(k).is_err(), "{k}");
        }
    }
}
