//! Bird's words for returns: the action ids and types of `return-consignment-action` (spec §6.3)
//! onto the core's [`ReturnAction`], and a RETURN consignment's fields on create.

use entrepot_core::returns::{ReturnAction, ReturnRates};

use crate::{envelope::BirdError, fields::Text};

/// Return actions with their stable ids, Bird types and names (spec §6.3).
pub const RETURN_ACTIONS: [(i64, &str, &str, ReturnAction); 5] = [
    (91, "CONTAINER", "Return to shelf", ReturnAction::Restock),
    (92, "SELLER", "Hold for shipment home", ReturnAction::Hold),
    (93, "DISPOSE", "Dispose", ReturnAction::Dispose),
    (94, "CHECK", "Inspect", ReturnAction::Inspect),
    (95, "TRANSFER", "Forward", ReturnAction::Forward),
];

/// Bird's `(id, type, name)` of a core action.
pub fn bird_action(a: ReturnAction) -> (i64, &'static str, &'static str) {
    RETURN_ACTIONS.iter().find(|r| r.3 == a).map(|r| (r.0, r.1, r.2)).unwrap_or((0, "", ""))
}

/// The price of an action in Bird's row terms: `cost` per return and `product_unit_price` per unit.
pub fn action_prices(rates: &ReturnRates, a: ReturnAction) -> (i64, i64) {
    let r = rates.rate(a);
    (r.per_return, r.per_unit)
}

/// The action a RETURN consignment asks for: `return_consignment_action-id` (91-95) or
/// `return_consignment_action_type` (CONTAINER, SELLER, DISPOSE, CHECK, TRANSFER); the seed makes
/// one of them required for returns.
pub fn requested_action(id: &Text, kind: &Text) -> Result<ReturnAction, BirdError> {
    let expected = "CONTAINER (91), SELLER (92), DISPOSE (93), CHECK (94) or TRANSFER (95)";
    if let Some(id) = id.get() {
        return RETURN_ACTIONS.iter().find(|r| r.0.to_string() == id.trim()).map(|r| r.3).ok_or_else(|| {
            BirdError::bad(format!("Unknown return_consignment_action-id '{id}': expected {expected}"))
        });
    }
    if let Some(t) = kind.get() {
        return RETURN_ACTIONS.iter().find(|r| r.1.eq_ignore_ascii_case(t.trim())).map(|r| r.3).ok_or_else(|| {
            BirdError::bad(format!("Unknown return_consignment_action_type '{t}': expected {expected}"))
        });
    }
    Err(BirdError::bad(format!(
        "return_consignment_action-id or return_consignment_action_type is required for a RETURN consignment: {expected}"
    )))
}
